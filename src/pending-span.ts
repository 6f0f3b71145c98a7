import * as api from '@opentelemetry/api';
import type { AttributeValue, Attributes, Baggage, Context, HrTime, Link, Span, Tracer } from '@opentelemetry/api';
import { describeError, reportSpanFailure, warnOnce } from './logger';
import { millisToHrTime } from './time';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { INVALID_SPAN_CONTEXT, SpanKind, propagation, trace } = api;

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

/**
 * What `TracerShim` decided when the OpenTracing span started (tracer, parent Context, links,
 * baggage, start time), and what the `SpanShim` gathers until its OpenTelemetry span is created
 * (see `SpanShim`): the name, the SpanKind, the start attributes (which samplers see) and the
 * events with their times, at most `MAX_PENDING_ATTRIBUTES` and `MAX_PENDING_EVENTS` of them.
 * One object for both, made by `TracerShim._spanStart`: a span's start costs one allocation
 * fewer (issue 17). `create` starts the OpenTelemetry span from it, once. @internal
 */
export class PendingSpan {
  readonly tracer: Tracer;
  /** The span's name: the one given at start, then the last `setOperationName` before creation. */
  name: string;
  /** Context the OpenTelemetry span is created in: parent span context and the span's baggage. */
  readonly parentContext: Context;
  /** Create a root span whatever the parent context holds (`implicitParent: false`). */
  readonly root: boolean;
  readonly links: readonly Link[] | undefined;
  /** The span's baggage at start (`parentContext` holds it). */
  readonly baggage: Baggage;
  /**
   * Start time, ms since the epoch; NaN for a span created at once (`createAtStart`) without a
   * given start time: the OpenTelemetry SDK then reads its own clock, for the start, the events
   * and the end.
   */
  readonly startMillis: number;
  /** `performance.now()` at start; NaN when the caller gave the start time, or with `createAtStart`. */
  readonly startPerformance: number;
  /**
   * The parent is valid and not sampled, so the OpenTelemetry span is created at start rather
   * than on first use: a parent-based sampler (OpenTelemetry's default, and jaeger-client's rule
   * that a child follows its parent's decision) decides from the parent alone, so a late
   * `span.kind` could not change the decision, and the span records nothing; tags and logs are
   * then not translated at all (issue 17: production traces are mostly not sampled).
   */
  readonly createAtStart: boolean;
  /**
   * The root Context was active at start, so `parentContext` holds nothing but what the shim put
   * there (a parent span context, baggage): a child may then start in the Context this span was
   * created in, with its own span context set over it (`SpanShim`, `CREATION_CONTEXT`).
   */
  readonly inRootContext: boolean;
  kind: api.SpanKind;
  /** Start attributes, made at the first tag: a span without tags makes none. */
  private _attributes: Attributes | undefined;
  /** How many times an attribute was kept: at least the number of keys. */
  private _writes: number;
  /** How many keys `_attributes` holds, counted once `_writes` reaches the limit. */
  private _distinct: number | undefined;
  private _events: PendingEvent[] | undefined;

  constructor(
    tracer: Tracer,
    name: string,
    parentContext: Context,
    root: boolean,
    links: readonly Link[] | undefined,
    baggage: Baggage,
    startMillis: number,
    startPerformance: number,
    createAtStart: boolean,
    inRootContext: boolean,
  ) {
    this.tracer = tracer;
    this.name = name;
    this.parentContext = parentContext;
    this.root = root;
    this.links = links;
    this.baggage = baggage;
    this.startMillis = startMillis;
    this.startPerformance = startPerformance;
    this.createAtStart = createAtStart;
    this.inRootContext = inRootContext;
    this.kind = SpanKind.INTERNAL;
    this._attributes = undefined;
    this._writes = 0;
    this._distinct = undefined;
    this._events = undefined;
  }

  /**
   * Keeps a start attribute (the caller refused `__proto__`). False, keeping nothing, when
   * `MAX_PENDING_ATTRIBUTES` distinct keys are kept and `key` is not one of them: the caller
   * then creates the span and sets the attribute on it.
   */
  setAttribute(key: string, value: AttributeValue): boolean {
    const attributes = (this._attributes ??= {});
    if (this._writes < MAX_PENDING_ATTRIBUTES) {
      // Fewer writes than the limit means fewer keys: no key lookup on the usual path.
      this._writes++;
      attributes[key] = value;
      return true;
    }
    this._distinct ??= Object.keys(attributes).length;
    const known = hasOwn.call(attributes, key);
    if (!known && this._distinct >= MAX_PENDING_ATTRIBUTES) return false;
    attributes[key] = value;
    if (!known) this._distinct++;
    return true;
  }

  /** Keeps an event; false, keeping nothing, when `MAX_PENDING_EVENTS` are kept (see `setAttribute`). */
  addEvent(name: string, attributes: Attributes, time: HrTime): boolean {
    const events = (this._events ??= []);
    if (events.length >= MAX_PENDING_EVENTS) return false;
    events.push({ name, attributes, time });
    return true;
  }

  /**
   * The Context the OpenTelemetry span is created in: `parentContext`, with `baggage` when the
   * span's baggage changed since start (span processors read a new span's baggage there).
   */
  creationContext(baggage: Baggage): Context {
    return baggage === this.baggage ? this.parentContext : propagation.setBaggage(this.parentContext, baggage);
  }

  /**
   * Starts the OpenTelemetry span in `creationContext` (see `creationContext`), with the original
   * start time and everything kept, then adds the kept events. A tracer that throws gives a
   * non-recording span with an invalid context, with a `diag` error. Never throws.
   */
  create(creationContext: Context): Span {
    let span: Span;
    try {
      span = this.tracer.startSpan(
        this.name,
        {
          kind: this.kind,
          attributes: this._attributes,
          // The SDK copies the links; ours may be shared and frozen.
          links: this.links as Link[] | undefined,
          startTime: Number.isNaN(this.startMillis) ? undefined : millisToHrTime(this.startMillis),
          root: this.root,
        },
        creationContext,
      );
    } catch (error) {
      warnOnce('tracer.otel-startSpan.failed', `the OpenTelemetry tracer failed to start a span: ${describeError(error)}`, 'error');
      span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    }
    const events = this._events;
    if (events !== undefined) {
      try {
        for (const event of events) span.addEvent(event.name, event.attributes, event.time);
      } catch (error) {
        reportSpanFailure('addEvent', error);
      }
    }
    return span;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;
