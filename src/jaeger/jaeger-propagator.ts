import { INVALID_SPANID, INVALID_TRACEID, TraceFlags, createTraceState, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { Baggage, BaggageEntry, Context, SpanContext, TextMapGetter, TextMapPropagator, TextMapSetter, TraceState } from '@opentelemetry/api';
import { describeValue } from '../attributes';
import { toOtelSpanId } from '../hex-ids';
import { describeError, logger } from '../logger';
import {
  JAEGER_BAGGAGE_HEADER,
  JAEGER_BAGGAGE_HEADER_PREFIX,
  JAEGER_DEBUG_FLAG,
  JAEGER_DEBUG_ID_HEADER,
  JAEGER_DEBUG_ID_KEY,
  JAEGER_DEBUG_TRACE_STATE_KEY,
  JAEGER_FIREHOSE_FLAG,
  JAEGER_FIREHOSE_TRACE_STATE_KEY,
  JAEGER_FLAGS_TRACE_STATE_KEY,
  JAEGER_PARENT_SPAN_ID_KEY,
  JAEGER_SAMPLED_FLAG,
  JAEGER_TRACE_HEADER,
} from './constants';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS, MAX_HEADER_VALUE_BYTES, breaksHeader, isOversized, limitEntries, utf8Length } from '../limits';
import type { BaggageEntries } from '../span-context-shim';
import { addBaggageItem, mayNeedNormalizing, normalizeBaggageKey } from './baggage-key';
import type { BaggageItems } from './baggage-key';

// `uber-trace-id` as jaeger-client writes it: lower-case hex trace id, span id, parent span id,
// flags. Other values are trimmed and lower-cased, then tested again.
// The field widths (at most 32, 16, 16, 2 digits) are checked after it: bounded repeats make the
// expression slower.
const TRACE_HEADER = /^[0-9a-f]+:[0-9a-f]+:[0-9a-f]+:[0-9a-f]{1,2}$/;
const ZEROS = '0'.repeat(32);
// RFC 9110 section 5.6.2 `token`: what Node's `setHeader` and fetch's `Headers` accept as a name.
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/i;
// The `{flags}` bits that have a meaning here; the others travel in `JAEGER_FLAGS_TRACE_STATE_KEY`.
const KNOWN_FLAGS = JAEGER_SAMPLED_FLAG | JAEGER_DEBUG_FLAG | JAEGER_FIREHOSE_FLAG;
const FLAGS_VALUE = /^[0-9a-f]{1,2}$/;

/** Configuration of a {@link JaegerPropagator}; the names are jaeger-client's codec options. */
export interface JaegerPropagatorOptions {
  /**
   * `true` behaves like jaeger-client's FORMAT_HTTP_HEADERS codec: baggage values are written
   * with `encodeURIComponent`, and every value read that contains `%` is URL-decoded. `false`
   * (the default) behaves like its FORMAT_TEXT_MAP codec: values are written and read as they are.
   */
  readonly urlEncoding?: boolean;
  /**
   * Carrier key of the span context; default `uber-trace-id`. Lower-cased like jaeger-client. A
   * value that is not a string, or not an HTTP header name (an RFC 9110 token: no CR, LF, space,
   * `:` and the like, which would split a header or make `setHeader` throw), is reported through
   * `diag` and replaced by the default.
   */
  readonly contextKey?: string;
  /** Prefix of baggage keys, dash included; default `uberctx-`. Lower-cased and checked as `contextKey`. */
  readonly baggagePrefix?: string;
}

/**
 * Value stored under `JAEGER_PARENT_SPAN_ID_KEY`: `parentSpanId` is the parent of the span
 * `spanId`. Both are 16 lower-case hex characters, as OpenTelemetry writes span ids.
 */
export interface JaegerParentSpanId {
  readonly spanId: string;
  readonly parentSpanId: string;
}

/**
 * Records that the span `spanId` has the parent `parentSpanId` (both hex span ids), so that
 * injecting that span writes the parent into `uber-trace-id` as jaeger-client does. The value is
 * ignored when a different span is injected from the returned context.
 */
