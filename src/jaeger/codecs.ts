import type { SpanContext, TextMapGetter } from '@opentelemetry/api';
import { textMapGetter, textMapSetter } from '../carrier';
import type { TextMapCarrier } from '../carrier';
import { breaksHeader, limitEntries } from '../limits';
import { describeError, warnOnce } from '../logger';
import { resolveSpanContext } from '../references';
import { EMPTY_BAGGAGE } from '../span-context-shim';
import { JAEGER_BAGGAGE_HEADER, JAEGER_BAGGAGE_HEADER_PREFIX, JAEGER_DEBUG_FLAG, JAEGER_DEBUG_ID_HEADER, JAEGER_SAMPLED_FLAG } from './constants';
import { JaegerCarrier, decodeJaegerValue, parseCommaSeparatedBaggage } from './jaeger-carrier';
import { JaegerSpanContext, REMOTE_INVALID_SPAN_CONTEXT } from './jaeger-span-context';
import { jaegerSpanContext } from './uber-trace-id';
import { BaggageItems } from './baggage-key';

/** Options of jaeger-client's `TextMapCodec` (src/propagators/text_map_codec.js). */
export interface TextMapCodecOptions {
  /** `true`: baggage values URL-encoded, as for HTTP headers. Default `false`. */
  urlEncoding?: boolean;
  /** Carrier key of the span context, default `uber-trace-id`. */
  contextKey?: string;
  /** Prefix of baggage keys, default `uberctx-`. */
  baggagePrefix?: string;
  /** jaeger-client metrics factory: accepted, not used (decoding errors go to `diag` at debug level). */
  metrics?: unknown;
}

/** Options of jaeger-client's `ZipkinB3TextMapCodec` (src/propagators/zipkin_b3_text_map_codec.js). */
export interface ZipkinB3TextMapCodecOptions {
  /** `true`: baggage values URL-encoded. Default `false`. */
  urlEncoding?: boolean;
  /** Prefix of baggage keys, default `uberctx-`. */
  baggagePrefix?: string;
  /** jaeger-client metrics factory: accepted, not used. */
  metrics?: unknown;
}

/**
 * jaeger-client's `TextMapCodec`: the Jaeger format (`uber-trace-id`, `uberctx-*` baggage,
 * `jaeger-debug-id`, `jaeger-baggage`) as a jaeger-client injector/extractor, for
 * `tracer.registerInjector(format, codec)` / `registerExtractor`, or called directly. It is the
 * `JaegerPropagator` under jaeger-client's interface: the wire rules, limits and checks are its.
 *
 * `extract` never returns null, as in jaeger-client: a carrier without a valid span context
 * gives an invalid `JaegerSpanContext` that may still carry baggage and a debug id. Neither
 * method throws.
 */
export class TextMapCodec {
  private readonly _carrier: JaegerCarrier;

  constructor(options: TextMapCodecOptions = {}) {
    const given = options ?? {};
    this._carrier = new JaegerCarrier({ urlEncoding: Boolean(given.urlEncoding), contextKey: given.contextKey, baggagePrefix: given.baggagePrefix });
  }

  /** Writes `spanContext` (a span context or span of this package, or anything with jaeger-client's ids) into `carrier`. */
  inject(spanContext: unknown, carrier: unknown): void {
    try {
      const resolved = resolveSpanContext(spanContext);
      if (resolved === undefined || typeof carrier !== 'object' || carrier === null) return;
      this._carrier.writeContext(resolved, carrier, textMapSetter);
    } catch (error) {
      warnOnce('jaeger.TextMapCodec.inject', `TextMapCodec.inject failed: ${describeError(error)}`);
    }
  }

  /** Reads a `JaegerSpanContext` from `carrier`; an empty (invalid) one when there is nothing to read. */
  extract(carrier: unknown): JaegerSpanContext {
    try {
      if (typeof carrier !== 'object' || carrier === null) return emptyContext();
      return this._carrier.readContext(carrier, textMapGetter) ?? emptyContext();
    } catch (error) {
      warnOnce('jaeger.TextMapCodec.extract', `TextMapCodec.extract failed: ${describeError(error)}`);
      return emptyContext();
    }
  }
}

