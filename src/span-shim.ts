import { INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Baggage, Context, HrTime, Link, Span, SpanContext, Tracer } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { describeValue, toAttributeValue } from './attributes';
import { TAG_ERROR, TAG_SPAN_KIND } from './constants';
import { toLogEvent } from './events';
import { describeError, logger } from './logger';
import { EMPTY_BAGGAGE, SpanContextShim } from './span-context-shim';
import type { SpanContextSource } from './span-context-shim';
import { toSpanKind } from './span-kind';
import { elapsedSince, millisToHrTime, readEpochMillis } from './time';

/**
 * Most events and distinct tags a span keeps before its OpenTelemetry span exists: the
 * OpenTelemetry spec's default span limits (`EventCountLimit`, `AttributeCountLimit`: 128). The
 * provider's own limits cannot be read without SDK internals (the SDK Tracer keeps them in a
 * private field), so at this many the OpenTelemetry span is created and takes everything after
 * directly: the SDK then applies its configured limits and counts what it drops
 * (`droppedEventsCount`, `droppedAttributesCount`) itself, and the shim buffers no more than
 * this, whatever the caller logs.
 */
export const MAX_PENDING_EVENTS = 128;
/** See `MAX_PENDING_EVENTS`. */
export const MAX_PENDING_ATTRIBUTES = 128;

/** An event logged before the OpenTelemetry span exists; replayed, with its time, when it does. */
interface PendingEvent {
  readonly name: string;
  readonly attributes: Attributes;
  readonly time: HrTime;
}

/** What `TracerShim` decided when the OpenTracing span started. @internal */
export interface SpanStart {
  readonly tracer: Tracer;
  readonly name: string;
  /** Context the OpenTelemetry span is created in: parent span context and the span's baggage. */
  readonly parentContext: Context;
  /** Create a root span whatever the parent context holds (`implicitParent: false`). */
  readonly root: boolean;
  readonly links: readonly Link[] | undefined;
  readonly baggage: Baggage;
  /** Start time, ms since the epoch. */
  readonly startMillis: number;
  /** `performance.now()` at start; NaN when the caller gave the start time. */
  readonly startPerformance: number;
}

/**
 * An OpenTracing Span backed by an OpenTelemetry Span; the OpenTracing API's hooks (`_addTags`,
 * `_log`, `_finish`, ...) translate each call (rules: OpenTelemetry specification,
 * compatibility/opentracing.md; the full table is docs/mapping.md).
 *
 * The OpenTelemetry span is created on first use rather than at `startSpan`, so that a
 * `span.kind` tag set after start (express-opentracing does this) still becomes the SpanKind,
 * which OpenTelemetry fixes at creation; this needs no SDK internals. Until then tags are kept
 * as start attributes (samplers see them) and logs are kept with their times. First use is: a
 * child span or link to it, `inject`, reading its ids (`context().toTraceId()`...), `getSpan()`,
 * activation (`withSpan`), `finish()`, or the 129th buffered log or distinct tag
 * (`MAX_PENDING_EVENTS`, `MAX_PENDING_ATTRIBUTES`: the buffer is bounded, and the SDK's span
 * limits then apply); the OpenTelemetry span then starts with the original start time. After
 * that, `span.kind` stays an attribute and `diag` says why.
 *
 * Every call after `finish()` is ignored, silently: instrumentation such as express-opentracing
 * finishes twice. No call throws into the caller; failures are reported through `diag`.
 */
export class SpanShim extends opentracing.Span {
  private readonly _tracerShim: opentracing.Tracer;
  /** The OpenTelemetry span once created; released at finish so a kept shim does not keep its data. */
  private _span: Span | undefined;
  /** The OpenTelemetry span's context once the span exists (also for a wrapped span); kept after finish. */
  private _spanContext: SpanContext | undefined;
  private _baggage: Baggage;
  private _contextShim: SpanContextShim | undefined;
  private _finished: boolean;
  /** OpenTracing's `error` tag: the last write wins, so the status is decided at finish. */
  private _status: SpanStatusCode;
  private _errorMessage: string | undefined;
  private _startMillis: number;
  private _startPerformance: number;
  // What the OpenTelemetry span will be created with, until it is.
  private _start: SpanStart | undefined;
  private _name: string;
  private _kind: SpanKind;
  /** Start attributes, made at the first tag: a span without tags makes none. */
  private _attributes: Attributes | undefined;
  /** How many keys `_attributes` holds. */
  private _attributeCount: number;
  private _events: PendingEvent[] | undefined;

