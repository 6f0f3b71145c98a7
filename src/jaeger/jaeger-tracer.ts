import * as api from '@opentelemetry/api';
import type { BaggageEntry, Context, SpanContext, Tracer, TracerProvider } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { describeValue, readEntries } from '../attributes';
import { carrierGetter, cleanFieldSetter, isTextMapCarrier } from '../carrier';
import { toOtelSpanId, toOtelTraceId } from '../hex-ids';
import { breaksHeader, limitEntries } from '../limits';
import { describeError, logger, warnOnce } from '../logger';
import { resolveSpanContext } from '../references';
import { EMPTY_BAGGAGE, SpanContextShim } from '../span-context-shim';
import type { BaggageEntries } from '../span-context-shim';
import type { PendingSpan } from '../pending-span';
import type { SpanShim } from '../span-shim';
import { TracerShim } from '../tracer-shim';
import type { TracerShimOptions } from '../tracer-shim';
import { DeadlineExceededError, SHUTDOWN_TIMEOUT_MS, withDeadline } from '../sdk/bounded-shutdown';
import { JAEGER_DEBUG_FLAG, JAEGER_DEBUG_ID_HEADER, JAEGER_DEBUG_ID_KEY, JAEGER_SAMPLED_FLAG } from './constants';
import type { JaegerCarrier } from './jaeger-carrier';
import { directJaegerCarrier } from './jaeger-propagator';
import { JaegerSpan } from './jaeger-span';
import { JaegerSpanContext, REMOTE_INVALID_SPAN_CONTEXT } from './jaeger-span-context';
import { getJaegerParentSpanId, setJaegerParentSpanId } from './parent-span-id';
import { jaegerSpanContext } from './uber-trace-id';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { INVALID_SPAN_CONTEXT, isSpanContextValid, trace } = api;

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
 * As in jaeger-client, `extract` of FORMAT_TEXT_MAP or FORMAT_HTTP_HEADERS never returns null:
 * a carrier with nothing in it gives an empty span context (invalid, no baggage), which as a
 * parent counts as none; given both `childOf` and ChildOf references, `childOf` is the parent;
 * every `uber-trace-id` flag bit is kept and passed to children.
 *
 * Unlike jaeger-client, an unknown format does not throw (a `diag` warning instead), a custom
 * injector or extractor that throws is caught and reported, what a custom extractor returns is
 * held to the baggage limits of docs/security.md, and a custom injector cannot write a field
 * with CR, LF or NUL into a plain-object or Map carrier. Once `close()` was called, spans no
 * longer record (see `close`). The differences are listed in docs/migrating-from-jaeger-client.md.
 */
export class JaegerTracer extends TracerShim {
  private readonly _provider: ClosableTracerProvider | undefined;
  private readonly _onClose: Array<() => Promise<void>>;
  private readonly _injectors = new Map<string, JaegerInjector>();
  private readonly _extractors = new Map<string, JaegerExtractor>();
  private _closing: Promise<void> | undefined;
  // The carrier reader and writer of each text format's propagator when it is a JaegerPropagator
  // with its own inject and extract (`directJaegerCarrier`).
  private readonly _jaegerTextMap: JaegerCarrier | undefined;
  private readonly _jaegerHttpHeaders: JaegerCarrier | undefined;

