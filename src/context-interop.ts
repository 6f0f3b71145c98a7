import * as api from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { describeError, warnOnce } from './logger';
import { resolveSpanContext } from './references';
import { EMPTY_BAGGAGE } from './span-context-shim';
import type { SpanContextShim } from './span-context-shim';
import { SpanShim } from './span-shim';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { context, createContextKey, isSpanContextValid, propagation, trace } = api;

/**
 * Where `contextWithSpan` keeps the OpenTracing span it activated, so that `activeSpan()` hands
 * OpenTracing code back the same object (with its tracer and later baggage) rather than a
 * second wrapper around the same OpenTelemetry span.
 */
const ACTIVE_SHIM_KEY = createContextKey('opentracing-otel-shim active span');

/**
 * Returns `ctx` with an OpenTracing span (or span context) as its active span and its baggage as
 * the context's OpenTelemetry Baggage, for `context.with(...)` or an OpenTelemetry API that takes
 * a Context. OpenTelemetry spans started in the returned context are children of the span, and
 * `propagation.getBaggage(ctx)` gives its baggage items.
 *
 * Accepts a `SpanShim` (its OpenTelemetry span is created now if it was deferred, which fixes
 * its SpanKind), a span or span context of another tracer or another copy of `opentracing`
 * (used as a remote parent, as in `childOf`), or this shim's `SpanContextShim`. A span with no
 * baggage leaves the context's baggage as it was. Anything else, or a span context without
 * valid ids, returns `ctx` unchanged with a `diag` warning; it never throws.
 *
 * Rule: OpenTelemetry specification, compatibility/opentracing.md ("Context Interaction"): the
 * active OpenTelemetry span and baggage are what OpenTelemetry code sees.
 *
 * @param ctx the OpenTelemetry Context to extend, e.g. `context.active()`.
 * @param span the OpenTracing span (or span context) to make active.
 */
export function contextWithSpan(ctx: Context, span: opentracing.Span | opentracing.SpanContext): Context {
  try {
    if (span instanceof SpanShim) {
      const otelSpan = span.getSpan();
      const baggage = (span.context() as SpanContextShim).getBaggage();
      let result = trace.setSpan(ctx, otelSpan).setValue(ACTIVE_SHIM_KEY, span);
      if (baggage !== EMPTY_BAGGAGE) result = propagation.setBaggage(result, baggage);
      return result;
    }
    const resolved = resolveSpanContext(span);
    if (resolved === undefined) return ctx;
    if (!resolved.isValid()) {
      warnOnce('interop.contextWithSpan.invalid', 'contextWithSpan: the span context has no valid trace id and span id; context unchanged');
      return ctx;
    }
    const baggage = resolved.getBaggage();
    const result = trace.setSpanContext(ctx, resolved.getSpanContext());
    return baggage === EMPTY_BAGGAGE ? result : propagation.setBaggage(result, baggage);
  } catch (error) {
    warnOnce('interop.contextWithSpan.failed', `contextWithSpan failed; context unchanged: ${describeError(error)}`);
    return ctx;
  }
}

/**
 * Calls `fn` with `thisArg` and `args` while an OpenTracing span is the active OpenTelemetry span
 * (see `contextWithSpan`), and returns what `fn` returns. OpenTelemetry spans started inside,
 * also after `await`, timers and event emitters under an AsyncLocalStorage context manager, are
 * children of the span and see its baggage through `propagation.getBaggage(context.active())`.
 *
 * Bad `span` input runs `fn` in the current context with a `diag` warning; errors thrown by `fn`
 * itself reach the caller as they would without the shim.
 *
 * @param span the OpenTracing span (or span context) to make active.
 * @param fn the function to run; `thisArg` and `args` are passed as with `context.with`.
 */
export function withSpan<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
  span: opentracing.Span | opentracing.SpanContext,
  fn: F,
  thisArg?: ThisParameterType<F>,
  ...args: A
): ReturnType<F> {
  return context.with(contextWithSpan(context.active(), span), fn, thisArg, ...args);
}

/**
 * The active OpenTelemetry span as an OpenTracing span, or null when there is none (or its span
 * context is invalid). Use it where OpenTracing code needs a parent from OpenTelemetry code:
 * `tracer.startSpan('db', { childOf: activeSpan() })`. The returned span carries the active
 * OpenTelemetry Baggage as its baggage items.
 *
 * If the active span was made active by `withSpan`/`contextWithSpan`, the same `SpanShim` is
 * returned. Otherwise a new `SpanShim` wraps the OpenTelemetry span, as
 * `@opentelemetry/shim-opentracing`'s SpanShim does: tags and logs go to that span and
 * `finish()` ends it, so call `finish()` only on spans your code started. Never throws; on
 * failure it returns null with a `diag` warning.
 *
 * @param tracer what the span's `tracer()` returns; default `opentracing.globalTracer()`.
 */
export function activeSpan(tracer?: opentracing.Tracer): SpanShim | null {
  try {
    const active = context.active();
    const otelSpan = trace.getSpan(active);
    if (otelSpan === undefined || !isSpanContextValid(otelSpan.spanContext())) return null;
    const activated = active.getValue(ACTIVE_SHIM_KEY);
    // Compared by span id: after finish() the shim lets go of its OpenTelemetry span object.
    if (activated instanceof SpanShim && activated._otelSpanContext().spanId === otelSpan.spanContext().spanId) return activated;
    return new SpanShim(tracer ?? opentracing.globalTracer(), otelSpan, propagation.getBaggage(active) ?? EMPTY_BAGGAGE);
  } catch (error) {
    warnOnce('interop.activeSpan.failed', `activeSpan failed; null returned: ${describeError(error)}`);
    return null;
  }
}
