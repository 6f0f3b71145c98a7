import { describeValue } from '../attributes';

/**
 * Whether `value` is a number from `min` to `max`, both included. NaN and non-numbers never are;
 * `max` of `Number.MAX_VALUE` leaves Infinity out, `Infinity` lets it in. The one range rule of
 * the samplers' settings and of a polled sampling strategy.
 */
export function isInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && value >= min && value <= max;
}

/**
 * `value` when {@link isInRange}; else throws `RangeError: {name} must be {expected}, got {value}`.
 * For set-up time checks of a constructor's arguments, where a mistake should stop the program.
 */
export function requireInRange(name: string, value: unknown, min: number, max: number, expected: string): number {
  if (!isInRange(value, min, max)) throw new RangeError(`${name} must be ${expected}, got ${describeValue(value)}`);
  return value;
}

/** `requireInRange` for a finite number >= 0 (a rate or a balance of credits). */
export function requireNonNegative(name: string, value: unknown): number {
  return requireInRange(name, value, 0, Number.MAX_VALUE, 'a finite number >= 0');
}
