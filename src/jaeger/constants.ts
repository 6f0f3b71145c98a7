import * as api from '@opentelemetry/api';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { createContextKey } = api;

/**
 * Default carrier key of the serialized span context,
 * `{trace-id}:{span-id}:{parent-span-id}:{flags}` (jaeger-client `constants.js`,
 * `TRACER_STATE_HEADER_NAME`). Matched case-insensitively on extract.
 */
export const JAEGER_TRACE_HEADER = 'uber-trace-id';

/**
 * Default prefix of the one-key-per-item baggage encoding, `uberctx-{key}: {value}`, dash included
 * (jaeger-client `constants.js`, `TRACER_BAGGAGE_HEADER_PREFIX`).
 */
export const JAEGER_BAGGAGE_HEADER_PREFIX = 'uberctx-';

/**
 * Carrier key whose value is a correlation id that asks for a debug trace (jaeger-client
 * `constants.js`, `JAEGER_DEBUG_HEADER`). Read on extract only; jaeger-client never writes it.
 */
export const JAEGER_DEBUG_ID_HEADER = 'jaeger-debug-id';

/**
 * Carrier key holding extra baggage as `k1=v1, k2=v2`, meant for requests that have no trace yet
 * (jaeger-client `constants.js`, `JAEGER_BAGGAGE_HEADER`). Read on extract only.
 */
export const JAEGER_BAGGAGE_HEADER = 'jaeger-baggage';

/** Bit of the `{flags}` field: the trace is sampled (jaeger-client `SAMPLED_MASK`). */
export const JAEGER_SAMPLED_FLAG = 0x1;

/** Bit of the `{flags}` field: a debug request forced the trace (jaeger-client `DEBUG_MASK`). */
export const JAEGER_DEBUG_FLAG = 0x2;

/**
 * Bit of the `{flags}` field: a firehose trace, which the Jaeger backend stores without indexing
 * (jaeger-client `FIREHOSE_MASK`). Other bits (0x4, reserved by Jaeger, and 0x10 to 0x80) have no
 * meaning here but are carried, see {@link JAEGER_FLAGS_TRACE_STATE_KEY}.
 */
export const JAEGER_FIREHOSE_FLAG = 0x8;

/**
 * TraceState entry (`jaeger-debug=1`) that carries the Jaeger debug flag through OpenTelemetry,
 * which has no debug bit of its own: W3C trace-context level 2 gives bit 0x2 of its trace flags
 * to "random trace id", so reusing the bit would misstate both. The SDK copies a parent's
 * TraceState to its children, so the flag survives spans started by any OpenTelemetry code.
 * Only the value `1` counts as set.
 */
export const JAEGER_DEBUG_TRACE_STATE_KEY = 'jaeger-debug';

/**
 * TraceState entry (`jaeger-firehose=1`) that carries the Jaeger firehose flag, for the same
 * reason as {@link JAEGER_DEBUG_TRACE_STATE_KEY}: jaeger-client passes every flag of its parent on
 * to its children and out again, and a service on this shim in the middle of a trace should not
 * quietly turn firehose traces into indexed ones. Only the value `1` counts as set.
 */
export const JAEGER_FIREHOSE_TRACE_STATE_KEY = 'jaeger-firehose';

/**
 * TraceState entry holding the bits of the `{flags}` field other than sampled (0x1), debug (0x2)
 * and firehose (0x8), as lower-case hex without leading zeros (`jaeger-flags=4` for
 * `uber-trace-id` flags `5`); absent when there are none. jaeger-client keeps every bit it
 * receives and passes them to children; the SDK passes a parent's TraceState to its children, so
 * this entry does the same here.
 */
export const JAEGER_FLAGS_TRACE_STATE_KEY = 'jaeger-flags';

/**
 * Context key of the Jaeger parent span id: the `{parent-span-id}` field of `uber-trace-id` has no
 * place in an OpenTelemetry span context. The value is a `JaegerParentSpanId`,
 * `{ spanId, parentSpanId }` (see `jaeger-propagator.ts`). Extract stores the received parent; a
 * tracer stores a span's parent before injecting it. The value names the span it belongs to, so
 * that a span started later in the same context by other OpenTelemetry code is injected with
 * parent `0` rather than with its grandparent's id. Use `setJaegerParentSpanId` and
 * `getJaegerParentSpanId` rather than the key itself.
 */
export const JAEGER_PARENT_SPAN_ID_KEY = createContextKey('opentracing-otel-shim jaeger parent span id');

/**
 * Context key of the `jaeger-debug-id` value received by extract (a string, as sent, URL-decoded in
 * HTTP-header mode). jaeger-client starts the next root span sampled and debug, tagged
 * `jaeger-debug-id=<value>`, when the carrier had this header but no valid trace.
 */
export const JAEGER_DEBUG_ID_KEY = createContextKey('opentracing-otel-shim jaeger debug id');

/** Tag naming the sampler that sampled a root span (jaeger-client `constants.js`, `SAMPLER_TYPE_TAG_KEY`). */
export const SAMPLER_TYPE_TAG_KEY = 'sampler.type';

/** Tag holding that sampler's parameter (jaeger-client `constants.js`, `SAMPLER_PARAM_TAG_KEY`). */
export const SAMPLER_PARAM_TAG_KEY = 'sampler.param';

/** OpenTracing's `Tags.SAMPLING_PRIORITY`: > 0 forces a debug trace, <= 0 drops the span. */
export const SAMPLING_PRIORITY_TAG_KEY = 'sampling.priority';