const B3_TRACE_ID = 'x-b3-traceid';
const B3_SPAN_ID = 'x-b3-spanid';
const B3_PARENT_SPAN_ID = 'x-b3-parentspanid';
const B3_SAMPLED = 'x-b3-sampled';
const B3_FLAGS = 'x-b3-flags';
const HEX = /^[0-9a-f]+$/i;

/**
 * jaeger-client's `ZipkinB3TextMapCodec`: Zipkin's B3 multi-header format
 * (https://github.com/openzipkin/b3-propagation) with jaeger-client's additions, for
 * `registerInjector`/`registerExtractor` (typically FORMAT_HTTP_HEADERS).
 *
 * Inject writes `x-b3-traceid`, `x-b3-spanid`, `x-b3-parentspanid` (when there is a parent),
 * `x-b3-flags: 1` for a debug trace or else `x-b3-sampled: 1|0`, and each baggage item as
 * `<baggagePrefix><key>`. Extract reads those keys case-insensitively, plus `jaeger-debug-id`
 * and `jaeger-baggage`; `x-b3-sampled` `1`/`true` sets sampled, `x-b3-flags: 1` debug and
 * sampled. Ids that are not hex clear all three ids, keeping baggage and the debug id, as in
 * jaeger-client; the result is never null.
 *
 * Our own code rather than `@opentelemetry/propagator-b3` (an optional peer dependency): B3
 * knows neither jaeger-client's baggage headers nor `jaeger-debug-id`. Differences from
 * jaeger-client: ids are written at B3's full width (16 or 32 hex digits; jaeger-client strips
 * leading zeros, which B3 readers may refuse); an id longer than its width (32 hex digits for the
 * trace id, 16 for the others) is refused as invalid (jaeger-client's `parseInt` check accepts
 * it); baggage values and keys with CR, LF or NUL are not written; baggage limits
 * (docs/security.md) apply to what is read.
 */
export class ZipkinB3TextMapCodec {
  private readonly _urlEncoding: boolean;
  private readonly _baggagePrefix: string;

  constructor(options: ZipkinB3TextMapCodecOptions = {}) {
    const given = options ?? {};
    this._urlEncoding = Boolean(given.urlEncoding);
    const prefix: unknown = given.baggagePrefix;
    this._baggagePrefix = typeof prefix === 'string' && prefix !== '' ? prefix.toLowerCase() : JAEGER_BAGGAGE_HEADER_PREFIX;
  }

  /** Writes `spanContext` into `carrier` as B3 headers plus baggage; never throws. */
  inject(spanContext: unknown, carrier: unknown): void {
    try {
      const resolved = resolveSpanContext(spanContext);
      if (resolved === undefined || typeof carrier !== 'object' || carrier === null) return;
      const target = carrier as TextMapCarrier;
      const jaeger = resolved instanceof JaegerSpanContext ? resolved : new JaegerSpanContext(resolved.getSpanContext(), EMPTY_BAGGAGE);
      if (resolved.isValid()) {
        const { traceId, spanId } = resolved.getSpanContext();
        // A 64-bit trace id, kept by OpenTelemetry left-padded to 128 bits, is written at 64 bits.
        target[B3_TRACE_ID] = traceId.startsWith('0000000000000000') ? traceId.slice(16) : traceId;
        const parent = jaeger.getParentSpanId();
        if (parent !== undefined) target[B3_PARENT_SPAN_ID] = parent;
        target[B3_SPAN_ID] = spanId;
        if (jaeger.isDebug()) target[B3_FLAGS] = '1';
        else target[B3_SAMPLED] = jaeger.isSampled() ? '1' : '0';
      }
      for (const [key, entry] of resolved._baggageEntries()) {
        const value = this._encode(entry.value);
        if (value !== undefined) textMapSetter.set(target, `${this._baggagePrefix}${key}`, value);
      }
    } catch (error) {
      warnOnce('jaeger.ZipkinB3TextMapCodec.inject', `ZipkinB3TextMapCodec.inject failed: ${describeError(error)}`);
    }
  }

