import { SamplingDecision } from '../otel-sdk/types';
import type { Sampler, SamplingResult } from '../otel-sdk/types';
// A monotonic clock: jaeger-client reads the wall clock, which can step back and then withholds
// credit until it has caught up again.
import { monotonicNow } from '../time';
import { requireNonNegative } from './number-range';

/**
 * A leaky-bucket credit counter, jaeger-client's `src/rate_limiter.js`: the balance grows by
 * `creditsPerSecond` each second, never above `maxBalance`, and `checkCredit(cost)` spends `cost`
 * when the balance covers it. A burst can therefore spend up to `maxBalance` at once.
 *
 * Unlike jaeger-client, the balance starts full unless `initialBalance` says otherwise (jaeger-client
 * starts at a random fraction of `maxBalance`; {@link RateLimitingSampler} keeps that).
 */
export class RateLimiter {
  private readonly _creditsPerSecond: number;
  private readonly _maxBalance: number;
  private readonly _now: () => number;
  private _balance: number;
  private _lastTick: number;

  /**
   * @param creditsPerSecond credits added per second; a finite number >= 0.
   * @param maxBalance most credits the bucket holds; a finite number >= 0.
   * @param now clock in milliseconds, only differences are used (default `performance.now()`).
   * @param initialBalance credits available at once; a finite number >= 0 (default `maxBalance`).
   * @throws RangeError, at set-up time, when a number is negative, NaN, infinite or not a number.
   */
  constructor(creditsPerSecond: number, maxBalance: number, now: () => number = monotonicNow, initialBalance: number = maxBalance) {
    this._creditsPerSecond = requireNonNegative('creditsPerSecond', creditsPerSecond);
    this._maxBalance = requireNonNegative('maxBalance', maxBalance);
    this._balance = requireNonNegative('initialBalance', initialBalance);
    this._now = now;
    this._lastTick = now();
  }

  /** Spends `cost` credits and returns true if the balance covers them; otherwise spends nothing. */
  checkCredit(cost: number): boolean {
    const now = this._now();
    // A clock that steps back (only an injected one can) earns nothing rather than a debt.
    const elapsedSeconds = Math.max(0, now - this._lastTick) / 1000;
    this._lastTick = now;
    this._balance = Math.min(this._maxBalance, this._balance + elapsedSeconds * this._creditsPerSecond);
    if (this._balance < cost) return false;
    this._balance -= cost;
    return true;
  }
}

/**
 * Samples at most `maxTracesPerSecond` traces per second, jaeger-client's
 * `src/samplers/rate_limiting_sampler.js`: one credit per sampled span from a {@link RateLimiter}
 * that earns `maxTracesPerSecond` credits per second and holds at most
 * `max(maxTracesPerSecond, 1)`, so a rate below 1 still samples one trace every `1 / rate`
 * seconds. Like jaeger-client, the bucket starts at a random fraction of that maximum, so a fleet
 * of processes started together does not sample its first traces all at once.
 *
 * The sampler looks at nothing but its clock: every span it is asked about spends a credit. Use it
 * as the root sampler of a {@link JaegerSampler} (or an OpenTelemetry `ParentBasedSampler`) so
 * that only new traces are counted. It adds no attributes; {@link JaegerSampler} writes the
 * `sampler.type=ratelimiting` and `sampler.param` tags.
 */
export class RateLimitingSampler implements Sampler {
  /** The configured limit, in traces per second. */
  readonly maxTracesPerSecond: number;
  private readonly _limiter: RateLimiter;

  /**
   * @param maxTracesPerSecond most new traces per second; a finite number >= 0 (0 samples nothing).
   * @param now clock in milliseconds, for tests (default `performance.now()`).
   * @param initialBalance credits available at once, for tests (default: random in
   *   `[0, max(maxTracesPerSecond, 1))`, as jaeger-client).
   * @throws RangeError, at set-up time, for a negative, NaN or infinite rate (jaeger-client throws
   *   for a negative one and never samples with NaN).
   */
  constructor(maxTracesPerSecond: number, now?: () => number, initialBalance?: number) {
    this.maxTracesPerSecond = requireNonNegative('maxTracesPerSecond', maxTracesPerSecond);
    const maxBalance = Math.max(maxTracesPerSecond, 1);
    this._limiter = new RateLimiter(maxTracesPerSecond, maxBalance, now, initialBalance ?? Math.random() * maxBalance);
  }

  shouldSample(): SamplingResult {
    return { decision: this._limiter.checkCredit(1) ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
  }

  /** jaeger-client's form: `RateLimitingSampler(maxTracesPerSecond=5)`. */
  toString(): string {
    return `RateLimitingSampler(maxTracesPerSecond=${this.maxTracesPerSecond})`;
  }
}
