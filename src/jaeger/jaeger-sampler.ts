import * as api from '@opentelemetry/api';
import type { Attributes, AttributeValue, Context, Link, SpanContext, SpanKind, TraceState } from '@opentelemetry/api';
import { SamplingDecision } from '../otel-sdk/types';
import type { Sampler, SamplingResult } from '../otel-sdk/types';
import {
  JAEGER_DEBUG_ID_HEADER,
  JAEGER_DEBUG_ID_KEY,
  JAEGER_DEBUG_TRACE_STATE_KEY,
  SAMPLER_PARAM_TAG_KEY,
  SAMPLER_TYPE_TAG_KEY,
  SAMPLING_PRIORITY_TAG_KEY,
} from './constants';
import { requireInRange } from './number-range';
import { RateLimiter } from './rate-limiting-sampler';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { TraceFlags, createTraceState, isSpanContextValid, trace } = api;

/**
 * The `sampler.type` and `sampler.param` tags jaeger-client writes on a root span its sampler
 * sampled: `const`/`true`, `probabilistic`/rate (0..1), `ratelimiting`/traces per second, and, under
 * per-operation remote strategies, `lowerbound`/the operation's rate.
 */
export interface JaegerSamplerDescription {
  type: string;
  param: number | boolean;
}

/** Options of {@link JaegerSampler}. */
export interface JaegerSamplerOptions {
  /** Decides for root spans that nothing forces. */
  root: Sampler;
  /**
   * Tags to add when `root` samples a root span, for OpenTelemetry samplers that do not name
   * themselves (`AlwaysOnSampler` is `{ type: 'const', param: true }`). Tags `root` returns itself,
   * as {@link JaegerRemoteSampler} does, win.
   */
  description?: JaegerSamplerDescription;
  /**
   * Most root spans per second that a `jaeger-debug-id` may force, a number >= 0 (default 10).
   * `0` ignores debug ids; `Infinity` honours all of them, as jaeger-client's default throttler.
   */
  maxDebugIdsPerSecond?: number;
  /** Clock of the debug id limiter in milliseconds, for tests (default `performance.now()`). */
  now?: () => number;
}

const DEFAULT_MAX_DEBUG_IDS_PER_SECOND = 10;

/**
 * jaeger-client's sampling rules on top of an OpenTelemetry root sampler (jaeger-client
 * `src/tracer.js` `startSpan`, `src/span.js` `_setSamplingPriority`):
 *
 * - a span with a valid parent follows the parent's sampled flag, local or remote parent alike;
 * - a `sampling.priority` start attribute (a number or numeric string) > 0 samples the span and sets
 *   the debug flag; <= 0 drops it and clears the flag. A non-numeric value is ignored;
 * - a root span with a debug id, the `jaeger-debug-id` start attribute or the id the Jaeger
 *   propagator's extract left in the context, is sampled with the debug flag and tagged
 *   `jaeger-debug-id=<id>`, at most `maxDebugIdsPerSecond` times per second;
 * - any other root span goes to the root sampler; when it samples, the span is tagged `sampler.type`
 *   and `sampler.param`.
 *
 * OpenTelemetry has no debug bit, so the flag travels as the TraceState entry `jaeger-debug=1`
 * (see `JAEGER_DEBUG_TRACE_STATE_KEY`). A result without a TraceState lets the SDK copy the
 * parent's, which keeps the flag on every descendant of a debug span.
 *
 * Differences from jaeger-client, whose spans share one sampling state per trace and process:
 * `sampling.priority` counts only as a start attribute and changes only the span it is on and its
 * descendants (jaeger-client also re-samples the parent, and honours the tag set after start); a
 * debug id is rate limited by default (jaeger-client honours every one unless a remote throttler
 * is configured) because it arrives in request headers anyone can send; a throttled
 * `jaeger-debug-id` start attribute stays on the span, as the SDK has no way to drop it; and forced
 * spans are not shown to the root sampler, so they spend no rate-limiting credit and carry no
 * `sampler.type` tag.
 */
