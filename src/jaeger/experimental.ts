import { PrioritySampler, TagEqualsSampler } from './samplers';

/** jaeger-client's `experimental` export: its experimental samplers, under the same names. */
export const experimental: { readonly PrioritySampler: typeof PrioritySampler; readonly TagEqualsSampler: typeof TagEqualsSampler } = Object.freeze({
  PrioritySampler,
  TagEqualsSampler,
});