export function setJaegerParentSpanId(context: Context, spanId: string, parentSpanId: string): Context {
  const value: JaegerParentSpanId = {
    spanId: spanId.toLowerCase(),
    parentSpanId: parentSpanId.toLowerCase(),
  };
  return context.setValue(JAEGER_PARENT_SPAN_ID_KEY, value);
}

/**
 * The parent of the span `spanId` recorded in `context` by {@link setJaegerParentSpanId} or by
 * extract, as 16 lower-case hex characters. `undefined` when none is recorded for that span, when
 * the recorded parent is `0` (a root), or when the stored value is not a hex span id.
 */
export function getJaegerParentSpanId(context: Context, spanId: string): string | undefined {
  const value = context.getValue(JAEGER_PARENT_SPAN_ID_KEY) as Partial<JaegerParentSpanId> | undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const { spanId: childId, parentSpanId } = value;
  if (typeof childId !== 'string' || childId !== spanId.toLowerCase()) return undefined;
  return toOtelSpanId(parentSpanId);
}

/**
 * OpenTelemetry propagator that reads and writes jaeger-client 3.19's text format, so that
 * services moved to OpenTelemetry keep exchanging traces with services still on jaeger-client.
 * The span context travels under `uber-trace-id` as
 * `{trace-id}:{span-id}:{parent-span-id}:{flags}`: lower-case hex ids without leading zeros (a
 * 64-bit or a 128-bit trace id), parent `0` for a root, and the flags in minimal hex with bits
 * 0x1 sampled, 0x2 debug, 0x8 firehose (`0` unsampled, `1` sampled, `3` sampled and debug);
 * other bits are kept and passed on as jaeger-client does.
 * Baggage travels as one `uberctx-{key}` entry per item, its value URL-encoded in HTTP-header
 * mode. Extract also reads `jaeger-debug-id` and the `jaeger-baggage: k1=v1, k2=v2` header.
 * Baggage keys follow `./jaeger`'s one key rule (`normalizeBaggageKey`): keys equal after it
 * are one item, so `UserId` from a W3C `baggage` header and `userid` from an `uberctx-userid`
 * header merge instead of doubling at each hop.
 *
 * The rules are those of jaeger-client's `TextMapCodec` (`src/propagators/text_map_codec.js`,
 * `src/span_context.js`); where it throws or accepts garbage this class is stricter and never
 * throws: malformed values are ignored, limits and drops are reported through `diag`.
 * OpenTelemetry has no slot for the debug and firehose flags, the other flag bits or the parent
 * span id; they live in the TraceState (`jaeger-debug=1`, `jaeger-firehose=1`, `jaeger-flags`)
 * and under context keys, see `constants.ts`. `@opentelemetry/propagator-jaeger` is not used because its wire output differs.
 */
export class JaegerPropagator implements TextMapPropagator {
  private readonly _urlEncoding: boolean;
  private readonly _contextKey: string;
  private readonly _baggagePrefix: string;
  /**
   * Carrier key of each baggage key written so far in HTTP-header mode, `undefined` when it is
   * not a valid header name: baggage keys are few and repeat on every request, so the name is
   * built and checked once. At most `MAX_CACHED_NAMES` keys.
   */
  private readonly _headerNames = new Map<string, string | undefined>();
  /** Kinds of warning already given: each is given once per propagator, not once per request. */
  private readonly _warned = new Set<string>();

  constructor(options: JaegerPropagatorOptions = {}) {
    this._urlEncoding = options?.urlEncoding === true;
    this._contextKey = carrierKeyOption('contextKey', options?.contextKey, JAEGER_TRACE_HEADER);
    this._baggagePrefix = carrierKeyOption('baggagePrefix', options?.baggagePrefix, JAEGER_BAGGAGE_HEADER_PREFIX);
  }

