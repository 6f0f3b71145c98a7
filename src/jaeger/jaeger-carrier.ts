import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS, MAX_HEADER_VALUE_BYTES, breaksHeader, isOversized, limitEntries, utf8Length } from '../limits';
import { describeError, logger, warnOnce } from '../logger';
import type { BaggageEntries, SpanContextShim } from '../span-context-shim';
import { EMPTY_BAGGAGE } from '../span-context-shim';
import { BaggageItems, mayNeedNormalizing, normalizeBaggageKey } from './baggage-key';
import { JAEGER_BAGGAGE_HEADER, JAEGER_DEBUG_ID_HEADER } from './constants';
import { HTTP_TOKEN, resolveJaegerOptions } from './jaeger-propagator-options';
import type { JaegerPropagatorOptions } from './jaeger-propagator-options';
import { INJECTED_FIELDS, JaegerSpanContext, REMOTE_INVALID_SPAN_CONTEXT } from './jaeger-span-context';
import { formatUberTraceId, parseUberTraceId } from './uber-trace-id';
import type { UberTraceId } from './uber-trace-id';

/** What one carrier holds in the Jaeger format (`JaegerCarrier.read`). */
export interface JaegerCarrierContent {
  /** The valid `uber-trace-id`, if any (the last valid one). */
  readonly received: UberTraceId | undefined;
  /** The `jaeger-debug-id` value, decoded; `undefined` when absent or empty. */
  readonly debugId: string | undefined;
  /**
   * Baggage items from `uberctx-*` and `jaeger-baggage`, decoded, one per item under the key rule
   * (`normalizeBaggageKey`), in order, within `MAX_BAGGAGE_ITEMS` and `MAX_BAGGAGE_BYTES`;
   * `undefined` when none.
   */
  readonly entries: BaggageEntries | undefined;
}

/**
 * The one reader and writer of jaeger-client 3.19's text format in a carrier (the rules are
 * documented on `JaegerPropagator`, which is this class under the OpenTelemetry propagator
 * interface): `uber-trace-id` through the codec of uber-trace-id.ts, `uberctx-*` baggage, and on
 * extract `jaeger-debug-id` and `jaeger-baggage`. The baggage limits of both directions are
 * applied here and nowhere else in the Jaeger paths. Every Jaeger path calls it: the propagator,
 * `JaegerTracer`'s inject and extract (without an OpenTelemetry Context in between), and
 * jaeger-client's `TextMapCodec`.
 */
export class JaegerCarrier {
  readonly urlEncoding: boolean;
  /** Carrier key of the span context, lower case. */
  readonly contextKey: string;
  /** Prefix of baggage keys, lower case. */
  readonly baggagePrefix: string;
  /**
   * Carrier key of each baggage key written so far in HTTP-header mode, `undefined` when it is
   * not a valid header name: baggage keys are few and repeat on every request, so the name is
   * built and checked once. At most `MAX_CACHED_NAMES` keys.
   */
  private readonly _headerNames = new Map<string, string | undefined>();

  constructor(options: JaegerPropagatorOptions | undefined) {
    const resolved = resolveJaegerOptions(options);
    this.urlEncoding = resolved.urlEncoding;
    this.contextKey = resolved.contextKey;
    this.baggagePrefix = resolved.baggagePrefix;
  }

  /**
   * Writes `spanContext` (its `uber-trace-id` when it is valid, with its parent id when it is a
   * `JaegerSpanContext`) and its baggage, as `write` does. A `JaegerSpanContext` keeps what was
   * written for it when nothing was dropped (`INJECTED_FIELDS`): it never changes, so injecting
   * it again sets the same fields without formatting and encoding them again, and logs nothing,
   * as the first inject did not. Throws what the setter throws.
   */
  writeContext(spanContext: SpanContextShim, carrier: unknown, setter: TextMapSetter): void {
    const jaeger = spanContext instanceof JaegerSpanContext ? spanContext : undefined;
    const known = jaeger?.[INJECTED_FIELDS];
    if (known !== undefined && known.writer === this) return setFields(known.fields, carrier, setter);
    let header: string | undefined;
    if (spanContext.isValid()) header = jaeger !== undefined ? jaeger.toString() : formatUberTraceId(spanContext.getSpanContext(), undefined);
    const { fields, repeatable } = this._fields(header, spanContext._baggageEntries());
    if (jaeger !== undefined && repeatable) jaeger[INJECTED_FIELDS] = { writer: this, fields };
    setFields(fields, carrier, setter);
  }

