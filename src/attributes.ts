import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { MAX_CONVERTED_VALUE_LENGTH, TRUNCATED } from './constants';
import { describeError, logger } from './logger';

/**
 * Converts an OpenTracing tag or log-field value to an OpenTelemetry attribute value. This one
 * function serves tags at start, `setTag`/`addTags` after it, and log fields, so a value is
 * translated the same way on every path.
 *
 * - strings, booleans and finite numbers pass unchanged;
 * - arrays of only strings, only finite numbers or only booleans (null/undefined elements
 *   allowed, as OpenTelemetry allows them) pass as a copy, so later changes by the caller do
 *   not reach the span;
 * - everything else becomes a string, because the OpenTelemetry specification asks for
 *   unsupported types to be converted rather than dropped: NaN/Infinity -> `"NaN"`/`"Infinity"`
 *   (JSON exporters cannot carry them as numbers), an Error (duck-typed) -> `"name: message"`,
 *   a Date -> ISO 8601, a bigint -> decimal, a symbol -> `Symbol(desc)`, a function ->
 *   `[Function name]`, other objects and mixed arrays -> JSON with cycles shown as
 *   `"[Circular]"`; such strings are cut at `MAX_CONVERTED_VALUE_LENGTH`;
 * - `undefined` and `null` give `undefined`: the caller skips the key.
 *
 * Never throws: a value whose reading throws (a throwing getter, a revoked Proxy) becomes
 * `"[unreadable value: reason]"` and the reason goes to `diag`.
 */
export function toAttributeValue(value: unknown): AttributeValue | undefined {
  // Everything inside the try: a function's `name`, an object's getters and a Proxy's traps
  // are user code that may throw.
  try {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) ? value : String(value);
      case 'undefined':
        return undefined;
      case 'bigint':
        return value.toString();
      case 'symbol':
        return value.toString();
      case 'function':
        return functionName(value);
      default:
        return value === null ? undefined : objectToAttributeValue(value as object);
    }
  } catch (error) {
    logger.warn(`a tag or log value could not be read: ${describeError(error)}`);
    return `[unreadable value: ${describeError(error)}]`;
  }
}

/**
 * The own enumerable string-keyed entries of a caller's object (tags, log fields, foreign
 * baggage), each read once, so that a getter runs once. What cannot be read (a getter or Proxy
 * trap that throws) is left out with a `diag` warning that starts with `what`: the whole object
 * when its keys cannot be listed, else the one entry. Never throws.
 */
export function readEntries(value: object, what: string): Array<[string, unknown]> {
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (error) {
    logger.warn(`${what} could not be listed; left out: ${describeError(error)}`);
    return [];
  }
  const entries: Array<[string, unknown]> = [];
  for (const key of keys) {
    try {
      entries.push([key, (value as Record<string, unknown>)[key]]);
    } catch (error) {
      logger.warn(`${what} ${JSON.stringify(key)} could not be read; left out: ${describeError(error)}`);
    }
  }
  return entries;
}

/**
 * A one-line description of any value for a `diag` message or a set-up error, such as an
 * unknown format or a bad option. Never throws (a Proxy, a symbol or an object whose
 * `toString` throws included): it is `toAttributeValue` as a string.
 */
export function describeValue(value: unknown): string {
  const converted = toAttributeValue(value);
  return converted === undefined ? String(value) : String(converted);
}

/**
 * Sets `key` on a plain attributes object, refusing `__proto__`: assigning an array to it would
 * replace the object's prototype instead of adding an attribute.
 */
export function setAttributeOn(attributes: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    logger.warn('the attribute key "__proto__" is not allowed; the value was dropped');
    return;
  }
  attributes[key] = value;
}

/** Error objects from any realm or library: a string `message` and a string `stack` or `name`. */
export function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { message?: unknown; stack?: unknown; name?: unknown };
  return typeof candidate.message === 'string' && (typeof candidate.stack === 'string' || typeof candidate.name === 'string');
}

/** `name: message` of an Error, the form OpenTelemetry SDKs use for exception descriptions. */
export function describeErrorValue(error: Error): string {
  const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
  return `${name}: ${error.message}`;
}

function objectToAttributeValue(value: object): AttributeValue {
  if (Array.isArray(value)) {
    return homogeneousCopy(value) ?? toJson(value);
  }
  if (isErrorLike(value)) return describeErrorValue(value);
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  }
  return toJson(value);
}

/** A copy of an array that is a valid OpenTelemetry attribute array, else `undefined`. */
function homogeneousCopy(values: readonly unknown[]): AttributeValue | undefined {
  let type: string | undefined;
  for (const element of values) {
    if (element === null || element === undefined) continue;
    const elementType = typeof element;
    if (elementType !== 'string' && elementType !== 'boolean' && elementType !== 'number') return undefined;
    if (elementType === 'number' && !Number.isFinite(element)) return undefined;
    if (type === undefined) type = elementType;
    else if (type !== elementType) return undefined;
  }
  return values.slice() as AttributeValue;
}

function functionName(fn: unknown): string {
  const name = (fn as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? `[Function ${name}]` : '[Function]';
}

/**
 * JSON that cannot throw on the shapes instrumentation logs: cycles, bigints, symbols,
 * functions and nested Errors. Written here rather than taken from a library because the core
 * must depend on `@opentelemetry/api` and `opentracing` only.
 */
function toJson(value: object): string {
  const ancestors: unknown[] = [];
  const json = JSON.stringify(value, function replacer(this: unknown, _key: string, child: unknown): unknown {
    switch (typeof child) {
      case 'bigint':
      case 'symbol':
        return child.toString();
      case 'function':
        return functionName(child);
      case 'number':
        return Number.isFinite(child) ? child : String(child);
      case 'object':
        break;
      default:
        return child;
    }
    if (child === null) return child;
    // JSON.stringify calls the replacer with `this` = the holder, so trimming the stack back to
    // the holder leaves exactly the current path; a value already on it closes a cycle.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(child)) return '[Circular]';
    if (child !== value && isErrorLike(child)) return describeErrorValue(child);
    ancestors.push(child);
    return child;
  }) as string | undefined;
  const text = json ?? String(value);
  return text.length > MAX_CONVERTED_VALUE_LENGTH ? text.slice(0, MAX_CONVERTED_VALUE_LENGTH - TRUNCATED.length) + TRUNCATED : text;
}
