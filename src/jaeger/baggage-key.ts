import type { BaggageEntry } from '@opentelemetry/api';
import type { BaggageEntries } from '../span-context-shim';

/**
 * jaeger-client's `_normalizeBaggageKey` (src/span.js): lower case, `_` -> `-`
 * (`User_ID` -> `user-id`). Non-strings pass unchanged.
 *
 * It is also the one key rule of `./jaeger` for every format: two baggage keys name the same
 * item when this function makes them equal. HTTP header names are case-insensitive, so an
 * `uberctx-UserId` header arrives as `uberctx-userid` after any HTTP hop, while W3C `baggage`
 * keeps `UserId`; without one rule the item would exist twice after a hop that speaks both
 * (issue 14, item 8). See docs/mapping.md, "Baggage keys".
 */
export function normalizeBaggageKey(key: unknown): string {
  if (typeof key !== 'string') return key as string;
  // The usual key (`tenant`, `user-id`) is its own normal form: tested, not rebuilt.
  return NOT_NORMALIZED.test(key) ? key.replace(/_/g, '-').toLowerCase() : key;
}

// What normalisation changes. A test for it allocates nothing, unlike normalising, so the hot
// paths (inject, a missed look-up) normalise only the keys it finds.
const NOT_NORMALIZED = /[^a-z0-9!#$%&'*+\-.^`|~]/;

/**
 * Whether `normalizeBaggageKey` may change `key`: it has a character other than the lower-case
 * letters, digits and symbols of an HTTP token without `_` (a capital, `_`, anything outside
 * ASCII). Two different keys for which this is false are never one item.
 */
export function mayNeedNormalizing(key: string): boolean {
  return NOT_NORMALIZED.test(key);
}

/**
 * The entry of `entries` that `key` names under the key rule: the one spelt exactly like the
 * normalised key first (what `setBaggageItem` stores), else the first whose key normalises to it.
 * Returns the entry's own key with it, or `undefined`. One pass over the entries.
 */
export function findBaggageItem(entries: BaggageEntries, key: string): readonly [string, BaggageEntry] | undefined {
  const wanted = normalizeBaggageKey(key);
  let found: readonly [string, BaggageEntry] | undefined;
  for (const item of entries) {
    if (item[0] === wanted) return item;
    if (found === undefined && mayNeedNormalizing(item[0]) && normalizeBaggageKey(item[0]) === wanted) found = item;
  }
  return found;
}

/**
 * Received baggage items under the key rule: keyed by the normalised key, each holding the key as
 * it first arrived and the last value received for it (a later value replaces an earlier one in
 * its place, as for a repeated key).
 */
export type BaggageItems = Map<string, readonly [string, string]>;

/** Adds a received item to `items` under the key rule (see `BaggageItems`). */
export function addBaggageItem(items: BaggageItems, key: string, value: string): void {
  const id = normalizeBaggageKey(key);
  const known = items.get(id);
  items.set(id, [known === undefined ? key : known[0], value]);
}

/** Received baggage items as baggage entries, in order. */
export function itemEntries(items: BaggageItems): Array<[string, BaggageEntry]> {
  const entries: Array<[string, BaggageEntry]> = [];
  for (const [key, value] of items.values()) entries.push([key, { value }]);
  return entries;
}