export class JaegerSampler implements Sampler {
  private readonly _root: Sampler;
  private readonly _description: JaegerSamplerDescription | undefined;
  private readonly _maxDebugIdsPerSecond: number;
  private readonly _debugIdLimiter: RateLimiter | undefined;

  /** @throws RangeError, at set-up time, when `maxDebugIdsPerSecond` is negative or NaN. */
  constructor(options: JaegerSamplerOptions) {
    const max = requireInRange(
      'maxDebugIdsPerSecond',
      options.maxDebugIdsPerSecond ?? DEFAULT_MAX_DEBUG_IDS_PER_SECOND,
      0,
      Infinity,
      'a number >= 0 or Infinity',
    );
    this._root = options.root;
    this._description = options.description;
    this._maxDebugIdsPerSecond = max;
    this._debugIdLimiter = max === Infinity || max === 0 ? undefined : new RateLimiter(max, Math.max(max, 1), options.now);
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const priority = samplingPriority(attributes[SAMPLING_PRIORITY_TAG_KEY]);
    const parent = trace.getSpanContext(context);
    if (parent !== undefined && isSpanContextValid(parent)) {
      if (priority === undefined)
        return { decision: parent.traceFlags & TraceFlags.SAMPLED ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
      return priority > 0 ? debug(parent.traceState) : dropped(parent);
    }
    if (priority !== undefined && priority <= 0) return { decision: SamplingDecision.NOT_RECORD };
    const debugId = debugIdOf(attributes, context);
    if (priority !== undefined || (debugId !== undefined && this._debugIdAllowed())) return debug(undefined, debugId);

    const result = this._root.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision !== SamplingDecision.RECORD_AND_SAMPLED || this._description === undefined || result.attributes?.[SAMPLER_TYPE_TAG_KEY] !== undefined) {
      return result;
    }
    return {
      ...result,
      attributes: { ...result.attributes, [SAMPLER_TYPE_TAG_KEY]: this._description.type, [SAMPLER_PARAM_TAG_KEY]: this._description.param },
    };
  }

  /** `JaegerSampler(root=..., maxDebugIdsPerSecond=10)`. */
  toString(): string {
    return `JaegerSampler(root=${this._root.toString()}, maxDebugIdsPerSecond=${this._maxDebugIdsPerSecond})`;
  }

  private _debugIdAllowed(): boolean {
    if (this._maxDebugIdsPerSecond === 0) return false;
    return this._debugIdLimiter === undefined || this._debugIdLimiter.checkCredit(1);
  }
}

function debug(traceState: TraceState | undefined, debugId?: string): SamplingResult {
  return {
    decision: SamplingDecision.RECORD_AND_SAMPLED,
    traceState: (traceState ?? createTraceState()).set(JAEGER_DEBUG_TRACE_STATE_KEY, '1'),
    attributes: debugId === undefined ? undefined : { [JAEGER_DEBUG_ID_HEADER]: debugId },
  };
}

/** jaeger-client clears the debug flag along with the sampled one. */
function dropped(parent: SpanContext): SamplingResult {
  const traceState = parent.traceState;
  if (traceState?.get(JAEGER_DEBUG_TRACE_STATE_KEY) === undefined) return { decision: SamplingDecision.NOT_RECORD };
  return { decision: SamplingDecision.NOT_RECORD, traceState: traceState.unset(JAEGER_DEBUG_TRACE_STATE_KEY) };
}

/**
 * jaeger-client compares any value with `> 0`, so a stray non-numeric string drops the trace;
 * here only numbers and numeric strings count.
 */
function samplingPriority(value: AttributeValue | undefined): number | undefined {
  const priority = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof priority === 'number' && !Number.isNaN(priority) ? priority : undefined;
}

function debugIdOf(attributes: Attributes, context: Context): string | undefined {
  const fromAttribute = attributes[JAEGER_DEBUG_ID_HEADER];
  if (typeof fromAttribute === 'string' && fromAttribute !== '') return fromAttribute;
  const fromContext = context.getValue(JAEGER_DEBUG_ID_KEY);
  return typeof fromContext === 'string' && fromContext !== '' ? fromContext : undefined;
}