  /**
   * Writes the span context of `context` (when it is valid) and every baggage item. Items that
   * cannot be written safely are dropped with a `diag` warning: an empty key; in HTTP-header mode
   * a key that makes no valid header name or a value that is not well-formed UTF-16; in text-map
   * mode a key or value containing CR, LF or NUL (jaeger-client writes them raw, which lets a
   * baggage value split an HTTP header). At most `MAX_BAGGAGE_ITEMS` items and
   * `MAX_BAGGAGE_BYTES` bytes of baggage are written, counted as UTF-8 over each item's key and
   * value as written (URL-encoded in HTTP-header mode), the budget of a W3C `baggage` header:
   * items past it are dropped whole, in order, with one `diag` warning; the span context is
   * always written. Two items that are one under the key rule are written once (the first). An
   * exception from the setter ends the injection with a `diag` warning.
   */
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    try {
      const spanContext = trace.getSpanContext(context);
      const header =
        spanContext !== undefined && isSpanContextValid(spanContext)
          ? formatTraceHeader(spanContext, getJaegerParentSpanId(context, spanContext.spanId))
          : undefined;
      this._write(header, propagation.getBaggage(context)?.getAllEntries(), carrier, setter);
    } catch (error) {
      logger.warn(`jaeger inject stopped: ${describeError(error)}`);
    }
  }

  /**
   * Writes a formatted `uber-trace-id` value (none for an invalid span context) and the baggage
   * entries (`Baggage.getAllEntries()`), as `inject` does; the part `inject` shares with `JaegerTracer`, which calls it
   * without building an OpenTelemetry Context. Throws what the setter throws.
   * @internal
   */
  _write(traceHeader: string | undefined, entries: BaggageEntries | undefined, carrier: unknown, setter: TextMapSetter): void {
    if (traceHeader !== undefined) setter.set(carrier, this._contextKey, traceHeader);
    if (entries === undefined || entries.length === 0) return;
    // Only several items, one of them not spelt normalised, can be one item under the key rule.
    const written = entries.length > 1 && entries.some(([key]) => mayNeedNormalizing(key)) ? new Set<string>() : undefined;
    let items = 0;
    let bytes = 0;
    let dropped = 0;
    for (const [key, entry] of entries) {
      if (written !== undefined) {
        const id = normalizeBaggageKey(key);
        if (written.has(id)) continue;
        written.add(id);
      }
      const item = this._item(key, entry.value);
      if (item === undefined) continue;
      if (items < MAX_BAGGAGE_ITEMS && bytes + item.bytes <= MAX_BAGGAGE_BYTES) {
        setter.set(carrier, item.name, item.value);
        items++;
        bytes += item.bytes;
      } else {
        dropped++;
      }
    }
    if (dropped > 0) {
      this._warnOnce(
        'inject limits',
        `jaeger inject: dropped ${dropped} baggage items over the limits (${MAX_BAGGAGE_ITEMS} items, ${MAX_BAGGAGE_BYTES} bytes as written); further drops are not reported`,
      );
    }
  }

  /**
   * Reads the carrier into a new context: the span context (remote), the received parent span id,
   * the `jaeger-debug-id` value and the baggage, merged over the baggage `context` already has.
   * Keys are matched case-insensitively; a baggage key keeps the case of the carrier key.
   *
   * An invalid `uber-trace-id` (not four `:`-separated hex fields of at most 32/16/16/2 digits, or
   * a zero trace or span id) sets no span context, but baggage and debug id are still read, as in
   * jaeger-client. Array values count by their first element, except `jaeger-baggage`, whose
   * elements are joined with `,` as HTTP joins repeated list headers; numbers and booleans count
   * as their string. Values that fail URL-decoding are used raw. Limits: `MAX_HEADER_VALUE_BYTES`,
   * `MAX_BAGGAGE_ITEMS`, `MAX_BAGGAGE_BYTES`. Never throws: when the getter throws, `context` is
   * returned unchanged (or the key is skipped) with a `diag` warning.
   */
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    try {
      return this._extract(context, carrier, getter);
    } catch (error) {
      logger.warn(`jaeger extract failed, the carrier was ignored: ${describeError(error)}`);
      return context;
    }
  }

  /**
   * The fixed carrier key inject writes (the context key). Baggage keys depend on the baggage, so
   * they cannot be listed.
   */
  fields(): string[] {
    return [this._contextKey];
  }

  private _extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const found = this._read(carrier, getter);
    if (found === undefined) return context;
    let result = context;
    const { received, debugId, items } = found;
    if (received !== undefined) {
      result = trace.setSpanContext(result, received.spanContext);
      if (received.parentSpanId !== undefined) {
        result = setJaegerParentSpanId(result, received.spanContext.spanId, received.parentSpanId);
      }
    }
    if (debugId) result = result.setValue(JAEGER_DEBUG_ID_KEY, debugId);
    if (items !== undefined) {
      result = propagation.setBaggage(result, mergeBaggage(propagation.getBaggage(context), items));
    }
    return result;
  }

  /**
   * Reads what the carrier holds in the Jaeger format (see `extract` for the rules), or
   * `undefined` when the getter lists no keys; the part `extract` shares with `JaegerTracer`,
   * which calls it without building an OpenTelemetry Context. Baggage items are not limited
   * yet. Throws what `getter.keys` throws.
   * @internal
   */
  _read(carrier: unknown, getter: TextMapGetter): JaegerCarrierContent | undefined {
    const keys: unknown = getter.keys(carrier);
    if (!Array.isArray(keys)) {
      logger.warn('jaeger extract: the getter returned no key list, the carrier was ignored');
      return undefined;
    }
    let received: ReceivedTraceHeader | undefined;
    let debugId: string | undefined;
    let items: BaggageItems | undefined;
    for (const key of keys) {
      if (typeof key !== 'string') continue;
      // Same order of tests as jaeger-client, which matters when a custom prefix overlaps a name.
      const lowerKey = key.toLowerCase();
      if (lowerKey === this._contextKey) {
        const value = readValue(getter, carrier, key, false);
        if (value === undefined) continue;
        // As in jaeger-client, a later valid value replaces an earlier one, an invalid one not.
        const parsed = parseTraceHeader(this._decode(value));
        if (parsed !== undefined) received = parsed;
        else logger.debug(`jaeger extract: ignored a malformed ${this._contextKey} value`);
      } else if (lowerKey === JAEGER_DEBUG_ID_HEADER) {
        const value = readValue(getter, carrier, key, false);
        if (value !== undefined) debugId = this._decode(value);
      } else if (lowerKey === JAEGER_BAGGAGE_HEADER) {
        const value = readValue(getter, carrier, key, true);
        if (value !== undefined) parseCommaSeparatedBaggage((items ??= new Map()), this._decode(value));
      } else if (lowerKey.startsWith(this._baggagePrefix)) {
        const value = readValue(getter, carrier, key, false);
        const itemKey = key.substring(this._baggagePrefix.length);
        if (value !== undefined && itemKey !== '') addBaggageItem((items ??= new Map()), itemKey, this._decode(value));
      }
    }
    return { received, debugId, items: items !== undefined && items.size > 0 ? items : undefined };
  }

  private _decode(value: string): string {
    return this._urlEncoding ? decodeJaegerValue(value) : value;
  }

  /**
   * One baggage item as it is written (carrier key, value, and its size for the inject budget:
   * UTF-8 bytes of the key and the written value); `undefined`, with a warning, when it cannot be
   * written safely.
   */
  private _item(key: string, value: unknown): { name: string; value: string; bytes: number } | undefined {
    const text = toText(value);
    if (key === '' || text === undefined) {
      logger.warn('jaeger inject: dropped a baggage item with an empty key or a non-string value');
      return undefined;
    }
    if (this._urlEncoding) {
      const name = this._headerName(key);
      if (name === undefined) {
        logger.warn(`${dropped(key)}: not a valid HTTP header name`);
        return undefined;
      }
      let encoded: string;
      try {
        encoded = encodeURIComponent(text);
      } catch {
        // encodeURIComponent throws on a lone surrogate; jaeger-client lets that escape.
        logger.warn(`${dropped(key)}: its value is not valid UTF-16`);
        return undefined;
      }
      // A header name and a URL-encoded value are ASCII: one byte per character.
      return { name, value: encoded, bytes: key.length + encoded.length };
    }
    const name = this._baggagePrefix + key;
    if (breaksHeader(name) || breaksHeader(text)) {
      // Dropped rather than escaped: a text-map reader does not decode, so an escape would arrive
      // as a different value anyway, and indistinguishable from a value that contained it.
      logger.warn(`${dropped(key)}: CR, LF or NUL in key or value`);
      return undefined;
    }
    return { name, value: text, bytes: utf8Length(key) + utf8Length(text) };
  }

  private _warnOnce(kind: string, message: string): void {
    if (this._warned.has(kind)) return;
    this._warned.add(kind);
    logger.warn(message);
  }

  /** The carrier key of baggage key `key` in HTTP-header mode, or `undefined` when it is no valid header name. */
  private _headerName(key: string): string | undefined {
    const known = this._headerNames.get(key);
    if (known !== undefined || this._headerNames.has(key)) return known;
    const name = this._baggagePrefix + key;
    const valid = HTTP_TOKEN.test(name) ? name : undefined;
    if (this._headerNames.size < MAX_CACHED_NAMES) this._headerNames.set(key, valid);
    return valid;
  }
}

