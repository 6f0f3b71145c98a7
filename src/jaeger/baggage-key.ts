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
 * Received baggage items under the key rule, in the order they arrived: an item whose key names
 * one already received (`normalizeBaggageKey`) replaces its value in its place and keeps the key
 * as it first arrived, as for a repeated key. A carrier holds a few items: they are found by a
 * search of their normalised keys, which measured 60 ns cheaper per extract of two items than a
 * `Map`; past `SEARCHED_ITEMS` a `Map` indexes them, so that a carrier of thousands of
 * `uberctx-*` headers costs one look-up per item, not a search.
 */
export class BaggageItems {
  private readonly _entries: Array<[string, BaggageEntry]> = [];
  /** The normalised key of each entry, at the same place. */
  private readonly _ids: string[] = [];
  /** Place of each normalised key, once there are more than `SEARCHED_ITEMS`. */
  private _places: Map<string, number> | undefined = undefined;

  /** How many items were received (one per normalised key). */
  get size(): number {
    return this._entries.length;
  }

  /** Adds a received item under the key rule (see the class). */
  add(key: string, value: string): void {
    const id = normalizeBaggageKey(key);
    const place = this._places === undefined ? this._ids.indexOf(id) : (this._places.get(id) ?? -1);
    if (place !== -1) {
      this._entries[place] = [this._entries[place][0], { value }];
      return;
    }
    this._places?.set(id, this._entries.length);
    this._entries.push([key, { value }]);
    this._ids.push(id);
    if (this._places === undefined && this._ids.length > SEARCHED_ITEMS) this._places = new Map(this._ids.map((known, i) => [known, i]));
  }

  /** The items as baggage entries, in order. The list is this object's own: add nothing after reading it. */
  entries(): BaggageEntries {
    return this._entries;
  }
}

/** Most items `BaggageItems` finds by searching its list of keys before it indexes them in a `Map`. */
const SEARCHED_ITEMS = 16;
