import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { MAX_CONVERTED_VALUE_LENGTH, TRUNCATED } from './constants';
import { describeError, warnOnce } from './logger';

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
    warnOnce('attributes.value.unreadable', `a tag or log value could not be read: ${describeError(error)}`);
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
  const entries: Array<[string, unknown]> = [];
  forEachEntry(value, what, pushEntry, entries);
  return entries;
}

function pushEntry(entries: Array<[string, unknown]>, key: string, value: unknown): void {
  entries.push([key, value]);
}

/**
 * `readEntries` without the array: calls `visit(target, key, value)` for each entry that can be
 * read, in `Object.keys` order, and leaves out what cannot, with the same `diag` warnings.
 * `target` is passed on so that a hot caller needs no closure. Errors thrown by `visit` itself
 * reach the caller.
 */
export function forEachEntry<T>(value: object, what: string, visit: (target: T, key: string, value: unknown) => void, target: T): void {
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (error) {
    warnOnce(`attributes.${what}.unlistable`, `${what} could not be listed; left out: ${describeError(error)}`);
    return;
  }
  for (const key of keys) {
    let entry: unknown;
    try {
      entry = (value as Record<string, unknown>)[key];
    } catch (error) {
      warnOnce(`attributes.${what}.unreadable`, `${what} ${JSON.stringify(key)} could not be read; left out: ${describeError(error)}`);
      continue;
    }
    visit(target, key, entry);
  }
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
 * Sets `key` on a plain attributes object, unless `isRefusedKey(key)` (see there).
 */
export function setAttributeOn(attributes: Attributes, key: string, value: AttributeValue): void {
  if (!isRefusedKey(key)) attributes[key] = value;
}

/**
 * Whether an attribute key (a tag, a log field, a resource tag) is refused: only `__proto__`,
 * with a `diag` warning, because assigned to an attributes object (the shim's, or the SDK's when
 * a tag is set on a live span) it would replace the object's prototype instead of adding an
 * attribute. The one place this rule is written.
 */
export function isRefusedKey(key: string): boolean {
  if (key !== '__proto__') return false;
  warnOnce('attributes.key.__proto__', 'the attribute key "__proto__" is not allowed; the value was dropped');
  return true;
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
 * functions and nested Errors, cut at `MAX_CONVERTED_VALUE_LENGTH` (see `BoundedJson`).
 */
function toJson(value: object): string {
  const json = new BoundedJson(value, MAX_CONVERTED_VALUE_LENGTH).text();
  if (json === undefined) return String(value);
  return json.length > MAX_CONVERTED_VALUE_LENGTH ? json.slice(0, MAX_CONVERTED_VALUE_LENGTH - TRUNCATED.length) + TRUNCATED : json;
}

/** A value `BoundedJson` leaves out, as JSON.stringify leaves out `undefined`. */
const OMITTED = Symbol('omitted');

/**
 * `JSON.stringify(root, replacer)` whose work is bounded by its output: it stops reading the
 * value once the text is longer than `limit`, so a 200,000-key object or a graph whose levels
 * share children (whose JSON doubles with each level) costs what `limit` characters cost, not
 * what the whole JSON would. The text up to the limit is the same as JSON.stringify's with the
 * replacer the shim used before (`toJSON` first; bigints and symbols as their `toString()`;
 * functions as `[Function name]`; non-finite numbers as strings; a cycle on the current path as
 * `"[Circular]"`; an Error below the top as `"name: message"`).
 *
 * Written here rather than taken from a library because the core must depend on
 * `@opentelemetry/api` and `opentracing` only, and the libraries that bound JSON by length
 * (safe-stable-stringify's `maximumBreadth`/`maximumDepth`) bound the shape, not the text.
 * Errors from user code (getters, Proxy traps) propagate to `toAttributeValue`.
 */
class BoundedJson {
  private readonly _root: object;
  private readonly _limit: number;
  private readonly _parts: string[] = [];
  private _length = 0;
  /** The objects on the path from the root to the value being written. */
  private readonly _path = new Set<object>();

  constructor(root: object, limit: number) {
    this._root = root;
    this._limit = limit;
  }

  /** The JSON, cut somewhere after `limit` characters; `undefined` when the root has none. */
  text(): string | undefined {
    const root = this._replace(this._root, '');
    if (root === OMITTED) return undefined;
    this._write(root);
    return this._parts.join('');
  }

  private _full(): boolean {
    return this._length > this._limit;
  }

  private _emit(text: string): void {
    this._parts.push(text);
    this._length += text.length;
  }

  /** A JSON string of `text`; of a long text only a prefix that fills the budget is quoted. */
  private _emitString(text: string): void {
    const room = this._limit - this._length + 1;
    // Each character is at least one character of JSON, so the characters before `room` give
    // the same JSON as the whole text would up to the limit.
    this._emit(JSON.stringify(text.length > room ? text.slice(0, room + 1) : text));
  }

  /** `toJSON`, then the shim's replacer rules; `OMITTED` for what JSON leaves out. */
  private _replace(raw: unknown, key: string): unknown {
    let value = raw;
    if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') value = toJSON.call(value, key);
    }
    switch (typeof value) {
      case 'bigint':
      case 'symbol':
        return value.toString();
      case 'function':
        return functionName(value);
      case 'number':
        return Number.isFinite(value) ? value : String(value);
      case 'undefined':
        return OMITTED;
      case 'object':
        if (value === null) return null;
        if (this._path.has(value)) return '[Circular]';
        if (value !== this._root && isErrorLike(value)) return describeErrorValue(value);
        return value;
      default:
        return value;
    }
  }

  private _write(value: unknown): void {
    switch (typeof value) {
      case 'string':
        return this._emitString(value);
      case 'number':
        return this._emit(Number.isFinite(value) ? String(value) : 'null');
      case 'boolean':
        return this._emit(value ? 'true' : 'false');
      case 'object':
        break;
      default:
        return this._emit('null');
    }
    if (value === null) return this._emit('null');
    if (value instanceof Number || value instanceof String || value instanceof Boolean) return this._write(value.valueOf());
    this._path.add(value);
    if (Array.isArray(value)) this._writeArray(value);
    else this._writeObject(value);
    this._path.delete(value);
  }

  private _writeArray(array: readonly unknown[]): void {
    this._emit('[');
    for (let i = 0; i < array.length && !this._full(); i++) {
      if (i > 0) this._emit(',');
      const element = this._replace(array[i], String(i));
      this._write(element === OMITTED ? null : element);
    }
    this._emit(']');
  }

  private _writeObject(object: object): void {
    this._emit('{');
    let first = true;
    // `for...in` with an own-property check lists what Object.keys lists, without an array of
    // all the keys first.
    for (const key in object) {
      if (this._full()) break;
      if (!hasOwn.call(object, key)) continue;
      const value = this._replace((object as Record<string, unknown>)[key], key);
      if (value === OMITTED) continue;
      if (!first) this._emit(',');
      first = false;
      this._emitString(key);
      this._emit(':');
      this._write(value);
    }
    this._emit('}');
  }
}

const hasOwn = Object.prototype.hasOwnProperty;
