import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { MAX_HEADER_VALUE_BYTES, breaksHeader, exceedsUtf8Bytes, isOversized } from './limits';
import { describeError, warnOnce } from './logger';

/**
 * A text map or HTTP headers carrier as OpenTracing code passes it. Besides a plain object of
 * strings, the carriers of real transports are read and written (see `textMapGetter` and
 * `textMapSetter`): Node's `IncomingHttpHeaders` (array values for repeated headers), WHATWG
 * `Headers` (fetch, undici), a `Map`, and kafkajs- or amqplib-style headers whose values are
 * `Buffer`s or arrays of them.
 */
export type TextMapCarrier = Record<string, unknown>;

/**
 * How a carrier is read and written, decided by duck typing so that a `Headers` or `Map` of
 * another realm or another copy of undici works too: `headers` has `get`, `set` and `append`
 * (WHATWG `Headers`); `map` has `get`, `set` and `keys` (a `Map`); anything else is an object
 * whose own properties are the fields.
 */
type CarrierKind = 'headers' | 'map' | 'object';

function kindOf(carrier: object): CarrierKind {
  if (carrier instanceof Map) return 'map';
  const { get, set } = carrier as { get?: unknown; set?: unknown };
  if (typeof get !== 'function' || typeof set !== 'function') return 'object';
  if (typeof (carrier as { append?: unknown }).append === 'function') return 'headers';
  return typeof (carrier as { keys?: unknown }).keys === 'function' ? 'map' : 'object';
}

/**
 * Writes each propagation field into the carrier, as OpenTracing's FORMAT_TEXT_MAP and
 * FORMAT_HTTP_HEADERS define it: `set(name, value)` on a `Headers` or `Map`, else a property of
 * the object (kafkajs and amqplib headers, Node's `OutgoingHttpHeaders`), always as a string. A
 * field whose name or value contains CR, LF or NUL is not written (`diag` warning), whatever
 * propagator produced it: code like express-opentracing copies every field into
 * `res.setHeader`, where such a value would split the header or throw into the application
 * (docs/security.md). A field the carrier refuses (a frozen object; a `Headers` refuses a value
 * outside Latin-1 or a name that is not an HTTP token) is left out and the others are still
 * written, so one baggage item cannot cost the trace context; `diag` says so once per reason.
 */
export const textMapSetter: TextMapSetter<TextMapCarrier> = {
  set(carrier, key, value) {
    setCalls++;
    if (!isCleanName(key) || breaksHeader(value)) {
      warnOnce('carrier.inject.crlf', `inject: did not write the field ${JSON.stringify(key)}: CR, LF or NUL in its name or value`);
      return;
    }
    writeField(carrier, key, value);
  },
};

/**
 * How many times `textMapSetter.set` was called since the process started: an inject through it
 * that leaves this unchanged wrote nothing (no propagator field at all), which `TracerShim`
 * checks for without walking the carrier. A count, not a flag, so nested or concurrent injects
 * cannot reset each other's.
 */
let setCalls = 0;

/** `textMapSetter`'s calls so far (see `setCalls`). */
export function textMapSetterCalls(): number {
  return setCalls;
}

/**
 * `textMapSetter` without its CR, LF and NUL check, for a writer that never produces such a name
 * or value (the Jaeger carrier writer: hex ids, header names it checked, values it checked or
 * URL-encoded), so that it is not scanned twice. Same carriers, and a field the carrier refuses
 * is left out the same way (`diag` once per reason).
 */
export const cleanFieldSetter: TextMapSetter<TextMapCarrier> = {
  set: writeField,
};

function writeField(carrier: TextMapCarrier, key: string, value: string): void {
  try {
    if (kindOf(carrier) === 'object') carrier[key] = value;
    else (carrier as unknown as Map<string, unknown>).set(key, value);
  } catch (error) {
    const message = `inject: the carrier refused a field, which was left out: ${describeError(error)}`;
    warnOnce(message, message);
  }
}

/**
 * Field names already found free of CR, LF and NUL. Propagators write the same few names on
 * every inject (`traceparent`, `baggage`), so each is scanned once; a set lookup of a constant
 * name measured 14 ns against 35 ns for the scan on Node 20. At most `MAX_CLEAN_NAMES` names, so
 * that a propagator making names from data cannot grow it without end.
 */
