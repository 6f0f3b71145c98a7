import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';

/** One `shouldSample` call as the SDK made it. */
export interface SamplerCall {
  readonly spanName: string;
  readonly spanKind: SpanKind;
  readonly attributes: Attributes;
  readonly links: Link[];
}

/**
 * A real Sampler (the SDK's interface) that records what it was asked and samples everything,
 * so tests can check what a sampler sees when the shim creates a span.
 */
export class RecordingSampler implements Sampler {
  readonly calls: SamplerCall[] = [];

  shouldSample(_context: Context, _traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    this.calls.push({ spanName, spanKind, attributes: { ...attributes }, links: [...links] });
    return { decision: SamplingDecision.RECORD_AND_SAMPLED };
  }

  toString(): string {
    return 'RecordingSampler';
  }
}