  /** Reads a `JaegerSpanContext` from B3 headers; an empty (invalid) one when there is nothing to read. */
  extract(carrier: unknown): JaegerSpanContext {
    try {
      if (typeof carrier !== 'object' || carrier === null) return emptyContext();
      return this._extract(carrier as TextMapCarrier, textMapGetter);
    } catch (error) {
      warnOnce('jaeger.ZipkinB3TextMapCodec.extract', `ZipkinB3TextMapCodec.extract failed: ${describeError(error)}`);
      return emptyContext();
    }
  }

  private _extract(carrier: TextMapCarrier, getter: TextMapGetter<TextMapCarrier>): JaegerSpanContext {
    let traceId = '';
    let spanId = '';
    let parentId = '';
    let sampled = false;
    let debug = false;
    let debugId = '';
    const items = new BaggageItems();
    for (const key of getter.keys(carrier)) {
      const raw = getter.get(carrier, key);
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (typeof value !== 'string') continue;
      const lowerKey = key.toLowerCase();
      if (lowerKey === B3_PARENT_SPAN_ID) parentId = this._decode(value);
      else if (lowerKey === B3_SPAN_ID) spanId = this._decode(value);
      else if (lowerKey === B3_TRACE_ID) traceId = this._decode(value);
      else if (lowerKey === B3_SAMPLED) sampled ||= value === '1' || value === 'true';
      // B3: "Debug is encoded as X-B3-Flags: 1"; debug implies sampled.
      else if (lowerKey === B3_FLAGS) debug ||= value === '1';
      else if (lowerKey === JAEGER_DEBUG_ID_HEADER) debugId = this._decode(value);
      else if (lowerKey === JAEGER_BAGGAGE_HEADER) parseCommaSeparatedBaggage(items, this._decode(value));
      else if (lowerKey.startsWith(this._baggagePrefix) && key.length > this._baggagePrefix.length) {
        items.add(key.substring(this._baggagePrefix.length), this._decode(value));
      }
    }
    const spanContext = b3SpanContext(traceId, spanId, parentId, sampled || debug, debug);
    const parent = spanContext === undefined || parentId === '' ? undefined : parentId.padStart(16, '0').toLowerCase();
    const extracted = new JaegerSpanContext(spanContext ?? REMOTE_INVALID_SPAN_CONTEXT, EMPTY_BAGGAGE, parent, debugId || undefined);
    return items.size === 0 ? extracted : extracted._useEntries(limitEntries(items.entries(), 'ZipkinB3TextMapCodec extract'));
  }

  private _encode(value: string): string | undefined {
    if (!this._urlEncoding) return breaksHeader(value) ? undefined : value;
    try {
      return encodeURIComponent(value);
    } catch {
      // A lone surrogate cannot be encoded; jaeger-client throws here.
      return undefined;
    }
  }

  private _decode(value: string): string {
    return this._urlEncoding ? decodeJaegerValue(value) : value;
  }
}

function emptyContext(): JaegerSpanContext {
  return new JaegerSpanContext(REMOTE_INVALID_SPAN_CONTEXT);
}

/** The remote span context of B3 ids, or `undefined` when one is missing, not hex or too long. */
function b3SpanContext(traceId: string, spanId: string, parentId: string, sampled: boolean, debug: boolean): SpanContext | undefined {
  if (!isHexId(traceId, 32) || !isHexId(spanId, 16) || (parentId !== '' && !isHexId(parentId, 16))) return undefined;
  const paddedTraceId = traceId.padStart(32, '0').toLowerCase();
  const paddedSpanId = spanId.padStart(16, '0').toLowerCase();
  if (/^0+$/.test(paddedTraceId) || /^0+$/.test(paddedSpanId)) return undefined;
  return jaegerSpanContext(paddedTraceId, paddedSpanId, (sampled ? JAEGER_SAMPLED_FLAG : 0) | (debug ? JAEGER_DEBUG_FLAG : 0));
}

function isHexId(id: string, maxLength: number): boolean {
  return id.length > 0 && id.length <= maxLength && HEX.test(id);
}
