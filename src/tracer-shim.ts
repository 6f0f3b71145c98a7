import * as api from '@opentelemetry/api';
import type { Baggage, Context, SpanContext, TextMapPropagator, Tracer, TracerProvider } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { describeValue } from './attributes';
import { decodeBinary, encodeBinary } from './binary-format';
import { carrierGetter, isTextMapCarrier, textMapSetter, textMapSetterCalls } from './carrier';
import { SHIM_TRACER_NAME } from './constants';
import { countWithinLimits, limitInjectedEntries, surelyFitsInjected } from './limits';
import { describeError, logger, warnOnce } from './logger';
import { PendingSpan } from './pending-span';
import { isBaggage, resolveSpanContext, selectParent } from './references';
import { CREATION_CONTEXT, EMPTY_BAGGAGE, INJECTION_CONTEXT, PARENT_CONTEXT, SpanContextShim } from './span-context-shim';
import { SpanShim } from './span-shim';
import { monotonicNow, readEpochMillis } from './time';
import { VERSION } from './version';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, TraceFlags, context, isSpanContextValid, propagation, trace } = api;

/** Options of `TracerShim` and `createTracerShim`. */
export interface TracerShimOptions {
  /**
   * Propagator for OpenTracing's FORMAT_TEXT_MAP. Default: the global propagator
   * (`propagation.setGlobalPropagator`), looked up at each call (OpenTelemetry spec).
   */
  textMapPropagator?: TextMapPropagator;
  /** Propagator for FORMAT_HTTP_HEADERS. Default: the global propagator, looked up at each call. */
  httpHeadersPropagator?: TextMapPropagator;
  /**
   * When a span is started without references: `true` (default) makes the active
   * OpenTelemetry span its parent, so OpenTracing code running inside OpenTelemetry-instrumented
   * code joins its trace (the opt-in the OpenTelemetry spec allows for JS); `false` makes it a
   * root span.
   */
  implicitParent?: boolean;
}

/**
 * An OpenTracing Tracer that creates OpenTelemetry spans (OpenTelemetry specification,
 * compatibility/opentracing.md). Hand it to OpenTracing code, e.g.
 * `opentracing.initGlobalTracer(new TracerShim(provider))`.
 *
 * It implements OpenTracing's hooks (`_startSpan`, `_inject`, `_extract`); `startSpan` itself
 * is overridden only because the base class changes the caller's options object. No call throws
 * into instrumented code: bad input is reported through OpenTelemetry's `diag` logger and
 * ignored (inject writes nothing, extract returns null, startSpan still returns a span).
 */
export class TracerShim extends opentracing.Tracer {
  private readonly _tracer: Tracer;
  private readonly _textMapPropagator: TextMapPropagator | undefined;
  private readonly _httpHeadersPropagator: TextMapPropagator | undefined;
  private readonly _implicitParent: boolean;
  private readonly _warnings = new Set<string>();

  /**
   * @param tracerOrProvider an OpenTelemetry TracerProvider (the tracer is obtained from it as
   *   `opentracing-shim` with this package's version, as the OpenTelemetry spec asks), or a
   *   Tracer (so code written for `@opentelemetry/shim-opentracing`, whose constructor takes a
   *   Tracer, works unchanged). None: the global TracerProvider.
   * @param options propagators and the implicit-parent switch; see `TracerShimOptions`.
   */
  constructor(tracerOrProvider?: Tracer | TracerProvider, options: TracerShimOptions = {}) {
    super();
    this._tracer = obtainTracer(tracerOrProvider);
    this._textMapPropagator = options?.textMapPropagator;
    this._httpHeadersPropagator = options?.httpHeadersPropagator;
    this._implicitParent = options?.implicitParent ?? true;
  }