/** Bound of `JaegerPropagator`'s header-name cache, so that keys chosen by callers cannot grow it without end. */
const MAX_CACHED_NAMES = 256;

function dropped(key: string): string {
  return `jaeger inject: dropped baggage item ${JSON.stringify(key)}`;
}

/** What one carrier holds in the Jaeger format (`JaegerPropagator._read`). @internal */
export interface JaegerCarrierContent {
  /** The valid `uber-trace-id`, if any (the last valid one). */
  readonly received: ReceivedTraceHeader | undefined;
  /** The `jaeger-debug-id` value, decoded. */
  readonly debugId: string | undefined;
  /** Baggage items from `uberctx-*` and `jaeger-baggage`, decoded, under the key rule; `undefined` when none. */
  readonly items: BaggageItems | undefined;
}

/**
 * A carrier key option, lower-cased. jaeger-client takes `options.x || default`, so an empty
 * string also means the default; it throws for a value that is not a string (`toLowerCase`), and
 * writes any string as a header name, CR, LF and spaces included, where Node's `setHeader` throws
 * or the header splits. Here such a value is reported through `diag` and the default is used.
 */
function carrierKeyOption(name: string, value: unknown, fallback: string): string {
  if (!value) return fallback;
  if (typeof value === 'string' && HTTP_TOKEN.test(value)) return value.toLowerCase();
  const problem =
    typeof value === 'string'
      ? `must be an HTTP header name (letters, digits and !#$%&'*+-.^_\`|~), got ${JSON.stringify(value)}`
      : `must be a string, got ${describeValue(value)}`;
  logger.warn(`JaegerPropagator: ${name} ${problem}; ${JSON.stringify(fallback)} is used`);
  return fallback;
}