  /**
   * Writes a formatted `uber-trace-id` value (none for an invalid span context) and the baggage
   * entries (`Baggage.getAllEntries()`) under the inject rules of `JaegerPropagator.inject`: items
   * that cannot be written safely are dropped with a warning, items over `MAX_BAGGAGE_ITEMS` /
   * `MAX_BAGGAGE_BYTES` (as written) are dropped whole with one warning per codec, two items that
   * are one under the key rule are written once. Throws what the setter throws.
   */
  write(traceHeader: string | undefined, entries: BaggageEntries | undefined, carrier: unknown, setter: TextMapSetter): void {
    setFields(this._fields(traceHeader, entries).fields, carrier, setter);
  }

  /**
   * The fields `write` sets, in order (name, value, name, value, ...), and whether writing the
   * same again would give the same fields without a warning (nothing was dropped).
   */
  private _fields(traceHeader: string | undefined, entries: BaggageEntries | undefined): { fields: string[]; repeatable: boolean } {
    const fields: string[] = traceHeader === undefined ? [] : [this.contextKey, traceHeader];
    if (entries === undefined || entries.length === 0) return { fields, repeatable: true };
    // Only several items, one of them not spelt normalised, can be one item under the key rule.
    const written = entries.length > 1 && entries.some(([key]) => mayNeedNormalizing(key)) ? new Set<string>() : undefined;
    let items = 0;
    let bytes = 0;
    let unwritable = 0;
    let dropped = 0;
    for (const [key, entry] of entries) {
      if (written !== undefined) {
        const id = normalizeBaggageKey(key);
        if (written.has(id)) continue;
        written.add(id);
      }
      const item = this._item(key, entry.value);
      if (item === undefined) {
        unwritable++;
      } else if (items < MAX_BAGGAGE_ITEMS && bytes + item.bytes <= MAX_BAGGAGE_BYTES) {
        fields.push(item.name, item.value);
        items++;
        bytes += item.bytes;
      } else {
        dropped++;
      }
    }
    if (dropped > 0) {
      warnOnce(
        'jaeger.inject.limits',
        `jaeger inject: dropped ${dropped} baggage items over the limits (${MAX_BAGGAGE_ITEMS} items, ${MAX_BAGGAGE_BYTES} bytes as written); further drops are not reported`,
      );
    }
    return { fields, repeatable: unwritable === 0 && dropped === 0 };
  }

  /**
   * The extracted `JaegerSpanContext` of `carrier` (remote; an invalid one with the baggage or
   * debug id when there is no valid `uber-trace-id`), or null when the carrier holds nothing in
   * the Jaeger format. Throws what `getter.keys` throws.
   */
  readContext(carrier: unknown, getter: TextMapGetter): JaegerSpanContext | null {
    const found = this.read(carrier, getter);
    if (found === undefined) return null;
    const { received, debugId, entries } = found;
    if (received === undefined && entries === undefined && debugId === undefined) return null;
    const context = new JaegerSpanContext(received?.spanContext ?? REMOTE_INVALID_SPAN_CONTEXT, EMPTY_BAGGAGE, received?.parentSpanId, debugId);
    return entries === undefined ? context : context._useEntries(entries);
  }

  /**
   * Reads what the carrier holds in the Jaeger format (see `JaegerPropagator.extract` for the
   * rules), or `undefined` when the getter lists no keys. Throws what `getter.keys` throws.
   */
  read(carrier: unknown, getter: TextMapGetter): JaegerCarrierContent | undefined {
    const keys: unknown = getter.keys(carrier);
    if (!Array.isArray(keys)) {
      warnOnce('jaeger.extract.no-keys', 'jaeger extract: the getter returned no key list, the carrier was ignored');
      return undefined;
    }
    let received: UberTraceId | undefined;
    let debugId: string | undefined;
    let items: BaggageItems | undefined;
    for (const key of keys) {
      if (typeof key !== 'string') continue;
      // Same order of tests as jaeger-client, which matters when a custom prefix overlaps a name.
      const lowerKey = key.toLowerCase();
      if (lowerKey === this.contextKey) {
        const value = readValue(getter, carrier, key, false);
        if (value === undefined) continue;
        // As in jaeger-client, a later valid value replaces an earlier one, an invalid one not.
        const parsed = parseUberTraceId(this._decode(value));
        if (parsed !== undefined) received = parsed;
        else logger.debug(`jaeger extract: ignored a malformed ${this.contextKey} value`);
      } else if (lowerKey === JAEGER_DEBUG_ID_HEADER) {
        const value = readValue(getter, carrier, key, false);
        if (value !== undefined) debugId = this._decode(value);
      } else if (lowerKey === JAEGER_BAGGAGE_HEADER) {
        const value = readValue(getter, carrier, key, true);
        if (value !== undefined) parseCommaSeparatedBaggage((items ??= new BaggageItems()), this._decode(value));
      } else if (lowerKey.startsWith(this.baggagePrefix)) {
        const value = readValue(getter, carrier, key, false);
        const itemKey = key.substring(this.baggagePrefix.length);
        if (value !== undefined && itemKey !== '') (items ??= new BaggageItems()).add(itemKey, this._decode(value));
      }
    }
    const entries = items === undefined || items.size === 0 ? undefined : limitEntries(items.entries(), 'jaeger extract');
    return { received, debugId: debugId || undefined, entries };
  }

