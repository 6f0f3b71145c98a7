import { TraceFlags } from '@opentelemetry/api';
import type { Baggage, SpanContext } from '@opentelemetry/api';
import { EMPTY_BAGGAGE, SpanContextShim } from '../span-context-shim';
import type { SpanContextSource } from '../span-context-shim';
import { JAEGER_DEBUG_TRACE_STATE_KEY } from './constants';
import { formatTraceHeader, jaegerFlags, stripLeadingZeros } from './jaeger-propagator';

/**
 * The span context of a `JaegerTracer`: a `SpanContextShim` that also answers the questions
 * jaeger-client's SpanContext answers (src/span_context.js), so code and custom injectors
 * written for jaeger-client (its ZipkinB3TextMapCodec, say) keep working: `isSampled()`,
 * `isDebug()`, `traceIdStr`/`spanIdStr`/`parentIdStr` (hex without leading zeros, as
 * jaeger-client writes them), `flags`, `baggage` (a plain object), `debugId`, and `toString()`
 * in the `uber-trace-id` form.
 *
 * The Jaeger debug flag is the span context's trace state entry `jaeger-debug=1` (OpenTelemetry
 * has no debug bit; see constants.ts).
 */
export class JaegerSpanContext extends SpanContextShim {
  private _parentSpanId: string | undefined;
  private _debugId: string | undefined;
  private _traceHeader: string | undefined;

  /**
   * @param spanContext the OpenTelemetry span context.
   * @param baggage its baggage.
   * @param parentSpanId the parent span's 16-hex id; none for a root or an unknown parent.
   * @param debugId a `jaeger-debug-id` correlation id that came with an extracted carrier.
   */
  constructor(spanContext: SpanContext, baggage: Baggage = EMPTY_BAGGAGE, parentSpanId?: string, debugId?: string) {
    super(spanContext, baggage);
    this._parentSpanId = parentSpanId;
    this._debugId = debugId;
    this._traceHeader = undefined;
  }

  /** @internal used by JaegerSpan: ids read from the span on first use. */
  static _forSpan(source: SpanContextSource, baggage: Baggage, parentSpanId: string | undefined): JaegerSpanContext {
    const context = JaegerSpanContext._fromSource(source, baggage) as JaegerSpanContext;
    context._parentSpanId = parentSpanId;
    return context;
  }

  /** Whether the trace is sampled (trace flag 0x1). */
  isSampled(): boolean {
    return (this.getSpanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
  }

  /** Whether the trace is a Jaeger debug trace (`jaeger-debug=1` in the trace state). */
  isDebug(): boolean {
    return this.getSpanContext().traceState?.get(JAEGER_DEBUG_TRACE_STATE_KEY) === '1';
  }

  /**
   * Jaeger flags: 0x1 sampled, 0x2 debug, 0x8 firehose (`jaeger-firehose=1` in the trace state),
   * and any other bit received (`jaeger-flags` in the trace state), as jaeger-client keeps them.
   */
  get flags(): number {
    return jaegerFlags(this.getSpanContext());
  }

  /** Trace id, lower-case hex without leading zeros (`0` for an invalid context). */
  get traceIdStr(): string {
    return stripLeadingZeros(this.getSpanContext().traceId);
  }

  /** Span id, lower-case hex without leading zeros. */
  get spanIdStr(): string {
    return stripLeadingZeros(this.getSpanContext().spanId);
  }

  /** Parent span id without leading zeros, or `undefined` for a root (jaeger-client: null). */
  get parentIdStr(): string | undefined {
    return this._parentSpanId === undefined ? undefined : stripLeadingZeros(this._parentSpanId);
  }

  /** The parent span id as 16 hex characters, or `undefined`. */
  getParentSpanId(): string | undefined {
    return this._parentSpanId;
  }

  /** `jaeger-debug-id` received with an extracted carrier, or `undefined`. */
  get debugId(): string | undefined {
    return this._debugId;
  }

  /** Baggage as a plain object (a copy; jaeger-client exposes its own object). */
  get baggage(): Record<string, string> {
    const items: Record<string, string> = Object.create(null);
    for (const [key, entry] of this._baggageEntries()) items[key] = entry.value;
    return items;
  }

  /** `{trace-id}:{span-id}:{parent-span-id}:{flags}`, as jaeger-client's `toString()`. */
  override toString(): string {
    // Made once, as jaeger-client keeps its id strings: the context never changes.
    this._traceHeader ??= formatTraceHeader(this.getSpanContext(), this._parentSpanId);
    return this._traceHeader;
  }
}