const cleanNames = new Set<string>();
const MAX_CLEAN_NAMES = 256;

function isCleanName(name: string): boolean {
  if (cleanNames.has(name)) return true;
  if (breaksHeader(name)) return false;
  if (cleanNames.size < MAX_CLEAN_NAMES) cleanNames.add(name);
  return true;
}

/**
 * Reads propagation fields from a carrier without trusting it:
 * - of an object, only own properties count, so `constructor` or `__proto__` never read a
 *   prototype's value; a `Map` is read with `get`, a `Headers` with `get` (which joins repeated
 *   headers with `, `, as fetch does);
 * - a name is matched exactly first, then case-insensitively, because HTTP header names are
 *   case-insensitive and hand-built carriers (`{ Traceparent: ... }`) exist;
 * - a string passes, a number becomes its decimal string, a `Buffer` or other `Uint8Array`
 *   (kafkajs, amqplib) is read as UTF-8, an array (Node's repeated headers, kafkajs' repeated
 *   keys) keeps its string and byte elements; anything else reads as absent;
 * - a value over `MAX_HEADER_VALUE_BYTES` (8 KiB of UTF-8; an array's elements together) reads
 *   as absent, with a `diag` warning, so no propagator parses an attacker's megabyte; bytes are
 *   counted before they are decoded.
 *
 * This getter keeps nothing between calls, so each case-insensitive lookup walks the carrier's
 * keys; an extract should use `carrierGetter()`, which walks them at most once.
 */
export const textMapGetter: TextMapGetter<TextMapCarrier> = {
  keys(carrier) {
    return listKeys(carrier);
  },
  get(carrier, key) {
    return readField(carrier, key, undefined);
  },
};

/**
 * A getter for one extract: the same reading as `textMapGetter`, but the first lookup that is
 * not an exact match indexes the carrier's keys by their lower case, once, so an extract costs
 * one walk over the carrier however many absent fields the propagators ask for (with 2,000
 * headers, each absent field cost a walk of all of them: docs/security.md). Use it for one
 * carrier and drop it: the index is not refreshed if the carrier changes.
 */
export function carrierGetter(): TextMapGetter<TextMapCarrier> {
  return new CarrierGetter();
}

/** `carrierGetter`'s getter: one object per extract, which is also the key index. */
class CarrierGetter implements TextMapGetter<TextMapCarrier>, KeyIndex {
  carrier: object | undefined = undefined;
  names: Map<string, string> | undefined = undefined;
  list: string[] | undefined = undefined;

  keys(carrier: TextMapCarrier): string[] {
    return listKeys(carrier);
  }

  get(carrier: TextMapCarrier, key: string): string | string[] | undefined {
    return readField(carrier, key, this);
  }
}

/** The carrier a getter has indexed, and its names by their lower case, or its few names (`SMALL_CARRIER`). */
interface KeyIndex {
  carrier: object | undefined;
  names: Map<string, string> | undefined;
  list: string[] | undefined;
}

function listKeys(carrier: TextMapCarrier): string[] {
  const kind = kindOf(carrier);
  if (kind === 'object') return Object.keys(carrier);
  const keys: string[] = [];
  for (const key of (carrier as unknown as Map<unknown, unknown>).keys()) if (typeof key === 'string') keys.push(key);
  return keys;
}

function readField(carrier: TextMapCarrier, key: string, index: KeyIndex | undefined): string | string[] | undefined {
  const value = readHeaderValue(rawValue(carrier, key, index));
  if (value === OVERSIZED) {
    warnOnce('carrier.extract.oversized', `extract: ignored the carrier value of ${JSON.stringify(key)}: over ${MAX_HEADER_VALUE_BYTES} bytes`);
    return undefined;
  }
  return value;
}

function rawValue(carrier: TextMapCarrier, key: string, index: KeyIndex | undefined): unknown {
  const kind = kindOf(carrier);
  if (kind === 'headers') return (carrier as unknown as Headers).get(key) ?? undefined;
  if (kind === 'map') {
    const map = carrier as unknown as Map<unknown, unknown>;
    const exact = map.get(key);
    if (exact !== undefined) return exact;
    const name = caseInsensitiveName(carrier, kind, key, index);
    return name === undefined ? undefined : map.get(name);
  }
  if (hasOwn.call(carrier, key)) return carrier[key];
  const name = caseInsensitiveName(carrier, kind, key, index);
  return name === undefined ? undefined : carrier[name];
}

