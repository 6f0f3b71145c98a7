import { INVALID_SPAN_CONTEXT, TraceFlags, createTraceState, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, TextMapPropagator, TextMapSetter, Tracer, TracerProvider } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { describeValue } from '../attributes';
import { isTextMapCarrier, textMapGetter } from '../carrier';
import { toOtelSpanId } from '../hex-ids';
import { describeError, logger } from '../logger';
import { resolveSpanContext } from '../references';
import type { SpanContextShim } from '../span-context-shim';
import { EMPTY_BAGGAGE } from '../span-context-shim';
import type { SpanShim, SpanStart } from '../span-shim';
import { TracerShim } from '../tracer-shim';
import type { TracerShimOptions } from '../tracer-shim';
import { JAEGER_DEBUG_ID_HEADER, JAEGER_DEBUG_ID_KEY, JAEGER_DEBUG_TRACE_STATE_KEY } from './constants';
import { limitEntries } from '../limits';
import { DeadlineExceededError, SHUTDOWN_TIMEOUT_MS, withDeadline } from '../sdk/bounded-shutdown';
import { JaegerPropagator, formatTraceHeader, getJaegerParentSpanId, itemEntries, setJaegerParentSpanId } from './jaeger-propagator';
import { JaegerSpan } from './jaeger-span';
import { JaegerSpanContext } from './jaeger-span-context';

/** jaeger-client's custom injector shape (`tracer.registerInjector`). */
export interface JaegerInjector {
  inject(spanContext: JaegerSpanContext, carrier: unknown): void;
}

/** jaeger-client's custom extractor shape (`tracer.registerExtractor`). */
export interface JaegerExtractor {
  extract(carrier: unknown): unknown;
}

/** What `close()` shuts down: an OpenTelemetry SDK provider, or anything with `shutdown()`. */
export interface ClosableTracerProvider extends TracerProvider {
  shutdown(): Promise<void>;
}

/** Options of `JaegerTracer` beyond the core shim's. */
export interface JaegerTracerOptions extends TracerShimOptions {
  /** Run by `close()` after the provider shut down, e.g. stopping a remote sampler's polling. */
  onClose?: Array<() => Promise<void>>;
}

/**
 * The tracer `initTracer` returns: a `TracerShim` that behaves like jaeger-client 3.19's Tracer
 * where applications depend on it (src/tracer.js): `close(callback)`, `registerInjector` /
 * `registerExtractor` for custom formats, jaeger-client span contexts (`JaegerSpanContext`,
 * with `isSampled()`/`isDebug()`), jaeger-client's baggage key rules (`JaegerSpan`), the parent
 * span id in `uber-trace-id`, and `jaeger-debug-id`: a carrier with only a debug id starts a new
 * root span tagged `jaeger-debug-id=<value>`, which the `JaegerSampler` samples as a debug trace
 * (subject to its throttling and opt-out).
 *
 * Unlike jaeger-client, an unknown format does not throw (a `diag` warning instead) and a custom
 * injector or extractor that throws is caught and reported. Once `close()` was called, spans
 * no longer record (see `close`).
 */
export class JaegerTracer extends TracerShim {
  private readonly _provider: ClosableTracerProvider | undefined;
  private readonly _onClose: Array<() => Promise<void>>;
  private readonly _injectors = new Map<string, JaegerInjector>();
  private readonly _extractors = new Map<string, JaegerExtractor>();
  private _closing: Promise<void> | undefined;
  // The configured propagator of each text format when it is this package's JaegerPropagator.
  private readonly _jaegerTextMap: JaegerPropagator | undefined;
  private readonly _jaegerHttpHeaders: JaegerPropagator | undefined;

  /**
   * @param provider the provider spans come from; `close()` shuts it down. A bare Tracer is
   *   accepted too (then `close()` only runs `onClose`).
   * @param options propagators, implicit parent and close hooks.
   */
  constructor(provider: ClosableTracerProvider | TracerProvider | Tracer, options: JaegerTracerOptions = {}) {
    super(provider, options);
    this._provider = typeof (provider as ClosableTracerProvider).shutdown === 'function' ? (provider as ClosableTracerProvider) : undefined;
    this._onClose = options.onClose ?? [];
    this._jaegerTextMap = asJaegerPropagator(options.textMapPropagator);
    this._jaegerHttpHeaders = asJaegerPropagator(options.httpHeadersPropagator);
  }

