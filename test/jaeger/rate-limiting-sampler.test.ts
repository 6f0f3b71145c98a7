import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { RateLimiter, RateLimitingSampler } from '../../src/jaeger/rate-limiting-sampler';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClient {
  RateLimitingSampler: new (maxTracesPerSecond: number, initBalance?: number) => { isSampled(operation: string, tags: object): boolean };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

/** A clock the test moves by hand, in milliseconds. */
function manualClock(start = 1_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

function sampled(sampler: RateLimitingSampler): boolean {
  const result = sampler.shouldSample();
  return result.decision === SamplingDecision.RECORD_AND_SAMPLED;
}

function countSampled(sampler: RateLimitingSampler, attempts: number): number {
  let count = 0;
  for (let i = 0; i < attempts; i++) if (sampled(sampler)) count++;
  return count;
}

describe('RateLimiter', () => {
  it('should start with a full balance by default', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(1, 3, clock.now);
    expect([1, 2, 3, 4].map(() => limiter.checkCredit(1))).toEqual([true, true, true, false]);
  });

  it('should earn creditsPerSecond credits per second of its clock', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(2, 2, clock.now, 0);
    expect(limiter.checkCredit(1)).toBe(false);
    clock.advance(499);
    expect(limiter.checkCredit(1)).toBe(false);
    clock.advance(1);
    expect(limiter.checkCredit(1)).toBe(true);
    expect(limiter.checkCredit(1)).toBe(false);
  });

  it('should never hold more than maxBalance credits', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(10, 2, clock.now, 0);
    clock.advance(60_000);
    expect([1, 2, 3].map(() => limiter.checkCredit(1))).toEqual([true, true, false]);
  });

  it('should spend nothing when the balance does not cover the cost', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(1, 5, clock.now, 2.5);
    expect(limiter.checkCredit(3)).toBe(false);
    expect(limiter.checkCredit(2.5)).toBe(true);
  });

  it('should earn nothing, and lose nothing, when the clock steps back', () => {
    const clock = manualClock(10_000);
    const limiter = new RateLimiter(1, 5, clock.now, 1);
    clock.advance(-5_000);
    expect(limiter.checkCredit(1)).toBe(true);
    expect(limiter.checkCredit(1)).toBe(false);
    clock.advance(1_000);
    expect(limiter.checkCredit(1)).toBe(true);
  });

  it.each([-1, NaN, Infinity, '3' as unknown as number])('should refuse %p credits per second at set-up', (rate) => {
    expect(() => new RateLimiter(rate, 1)).toThrow(RangeError);
    expect(() => new RateLimiter(rate, 1)).toThrow(/creditsPerSecond must be a finite number >= 0/);
  });

  it('should refuse, with a RangeError that describes it, a rate that cannot be converted to a string', () => {
    expect(() => new RateLimiter([Symbol('rate')] as unknown as number, 1)).toThrow(
      new RangeError('creditsPerSecond must be a finite number >= 0, got ["Symbol(rate)"]'),
    );
  });

  it('should refuse a negative maxBalance or initialBalance at set-up', () => {
    expect(() => new RateLimiter(1, -1)).toThrow(/maxBalance/);
    expect(() => new RateLimiter(1, 1, undefined, -1)).toThrow(/initialBalance/);
  });
});

describe('RateLimitingSampler', () => {
  afterEach(() => jest.restoreAllMocks());

  it('should sample at most maxTracesPerSecond traces per second', () => {
    const clock = manualClock();
    const sampler = new RateLimitingSampler(5, clock.now, 0);
    expect(countSampled(sampler, 100)).toBe(0);
    clock.advance(1_000);
    expect(countSampled(sampler, 100)).toBe(5);
    clock.advance(200);
    expect(countSampled(sampler, 100)).toBe(1);
  });

  it('should allow a burst of at most maxTracesPerSecond after a quiet period', () => {
    const clock = manualClock();
    const sampler = new RateLimitingSampler(3, clock.now, 0);
    clock.advance(3_600_000);
    expect(countSampled(sampler, 100)).toBe(3);
  });

  it('should hold one trace of credit when the rate is below one per second', () => {
    const clock = manualClock();
    const sampler = new RateLimitingSampler(0.5, clock.now, 0);
    clock.advance(10_000);
    expect(countSampled(sampler, 10)).toBe(1);
    clock.advance(1_000);
    expect(countSampled(sampler, 10)).toBe(0);
    clock.advance(1_000);
    expect(countSampled(sampler, 10)).toBe(1);
  });

  it('should never sample at a rate of 0', () => {
    const clock = manualClock();
    const sampler = new RateLimitingSampler(0, clock.now);
    clock.advance(3_600_000);
    expect(countSampled(sampler, 10)).toBe(0);
  });

  it('should start, like jaeger-client, with a random fraction of its maximum balance', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.7);
    const clock = manualClock();
    expect(countSampled(new RateLimitingSampler(10, clock.now), 100)).toBe(7);
    expect(countSampled(new RateLimitingSampler(0.2, clock.now), 100)).toBe(0);
  });

  it('should return a bare decision and look at nothing but its clock', () => {
    const clock = manualClock();
    const sampler = new RateLimitingSampler(1, clock.now, 1);
    const result = sampler.shouldSample();
    expect(result).toEqual({ decision: SamplingDecision.RECORD_AND_SAMPLED });
    // The SDK passes the full argument list; the sampler ignores it.
    const call = sampler.shouldSample.bind(sampler) as unknown as (...args: unknown[]) => { decision: SamplingDecision };
    expect(call(ROOT_CONTEXT, 'a'.repeat(32), 'op', SpanKind.SERVER, {}, []).decision).toBe(SamplingDecision.NOT_RECORD);
  });

  it('should make the same decisions as jaeger-client for the same clock', () => {
    // jaeger-client reads Date; fake timers move both clocks together.
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    try {
      const theirs = new jaeger.RateLimitingSampler(2.5, 1.5);
      const ours = new RateLimitingSampler(2.5, () => Date.now(), 1.5);
      const steps = [0, 0, 0, 100, 300, 400, 0, 0, 1_000, 0, 0, 0, 50, 5_000, 0, 0, 0, 0, 250, 150];
      const decisions = steps.map((ms) => {
        jest.advanceTimersByTime(ms);
        return [theirs.isSampled('op', {}), sampled(ours)];
      });
      expect(decisions.map(([their]) => their)).toEqual(decisions.map(([, our]) => our));
      expect(decisions.filter(([their]) => their).length).toBeGreaterThan(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([-1, NaN, Infinity])('should refuse %p traces per second at set-up', (rate) => {
    expect(() => new RateLimitingSampler(rate)).toThrow(RangeError);
    expect(() => new RateLimitingSampler(rate)).toThrow(`maxTracesPerSecond must be a finite number >= 0, got ${rate}`);
  });

  it('should describe itself as jaeger-client does', () => {
    expect(new RateLimitingSampler(2.5).toString()).toBe('RateLimitingSampler(maxTracesPerSecond=2.5)');
    expect(new RateLimitingSampler(7).maxTracesPerSecond).toBe(7);
  });
});