/**
 * The carrier's name that equals `key` but for case, or `undefined`: the lower-case name first,
 * then the first other spelling. Without an index each call walks the names (propagators also
 * ask for fields that are absent, such as `tracestate`); with one, the first call fills it from
 * one walk and the others look it up, so an extract walks a carrier at most once.
 */
function caseInsensitiveName(carrier: TextMapCarrier, kind: CarrierKind, key: string, index: KeyIndex | undefined): string | undefined {
  const wanted = key.toLowerCase();
  if (wanted !== key && (kind === 'map' ? (carrier as unknown as Map<unknown, unknown>).has(wanted) : hasOwn.call(carrier, wanted))) return wanted;
  if (index === undefined) {
    if (kind === 'map') {
      for (const name of (carrier as unknown as Map<unknown, unknown>).keys()) if (sameButCase(name, wanted)) return name as string;
      return undefined;
    }
    // `for...in` lists the keys without making an array for each question.
    for (const name in carrier) if (sameButCase(name, wanted) && hasOwn.call(carrier, name)) return name;
    return undefined;
  }
  if (index.carrier !== carrier) {
    index.carrier = carrier;
    index.names = undefined;
    // A plain carrier of a few names (most requests) keeps its list of names and is searched
    // for each absent field: cheaper than building a Map, and still one walk of the carrier.
    const list = kind === 'object' ? Object.keys(carrier) : undefined;
    index.list = list !== undefined && list.length <= SMALL_CARRIER ? list : undefined;
    if (index.list === undefined) {
      index.names = new Map<string, string>();
      for (const name of list ?? (carrier as unknown as Map<unknown, unknown>).keys()) if (typeof name === 'string') addName(index.names, name);
    }
  }
  if (index.list !== undefined) {
    for (const name of index.list) if (sameButCase(name, wanted)) return name;
    return undefined;
  }
  return (index.names as Map<string, string>).get(wanted);
}

/** Most names a plain carrier may have and be searched by its list of names rather than indexed in a Map. */
const SMALL_CARRIER = 16;

function sameButCase(name: unknown, wanted: string): boolean {
  return typeof name === 'string' && name.length === wanted.length && name.toLowerCase() === wanted;
}

/**
 * Indexes `name` by its lower case when that differs (a lower-case name is found by its own
 * lookup); the first of names equal but for case wins.
 */
function addName(names: Map<string, string>, name: string): void {
  const lower = name.toLowerCase();
  if (lower !== name && !names.has(lower)) names.set(lower, name);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** What `readHeaderValue` returns for a value over `MAX_HEADER_VALUE_BYTES`. */
const OVERSIZED = Symbol('oversized');

function readHeaderValue(value: unknown): string | string[] | undefined | typeof OVERSIZED {
  if (typeof value === 'string') return isOversized(value) ? OVERSIZED : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (isBytes(value)) return value.byteLength > MAX_HEADER_VALUE_BYTES ? OVERSIZED : decodeUtf8(value);
  if (!Array.isArray(value)) return undefined;
  let bytes = 0;
  const strings: string[] = [];
  for (const element of value as unknown[]) {
    if (typeof element === 'string') strings.push(element);
    else if (isBytes(element)) {
      bytes += element.byteLength;
      if (bytes > MAX_HEADER_VALUE_BYTES) return OVERSIZED;
      strings.push(decodeUtf8(element));
    }
  }
  if (strings.length === 0) return undefined;
  return exceedsUtf8Bytes(strings, MAX_HEADER_VALUE_BYTES) ? OVERSIZED : strings;
}

/** A `Buffer` or other `Uint8Array`, also of another realm. */
function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]');
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 bytes as text; malformed sequences become U+FFFD, as `Buffer.toString()` does. */
function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Whether OpenTracing code passed something a text map can be read from or written to. */
export function isTextMapCarrier(carrier: unknown): carrier is TextMapCarrier {
  return (typeof carrier === 'object' && carrier !== null && !Array.isArray(carrier)) || typeof carrier === 'function';
}