  /**
   * Flushes and shuts the provider down (jaeger-client: flushes the reporter and closes the
   * sampler). It settles within `SHUTDOWN_TIMEOUT_MS` (2000 ms) whatever the exporter does: a
   * step still running then (a collector that does not answer, an exporter whose `shutdown()`
   * never settles) is given up with a `diag` warning, not an error, and spans it had not
   * exported are lost; the remote sampler stops polling at once. `callback` is called once, with the error if one step failed; the returned Promise
   * settles at the same time: it rejects with that error only when no callback was given. A
   * failure is also reported through `diag`, and a rejected Promise that the caller drops (as
   * jaeger-client style code does: `tracer.close()` and nothing more) is not an unhandled
   * rejection, which would end the process. Calling it again returns the first call's outcome.
   *
   * From the call on, `startSpan` returns spans that record nothing and cost next to nothing
   * (jaeger-client's closed reporter drops its spans too): the SDK would still build a recording
   * span for each, only for its shut-down processors to drop it. As with OpenTelemetry's no-op
   * tracer, such a span has its parent's span context and baggage, so requests still in flight
   * pass their trace and baggage on; a root has no trace. Nothing is logged for them.
   */
  close(callback?: (error?: Error) => void): Promise<void> {
    if (this._closing === undefined) {
      this._closing = this._close();
      // jaeger-client's close() returns nothing, so code written for it never handles what it
      // returns; a rejection nobody handles ends a Node process (exit 1). `_close` has reported
      // the failure through `diag`, and the Promise still rejects for a caller that awaits it.
      this._closing.catch(() => undefined);
    }
    const closing = this._closing;
    if (typeof callback !== 'function') return closing;
    return closing.then(
      () => safeCallback(callback),
      (error: unknown) => safeCallback(callback, error instanceof Error ? error : new Error(String(error))),
    );
  }

  /**
   * Registers an injector for `format` (jaeger-client API); it replaces the built-in handling of
   * that format. It is called with a `JaegerSpanContext` and the carrier.
   */
  registerInjector(format: string, injector: JaegerInjector): void {
    if (!hasMethod(injector, 'inject')) {
      logger.warn(`registerInjector(${describeValue(format)}): an injector needs an inject(spanContext, carrier) method; ignored`);
      return;
    }
    this._injectors.set(format, injector);
  }

  /**
   * Registers an extractor for `format` (jaeger-client API); it replaces the built-in handling
   * of that format. What it returns is used as the extracted span context (a jaeger-client
   * SpanContext works: its ids are read through `toTraceId()`/`toSpanId()`).
   */
  registerExtractor(format: string, extractor: JaegerExtractor): void {
    if (!hasMethod(extractor, 'extract')) {
      logger.warn(`registerExtractor(${describeValue(format)}): an extractor needs an extract(carrier) method; ignored`);
      return;
    }
    this._extractors.set(format, extractor);
  }

  protected override _startSpan(name: string, fields: opentracing.SpanOptions): opentracing.Span {
    return super._startSpan(name, withDebugIdTag(fields));
  }

  protected override _newSpan(start: SpanStart, tags: unknown): SpanShim {
    const parent = start.root ? undefined : trace.getSpanContext(start.parentContext);
    const validParent = parent !== undefined && isSpanContextValid(parent) ? parent : undefined;
    if (this._closing !== undefined) {
      // Records nothing; as the OpenTelemetry API's no-op tracer does, it has its parent's span
      // context (none for a root), so requests in flight still propagate their trace.
      return new JaegerSpan(this, trace.wrapSpanContext(validParent ?? INVALID_SPAN_CONTEXT), start.baggage);
    }
    const span = JaegerSpan._startDeferred(this, start, tags) as JaegerSpan;
    if (validParent !== undefined) span._setParentSpanId(validParent.spanId);
    return span;
  }

  /**
   * Custom injectors first. When the format's propagator is a `JaegerPropagator` alone, the
   * span context is written straight from the `JaegerSpanContext`, without building an
   * OpenTelemetry Context for the propagator API: the same fields and rules as
   * `JaegerPropagator.inject`, at the cost jaeger-client users expect of their inject.
   */
  protected override _inject(spanContext: opentracing.SpanContext, format: string, carrier: unknown): void {
    const injector = this._injectors.get(format);
    if (injector === undefined) {
      const jaeger = this._jaegerPropagator(format);
      if (jaeger === undefined || !isTextMapCarrier(carrier)) return super._inject(spanContext, format, carrier);
      if (!injectJaeger(jaeger, spanContext, carrier)) this._warn('inject: not a span context; nothing injected');
      return;
    }
    try {
      const resolved = resolveSpanContext(spanContext);
      if (resolved === undefined) return;
      injector.inject(toJaegerSpanContext(resolved), carrier);
    } catch (error) {
      logger.warn(`custom injector for ${describeValue(format)} failed: ${describeError(error)}`);
    }
  }