  /**
   * @param provider the provider spans come from; `close()` shuts it down. A bare Tracer is
   *   accepted too (then `close()` only runs `onClose`).
   * @param options propagators, implicit parent and close hooks.
   */
  constructor(provider: ClosableTracerProvider | TracerProvider | Tracer, options: JaegerTracerOptions = {}) {
    super(provider, options);
    this._provider = typeof (provider as ClosableTracerProvider).shutdown === 'function' ? (provider as ClosableTracerProvider) : undefined;
    this._onClose = options.onClose ?? [];
    this._jaegerTextMap = directJaegerCarrier(options.textMapPropagator);
    this._jaegerHttpHeaders = directJaegerCarrier(options.httpHeadersPropagator);
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
   * that format. It is called with a `JaegerSpanContext` and the carrier. When the carrier is a
   * plain object or a `Map`, a field the injector writes whose name or (string) value contains
   * CR, LF or NUL is not kept (one `diag` warning per tracer and format), the rule of
   * docs/security.md for every inject: code such as express-opentracing copies every field into
   * `res.setHeader`, which throws on such a value. Other carriers are the injector's own business.
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
   * of that format. What it returns is used as the extracted span context, as in jaeger-client:
   * a jaeger-client SpanContext (its `ZipkinB3TextMapCodec` returns one) becomes a
   * `JaegerSpanContext` with its ids (`toTraceId()`/`toSpanId()`), parent id, every flag bit,
   * `debugId` and baggage, also when it has no valid ids (a baggage-only or `jaeger-debug-id`-only
   * carrier), with the baggage held to `MAX_BAGGAGE_ITEMS` / `MAX_BAGGAGE_BYTES` in one pass;
   * null and undefined give null; anything else that is no span context gives null with a
   * `diag` warning.
   */
  registerExtractor(format: string, extractor: JaegerExtractor): void {
    if (!hasMethod(extractor, 'extract')) {
      logger.warn(`registerExtractor(${describeValue(format)}): an extractor needs an extract(carrier) method; ignored`);
      return;
    }
    this._extractors.set(format, extractor);
  }

  /** The current time in milliseconds since the epoch, `Date.now()` (jaeger-client `tracer.now()`). */
  now(): number {
    return Date.now();
  }

  /** @internal OpenTracing's hook, not part of the public surface */
  protected override _startSpan(name: string, fields: opentracing.SpanOptions): opentracing.Span {
    return super._startSpan(name, jaegerSpanOptions(fields));
  }

  /**
   * A `JaegerSpan` that remembers its parent's span id; a span that records nothing once `close()` was called.
   * @internal TracerShim's hook, not part of the public surface
   */
  protected override _newSpan(start: PendingSpan, tags: unknown): SpanShim {
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
   * Custom injectors first. When the format's propagator is a `JaegerPropagator` alone (with its
   * own `inject` and `extract`), the span context is written straight from the
   * `JaegerSpanContext` by the propagator's own carrier writer (`JaegerCarrier`), without building
   * an OpenTelemetry Context for the propagator API: the same code, at the cost jaeger-client
   * users expect of their inject.
   * @internal OpenTracing's hook, not part of the public surface
   */
  protected override _inject(spanContext: opentracing.SpanContext, format: string, carrier: unknown): void {
    const injector = this._injectors.get(format);
    if (injector === undefined) {
      const jaeger = this._jaegerCarrier(format);
      if (jaeger === undefined || !isTextMapCarrier(carrier)) return super._inject(spanContext, format, carrier);
      if (!injectJaeger(jaeger, spanContext, carrier)) this._warn('inject: not a span context; nothing injected');
      return;
    }
    try {
      const resolved = resolveSpanContext(spanContext);
      if (resolved === undefined) return;
      const removed = injectGuarded(injector, toJaegerSpanContext(resolved), carrier);
      if (removed > 0) this._warn(`custom injector for ${describeValue(format)} wrote fields with CR, LF or NUL in the name or value; they were removed`);
    } catch (error) {
      warnOnce('jaeger.custom-injector.failed', `custom injector for ${describeValue(format)} failed: ${describeError(error)}`);
    }
  }

  /**
   * Custom extractors first; a `JaegerPropagator` alone is read straight into a
   * `JaegerSpanContext` (see `_inject`). A text format never gives null (jaeger-client).
   * @internal OpenTracing's hook, not part of the public surface
   */
  protected override _extract(format: string, carrier: unknown): SpanContextShim | null {
    const extractor = this._extractors.get(format);
    if (extractor !== undefined) return extractCustom(extractor, format, carrier);
    const jaeger = this._jaegerCarrier(format);
    const extracted = jaeger !== undefined && isTextMapCarrier(carrier) ? extractJaeger(jaeger, carrier) : super._extract(format, carrier);
    if (extracted !== null || (format !== opentracing.FORMAT_TEXT_MAP && format !== opentracing.FORMAT_HTTP_HEADERS)) return extracted;
    return new JaegerSpanContext(REMOTE_INVALID_SPAN_CONTEXT);
  }

  /**
   * Adds the span's parent id, which the JaegerPropagator writes into `uber-trace-id`.
   * @internal TracerShim's hook, not part of the public surface
   */
  protected override _injectionContext(spanContext: SpanContextShim): Context {
    const context = super._injectionContext(spanContext);
    const parentSpanId = spanContext instanceof JaegerSpanContext ? spanContext.getParentSpanId() : undefined;
    return parentSpanId === undefined ? context : setJaegerParentSpanId(context, spanContext.getSpanContext().spanId, parentSpanId);
  }

  /**
   * A `JaegerSpanContext` with the received parent id and `jaeger-debug-id`; unlike the core, a
   * carrier with only a debug id also gives a context (jaeger-client: "debug id container").
   * @internal TracerShim's hook, not part of the public surface
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

  private _jaegerCarrier(format: string): JaegerCarrier | undefined {
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

/**
 * `JaegerTracer._inject` for a JaegerPropagator alone: the same rules as `TracerShim._inject`.
 * The carrier writer drops what could break a header (ids are hex; baggage items with CR, LF or
 * NUL, or that make no header name, are dropped), so the fields are written without the core
 * setter's second check. False when `spanContext` is not a span context (nothing written);
 * never throws.
 */
function injectJaeger(jaeger: JaegerCarrier, spanContext: unknown, carrier: Record<string, unknown>): boolean {
  try {
    const resolved = resolveSpanContext(spanContext);
    if (resolved === undefined) return false;
    jaeger.writeContext(resolved, carrier, cleanFieldSetter);
  } catch (error) {
    warnOnce('jaeger.tracer.inject.failed', `inject failed: ${describeError(error)}`);
  }
  return true;
}

/**
 * `JaegerTracer._extract` for a JaegerPropagator alone: the same result as extracting through
 * the propagator API (limits, remote span context, received parent id, debug id container),
 * without the OpenTelemetry Context in between. Never throws.
 */
function extractJaeger(jaeger: JaegerCarrier, carrier: Record<string, unknown>): JaegerSpanContext | null {
  try {
    return jaeger.readContext(carrier, carrierGetter());
  } catch (error) {
    warnOnce('jaeger.tracer.extract.failed', `extract failed: ${describeError(error)}`);
    return null;
  }
}

/**
 * The options as jaeger-client 3.19 reads them (src/tracer.js startSpan), for the core's
 * `_startSpan`:
 * - given both `childOf` and ChildOf references, `childOf` is the parent (the core, following the
 *   OpenTelemetry spec, takes the first ChildOf): it goes first among the references;
 * - an empty span context (what `extract` gives for a carrier with nothing in it) counts as no
 *   parent, so the implicit parent (the active OpenTelemetry span) still applies, as it did when
 *   `extract` returned null;
 * - a parent that carries only a debug id starts a new, debug-sampled trace tagged with the id;
 *   the tag lets the JaegerSampler see it.
 * `fields` unchanged when nothing applies, or when the references or tags cannot be read (a
 * throwing getter, a Proxy): the core reads them again, and reports what is wrong with them.
 */
function jaegerSpanOptions(fields: opentracing.SpanOptions): opentracing.SpanOptions {
  try {
    const { references } = fields;
    let childOf: unknown = fields.childOf;
    // The usual call, `{ childOf: span }` or `{ childOf: extracted }`, costs two tests.
    if ((references === undefined || references === null) && !(childOf instanceof JaegerSpanContext)) return fields;
    let changed = false;
    if (isEmptyContext(childOf)) {
      childOf = undefined;
      changed = true;
    }
    let debugId = isDebugIdOnly(childOf) ? childOf.debugId : undefined;
    let kept = references;
    if (Array.isArray(references)) {
      let hasChildOf = false;
      const readable: opentracing.Reference[] = [];
      for (const reference of references as unknown[]) {
        const { context, type } = readReference(reference);
        if (isEmptyContext(context)) continue;
        if (debugId === undefined && isDebugIdOnly(context)) debugId = context.debugId;
        hasChildOf ||= type === opentracing.REFERENCE_CHILD_OF;
        readable.push(reference as opentracing.Reference);
      }
      if (readable.length !== references.length) {
        kept = readable;
        changed = true;
      }
      if (hasChildOf && childOf !== undefined && childOf !== null) {
        kept = [opentracing.childOf(childOf as opentracing.SpanContext), ...readable];
        childOf = undefined;
        changed = true;
      }
    }
    if (debugId !== undefined)
      return { ...fields, childOf: childOf as opentracing.SpanContext, references: kept, tags: { ...(fields.tags ?? {}), [JAEGER_DEBUG_ID_HEADER]: debugId } };
    return changed ? { ...fields, childOf: childOf as opentracing.SpanContext, references: kept } : fields;
  } catch {
    return fields;
  }
}

/** A reference's context and type, duck-typed as the core reads them; empty when unreadable. */
function readReference(reference: unknown): { context?: unknown; type?: unknown } {
  const { referencedContext, type } = (reference ?? {}) as Partial<opentracing.Reference>;
  return {
    context: typeof referencedContext === 'function' ? referencedContext.call(reference) : undefined,
    type: typeof type === 'function' ? type.call(reference) : undefined,
  };
}

function isDebugIdOnly(context: unknown): context is JaegerSpanContext & { debugId: string } {
  return context instanceof JaegerSpanContext && context.debugId !== undefined && !context.isValid();
}

/** Whether `context` is a span context with nothing in it: no valid ids, no debug id, no baggage. */
function isEmptyContext(context: unknown): boolean {
  return context instanceof JaegerSpanContext && context.debugId === undefined && !context.isValid() && context._baggageEntries().length === 0;
}

/** `context` as a `JaegerSpanContext`, for a custom injector. */
function toJaegerSpanContext(context: SpanContextShim): JaegerSpanContext {
  if (context instanceof JaegerSpanContext) return context;
  return new JaegerSpanContext(context.getSpanContext(), context.getBaggage());
}

/**
 * `JaegerTracer._extract` with a custom extractor: what it returns, as a `JaegerSpanContext` (see
 * `registerExtractor`). Never throws: an extractor that throws gives null with a warning.
 */
function extractCustom(extractor: JaegerExtractor, format: string, carrier: unknown): JaegerSpanContext | null {
  try {
    const extracted = extractor.extract(carrier);
    if (extracted === null || extracted === undefined) return null;
    if (extracted instanceof SpanContextShim) return fromShim(extracted);
    if (hasMethod(extracted, 'toTraceId') && hasMethod(extracted, 'toSpanId') && !hasMethod(extracted, 'getSpanContext')) {
      return fromJaegerClientContext(extracted as Record<string, unknown>);
    }
    // A Span, or a span context shim of another copy of this package.
    const resolved = resolveSpanContext(extracted);
    return resolved === undefined ? null : fromShim(resolved);
  } catch (error) {
    warnOnce('jaeger.custom-extractor.failed', `custom extractor for ${describeValue(format)} failed: ${describeError(error)}`);
    return null;
  }
}

/** A span context shim as an extracted (remote) `JaegerSpanContext`, its baggage within the limits. */
function fromShim(context: SpanContextShim): JaegerSpanContext {
  const entries = context._baggageEntries();
  const kept = limitEntries(entries, 'custom extractor');
  if (context instanceof JaegerSpanContext && kept === entries) return context;
  let spanContext = context.getSpanContext();
  if (!spanContext.isRemote) spanContext = { ...spanContext, isRemote: true };
  const jaeger = context instanceof JaegerSpanContext ? context : undefined;
  return new JaegerSpanContext(spanContext, EMPTY_BAGGAGE, jaeger?.getParentSpanId(), jaeger?.debugId)._useEntries(kept);
}

/**
 * A jaeger-client SpanContext (src/span_context.js), or any span context with `toTraceId()` and
 * `toSpanId()`, as an extracted `JaegerSpanContext`. jaeger-client keeps a context without valid
 * ids when it has baggage or a debug id (its `ZipkinB3TextMapCodec` gives one for a carrier with
 * only `uberctx-*` or `jaeger-debug-id`), so here too. Its `flags` (every bit; else `isSampled()`
 * and `isDebug()`), `parentIdStr`, `debugId` and `baggage` are read when present; a part that
 * cannot be read is left out with a warning. The baggage is read in one pass and held to the
 * extract limits (jaeger-client's codecs have none).
 */
function fromJaegerClientContext(source: Record<string, unknown>): JaegerSpanContext {
  const traceId = toOtelTraceId((source.toTraceId as () => unknown).call(source));
  const spanId = toOtelSpanId((source.toSpanId as () => unknown).call(source));
  let spanContext: SpanContext = REMOTE_INVALID_SPAN_CONTEXT;
  let parentSpanId: string | undefined;
  if (traceId !== undefined && spanId !== undefined) {
    const flags = readOptional('flags', () => foreignFlags(source)) ?? JAEGER_SAMPLED_FLAG;
    spanContext = jaegerSpanContext(traceId, spanId, flags);
    parentSpanId = toOtelSpanId(readOptional('parent id', () => source.parentIdStr));
  }
  const debugId = readOptional('debug id', () => source.debugId);
  const baggage = readOptional('baggage', () => source.baggage);
  const context = new JaegerSpanContext(spanContext, EMPTY_BAGGAGE, parentSpanId, typeof debugId === 'string' && debugId !== '' ? debugId : undefined);
  return context._useEntries(typeof baggage === 'object' && baggage !== null ? limitEntries(baggageEntries(baggage), 'custom extractor') : []);
}

/** jaeger-client's `flags` number when there is one, else the bits `isSampled()` and `isDebug()` tell. */
function foreignFlags(source: Record<string, unknown>): number {
  if (typeof source.flags === 'number' && Number.isInteger(source.flags)) return source.flags & 0xff;
  let flags = 0;
  if (typeof source.isSampled !== 'function' || (source.isSampled as () => unknown).call(source)) flags |= JAEGER_SAMPLED_FLAG;
  if (typeof source.isDebug === 'function' && (source.isDebug as () => unknown).call(source) === true) flags |= JAEGER_DEBUG_FLAG;
  return flags;
}

/** The string items of a plain-object baggage, as baggage entries, in one pass. */
function baggageEntries(baggage: object): BaggageEntries {
  const entries: Array<[string, BaggageEntry]> = [];
  for (const [key, value] of readEntries(baggage, 'the baggage of an extracted span context')) {
    if (typeof value === 'string') entries.push([key, { value }]);
  }
  return entries;
}

/** One optional part of a foreign span context; `undefined`, with a warning, when reading it throws. */
function readOptional<T>(part: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    warnOnce(
      `jaeger.custom-extractor.${part}`,
      `custom extractor: the ${part} of the extracted span context could not be read; left out: ${describeError(error)}`,
    );
    return undefined;
  }
}

/**
 * Calls a custom injector. A plain-object or `Map` carrier is checked afterwards, also when the
 * injector throws: each field it added or changed whose name or string value (or a string
 * element of an array value) contains CR, LF or NUL is put back as it was. Returns how many
 * fields were put back; rethrows what the injector threw.
 */
function injectGuarded(injector: JaegerInjector, spanContext: JaegerSpanContext, carrier: unknown): number {
  const restore = carrierGuard(carrier);
  let failure: { error: unknown } | undefined;
  try {
    injector.inject(spanContext, carrier);
  } catch (error) {
    failure = { error };
  }
  const restored = restore === undefined ? 0 : restore();
  if (failure !== undefined) throw failure.error;
  return restored;
}

const ABSENT = Symbol('absent');

/** What puts back the unsafe fields an injector writes into `carrier`; `undefined` for a carrier that is neither a plain object nor a Map. */
function carrierGuard(carrier: unknown): (() => number) | undefined {
  if (isMap(carrier)) {
    const map = carrier as Map<unknown, unknown>;
    const before = new Map(map);
    return () => restoreUnsafe(map.entries(), before, (key, value) => (value === ABSENT ? map.delete(key) : map.set(key, value)));
  }
  if (!isPlainObject(carrier)) return undefined;
  const before = new Map<unknown, unknown>(Object.entries(carrier));
  return () =>
    restoreUnsafe(Object.entries(carrier), before, (key, value) => {
      if (value === ABSENT) delete carrier[key as string];
      else carrier[key as string] = value;
    });
}

function restoreUnsafe(entries: Iterable<[unknown, unknown]>, before: Map<unknown, unknown>, put: (key: unknown, value: unknown) => void): number {
  const unsafe: Array<[unknown, unknown]> = [];
  for (const [key, value] of entries) {
    if (before.has(key) && before.get(key) === value) continue;
    if ((typeof key === 'string' && breaksHeader(key)) || breaksValue(value)) unsafe.push([key, before.has(key) ? before.get(key) : ABSENT]);
  }
  for (const [key, value] of unsafe) put(key, value);
  return unsafe.length;
}

function breaksValue(value: unknown): boolean {
  if (typeof value === 'string') return breaksHeader(value);
  return Array.isArray(value) && value.some((element) => typeof element === 'string' && breaksHeader(element));
}

function isMap(value: unknown): value is Map<unknown, unknown> {
  try {
    return value instanceof Map;
  } catch {
    return false;
  }
}

/** Whether `value` is an object made by `{}` or `Object.create(null)`; false when that cannot be read (a Proxy). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const prototype: unknown = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
  } catch {
    return false;
  }
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