/** A parsed `uber-trace-id` value. @internal */
export interface ReceivedTraceHeader {
  readonly spanContext: SpanContext;
  /** 16 lower-case hex characters; `undefined` for parent `0`. */
  readonly parentSpanId: string | undefined;
}

/**
 * Parses `{trace-id}:{span-id}:{parent-span-id}:{flags}`, with white space around it ignored.
 * jaeger-client validates each field with `parseInt(x, 16)`, which accepts `abcxyz` as `abc` and
 * `-1`; here each field must be hex and fit its width, and a zero span id is refused too, as
 * OpenTelemetry cannot represent it. One anchored regular expression checks the whole value.
 */
function parseTraceHeader(value: string): ReceivedTraceHeader | undefined {
  let text = value;
  if (!TRACE_HEADER.test(text)) {
    text = value.trim().toLowerCase();
    if (!TRACE_HEADER.test(text)) return undefined;
  }
  // Four fields for certain now: slices rather than a capturing match, which costs more.
  const end1 = text.indexOf(':');
  const end2 = text.indexOf(':', end1 + 1);
  const end3 = text.indexOf(':', end2 + 1);
  if (end1 > 32 || end2 - end1 > 17 || end3 - end2 > 17) return undefined;
  const traceId = padHex(text.slice(0, end1), 32);
  const spanId = padHex(text.slice(end1 + 1, end2), 16);
  // All zeros is OpenTelemetry's invalid id; the parent may be `0`, a root.
  if (traceId === INVALID_TRACEID || spanId === INVALID_SPANID) return undefined;
  const parentSpanId = padHex(text.slice(end2 + 1, end3), 16);
  const flagsHex = text.slice(end3 + 1);

  const flags = parseInt(flagsHex, 16);
  // Debug means "record this trace"; without the sampled bit an OpenTelemetry parent-based
  // sampler would drop it, so debug implies sampled here (jaeger-client keeps `2` as is).
  const sampled = (flags & (JAEGER_DEBUG_FLAG | JAEGER_SAMPLED_FLAG)) !== 0;
  const traceState = withJaegerFlags(undefined, flags);

  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  if (traceState !== undefined) spanContext.traceState = traceState;
  return { spanContext, parentSpanId: parentSpanId === INVALID_SPANID ? undefined : parentSpanId };
}