  /** Custom extractors first; a `JaegerPropagator` alone is read straight into a `JaegerSpanContext` (see `_inject`). */
  protected override _extract(format: string, carrier: unknown): SpanContextShim | null {
    const extractor = this._extractors.get(format);
    if (extractor === undefined) {
      const jaeger = this._jaegerPropagator(format);
      if (jaeger === undefined || !isTextMapCarrier(carrier)) return super._extract(format, carrier);
      return extractJaeger(jaeger, carrier);
    }
    try {
      const extracted = extractor.extract(carrier);
      if (extracted === null || extracted === undefined) return null;
      const resolved = resolveSpanContext(extracted);
      return resolved === undefined ? null : toJaegerSpanContext(resolved, true, extracted);
    } catch (error) {
      logger.warn(`custom extractor for ${describeValue(format)} failed: ${describeError(error)}`);
      return null;
    }
  }

  /** Adds the span's parent id, which the JaegerPropagator writes into `uber-trace-id`. */
  protected override _injectionContext(spanContext: SpanContextShim): Context {
    const context = super._injectionContext(spanContext);
    const parentSpanId = spanContext instanceof JaegerSpanContext ? spanContext.getParentSpanId() : undefined;
    return parentSpanId === undefined ? context : setJaegerParentSpanId(context, spanContext.getSpanContext().spanId, parentSpanId);
  }

  /**
   * A `JaegerSpanContext` with the received parent id and `jaeger-debug-id`; unlike the core, a
   * carrier with only a debug id also gives a context (jaeger-client: "debug id container").
   */
  protected override _contextFromExtraction(extracted: Context): SpanContextShim | null {
    const core = super._contextFromExtraction(extracted);
    const debugId = extracted.getValue(JAEGER_DEBUG_ID_KEY);
    if (core === null && typeof debugId !== 'string') return null;
    const spanContext = core?.getSpanContext() ?? REMOTE_INVALID_SPAN_CONTEXT;
    const jaegerContext = new JaegerSpanContext(
      spanContext,
      EMPTY_BAGGAGE,
      getJaegerParentSpanId(extracted, spanContext.spanId),
      typeof debugId === 'string' ? debugId : undefined,
    );
    return core === null ? jaegerContext : jaegerContext._useBaggageOf(core);
  }

  private _jaegerPropagator(format: string): JaegerPropagator | undefined {
    if (format === opentracing.FORMAT_HTTP_HEADERS) return this._jaegerHttpHeaders;
    return format === opentracing.FORMAT_TEXT_MAP ? this._jaegerTextMap : undefined;
  }

  /**
   * Shuts the provider down and runs the close hooks (the remote sampler's polling stops) at the
   * same time, each step bounded by `SHUTDOWN_TIMEOUT_MS`: an exporter whose `shutdown()` never
   * settles, or a collector that does not answer, must not keep `close()` from settling.
   */
  private async _close(): Promise<void> {
    const steps: Array<Promise<unknown>> = this._onClose.map((hook) => withDeadline(hook, SHUTDOWN_TIMEOUT_MS, 'close: a close hook'));
    const provider = this._provider;
    if (provider !== undefined) steps.unshift(withDeadline(() => provider.shutdown(), SHUTDOWN_TIMEOUT_MS, 'close: the provider shutdown'));
    const failures = (await Promise.allSettled(steps)).flatMap((step) => (step.status === 'rejected' ? [step.reason as unknown] : []));
    // Past the deadline is not an error of close(): jaeger-client's close() never waits for a
    // collector, and code that awaits close() must not fail because one is slow or down.
    for (const late of failures.filter((failure) => failure instanceof DeadlineExceededError)) {
      logger.warn(`${(late as Error).message}; spans not exported by then are lost`);
    }
    const errors = failures.filter((failure) => !(failure instanceof DeadlineExceededError));
    if (errors.length > 0) {
      logger.error(`close: ${errors.map(describeError).join('; ')}`);
      throw errors[0] instanceof Error ? errors[0] : new Error(describeError(errors[0]));
    }
  }
}

const REMOTE_INVALID_SPAN_CONTEXT = Object.freeze({ ...INVALID_SPAN_CONTEXT, isRemote: true });

/** The propagator itself when it is exactly this package's JaegerPropagator (not a subclass, which may change its rules). */
function asJaegerPropagator(propagator: TextMapPropagator | undefined): JaegerPropagator | undefined {
  return propagator instanceof JaegerPropagator && Object.getPrototypeOf(propagator) === JaegerPropagator.prototype ? propagator : undefined;
}

/**
 * Writes straight into the carrier: what the JaegerPropagator produces cannot break a header
 * (ids are hex; baggage items with CR, LF or NUL, or that make no header name, are dropped by
 * it), so the checks of the core's text-map setter would find nothing.
 */
const directSetter: TextMapSetter<Record<string, unknown>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/**
 * `JaegerTracer._inject` for a JaegerPropagator alone: the same rules as `TracerShim._inject`.
 * False when `spanContext` is not a span context (nothing written); never throws.
 */
