import type { HrTime } from '@opentelemetry/api';

/**
 * The longest delay a Node timer takes, in milliseconds (2^31 - 1); Node turns a longer one into
 * 1 ms, which would make a periodic task run in a loop.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Largest time a JavaScript Date can hold, in ms since the epoch (ECMA-262 TimeClip). */
const MAX_EPOCH_MILLIS = 8.64e15;

/**
 * Converts an OpenTracing time (milliseconds since the Unix epoch, decimals allowed: the
 * OpenTracing JS API's `startTime` and `finish(finishTime)`) to an OpenTelemetry HrTime
 * `[seconds, nanoseconds]` since the epoch.
 *
 * Passing the number straight to the SDK would be wrong: the SDK reads a number smaller than
 * `performance.now()` as a performance-relative time. The fraction is rounded to the
 * microsecond, because at epoch scale a double cannot resolve finer (its step is ~0.24 µs), so
 * rounding there gives back exactly the decimals the caller wrote.
 */
export function millisToHrTime(epochMillis: number): HrTime {
  let seconds = Math.floor(epochMillis / 1000);
  let micros = Math.round((epochMillis - seconds * 1000) * 1000);
  if (micros >= 1_000_000) {
    seconds += 1;
    micros -= 1_000_000;
  }
  return [seconds, micros * 1000];
}

/**
 * Reads a caller-supplied OpenTracing time: a finite number of ms since the epoch in
 * `[0, 8.64e15]`, or a valid `Date` (accepted because instrumentation passes them in practice).
 * Returns the time in ms since the epoch, or `undefined` for anything else (NaN, negative,
 * strings, ...), in which case the caller uses the current time and warns.
 */
export function readEpochMillis(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value >= 0 && value <= MAX_EPOCH_MILLIS ? value : undefined;
  }
  try {
    // `instanceof` runs a Proxy's getPrototypeOf trap, which may throw.
    if (value instanceof Date) {
      const millis = value.getTime();
      return millis >= 0 && millis <= MAX_EPOCH_MILLIS ? millis : undefined;
    }
  } catch {
    // Not a readable time: the caller uses the current time and warns.
  }
  return undefined;
}

/**
 * A span's clock: wall-clock anchored at the start, monotonic after it, as the OpenTelemetry
 * SDK's own spans measure (start from `Date.now()`, durations from `performance.now()`), so
 * OpenTracing and OpenTelemetry spans of one trace line up and short spans get sub-millisecond
 * durations. Returns ms since the epoch.
 *
 * @param startEpochMillis the start, ms since the epoch (`Date.now()` at the start).
 * @param startPerformanceMillis `monotonicNow()` at the start.
 */
export function elapsedSince(startEpochMillis: number, startPerformanceMillis: number): number {
  return startEpochMillis + (clock.now() - startPerformanceMillis);
}

/**
 * The global `performance`, read once: in Node the global is a getter, which every span would
 * otherwise call twice.
 */
const clock: { now(): number } = performance;

/** `performance.now()`: milliseconds on the monotonic clock, for durations. */
export function monotonicNow(): number {
  return clock.now();
}