/** A hex id left-padded with zeros to `width` digits. */
function padHex(hex: string, width: number): string {
  return hex.length === width ? hex : ZEROS.slice(0, width - hex.length) + hex;
}

/**
 * The jaeger-client `{flags}` of an OpenTelemetry span context: 0x1 from its sampled trace flag,
 * 0x2 from `jaeger-debug=1`, 0x8 from `jaeger-firehose=1` and any other bits from
 * `jaeger-flags` in its TraceState (see `constants.ts`); 0 to 0xff.
 */
export function jaegerFlags(spanContext: SpanContext): number {
  const { traceState } = spanContext;
  let flags = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 ? JAEGER_SAMPLED_FLAG : 0;
  if (traceState === undefined) return flags;
  if (traceState.get(JAEGER_DEBUG_TRACE_STATE_KEY) === '1') flags |= JAEGER_DEBUG_FLAG;
  if (traceState.get(JAEGER_FIREHOSE_TRACE_STATE_KEY) === '1') flags |= JAEGER_FIREHOSE_FLAG;
  const other = traceState.get(JAEGER_FLAGS_TRACE_STATE_KEY);
  if (other !== undefined && FLAGS_VALUE.test(other)) flags |= parseInt(other, 16) & ~KNOWN_FLAGS;
  return flags;
}

/**
 * `traceState` (none: a new one, when needed) with the bits of jaeger-client `flags` that
 * OpenTelemetry's trace flags cannot hold: debug, firehose and any bit this package gives no
 * meaning to (jaeger-client keeps every bit and passes it to children; so does the SDK with a
 * parent's TraceState). The sampled bit is the caller's to set in the trace flags. `undefined`
 * when `traceState` is `undefined` and none of these bits is set.
 */
export function withJaegerFlags(traceState: TraceState | undefined, flags: number): TraceState | undefined {
  let result = traceState;
  if ((flags & JAEGER_DEBUG_FLAG) !== 0) result = (result ?? createTraceState()).set(JAEGER_DEBUG_TRACE_STATE_KEY, '1');
  if ((flags & JAEGER_FIREHOSE_FLAG) !== 0) result = (result ?? createTraceState()).set(JAEGER_FIREHOSE_TRACE_STATE_KEY, '1');
  const other = flags & 0xff & ~KNOWN_FLAGS;
  if (other !== 0) result = (result ?? createTraceState()).set(JAEGER_FLAGS_TRACE_STATE_KEY, other.toString(16));
  return result;
}

