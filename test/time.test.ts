import { elapsedSince, millisToHrTime, readEpochMillis } from '../src/time';

describe('time', () => {
  describe('millisToHrTime', () => {
    it.each([
      [0, [0, 0]],
      [5, [0, 5_000_000]],
      [1_000, [1, 0]],
      [1_500.25, [1, 500_250_000]],
      [1_700_000_000_123.456, [1_700_000_000, 123_456_000]],
      // eslint-disable-next-line no-loss-of-precision -- the nearest double is the input under test
      [1_700_000_000_999.9999, [1_700_000_001, 0]],
      [1_700_000_000_000.001, [1_700_000_000, 1_000]],
    ])('should convert %p ms since the epoch to %p', (millis, hrTime) => {
      expect(millisToHrTime(millis)).toEqual(hrTime);
    });

    it('should always give nanoseconds below one second', () => {
      // eslint-disable-next-line no-loss-of-precision -- the nearest doubles are the inputs under test
      for (const millis of [999.9996, 1_999.9999, 1_700_000_000_999.99995]) {
        const [, nanos] = millisToHrTime(millis);
        expect(nanos).toBeGreaterThanOrEqual(0);
        expect(nanos).toBeLessThan(1e9);
      }
    });
  });

  describe('readEpochMillis', () => {
    it('should read finite non-negative numbers up to the largest Date', () => {
      expect(readEpochMillis(0)).toBe(0);
      expect(readEpochMillis(5)).toBe(5);
      expect(readEpochMillis(1_700_000_000_123.456)).toBe(1_700_000_000_123.456);
      expect(readEpochMillis(8.64e15)).toBe(8.64e15);
    });

    it('should read a valid Date', () => {
      expect(readEpochMillis(new Date(1_700_000_000_000))).toBe(1_700_000_000_000);
    });

    it.each([[-1], [NaN], [Infinity], [8.64e15 + 1], ['1700000000000'], [null], [undefined], [new Date(NaN)], [{}]])('should refuse %p', (value) => {
      expect(readEpochMillis(value)).toBeUndefined();
    });
  });

  describe('elapsedSince', () => {
    it('should add the performance time elapsed since the start to the start time', () => {
      const startPerformance = performance.now() - 250;
      expect(elapsedSince(1_000, startPerformance)).toBeGreaterThanOrEqual(1_250);
    });
  });
});
