import type { Context } from '@opentelemetry/api';
import { toOtelSpanId } from '../hex-ids';
import { JAEGER_PARENT_SPAN_ID_KEY } from './constants';

// The parent span id of `uber-trace-id` has no slot in an OpenTelemetry span context. Where a
// Context carries the span context (the propagation API: JaegerPropagator's inject and extract,
// and JaegerTracer building the Context it injects from), the parent id travels beside it under
// `JAEGER_PARENT_SPAN_ID_KEY`, tied to the span it belongs to.

/**
 * Value stored under `JAEGER_PARENT_SPAN_ID_KEY`: `parentSpanId` is the parent of the span
 * `spanId`. Both are 16 lower-case hex characters, as OpenTelemetry writes span ids.
 */
export interface JaegerParentSpanId {
  readonly spanId: string;
  readonly parentSpanId: string;
}

/**
 * Records that the span `spanId` has the parent `parentSpanId` (both hex span ids), so that
 * injecting that span writes the parent into `uber-trace-id` as jaeger-client does. The value is
 * ignored when a different span is injected from the returned context.
 */
export function setJaegerParentSpanId(context: Context, spanId: string, parentSpanId: string): Context {
  const value: JaegerParentSpanId = {
    spanId: spanId.toLowerCase(),
    parentSpanId: parentSpanId.toLowerCase(),
  };
  return context.setValue(JAEGER_PARENT_SPAN_ID_KEY, value);
}

/**
 * The parent of the span `spanId` recorded in `context` by {@link setJaegerParentSpanId} or by
 * extract, as 16 lower-case hex characters. `undefined` when none is recorded for that span, when
 * the recorded parent is `0` (a root), or when the stored value is not a hex span id.
 */
export function getJaegerParentSpanId(context: Context, spanId: string): string | undefined {
  const value = context.getValue(JAEGER_PARENT_SPAN_ID_KEY) as Partial<JaegerParentSpanId> | undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const { spanId: childId, parentSpanId } = value;
  if (typeof childId !== 'string' || childId !== spanId.toLowerCase()) return undefined;
  return toOtelSpanId(parentSpanId);
}
