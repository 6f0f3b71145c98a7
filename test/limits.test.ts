import { propagation } from '@opentelemetry/api';
import fc from 'fast-check';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS, MAX_HEADER_VALUE_BYTES, breaksHeader, isOversized, limitEntries, utf8Length } from '../src/limits';
import { captureDiag } from './helpers/diag';

describe('limits', () => {
  it('should use the W3C Baggage limits of OpenTelemetry JS and 8 KiB per header value', () => {
    expect([MAX_BAGGAGE_ITEMS, MAX_BAGGAGE_BYTES, MAX_HEADER_VALUE_BYTES]).toEqual([180, 8192, 8192]);
  });

  describe('utf8Length', () => {
    it.each([
      ['', 0],
      ['abc', 3],
      ['é', 2],
      ['€', 3],
      ['😀', 4],
      ['\ud800', 3],
      ['a\udc00b', 5],
    ])('should give %j as %i bytes, as Buffer.byteLength does', (text, bytes) => {
      expect(utf8Length(text)).toBe(bytes);
      expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
    });
  });

  describe('isOversized', () => {
    it('should compare the UTF-8 length with the limit, an array as a whole', () => {
      expect(isOversized('a'.repeat(MAX_HEADER_VALUE_BYTES))).toBe(false);
      expect(isOversized('a'.repeat(MAX_HEADER_VALUE_BYTES + 1))).toBe(true);
      expect(isOversized('é'.repeat(MAX_HEADER_VALUE_BYTES / 2))).toBe(false);
      expect(isOversized('é'.repeat(MAX_HEADER_VALUE_BYTES / 2) + 'a')).toBe(true);
      expect(isOversized('😀'.repeat(MAX_HEADER_VALUE_BYTES / 4 + 1))).toBe(true);
      expect(isOversized(['a'.repeat(4096), 'b'.repeat(4096)])).toBe(false);
      expect(isOversized(['a'.repeat(4096), 'b'.repeat(4097)])).toBe(true);
    });
  });

  describe('breaksHeader', () => {
    it('should find CR, LF and NUL and nothing else', () => {
      expect(['a\rb', 'a\nb', 'a\u0000b'].map(breaksHeader)).toEqual([true, true, true]);
      expect(['a b', 'a\tb', 'é😀', 'a%0Db'].map(breaksHeader)).toEqual([false, false, false, false]);
    });

    it('should agree with the character class /[\\r\\n\\0]/ on any text, one-byte or two-byte', () => {
      const breaking = fc.constantFrom('\r', '\n', '\u0000');
      const text = fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), breaking)).map((parts) => parts.join('')),
      );
      fc.assert(
        fc.property(text, (value) => breaksHeader(value) === /[\r\n\0]/.test(value)),
        { seed: 0x5eed0600, numRuns: 500 },
      );
    });
  });

  describe('limitEntries', () => {
    function entriesOf(count: number, value = 'v') {
      const entries: Record<string, { value: string }> = {};
      for (let i = 0; i < count; i++) entries[`k${i}`] = { value };
      return propagation.createBaggage(entries).getAllEntries();
    }

    it('should return the same list when it fits', () => {
      const entries = entriesOf(MAX_BAGGAGE_ITEMS);
      expect(limitEntries(entries, 'test')).toBe(entries);
    });

    it(`should keep the first ${MAX_BAGGAGE_ITEMS} items and warn with the dropped count`, () => {
      const logs = captureDiag();
      const limited = limitEntries(entriesOf(MAX_BAGGAGE_ITEMS + 20), 'extract');
      logs.stop();
      expect(limited).toHaveLength(MAX_BAGGAGE_ITEMS);
      expect(limited[MAX_BAGGAGE_ITEMS - 1][0]).toBe(`k${MAX_BAGGAGE_ITEMS - 1}`);
      expect(limited.some(([key]) => key === `k${MAX_BAGGAGE_ITEMS}`)).toBe(false);
      expect(logs.matching('extract: dropped 20 baggage items over the limits')).toHaveLength(1);
    });

    it(`should keep items while keys and values fit ${MAX_BAGGAGE_BYTES} bytes, skipping one that does not`, () => {
      const big = 'é'.repeat(2000); // 4000 bytes
      const entries = propagation.createBaggage({ a: { value: big }, b: { value: big }, c: { value: big }, d: { value: 'small' } }).getAllEntries();
      expect(limitEntries(entries, 'extract').map(([key]) => key)).toEqual(['a', 'b', 'd']);
    });

    it('should count UTF-8 bytes only when the UTF-16 length could exceed the limit', () => {
      // 2731 characters of 3 bytes each: 8193 bytes, over the limit although the length is not.
      const entries = propagation.createBaggage({ k: { value: '€'.repeat(2730) + 'é' } }).getAllEntries();
      expect(limitEntries(entries, 'extract')).toEqual([]);
      const fits = propagation.createBaggage({ k: { value: '€'.repeat(2700) } }).getAllEntries();
      expect(limitEntries(fits, 'extract')).toBe(fits);
    });

    it('should keep an item called __proto__ as an ordinary entry', () => {
      const entries = Object.create(null);
      entries['__proto__'] = { value: 'x' };
      for (let i = 0; i < MAX_BAGGAGE_ITEMS; i++) entries[`k${i}`] = { value: 'v' };
      const limited = limitEntries(propagation.createBaggage(entries).getAllEntries(), 'extract');
      expect(limited.find(([key]) => key === '__proto__')?.[1].value).toBe('x');
      expect(({} as Record<string, unknown>).value).toBeUndefined();
    });
  });
});