  /**
   * Wraps an OpenTelemetry span that already exists (as `@opentelemetry/shim-opentracing`'s
   * SpanShim does). `TracerShim.startSpan` is the usual way to get a SpanShim.
   *
   * @param tracerShim the OpenTracing tracer that `span.tracer()` returns.
   * @param span the OpenTelemetry span; the shim ends it on `finish()`.
   * @param baggage the span's OpenTelemetry Baggage; none means empty.
   */
  constructor(tracerShim: opentracing.Tracer, span: Span, baggage: Baggage = EMPTY_BAGGAGE) {
    super();
    this._tracerShim = tracerShim;
    // `_startDeferred` passes DEFERRED and sets what it stands for.
    const deferred = span === DEFERRED;
    this._span = deferred ? undefined : span;
    this._spanContext = deferred ? undefined : span.spanContext();
    this._baggage = baggage;
    this._contextShim = undefined;
    this._finished = false;
    this._status = SpanStatusCode.UNSET;
    this._errorMessage = undefined;
    this._startMillis = 0;
    this._startPerformance = NaN;
    this._start = undefined;
    this._name = '';
    this._kind = SpanKind.INTERNAL;
    this._attributes = undefined;
    this._attributeCount = 0;
    this._events = undefined;
  }

  /**
   * A span whose OpenTelemetry span is created on first use (see the class comment).
   * @internal used by TracerShim
   */
  static _startDeferred(tracerShim: opentracing.Tracer, start: SpanStart, tags: unknown): SpanShim {
    const shim = new this(tracerShim, DEFERRED, start.baggage);
    shim._start = start;
    shim._name = start.name;
    shim._startMillis = start.startMillis;
    shim._startPerformance = start.startPerformance;
    if (tags !== undefined && tags !== null) shim._addTags(tags as Record<string, unknown>);
    return shim;
  }

  /**
   * The OpenTelemetry span behind this shim, created now if it was not yet (which fixes its
   * SpanKind). After `finish()` a non-recording span with the same span context, because the
   * shim lets go of the finished span.
   */
  getSpan(): Span {
    if (this._span !== undefined) return this._span;
    if (this._finished) return trace.wrapSpanContext(this._spanContext as SpanContext);
    return this._createSpan();
  }

  /** @internal SpanContextSource for this span's context shims. */
  _otelSpanContext(): SpanContext {
    return this._spanContext ?? this._createSpan().spanContext();
  }

  protected override _context(): SpanContextShim {
    this._contextShim ??= this._newContextShim(this._spanContext, this._baggage);
    return this._contextShim;
  }

  /**
   * Makes this span's context shim: with the OpenTelemetry span context when the span exists,
   * else one that reads it from the span on first use. Subclasses return their own shim class.
   */
  protected _newContextShim(spanContext: SpanContext | undefined, baggage: Baggage): SpanContextShim {
    return spanContext !== undefined ? new SpanContextShim(spanContext, baggage) : SpanContextShim._fromSource(this as SpanContextSource, baggage);
  }

  protected override _tracer(): opentracing.Tracer {
    return this._tracerShim;
  }

  protected override _setOperationName(name: string): void {
    if (this._finished) return;
    const text = typeof name === 'string' ? name : String(toAttributeValue(name));
    if (this._span !== undefined) this._span.updateName(text);
    else this._name = text;
  }

  protected override _setBaggageItem(key: string, value: string): void {
    if (this._finished) return;
    if (typeof key !== 'string' || key === '' || value === undefined || value === null) {
      logger.warn('setBaggageItem needs a non-empty string key and a value; ignored');
      return;
    }
    this._baggage = this._baggage.setEntry(key, { value: typeof value === 'string' ? value : String(toAttributeValue(value)) });
    // Context shims are immutable: the next context() call makes one with the new baggage.
    this._contextShim = undefined;
  }

  protected override _getBaggageItem(key: string): string | undefined {
    return this._baggage.getEntry(key)?.value;
  }

  protected override _addTags(tags: { [key: string]: unknown }): void {
    if (this._finished) return;
    if (typeof tags !== 'object' || tags === null) {
      logger.warn(`addTags expects an object, got ${typeof tags}; ignored`);
      return;
    }
    let keys: string[];
    try {
      keys = Object.keys(tags);
    } catch (error) {
      logger.warn(`tags could not be listed: ${describeError(error)}`);
      return;
    }
    for (const key of keys) {
      let value: unknown;
      try {
        value = tags[key];
      } catch (error) {
        logger.warn(`tag "${key}" could not be read: ${describeError(error)}`);
        continue;
      }
      this._setTag(key, value);
    }
  }

  protected override _log(fields: { [key: string]: unknown }, timestamp?: number): void {
    if (this._finished) return;
    const event = toLogEvent(fields);
    if (event.exceptionMessage !== undefined) this._errorMessage = event.exceptionMessage;
    const time = timestamp === undefined ? this._now() : this._readTime(timestamp, 'log');
    if (this._span === undefined && this._start !== undefined && (this._events?.length ?? 0) < MAX_PENDING_EVENTS) {
      (this._events ??= []).push({ name: event.name, attributes: event.attributes, time: time as HrTime });
    } else {
      this.getSpan().addEvent(event.name, event.attributes, time);
    }
  }

