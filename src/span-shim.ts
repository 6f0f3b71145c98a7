import * as api from '@opentelemetry/api';
import type { Baggage, Context, HrTime, Span, SpanContext } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { describeValue, forEachEntry, toAttributeValue } from './attributes';
import { TAG_SPAN_KIND } from './constants';
import { toLogEvent } from './events';
import { describeError, reportSpanFailure, warnOnce } from './logger';
import { MAX_PENDING_EVENTS, PendingSpan } from './pending-span';
import { isOtelSpanContext } from './references';
import { CREATION_CONTEXT, EMPTY_BAGGAGE, SpanContextShim } from './span-context-shim';
import type { SpanContextSource } from './span-context-shim';
import { toTagEffect } from './tags';
import { elapsedSince, millisToHrTime, readEpochMillis } from './time';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { INVALID_SPAN_CONTEXT, SpanStatusCode, trace } = api;

/**
 * Where a span is in its life: `pending` until its OpenTelemetry span is created (spans started
 * by `TracerShim`; the data lives in a `PendingSpan`), `live` while the OpenTelemetry span exists
 * (a wrapped span starts here), `unrecorded` when the OpenTelemetry span the shim created does not
 * record (its trace is not sampled: nothing later can be recorded, so tags, logs and the end time
 * are not translated), `finished` after `finish()`, when the OpenTelemetry span is let go.
 */
type SpanState = 'pending' | 'live' | 'unrecorded' | 'finished';

/**
 * An OpenTracing Span backed by an OpenTelemetry Span; the OpenTracing API's hooks (`_addTags`,
 * `_log`, `_finish`, ...) translate each call (rules: OpenTelemetry specification,
 * compatibility/opentracing.md; the full table is docs/mapping.md; tags: `toTagEffect`, logs:
 * `toLogEvent`).
 *
 * The OpenTelemetry span is created on first use rather than at `startSpan`, so that a
 * `span.kind` tag set after start (express-opentracing does this) still becomes the SpanKind,
 * which OpenTelemetry fixes at creation; this needs no SDK internals. Until then tags are kept
 * as start attributes (samplers see them) and logs are kept with their times. First use is: a
 * child span or link to it, `inject`, reading its ids (`context().toTraceId()`...), `getSpan()`,
 * activation (`withSpan`), `finish()`, or the 129th buffered log or distinct tag
 * (`MAX_PENDING_EVENTS`, `MAX_PENDING_ATTRIBUTES`: the buffer is bounded, and the SDK's span
 * limits then apply); the OpenTelemetry span then starts with the original start time. After
 * that, `span.kind` stays an attribute and `diag` says why. Under a valid parent that is not
 * sampled the span is created at start (`PendingSpan.createAtStart`, docs/mapping.md).
 *
 * Every call after `finish()` is ignored, silently: instrumentation such as express-opentracing
 * finishes twice. No call throws into the caller; failures are reported through `diag`.
 */
export class SpanShim extends opentracing.Span {
  private readonly _tracerShim: opentracing.Tracer;
  private _state: SpanState;
  /** What the OpenTelemetry span will be created with; only while `pending`. */
  private _pending: PendingSpan | undefined;
  /** The OpenTelemetry span; only while `live`, so that a kept finished shim does not keep its data. */
  private _span: Span | undefined;
  /** The OpenTelemetry span's context once the span exists (also for a wrapped span); kept after finish. */
  private _spanContext: SpanContext | undefined;
  private _baggage: Baggage;
  private _contextShim: SpanContextShim | undefined;
  /** OpenTracing's `error` tag: the last write wins, so the status is decided at finish. */
  private _status: api.SpanStatusCode;
  private _errorMessage: string | undefined;
  /** Start time, ms since the epoch; 0 for a wrapped span. */
  private _startMillis: number;
  /** `performance.now()` at start; NaN for a wrapped span or a start time the caller gave. */
  private _startPerformance: number;
  /**
   * The Context the OpenTelemetry span was created in, while it can be a child's (see
   * `CREATION_CONTEXT`): only for a span started with the root Context active, and only until
   * its baggage changes.
   */
  private _creationContext: Context | undefined;

