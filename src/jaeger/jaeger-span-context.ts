import * as api from '@opentelemetry/api';
import type { Baggage, SpanContext } from '@opentelemetry/api';
import { readEntries } from '../attributes';
import { isOversized, limitEntries } from '../limits';
import { EMPTY_BAGGAGE, SpanContextShim } from '../span-context-shim';
import type { SpanContextSource } from '../span-context-shim';
import { BaggageItems } from './baggage-key';
import { JAEGER_DEBUG_TRACE_STATE_KEY, JAEGER_FIREHOSE_FLAG } from './constants';
import { formatUberTraceId, jaegerFlags, parseUberTraceId, stripLeadingZeros } from './uber-trace-id';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { INVALID_SPAN_CONTEXT, TraceFlags } = api;

/** The span context of an extracted carrier without a valid `uber-trace-id`: invalid ids, remote. */
export const REMOTE_INVALID_SPAN_CONTEXT: SpanContext = Object.freeze({ ...INVALID_SPAN_CONTEXT, isRemote: true });

/**
 * A Node `Buffer`, as jaeger-client gives ids, declared by the members ids are read with, so that
 * the declarations need no `@types/node`.
 */
export type IdBuffer = Uint8Array & { toString(encoding?: string): string; equals(other: Uint8Array): boolean };

/**
 * What a Jaeger carrier writer wrote for a span context, kept on the context because it never
 * changes: the writer, and the field names and values in the order they were set.
 * @internal see `INJECTED_FIELDS`
 */
export interface InjectedFields {
  readonly writer: object;
  /** Name, value, name, value, ... */
  readonly fields: readonly string[];
}

/**
 * @internal The fields `JaegerCarrier.writeContext` wrote for this context, so that injecting the
 * same context again (one span, several outgoing requests) sets them without encoding its
 * baggage again. Under a symbol this package does not export, as the core's caches
 * (`INJECTION_CONTEXT` in span-context-shim.ts): no part of the API.
 */
export const INJECTED_FIELDS: unique symbol = Symbol('opentracing-otel-shim jaeger injected fields');

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
  /** @internal see `INJECTED_FIELDS`. */
  [INJECTED_FIELDS]: InjectedFields | undefined;

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
    this[INJECTED_FIELDS] = undefined;
  }

  /** @internal used by JaegerSpan: ids read from the span on first use. */
  static _forSpan(source: SpanContextSource, baggage: Baggage, parentSpanId: string | undefined): JaegerSpanContext {
    const context = JaegerSpanContext._fromSource(source, baggage) as JaegerSpanContext;
    context._parentSpanId = parentSpanId;
    return context;
  }

  /**
   * jaeger-client's `SpanContext.fromString`: the span context an `uber-trace-id` value
   * (`{trace-id}:{span-id}:{parent-span-id}:{flags}`) describes, read by the one `uber-trace-id`
   * codec (`parseUberTraceId`, the rules of `JaegerPropagator`), or `null` when it is not one: also
   * for a value that is not a string, or is over `MAX_HEADER_VALUE_BYTES`, as extract would ignore
   * it. Never throws.
   */
  static fromString(serialized: string): JaegerSpanContext | null {
    const text = typeof serialized === 'number' || typeof serialized === 'bigint' ? String(serialized) : serialized;
    if (typeof text !== 'string' || isOversized(text)) return null;
    const received = parseUberTraceId(text);
    return received === undefined ? null : new JaegerSpanContext(received.spanContext, EMPTY_BAGGAGE, received.parentSpanId);
  }

  /**
   * jaeger-client's `SpanContext.withStringIds(traceIdStr, spanIdStr, parentIdStr, flags,
   * baggage, debugId)`: hex ids (leading zeros optional), Jaeger flags, a plain-object baggage.
   * Ids that do not make a valid context give an invalid one that keeps the baggage and debug id.
   */
  static withStringIds(
    traceIdStr: string,
    spanIdStr: string,
    parentIdStr: string | null | undefined,
    flags: number,
    baggage: Record<string, string> = {},
    debugId = '',
  ): JaegerSpanContext {
    const parsed = JaegerSpanContext.fromString(`${traceIdStr}:${spanIdStr}:${parentIdStr || '0'}:${(Number(flags) || 0).toString(16)}`);
    const context = new JaegerSpanContext(parsed?.getSpanContext() ?? INVALID_SPAN_CONTEXT, EMPTY_BAGGAGE, parsed?._parentSpanId, debugId || undefined);
    const items = new BaggageItems();
    if (typeof baggage === 'object' && baggage !== null) {
      for (const [key, value] of readEntries(baggage, 'withStringIds baggage')) if (typeof value === 'string') items.add(key, value);
    }
    return items.size === 0 ? context : context._useEntries(limitEntries(items.entries(), 'withStringIds'));
  }

  /**
   * jaeger-client's `SpanContext.withBinaryIds(traceId, spanId, parentId, flags, baggage,
   * debugId)`: the ids as Buffers (8 or 16 bytes; `parentId` null for a root), otherwise as
   * `withStringIds`. What is not a Buffer (or another Uint8Array) counts as a missing id.
   */
  static withBinaryIds(
    traceId: Uint8Array | null,
    spanId: Uint8Array | null,
    parentId: Uint8Array | null,
    flags: number,
    baggage: Record<string, string> = {},
    debugId = '',
  ): JaegerSpanContext {
    const hex = (id: unknown): string => (id instanceof Uint8Array ? Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex') : '');
    return JaegerSpanContext.withStringIds(hex(traceId), hex(spanId), hex(parentId) || null, flags, baggage, debugId);
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

  /** Whether the context came from a carrier (jaeger-client `isRemote()`). */
  isRemote(): boolean {
    return this.getSpanContext().isRemote === true;
  }

  /**
   * Whether the context has no trace but a `jaeger-debug-id` (jaeger-client
   * `isDebugIDContainerOnly()`): what a carrier with only that header extracts to.
   */
  isDebugIDContainerOnly(): boolean {
    return !this.isValid() && Boolean(this._debugId);
  }

  /** Whether the firehose flag (0x8) is set (jaeger-client `isFirehose()`). */
  isFirehose(): boolean {
    return (this.flags & JAEGER_FIREHOSE_FLAG) !== 0;
  }

  /**
   * The trace id as jaeger-client's Buffer: 8 bytes when it fits 64 bits, else 16 (jaeger-client
   * pads `traceIdStr` to 16 or 32 hex digits). `null` for an invalid context. A new Buffer on
   * each read: this context cannot be changed through it (jaeger-client returns its own).
   */
  get traceId(): IdBuffer | null {
    if (!this.isValid()) return null;
    const hex = this.traceIdStr;
    return Buffer.from(hex.padStart(hex.length > 16 ? 32 : 16, '0'), 'hex');
  }

  /** The span id as jaeger-client's 8-byte Buffer; `null` for an invalid context. A new Buffer on each read. */
  get spanId(): IdBuffer | null {
    return this.isValid() ? Buffer.from(this.getSpanContext().spanId, 'hex') : null;
  }

  /** The parent span id as jaeger-client's 8-byte Buffer; `null` for a root, as jaeger-client. */
  get parentId(): IdBuffer | null {
    return this._parentSpanId === undefined ? null : Buffer.from(this._parentSpanId, 'hex');
  }

  /** `{trace-id}:{span-id}:{parent-span-id}:{flags}`, as jaeger-client's `toString()`. */
  override toString(): string {
    // Made once, as jaeger-client keeps its id strings: the context never changes.
    this._traceHeader ??= formatUberTraceId(this.getSpanContext(), this._parentSpanId);
    return this._traceHeader;
  }
}
