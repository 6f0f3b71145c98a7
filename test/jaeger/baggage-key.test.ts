import fc from 'fast-check';
import { BaggageItems, normalizeBaggageKey } from '../../src/jaeger/baggage-key';

// `BaggageItems`: received baggage under the one key rule (`normalizeBaggageKey`). It searches
// a short list and indexes a long one in a Map; both must give what one Map keyed by the
// normalised key gave before (the model below).
describe('BaggageItems', () => {
  /** The rule as a Map keyed by the normalised key: first spelling kept, last value wins, in first-arrival order. */
  function model(items: ReadonlyArray<readonly [string, string]>): Array<[string, { value: string }]> {
    const byId = new Map<string, [string, string]>();
    for (const [key, value] of items) {
      const known = byId.get(normalizeBaggageKey(key));
      byId.set(normalizeBaggageKey(key), [known === undefined ? key : known[0], value]);
    }
    return [...byId.values()].map(([key, value]) => [key, { value }]);
  }

  function received(items: ReadonlyArray<readonly [string, string]>): BaggageItems {
    const collected = new BaggageItems();
    for (const [key, value] of items) collected.add(key, value);
    return collected;
  }

  it('should keep the first spelling of a key, in its place, with the last value received for it', () => {
    const items = received([
      ['User_ID', '1'],
      ['tenant', 'acme'],
      ['user-id', '2'],
      ['USER-ID', '3'],
    ]);
    expect(items.size).toBe(2);
    expect(items.entries()).toEqual([
      ['User_ID', { value: '3' }],
      ['tenant', { value: 'acme' }],
    ]);
  });

  it('should give what one Map keyed by the normalised key gives, for few items and for many', () => {
    // Few distinct keys, so that repeats under the rule are common; up to 60 items, past the
    // length at which the list is indexed.
    const key = fc.oneof(fc.constantFrom('a', 'A', 'b_c', 'B-C', 'tenant', 'Tenant', 'ключ', ''), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 3 })), { maxLength: 60 }), (items) => {
        const collected = received(items);
        expect(collected.entries()).toEqual(model(items));
        expect(collected.size).toBe(model(items).length);
      }),
      { seed: 0x5eed_1701, numRuns: 1000 },
    );
  });

  it('should find an item received before the list was indexed, and one after', () => {
    const items: Array<[string, string]> = Array.from({ length: 40 }, (_, i) => [`Key_${i}`, `v${i}`]);
    items.push(['key-3', 'late'], ['KEY-39', 'late too'], ['key-40', 'new']);
    expect(received(items).entries()).toEqual(model(items));
    expect(received(items).size).toBe(41);
  });
});