  /**
   * Wraps an OpenTelemetry span that already exists (as `@opentelemetry/shim-opentracing`'s
   * SpanShim does). `TracerShim.startSpan` is the usual way to get a SpanShim.
   *
   * @param tracerShim the OpenTracing tracer that `span.tracer()` returns.
   * @param span the OpenTelemetry span; the shim ends it on `finish()`.
   * @param baggage the span's OpenTelemetry Baggage; none means empty.
   */
  constructor(tracerShim: opentracing.Tracer, span: Span, baggage?: Baggage);
  /** @internal a span whose OpenTelemetry span is created on first use: `_startDeferred`. */
  constructor(tracerShim: opentracing.Tracer, pending: PendingSpan, baggage: Baggage);
  constructor(tracerShim: opentracing.Tracer, span: Span | PendingSpan, baggage: Baggage = EMPTY_BAGGAGE) {
    super();
    this._tracerShim = tracerShim;
    this._baggage = baggage;
    this._contextShim = undefined;
    this._status = SpanStatusCode.UNSET;
    this._errorMessage = undefined;
    this._creationContext = undefined;
    if (span instanceof PendingSpan) {
      this._state = 'pending';
      this._pending = span;
      this._span = undefined;
      this._spanContext = undefined;
      this._startMillis = span.startMillis;
      this._startPerformance = span.startPerformance;
    } else {
      this._state = 'live';
      this._pending = undefined;
      this._span = span;
      this._spanContext = spanContextOf(span);
      this._startMillis = 0;
      this._startPerformance = NaN;
    }
  }

  /**
   * A span whose OpenTelemetry span is created on first use (see the class comment).
   * @internal used by TracerShim
   */
  static _startDeferred(tracerShim: opentracing.Tracer, start: PendingSpan, tags: unknown): SpanShim {
    const shim = new this(tracerShim, start, start.baggage);
    if (tags !== undefined && tags !== null) shim._addTags(tags as Record<string, unknown>);
    if (start.createAtStart) shim.getSpan();
    return shim;
  }

  /**
   * The OpenTelemetry span behind this shim, created now if it was not yet (which fixes its
   * SpanKind). After `finish()` a non-recording span with the same span context, because the
   * shim lets go of the finished span.
   */
  getSpan(): Span {
    switch (this._state) {
      case 'live':
      case 'unrecorded':
        return this._span as Span;
      case 'pending':
        return this._createSpan();
      default:
        return trace.wrapSpanContext(this._spanContext as SpanContext);
    }
  }

  /** @internal SpanContextSource for this span's context shims. */
  _otelSpanContext(): SpanContext {
    if (this._spanContext === undefined) this._createSpan();
    return this._spanContext as SpanContext;
  }

  /** @internal OpenTracing hook. */
  protected override _context(): SpanContextShim {
    if (this._contextShim === undefined) {
      this._contextShim = this._newContextShim(this._spanContext, this._baggage);
      this._contextShim[CREATION_CONTEXT] = this._creationContext;
    }
    return this._contextShim;
  }

  /**
   * Makes this span's context shim: with the OpenTelemetry span context when the span exists,
   * else one that reads it from the span on first use. Subclasses return their own shim class.
   * @internal
   */
  protected _newContextShim(spanContext: SpanContext | undefined, baggage: Baggage): SpanContextShim {
    return spanContext !== undefined ? new SpanContextShim(spanContext, baggage) : SpanContextShim._fromSource(this as SpanContextSource, baggage);
  }

  /** @internal OpenTracing hook. */
  protected override _tracer(): opentracing.Tracer {
    return this._tracerShim;
  }