function injectJaeger(propagator: JaegerPropagator, spanContext: unknown, carrier: Record<string, unknown>): boolean {
  try {
    const resolved = resolveSpanContext(spanContext);
    if (resolved === undefined) return false;
    let header: string | undefined;
    if (resolved.isValid()) header = resolved instanceof JaegerSpanContext ? resolved.toString() : formatTraceHeader(resolved.getSpanContext(), undefined);
    propagator._write(header, resolved._baggageEntries(), carrier, directSetter);
  } catch (error) {
    logger.warn(`inject failed: ${describeError(error)}`);
  }
  return true;
}

/**
 * `JaegerTracer._extract` for a JaegerPropagator alone: the same result as extracting through
 * the propagator API (limits, remote span context, received parent id, debug id container),
 * without the OpenTelemetry Context in between. Never throws.
 */
function extractJaeger(propagator: JaegerPropagator, carrier: Record<string, unknown>): JaegerSpanContext | null {
  try {
    const found = propagator._read(carrier, textMapGetter);
    if (found === undefined) return null;
    const { received, debugId, items } = found;
    if (received === undefined && items === undefined && !debugId) return null;
    const extracted = new JaegerSpanContext(received?.spanContext ?? REMOTE_INVALID_SPAN_CONTEXT, EMPTY_BAGGAGE, received?.parentSpanId, debugId || undefined);
    return items === undefined ? extracted : extracted._useEntries(limitEntries(itemEntries(items), 'jaeger extract'));
  } catch (error) {
    logger.warn(`extract failed: ${describeError(error)}`);
    return null;
  }
}

/**
 * jaeger-client (src/tracer.js startSpan): a parent that carries only a debug id starts a new,
 * debug-sampled trace tagged with the id; the tag lets the JaegerSampler see it. `fields`
 * unchanged when there is no such parent, or when the references or tags cannot be read (a
 * throwing getter, a Proxy): the core reads them again, and reports what is wrong with them.
 */
function withDebugIdTag(fields: opentracing.SpanOptions): opentracing.SpanOptions {
  try {
    const debugId = debugIdOnlyReference(fields.references, fields.childOf);
    if (debugId === undefined) return fields;
    return { ...fields, tags: { ...(fields.tags ?? {}), [JAEGER_DEBUG_ID_HEADER]: debugId } };
  } catch {
    return fields;
  }
}

/** The debug id of a reference (or `childOf`) whose context carries nothing but `jaeger-debug-id`. */
function debugIdOnlyReference(references: opentracing.Reference[] | undefined, childOf: unknown): string | undefined {
  if (isDebugIdOnly(childOf)) return childOf.debugId;
  if (!Array.isArray(references)) return undefined;
  for (const reference of references) {
    const context: unknown = typeof reference?.referencedContext === 'function' ? reference.referencedContext() : undefined;
    if (isDebugIdOnly(context)) return context.debugId;
  }
  return undefined;
}

function isDebugIdOnly(context: unknown): context is JaegerSpanContext & { debugId: string } {
  return context instanceof JaegerSpanContext && context.debugId !== undefined && !context.isValid();
}

/**
 * `context` as a `JaegerSpanContext`. `source`, what a custom extractor returned, may be a
 * jaeger-client SpanContext (its ZipkinB3TextMapCodec returns one): its debug flag and parent id,
 * which the core's reading of foreign contexts does not keep, are kept here.
 */
function toJaegerSpanContext(context: SpanContextShim, remote = false, source?: unknown): JaegerSpanContext {
  if (context instanceof JaegerSpanContext) return context;
  let spanContext = context.getSpanContext();
  if (remote && !spanContext.isRemote) spanContext = { ...spanContext, isRemote: true };
  const foreign = (source ?? {}) as { isDebug?: unknown; parentIdStr?: unknown };
  if (typeof foreign.isDebug === 'function' && foreign.isDebug() === true) {
    // Debug implies sampled, as in the Jaeger propagator.
    const traceState = (spanContext.traceState ?? createTraceState()).set(JAEGER_DEBUG_TRACE_STATE_KEY, '1');
    spanContext = { ...spanContext, traceFlags: spanContext.traceFlags | TraceFlags.SAMPLED, traceState };
  }
  return new JaegerSpanContext(spanContext, context.getBaggage(), toOtelSpanId(foreign.parentIdStr));
}

/** Whether `value` is an object with the method `name`; false when it cannot be read (a Proxy). */
function hasMethod(value: unknown, name: string): boolean {
  try {
    return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'function';
  } catch {
    return false;
  }
}

function safeCallback(callback: (error?: Error) => void, error?: Error): void {
  try {
    if (error === undefined) callback();
    else callback(error);
  } catch (callbackError) {
    logger.error(`close callback threw: ${describeError(callbackError)}`);
  }
}