/** Writes the span context like jaeger-client's `SpanContext.toString()`. */
export function formatTraceHeader(spanContext: SpanContext, parentSpanId: string | undefined): string {
  const flags = jaegerFlags(spanContext);
  const traceId = stripLeadingZeros(spanContext.traceId);
  const spanId = stripLeadingZeros(spanContext.spanId);
  const parent = parentSpanId === undefined ? '0' : stripLeadingZeros(parentSpanId);
  return `${traceId}:${spanId}:${parent}:${flags.toString(16)}`;
}

/** jaeger-client's `Utils.removeLeadingZeros` on a lower-cased id: keeps at least one digit. */
export function stripLeadingZeros(id: string): string {
  let start = 0;
  while (start < id.length - 1 && id.charCodeAt(start) === 0x30) start++;
  const stripped = start === 0 ? id : id.slice(start);
  return stripped.toLowerCase();
}

/**
 * jaeger-client's `parseCommaSeparatedBaggage`: pairs split on `,` and trimmed, then split on
 * `=`; a pair without exactly one `=` is dropped. Key and value are not trimmed around the `=`
 * (`a = 1` gives key `a ` and value ` 1`), as in jaeger-client. Empty keys are dropped.
 */
export function parseCommaSeparatedBaggage(items: BaggageItems, value: string): void {
  for (const pair of value.split(',')) {
    const keyValue = pair.trim().split('=');
    if (keyValue.length === 2 && keyValue[0] !== '') addBaggageItem(items, keyValue[0], keyValue[1]);
  }
}

/** Reads one carrier value as a string (see `extract` for arrays and limits), or `undefined`. */
function readValue(getter: TextMapGetter, carrier: unknown, key: string, isList: boolean): string | undefined {
  let raw: unknown;
  try {
    raw = getter.get(carrier, key);
  } catch (error) {
    logger.warn(`jaeger extract: skipped a value that could not be read: ${describeError(error)}`);
    return undefined;
  }
  let value: string | undefined;
  if (!Array.isArray(raw)) value = toText(raw);
  else if (!isList) value = toText(raw[0]);
  else
    value = raw
      .map(toText)
      .filter((element) => element !== undefined)
      .join(',');
  if (value !== undefined && isOversized(value)) {
    logger.warn(`jaeger extract: ignored a carrier value over ${MAX_HEADER_VALUE_BYTES} bytes`);
    return undefined;
  }
  return value;
}

function toText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}

/**
 * `existing` (what an earlier propagator, such as W3C baggage, extracted) with `items` added under
 * the key rule: an item replaces the value of the entry it names, which keeps its key and place
 * (W3C `baggage` keeps the case of a key, an HTTP hop does not keep it in a header name); entries
 * of `existing` that the rule makes one are merged the same way. Within the extract limits
 * (`limitEntries`, which drops the last entries first).
 */
function mergeBaggage(existing: Baggage | undefined, items: BaggageItems): Baggage {
  const merged = new Map<string, readonly [string, BaggageEntry]>();
  if (existing !== undefined) {
    for (const [key, entry] of existing.getAllEntries()) {
      const id = normalizeBaggageKey(key);
      const known = merged.get(id);
      merged.set(id, [known === undefined ? key : known[0], entry]);
    }
  }
  for (const [id, [key, value]] of items) {
    const known = merged.get(id);
    merged.set(id, [known === undefined ? key : known[0], { value }]);
  }
  // `Object.fromEntries` defines properties, so a received key like `__proto__` stays an entry.
  return propagation.createBaggage(Object.fromEntries(limitEntries([...merged.values()], 'jaeger extract')));
}

/** Received baggage items as baggage entries, in order. */
export function itemEntries(items: BaggageItems): Array<[string, BaggageEntry]> {
  const entries: Array<[string, BaggageEntry]> = [];
  for (const [key, value] of items.values()) entries.push([key, { value }]);
  return entries;
}

/**
 * A header value as jaeger-client's HTTP headers codec reads it: URL-decoded when it has a `%`,
 * the raw value when decoding fails (a bad escape such as `%EA`), never an exception
 * (jaeger-client src/propagators/text_map_codec.js `_decodeValue`).
 */
export function decodeJaegerValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