  /** @internal OpenTracing hook. */
  protected override _setOperationName(name: string): void {
    if (this._state === 'finished') return;
    const text = typeof name === 'string' ? name : String(toAttributeValue(name));
    if (this._state === 'pending') (this._pending as PendingSpan).name = text;
    else {
      try {
        (this._span as Span).updateName(text);
      } catch (error) {
        reportSpanFailure('updateName', error);
      }
    }
  }

  /** @internal OpenTracing hook. */
  protected override _setBaggageItem(key: string, value: string): void {
    if (this._state === 'finished') return;
    if (typeof key !== 'string' || key === '' || value === undefined || value === null) {
      warnOnce('span.setBaggageItem.bad-item', 'setBaggageItem needs a non-empty string key and a value; ignored');
      return;
    }
    this._baggage = this._baggage.setEntry(key, { value: typeof value === 'string' ? value : String(toAttributeValue(value)) });
    // Context shims are immutable: the next context() call makes one with the new baggage, which
    // the creation Context no longer holds.
    this._contextShim = undefined;
    this._creationContext = undefined;
  }

  /** @internal OpenTracing hook. */
  protected override _getBaggageItem(key: string): string | undefined {
    return this._baggage.getEntry(key)?.value;
  }

  /** @internal OpenTracing hook. */
  protected override _addTags(tags: { [key: string]: unknown }): void {
    if (!this._records()) return;
    if (typeof tags !== 'object' || tags === null) {
      warnOnce('span.addTags.not-object', `addTags expects an object, got ${typeof tags}; ignored`);
      return;
    }
    forEachEntry(tags, 'tags', setTagOf, this);
  }

  /** @internal OpenTracing hook. */
  protected override _log(fields: { [key: string]: unknown }, timestamp?: number): void {
    if (!this._records()) return;
    const event = toLogEvent(fields);
    if (event.exceptionMessage !== undefined) this._errorMessage = event.exceptionMessage;
    const time = timestamp === undefined ? this._now() : this._readTime(timestamp, 'log');
    if (this._state === 'pending' && (this._pending as PendingSpan).addEvent(event.name, event.attributes, time as HrTime)) return;
    try {
      this.getSpan().addEvent(event.name, event.attributes, time);
    } catch (error) {
      reportSpanFailure('addEvent', error);
    }
  }

  /** @internal OpenTracing hook. */
  protected override _finish(finishTime?: number): void {
    if (this._state === 'finished') return;
    const recording = this._state !== 'unrecorded';
    // A span not recording is ended all the same, without a time that it would not keep.
    const time = !recording ? undefined : finishTime === undefined ? this._now() : this._readTime(finishTime, 'finish');
    // Created here, nothing can follow: no need to ask whether it records.
    const span = this._state === 'pending' ? this._createSpan(false) : (this._span as Span);
    this._state = 'finished';
    this._span = undefined;
    this._creationContext = undefined;
    if (recording && this._status !== SpanStatusCode.UNSET) {
      try {
        const message = this._status === SpanStatusCode.ERROR ? this._errorMessage : undefined;
        span.setStatus(message === undefined ? { code: this._status } : { code: this._status, message });
      } catch (error) {
        // The span still ends: a status that cannot be set must not lose the span.
        reportSpanFailure('setStatus', error);
      }
    }
    try {
      span.end(time);
    } catch (error) {
      reportSpanFailure('end', error);
    }
  }

  /**
   * Sets one tag (OpenTracing API). Overridden because the base class builds `{ [key]: value }`
   * for `_addTags`, which throws into the caller for a key that cannot become a property key
   * (a Symbol in an array, an object whose `toString` throws); here the key is converted
   * safely and the tag goes to the same rule as every other tag. Never throws.
   */
  override setTag(key: string, value: unknown): this {
    try {
      if (this._records()) this._setTag(typeof key === 'string' ? key : tagKey(key), value);
    } catch (error) {
      warnOnce('span.setTag.failed', `setTag failed; tag dropped: ${describeError(error)}`);
    }
    return this;
  }