  protected override _finish(finishTime?: number): void {
    if (this._finished) return;
    const time = finishTime === undefined ? this._now() : this._readTime(finishTime, 'finish');
    const span = this._span ?? this._createSpan();
    this._finished = true;
    this._span = undefined;
    try {
      if (this._status === SpanStatusCode.ERROR) {
        span.setStatus(this._errorMessage === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message: this._errorMessage });
      } else if (this._status === SpanStatusCode.OK) {
        span.setStatus({ code: SpanStatusCode.OK });
      }
      span.end(time);
    } catch (error) {
      logger.error(`ending the OpenTelemetry span failed: ${describeError(error)}`);
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
      if (!this._finished) this._setTag(typeof key === 'string' ? key : tagKey(key), value);
    } catch (error) {
      logger.warn(`setTag failed; tag dropped: ${describeError(error)}`);
    }
    return this;
  }

  /** One tag; the rule for each key lives here, for tags at start and after it alike. */
  private _setTag(key: string, value: unknown): void {
    if (value === undefined || value === null) return;
    if (key === '__proto__') {
      // Assigned to an attributes object (ours before the span exists, the SDK's after), it would
      // replace that object's prototype and lose the tag.
      logger.warn('the tag key "__proto__" is not allowed; the value was dropped');
      return;
    }
    if (key === TAG_SPAN_KIND) {
      const kind = toSpanKind(value);
      if (kind !== undefined) {
        if (this._span === undefined) {
          this._kind = kind;
          return;
        }
        logger.warn(
          `span.kind was set after the span's context was used (child, inject, id read, activation) or ${MAX_PENDING_EVENTS} logs or tags were kept; ` +
            'OpenTelemetry fixes the SpanKind at creation, so it is kept as the attribute "span.kind"',
        );
      }
    } else if (key === TAG_ERROR) {
      // OpenTelemetry spec: true -> Error, false -> Ok; other values stay an attribute.
      if (value === true || value === 'true') {
        this._status = SpanStatusCode.ERROR;
        return;
      }
      if (value === false || value === 'false') {
        this._status = SpanStatusCode.OK;
        return;
      }
    }
    const attribute = toAttributeValue(value);
    if (attribute === undefined) return;
    if (this._span === undefined && this._start !== undefined) {
      const attributes = (this._attributes ??= {});
      const known = hasOwn.call(attributes, key);
      if (known || this._attributeCount < MAX_PENDING_ATTRIBUTES) {
        // `__proto__` was refused above, so a plain assignment is safe.
        attributes[key] = attribute;
        if (!known) this._attributeCount++;
        return;
      }
    }
    this.getSpan().setAttribute(key, attribute);
  }

  /** Creates the OpenTelemetry span from what was gathered since start (see the class comment). */
  private _createSpan(): Span {
    const start = this._start as SpanStart;
    let span: Span;
    try {
      span = start.tracer.startSpan(
        this._name,
        {
          kind: this._kind,
          attributes: this._attributes,
          // The SDK copies the links; ours may be shared and frozen.
          links: start.links as Link[] | undefined,
          startTime: millisToHrTime(this._startMillis),
          root: start.root,
        },
        // Baggage set between start and creation belongs to the span too; span processors
        // read it from this context.
        this._baggage === start.baggage ? start.parentContext : propagation.setBaggage(start.parentContext, this._baggage),
      );
    } catch (error) {
      logger.error(`the OpenTelemetry tracer failed to start a span: ${describeError(error)}`);
      span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    }
    const events = this._events;
    this._span = span;
    this._spanContext = span.spanContext();
    this._start = undefined;
    this._attributes = undefined;
    this._attributeCount = 0;
    this._events = undefined;
    if (events !== undefined) {
      for (const event of events) span.addEvent(event.name, event.attributes, event.time);
    }
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
    return this._span === undefined ? millisToHrTime(Date.now()) : undefined;
  }

  private _readTime(value: unknown, call: string): HrTime | undefined {
    const millis = readEpochMillis(value);
    if (millis !== undefined) return millisToHrTime(millis);
    logger.warn(`${call}: the time must be ms since the epoch, got ${String(toAttributeValue(value))}; using now`);
    return this._now();
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Stands for "no OpenTelemetry span yet" while the constructor runs. */
const DEFERRED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** A tag key that is not a string, as a string: as JavaScript converts it, else described. */
function tagKey(key: unknown): string {
  try {
    return String(key);
  } catch {
    return describeValue(key);
  }
}
