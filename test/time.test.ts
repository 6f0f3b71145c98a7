import { EpochClock, elapsedSince, millisToHrTime, readEpochMillis } from '../src/time';

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

describe('EpochClock', () => {
  /** A clock pair under the test's control: wall ms (whole) and monotonic ms. */
  function fakeClocks(offset: number) {
    const clocks = { monotonic: 100.25, offset };
    const wall = () => Math.floor(clocks.offset + clocks.monotonic);
    return { clocks, clock: new EpochClock(wall, () => clocks.monotonic) };
  }

  it('should give what Date.now() gives, in whole ms, never later and at most 1 ms earlier', () => {
    const clock = new EpochClock();
    for (let i = 0; i < 1000; i++) {
      const before = Date.now();
      const millis = clock.wholeMillisAt(performance.now());
      const after = Date.now();
      expect(Number.isInteger(millis)).toBe(true);
      expect(millis).toBeLessThanOrEqual(after);
      expect(millis).toBeGreaterThanOrEqual(before - 1);
    }
  });

  it('should never step backwards while the clocks keep their offset, whatever the rounding of each sample', () => {
    const { clocks, clock } = fakeClocks(1_700_000_000_000.7);
    let last = -Infinity;
    for (let i = 0; i < 200; i++) {
      clocks.monotonic += EpochClock.RESYNC_MS + 0.37;
      const millis = clock.wholeMillisAt(clocks.monotonic);
      expect(millis).toBeGreaterThanOrEqual(last);
      expect(millis).toBeLessThanOrEqual(Math.floor(clocks.offset + clocks.monotonic));
      last = millis;
    }
  });

  it('should follow the wall clock forward (the machine slept) and back (the clock was set back) at the next sample', () => {
    const { clocks, clock } = fakeClocks(1_700_000_000_000);
    clock.wholeMillisAt(clocks.monotonic);
    clocks.offset += 60_000;
    clocks.monotonic += EpochClock.RESYNC_MS;
    expect(clock.wholeMillisAt(clocks.monotonic)).toBe(Math.floor(clocks.offset + clocks.monotonic));
    clocks.offset -= 120_000;
    clocks.monotonic += EpochClock.RESYNC_MS;
    expect(clock.wholeMillisAt(clocks.monotonic)).toBe(Math.floor(clocks.offset + clocks.monotonic));
  });

  it('should not read the wall clock again within RESYNC_MS', () => {
    let wallReads = 0;
    const clock = new EpochClock(
      () => {
        wallReads++;
        return 1_700_000_000_000;
      },
      () => 5,
    );
    for (let at = 5; at < 5 + EpochClock.RESYNC_MS; at += 10) clock.wholeMillisAt(at);
    expect(wallReads).toBe(1);
  });
});