  /** One tag, by the rule of `toTagEffect`, for tags at start and after it alike. @internal */
  _setTag(key: string, value: unknown): void {
    const effect = toTagEffect(key, value);
    if (effect === undefined) return;
    if (effect.type === 'status') {
      this._status = effect.code;
      return;
    }
    if (effect.type === 'kind') {
      if (this._state === 'pending') {
        (this._pending as PendingSpan).kind = effect.kind;
        return;
      }
      warnOnce(
        'span.kind.late',
        `${TAG_SPAN_KIND} was set after the span's context was used (child, inject, id read, activation) or ${MAX_PENDING_EVENTS} logs or tags were kept; ` +
          `OpenTelemetry fixes the SpanKind at creation, so it is kept as the attribute "${TAG_SPAN_KIND}"`,
      );
    }
    if (this._state === 'pending' && (this._pending as PendingSpan).setAttribute(key, effect.value)) return;
    try {
      this.getSpan().setAttribute(key, effect.value);
    } catch (error) {
      reportSpanFailure('setAttribute', error);
    }
  }

  /** Whether a tag or log can still be kept: not once finished, nor when the span does not record. */
  private _records(): boolean {
    return this._state === 'pending' || this._state === 'live';
  }

  /**
   * Creates the OpenTelemetry span from what was gathered since start: `pending` -> `live`, or
   * `unrecorded` when `probe` and the span does not record (`finish` does not probe).
   */
  private _createSpan(probe = true): Span {
    const pending = this._pending as PendingSpan;
    const creationContext = pending.creationContext(this._baggage);
    const span = pending.create(creationContext);
    if (pending.inRootContext) {
      this._creationContext = creationContext;
      if (this._contextShim !== undefined) this._contextShim[CREATION_CONTEXT] = creationContext;
    }
    this._state = probe && !isRecording(span) ? 'unrecorded' : 'live';
    this._pending = undefined;
    this._span = span;
    this._spanContext = spanContextOf(span);
    return span;
  }

  /**
   * The current time for an event or the end. Spans this shim started carry their own clock
   * (see `elapsedSince`), because the OpenTelemetry span may be created later and would
   * otherwise fall back to millisecond `Date.now()`. A wrapped span lets the SDK decide.
   */
  private _now(): HrTime | undefined {
    if (!Number.isNaN(this._startPerformance)) {
      return millisToHrTime(elapsedSince(this._startMillis, this._startPerformance));
    }
    return this._state === 'pending' ? millisToHrTime(Date.now()) : undefined;
  }

  private _readTime(value: unknown, call: string): HrTime | undefined {
    const millis = readEpochMillis(value);
    if (millis !== undefined) return millisToHrTime(millis);
    warnOnce(`span.${call}.bad-time`, `${call}: the time must be ms since the epoch, got ${String(toAttributeValue(value))}; using now`);
    return this._now();
  }
}

/**
 * `span.spanContext()`, or the invalid span context when it throws or gives something that is not
 * a span context (string ids, numeric flags): a tracer whose spans cannot say who they are costs
 * the trace, never the caller. `diag` warns once per process.
 */
function spanContextOf(span: Span): SpanContext {
  let problem: string;
  try {
    const spanContext: unknown = span.spanContext();
    if (isOtelSpanContext(spanContext)) return spanContext;
    problem = `gave ${describeValue(spanContext)}`;
  } catch (error) {
    problem = `threw: ${describeError(error)}`;
  }
  warnOnce('span.spanContext', `an OpenTelemetry span's spanContext() ${problem}; its span context is taken as invalid (further cases not reported)`);
  return INVALID_SPAN_CONTEXT;
}

/** `span.isRecording()`; true when it cannot be asked, so that nothing is left out. */
function isRecording(span: Span): boolean {
  try {
    return span.isRecording() !== false;
  } catch {
    return true;
  }
}

function setTagOf(span: SpanShim, key: string, value: unknown): void {
  span._setTag(key, value);
}

/** A tag key that is not a string, as a string: as JavaScript converts it, else described. */
function tagKey(key: unknown): string {
  try {
    return String(key);
  } catch {
    return describeValue(key);
  }
}