  /**
   * Starts a span (OpenTracing API). Overridden because the base class deletes `childOf` from
   * the caller's options object and pushes into the caller's `references` array; here the
   * caller's objects never change. `options` goes to `_startSpan` as it is: `childOf` counts as
   * a ChildOf reference after the given `references`, as in the base class, without a
   * `Reference` object made for it.
   */
  override startSpan(name: string, options?: opentracing.SpanOptions): opentracing.Span {
    return this._startSpan(name, options === undefined || options === null ? NO_OPTIONS : options);
  }

  /**
   * Injects a span context (OpenTracing API). Overridden because the base class tests
   * `instanceof Span` first, which runs user code for a Proxy and can throw into the caller;
   * `_inject` reads spans and span contexts of any kind itself (`resolveSpanContext`).
   */
  override inject(spanContext: opentracing.SpanContext | opentracing.Span, format: string, carrier: unknown): void {
    try {
      this._inject(spanContext as opentracing.SpanContext, format, carrier);
    } catch (error) {
      warnOnce('tracer.inject.failed', `inject failed: ${describeError(error)}`);
    }
  }

  /** @internal OpenTracing hook. */
  protected override _startSpan(name: string, fields: opentracing.SpanOptions): opentracing.Span {
    try {
      return this._newSpan(this._spanStart(name, fields), fields.tags);
    } catch (error) {
      warnOnce('tracer.startSpan.bad-options', `startSpan: the options could not be used, so the span starts with its name only: ${describeError(error)}`);
    }
    try {
      return this._newSpan(this._spanStart(name, NO_OPTIONS), undefined);
    } catch (error) {
      warnOnce('tracer.startSpan.failed', `startSpan failed; a non-recording span is returned: ${describeError(error)}`, 'error');
      return new SpanShim(this, trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
    }
  }

  /** @internal OpenTracing hook. */
  protected override _inject(spanContext: opentracing.SpanContext, format: string, carrier: unknown): void {
    try {
      if (format === opentracing.FORMAT_TEXT_MAP || format === opentracing.FORMAT_HTTP_HEADERS) {
        if (!isTextMapCarrier(carrier)) return this._warn(`inject: ${format} needs an object carrier, got ${typeof carrier}`);
        const resolved = resolveSpanContext(spanContext);
        if (resolved === undefined) return this._warn('inject: not a span context; nothing injected');
        const propagator = this._propagator(format);
        const calls = textMapSetterCalls();
        propagator.inject(this._cachedInjectionContext(resolved), carrier, textMapSetter);
        // The global propagator wrote no field: maybe none is registered (counting the setter's
        // calls costs less than walking the carrier).
        if (propagator === propagation && textMapSetterCalls() === calls) this._checkGlobalPropagator();
      } else if (format === opentracing.FORMAT_BINARY) {
        if (typeof carrier !== 'object' || carrier === null) return this._warn('inject: FORMAT_BINARY needs a BinaryCarrier');
        const resolved = resolveSpanContext(spanContext);
        if (resolved === undefined) return this._warn('inject: not a span context; nothing injected');
        (carrier as opentracing.BinaryCarrier).buffer = encodeBinary(resolved.getSpanContext(), resolved.getBaggage(), this._warnOnce);
      } else {
        this._warn(`inject: unknown format ${describeValue(format)}; nothing injected`);
      }
    } catch (error) {
      warnOnce('tracer.inject.failed', `inject failed: ${describeError(error)}`);
    }
  }

  /** @internal OpenTracing hook. */
  protected override _extract(format: string, carrier: unknown): SpanContextShim | null {
    try {
      if (format === opentracing.FORMAT_TEXT_MAP || format === opentracing.FORMAT_HTTP_HEADERS) {
        if (!isTextMapCarrier(carrier)) {
          this._warn(`extract: ${format} needs an object carrier, got ${carrier === null ? 'null' : typeof carrier}`);
          return null;
        }
        const propagator = this._propagator(format);
        const extracted = this._contextFromExtraction(propagator.extract(ROOT_CONTEXT, carrier, carrierGetter()));
        if (extracted === null && propagator === propagation) this._checkGlobalPropagator();
        return extracted;
      }
      if (format === opentracing.FORMAT_BINARY) {
        const decoded = typeof carrier === 'object' && carrier !== null ? decodeBinary((carrier as opentracing.BinaryCarrier).buffer) : undefined;
        if (decoded === undefined) return null;
        return this._contextFromExtraction(propagation.setBaggage(trace.setSpanContext(ROOT_CONTEXT, decoded.spanContext), decoded.baggage));
      }
      this._warn(`extract: unknown format ${describeValue(format)}; null returned`);
    } catch (error) {
      warnOnce('tracer.extract.failed', `extract failed: ${describeError(error)}`);
    }
    return null;
  }

  /** Makes the span for a start decided by `_startSpan`; subclasses return their own span class. @internal */
  protected _newSpan(start: PendingSpan, tags: unknown): SpanShim {
    return SpanShim._startDeferred(this, start, tags);
  }

  /**
   * The context a propagator injects from: the span context and, when there is any, its
   * baggage. Built on ROOT_CONTEXT so that only this span context is written. Baggage is written
   * even when the span context is invalid (OpenTelemetry spec, "Inject"). The baggage is held to
   * what the next hop's extract keeps, `MAX_BAGGAGE_ITEMS` items and `MAX_BAGGAGE_BYTES` bytes
   * as a W3C `baggage` header (`limitInjectedEntries`): whole items past it are dropped, with one
   * `diag` warning per tracer; the span context is always written.
   * @internal
   */
  protected _injectionContext(spanContext: SpanContextShim): Context {
    const base = trace.setSpanContext(ROOT_CONTEXT, spanContext.getSpanContext());
    const baggage = spanContext.getBaggage();
    if (baggage === EMPTY_BAGGAGE) return base;
    if (surelyFitsInjected(baggage)) return propagation.setBaggage(base, baggage);
    const entries = spanContext._baggageEntries();
    const kept = limitInjectedEntries(entries, this._warnOnce);
    return propagation.setBaggage(base, kept === entries ? baggage : propagation.createBaggage(Object.fromEntries(kept)));
  }

  /** `_injectionContext`, made once per span context and tracer (span context shims never change). */
  private _cachedInjectionContext(spanContext: SpanContextShim): Context {
    const cached = spanContext[INJECTION_CONTEXT];
    if (cached !== undefined && cached.owner === this) return cached.context;
    const made = this._injectionContext(spanContext);
    spanContext[INJECTION_CONTEXT] = { owner: this, context: made };
    return made;
  }

  /**
   * The span context shim for what a propagator extracted, or null. OpenTelemetry spec,
   * "Extract": a shim when the span context is valid, or sampled, or there is baggage, so that
   * baggage-only and debug requests keep working; extracted contexts are marked remote.
   * Whatever the propagator, at most `MAX_BAGGAGE_ITEMS` items and `MAX_BAGGAGE_BYTES` bytes of
   * baggage are kept (W3C Baggage limits; the rest dropped with a `diag` warning).
   * @internal
   */
  protected _contextFromExtraction(extracted: Context): SpanContextShim | null {
    let spanContext: SpanContext = trace.getSpanContext(extracted) ?? INVALID_SPAN_CONTEXT;
    const baggage = propagation.getBaggage(extracted);
    // A Baggage this package made (`createSizedBaggage`) is known to be within the limits, or
    // not, without listing it. Any other is listed and limited when first read (`_useExtracted`;
    // issue 17: listing cost 0.5 µs per extract, for contexts only passed on), which is at once
    // only when it alone decides whether there is a context at all.
    const count = baggage === undefined ? 0 : countWithinLimits(baggage);
    if (count === 0 && !keepsTrace(spanContext)) return null;
    if (!spanContext.isRemote) spanContext = { ...spanContext, isRemote: true };
    if (count !== undefined) return new SpanContextShim(spanContext, count > 0 ? baggage : EMPTY_BAGGAGE);
    const shim = new SpanContextShim(spanContext)._useExtracted(baggage as Baggage);
    return keepsTrace(spanContext) || shim._baggageEntries().length > 0 ? shim : null;
  }

  /**
   * References -> parent, links and baggage (`selectParent`); time; everything the
   * OpenTelemetry span needs. `fields.childOf`, when given, is a ChildOf reference after
   * `fields.references`.
   */
  private _spanStart(name: unknown, fields: opentracing.SpanOptions): PendingSpan {
    const active = context.active();
    // The root Context holds nothing; most OpenTracing-only code runs with it active.
    const activeBaggage = active === ROOT_CONTEXT ? undefined : this._activeBaggage(active);
    const selected = selectParent(fields.references, fields.childOf, this._warnOnce);
    const parent = selected?.parent;
    const baggage = selected === undefined ? (activeBaggage ?? EMPTY_BAGGAGE) : selected.baggage;
    const parentContext = parent === undefined ? active : this._parentContext(active, activeBaggage, parent, baggage);
    const links = selected?.links;

    const { startTime } = fields;
    const given = startTime === undefined ? undefined : readEpochMillis(startTime);
    if (given === undefined && startTime !== undefined) {
      warnOnce('tracer.startSpan.bad-time', `startSpan: startTime must be ms since the epoch, got ${typeof startTime}; using now`);
    }
    const createAtStart = hasUnsampledParent(parent, this._implicitParent ? active : undefined);
    // Date.now() as well as the monotonic clock: the OpenTelemetry SDK starts its spans at
    // Date.now(), so only that reading keeps an OpenTelemetry child inside its OpenTracing parent
    // (a start derived from the monotonic clock and an estimated offset was up to 1 ms early,
    // and a child then ended after its parent: test/context-interop.test.ts). A span created at
    // once leaves the clock to the SDK.
    const ownClock = given === undefined && !createAtStart;
    const startMillis = given ?? (ownClock ? Date.now() : NaN);
    const startPerformance = ownClock ? monotonicNow() : NaN;
    return new PendingSpan(
      this._tracer,
      typeof name === 'string' ? name : describeValue(name),
      parentContext,
      parent === undefined && !this._implicitParent,
      links,
      baggage,
      startMillis,
      startPerformance,
      createAtStart,
      active === ROOT_CONTEXT,
    );
  }

  /**
   * The active Context's OpenTelemetry Baggage; `undefined`, with one `diag` warning per tracer,
   * when what is stored under the api's baggage key is not Baggage (other code put something
   * else there, or reading it throws), so that the span's baggage calls cannot throw later.
   */
  private _activeBaggage(active: Context): Baggage | undefined {
    try {
      const baggage: unknown = propagation.getBaggage(active);
      if (baggage === undefined || isBaggage(baggage)) return baggage;
    } catch {
      // Reported below, as for a value that is not Baggage.
    }
    this._warn("startSpan: the active Context's baggage is not OpenTelemetry Baggage; it is ignored");
    return undefined;
  }

  /**
   * The Context a child of `parent` with `baggage` starts in. With no active Context
   * (OpenTracing-only code) and the parent's own baggage (the usual childOf), it depends only on
   * the parent, which never changes, so it is made once per parent and tracer. Not cached under
   * another active Context: that may hold an OpenTelemetry span, which the cache would keep alive.
   */
  private _parentContext(active: Context, activeBaggage: Baggage | undefined, parent: SpanContextShim, baggage: Baggage): Context {
    const cacheable = active === ROOT_CONTEXT && baggage === parent.getBaggage();
    const cached = parent[PARENT_CONTEXT];
    if (cacheable && cached !== undefined && cached.owner === this) return cached.context;
    // The Context the parent was created in holds the same baggage over the root Context: the
    // child's parent set over it is one Context where `childContext` makes two (CREATION_CONTEXT).
    const creation = cacheable ? parent[CREATION_CONTEXT] : undefined;
    const made =
      creation !== undefined ? trace.setSpanContext(creation, parent.getSpanContext()) : childContext(active, activeBaggage, parent.getSpanContext(), baggage);
    if (cacheable) parent[PARENT_CONTEXT] = { owner: this, context: made };
    return made;
  }

  /** The propagator of a format: the configured one, else the global one (looked up at each call). */
  private _propagator(format: string): TextMapPropagator {
    const configured = format === opentracing.FORMAT_HTTP_HEADERS ? this._httpHeadersPropagator : this._textMapPropagator;
    return configured ?? propagation;
  }

  /**
   * Warns once when no global propagator is registered. Called only when the global one wrote
   * or found nothing, so the common path does not pay for `propagation.fields()`.
   */
  private _checkGlobalPropagator(): void {
    if (propagation.fields().length === 0) {
      this._warn('no global propagator is registered (propagation.setGlobalPropagator), so inject and extract do nothing');
    }
  }

  /**
   * `_warn` for messages that carry a count: once per tracer for each message once its numbers
   * are taken out, so that every request over a limit does not log a line.
   */
  private readonly _warnOnce = (message: string): void => this._warn(message.replace(/\d+ baggage items/, 'baggage items'));

  /** Warns once per message, so a hot path with the same mistake does not flood the log. @internal */
  protected _warn(message: string): void {
    if (this._warnings.has(message)) return;
    if (this._warnings.size < 100) this._warnings.add(message);
    logger.warn(message);
  }
}

/** Whether an extracted span context is worth a context without baggage: sampled (a debug request) or valid. */
function keepsTrace(spanContext: SpanContext): boolean {
  return (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 || isSpanContextValid(spanContext);
}

/**
 * Whether the span's parent (the selected reference's context, else the active Context's span
 * when the tracer takes an implicit parent) is valid and not sampled: see `PendingSpan.createAtStart`.
 */
function hasUnsampledParent(parent: SpanContextShim | undefined, active: Context | undefined): boolean {
  if (parent !== undefined) return (parent.getSpanContext().traceFlags & TraceFlags.SAMPLED) === 0 && parent.isValid();
  const activeSpanContext = active === undefined || active === ROOT_CONTEXT ? undefined : trace.getSpanContext(active);
  return activeSpanContext !== undefined && (activeSpanContext.traceFlags & TraceFlags.SAMPLED) === 0 && isSpanContextValid(activeSpanContext);
}

/**
 * Creates a `TracerShim` from an OpenTelemetry TracerProvider (default: the global one).
 * Same as `new TracerShim(provider, options)`.
 */
export function createTracerShim(provider?: TracerProvider, options?: TracerShimOptions): TracerShim {
  return new TracerShim(provider, options);
}

const NO_OPTIONS: opentracing.SpanOptions = Object.freeze({});

/** The Context a child of `parent` starts in: the parent span context and the child's baggage. */
function childContext(active: Context, activeBaggage: Baggage | undefined, parent: SpanContext, baggage: Baggage): Context {
  const parentContext = trace.setSpanContext(active, parent);
  // Span processors read the new span's baggage from the context it is created in.
  if (baggage === (activeBaggage ?? EMPTY_BAGGAGE)) return parentContext;
  return baggage === EMPTY_BAGGAGE ? propagation.deleteBaggage(parentContext) : propagation.setBaggage(parentContext, baggage);
}

function obtainTracer(tracerOrProvider: Tracer | TracerProvider | undefined): Tracer {
  if (tracerOrProvider !== undefined && tracerOrProvider !== null) {
    if (typeof (tracerOrProvider as TracerProvider).getTracer === 'function') {
      return (tracerOrProvider as TracerProvider).getTracer(SHIM_TRACER_NAME, VERSION);
    }
    if (typeof (tracerOrProvider as Tracer).startSpan === 'function') return tracerOrProvider as Tracer;
    logger.warn('TracerShim needs a TracerProvider or a Tracer; the global TracerProvider is used');
  }
  return trace.getTracerProvider().getTracer(SHIM_TRACER_NAME, VERSION);
}
