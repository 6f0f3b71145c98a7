import * as api from '@opentelemetry/api';
import type { Baggage, BaggageEntry, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { createSizedBaggage, limitEntries } from '../limits';
import { describeError, warnOnce } from '../logger';
import type { BaggageEntries } from '../span-context-shim';
import { normalizeBaggageKey } from './baggage-key';
import { JAEGER_DEBUG_ID_KEY } from './constants';
import { JaegerCarrier } from './jaeger-carrier';
import type { JaegerPropagatorOptions } from './jaeger-propagator-options';
import { getJaegerParentSpanId, setJaegerParentSpanId } from './parent-span-id';
import { formatUberTraceId } from './uber-trace-id';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { isSpanContextValid, propagation, trace } = api;

export type { JaegerPropagatorOptions } from './jaeger-propagator-options';

/**
 * The carrier reader and writer of each JaegerPropagator, for `JaegerTracer`, which writes and
 * reads span contexts with it directly when the propagator's `inject` and `extract` are this
 * class's own: module-private, so that it is no member of the published class.
 */
const carriers = new WeakMap<JaegerPropagator, JaegerCarrier>();

/**
 * The `JaegerCarrier` that `propagator` reads and writes with, when `propagator` is a
 * `JaegerPropagator` (a subclass too) whose `inject` and `extract` are this class's own, so
 * that calling the carrier directly behaves exactly as calling the propagator; else `undefined`.
 * @internal used by JaegerTracer
 */
export function directJaegerCarrier(propagator: unknown): JaegerCarrier | undefined {
  if (!(propagator instanceof JaegerPropagator)) return undefined;
  if (propagator.inject !== JaegerPropagator.prototype.inject || propagator.extract !== JaegerPropagator.prototype.extract) return undefined;
  return carriers.get(propagator);
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
 * and under context keys, see `constants.ts`. The value is parsed and written by
 * `uber-trace-id.ts`, the carrier by `jaeger-carrier.ts`, for every Jaeger path of the package.
 * `@opentelemetry/propagator-jaeger` is not used because its wire output differs.
 */
export class JaegerPropagator implements TextMapPropagator {
  private readonly _carrier: JaegerCarrier;

  constructor(options: JaegerPropagatorOptions = {}) {
    this._carrier = new JaegerCarrier(options);
    carriers.set(this, this._carrier);
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
          ? formatUberTraceId(spanContext, getJaegerParentSpanId(context, spanContext.spanId))
          : undefined;
      this._carrier.write(header, propagation.getBaggage(context)?.getAllEntries(), carrier, setter);
    } catch (error) {
      warnOnce('jaeger.propagator.inject', `jaeger inject stopped: ${describeError(error)}`);
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
   * `MAX_BAGGAGE_ITEMS`, `MAX_BAGGAGE_BYTES` (the received items, and again the merged baggage).
   * Never throws: when the getter throws, `context` is returned unchanged (or the key is skipped)
   * with a `diag` warning.
   */
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    try {
      const found = this._carrier.read(carrier, getter);
      if (found === undefined) return context;
      let result = context;
      const { received, debugId, entries } = found;
      if (received !== undefined) {
        result = trace.setSpanContext(result, received.spanContext);
        if (received.parentSpanId !== undefined) {
          result = setJaegerParentSpanId(result, received.spanContext.spanId, received.parentSpanId);
        }
      }
      if (debugId !== undefined) result = result.setValue(JAEGER_DEBUG_ID_KEY, debugId);
      if (entries !== undefined) result = propagation.setBaggage(result, mergeBaggage(propagation.getBaggage(context), entries));
      return result;
    } catch (error) {
      warnOnce('jaeger.propagator.extract', `jaeger extract failed, the carrier was ignored: ${describeError(error)}`);
      return context;
    }
  }

  /**
   * The fixed carrier key inject writes (the context key). Baggage keys depend on the baggage, so
   * they cannot be listed.
   */
  fields(): string[] {
    return [this._carrier.contextKey];
  }
}

/**
 * `existing` (what an earlier propagator, such as W3C baggage, extracted) with the received
 * `entries` added under the key rule: an item replaces the value of the entry it names, which
 * keeps its key and place (W3C `baggage` keeps the case of a key, an HTTP hop does not keep it in
 * a header name); entries of `existing` that the rule makes one are merged the same way. The
 * received entries are within the extract limits already; a union with `existing` is held to them
 * again (`limitEntries`, which drops the last entries first).
 */
function mergeBaggage(existing: Baggage | undefined, entries: BaggageEntries): Baggage {
  const before = existing?.getAllEntries();
  if (before === undefined || before.length === 0) return createSizedBaggage(entries);
  const merged = new Map<string, readonly [string, BaggageEntry]>();
  for (const list of [before, entries]) {
    for (const [key, entry] of list) {
      const id = normalizeBaggageKey(key);
      const known = merged.get(id);
      merged.set(id, [known === undefined ? key : known[0], entry]);
    }
  }
  return createSizedBaggage(limitEntries([...merged.values()], 'jaeger extract'));
}