  private _decode(value: string): string {
    return this.urlEncoding ? decodeJaegerValue(value) : value;
  }

  /**
   * One baggage item as it is written (carrier key, value, and its size for the inject budget:
   * UTF-8 bytes of the key and the written value); `undefined`, with a warning, when it cannot be
   * written safely.
   */
  private _item(key: string, value: unknown): { name: string; value: string; bytes: number } | undefined {
    const text = toText(value);
    if (key === '' || text === undefined) {
      warnOnce('jaeger.inject.bad-item', 'jaeger inject: dropped a baggage item with an empty key or a non-string value');
      return undefined;
    }
    if (this.urlEncoding) {
      const name = this._headerName(key);
      if (name === undefined) {
        warnOnce('jaeger.inject.header-name', `${dropped(key)}: not a valid HTTP header name`);
        return undefined;
      }
      let encoded: string;
      try {
        encoded = encodeURIComponent(text);
      } catch {
        // encodeURIComponent throws on a lone surrogate; jaeger-client lets that escape.
        warnOnce('jaeger.inject.utf16', `${dropped(key)}: its value is not valid UTF-16`);
        return undefined;
      }
      // A header name and a URL-encoded value are ASCII: one byte per character.
      return { name, value: encoded, bytes: key.length + encoded.length };
    }
    const name = this.baggagePrefix + key;
    if (breaksHeader(name) || breaksHeader(text)) {
      // Dropped rather than escaped: a text-map reader does not decode, so an escape would arrive
      // as a different value anyway, and indistinguishable from a value that contained it.
      warnOnce('jaeger.inject.crlf', `${dropped(key)}: CR, LF or NUL in key or value`);
      return undefined;
    }
    return { name, value: text, bytes: utf8Length(key) + utf8Length(text) };
  }

  /** The carrier key of baggage key `key` in HTTP-header mode, or `undefined` when it is no valid header name. */
  private _headerName(key: string): string | undefined {
    const known = this._headerNames.get(key);
    if (known !== undefined || this._headerNames.has(key)) return known;
    const name = this.baggagePrefix + key;
    const valid = HTTP_TOKEN.test(name) ? name : undefined;
    if (this._headerNames.size < MAX_CACHED_NAMES) this._headerNames.set(key, valid);
    return valid;
  }
}

/** Sets each field of `fields` (name, value, name, value, ...), in order. Throws what the setter throws. */
function setFields(fields: readonly string[], carrier: unknown, setter: TextMapSetter): void {
  for (let i = 0; i < fields.length; i += 2) setter.set(carrier, fields[i], fields[i + 1]);
}

/** Bound of `JaegerCarrier`'s header-name cache, so that keys chosen by callers cannot grow it without end. */
const MAX_CACHED_NAMES = 256;

function dropped(key: string): string {
  return `jaeger inject: dropped baggage item ${JSON.stringify(key)}`;
}

/**
 * jaeger-client's `parseCommaSeparatedBaggage`: pairs split on `,` and trimmed, then split on
 * `=`; a pair without exactly one `=` is dropped. Key and value are not trimmed around the `=`
 * (`a = 1` gives key `a ` and value ` 1`), as in jaeger-client. Empty keys are dropped.
 */
export function parseCommaSeparatedBaggage(items: BaggageItems, value: string): void {
  for (const pair of value.split(',')) {
    const keyValue = pair.trim().split('=');
    if (keyValue.length === 2 && keyValue[0] !== '') items.add(keyValue[0], keyValue[1]);
  }
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

/**
 * Reads one carrier value as a string, or `undefined`: array values count by their first
 * element, except a list header (`isList`), whose elements are joined with `,`; numbers and
 * booleans count as their string; a value over `MAX_HEADER_VALUE_BYTES` is ignored with a
 * warning, and so is a getter that throws.
 */
function readValue(getter: TextMapGetter, carrier: unknown, key: string, isList: boolean): string | undefined {
  let raw: unknown;
  try {
    raw = getter.get(carrier, key);
  } catch (error) {
    warnOnce('jaeger.extract.unreadable', `jaeger extract: skipped a value that could not be read: ${describeError(error)}`);
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
    warnOnce('jaeger.extract.oversized', `jaeger extract: ignored a carrier value over ${MAX_HEADER_VALUE_BYTES} bytes`);
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
