import * as api from '@opentelemetry/api';
import type { SpanContext, TraceState } from '@opentelemetry/api';
import {
  JAEGER_DEBUG_FLAG,
  JAEGER_DEBUG_TRACE_STATE_KEY,
  JAEGER_FIREHOSE_FLAG,
  JAEGER_FIREHOSE_TRACE_STATE_KEY,
  JAEGER_FLAGS_TRACE_STATE_KEY,
  JAEGER_SAMPLED_FLAG,
} from './constants';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { INVALID_SPANID, INVALID_TRACEID, TraceFlags, createTraceState } = api;

// The `uber-trace-id` codec: `{trace-id}:{span-id}:{parent-span-id}:{flags}` <-> an OpenTelemetry
// span context and a parent span id. Every path that reads or writes the value calls it: the
// JaegerPropagator, JaegerTracer's inject and extract, JaegerSpanContext (`fromString`,
// `toString`, `flags`) and the jaeger-client codecs of codecs.ts.

const ZEROS = '0'.repeat(32);
// The `{flags}` bits that have a meaning here; the others travel in `JAEGER_FLAGS_TRACE_STATE_KEY`.
const KNOWN_FLAGS = JAEGER_SAMPLED_FLAG | JAEGER_DEBUG_FLAG | JAEGER_FIREHOSE_FLAG;
const FLAGS_VALUE = /^[0-9a-f]{1,2}$/;

/** A parsed `uber-trace-id` value. */
export interface UberTraceId {
  /** Remote; trace id 32 and span id 16 lower-case hex characters; the flags as `jaegerSpanContext` sets them. */
  readonly spanContext: SpanContext;
  /** 16 lower-case hex characters; `undefined` for parent `0` (a root). */
  readonly parentSpanId: string | undefined;
}

/**
 * Parses `{trace-id}:{span-id}:{parent-span-id}:{flags}`, with white space around it ignored,
 * into a remote span context and its parent span id; `undefined` when it is not one.
 * jaeger-client (src/span_context.js `fromString`) validates each field with `parseInt(x, 16)`,
 * which accepts `abcxyz` as `abc` and `-1`; here each field must be hex and fit its width (at most
 * 32, 16, 16 and 2 digits), and a zero trace or span id is refused too, as OpenTelemetry cannot
 * represent it. A parent of `0` means a root. One scan over the characters checks the shape.
 * Never throws.
 */
export function parseUberTraceId(value: string): UberTraceId | undefined {
  let text = value;
  if (!scanFields(text)) {
    // jaeger-client writes lower case without white space; anything else is normalised, then scanned again.
    text = value.trim().toLowerCase();
    if (!scanFields(text)) return undefined;
  }
  const end1 = FIELD_ENDS[0];
  const end2 = FIELD_ENDS[1];
  const end3 = FIELD_ENDS[2];
  if (end1 > 32 || end2 - end1 > 17 || end3 - end2 > 17) return undefined;
  const traceId = padHex(text.slice(0, end1), 32);
  const spanId = padHex(text.slice(end1 + 1, end2), 16);
  // All zeros is OpenTelemetry's invalid id; the parent may be `0`, a root.
  if (traceId === INVALID_TRACEID || spanId === INVALID_SPANID) return undefined;
  // A root's parent is `0`; it is told without padding it first.
  const parentSpanId = isZero(text, end2 + 1, end3) ? undefined : padHex(text.slice(end2 + 1, end3), 16);
  const spanContext = jaegerSpanContext(traceId, spanId, hexValue(text, end3 + 1));
  return { spanContext, parentSpanId };
}

/**
 * The remote OpenTelemetry span context of valid ids (32 and 16 lower-case hex characters) with
 * jaeger-client `flags` (0 to 0xff): sampled when the sampled (0x1) or the debug (0x2) bit is
 * set, the other bits in the TraceState (`withJaegerFlags`). Debug means "record this trace";
 * without the sampled bit an OpenTelemetry parent-based sampler would drop it, so debug implies
 * sampled here (jaeger-client keeps `2` as is).
 */
export function jaegerSpanContext(traceId: string, spanId: string, flags: number): SpanContext {
  const sampled = (flags & (JAEGER_DEBUG_FLAG | JAEGER_SAMPLED_FLAG)) !== 0;
  const spanContext: SpanContext = { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true };
  const traceState = withJaegerFlags(undefined, flags);
  if (traceState !== undefined) spanContext.traceState = traceState;
  return spanContext;
}

/**
 * Writes a span context like jaeger-client's `SpanContext.toString()`: ids in lower-case hex
 * without leading zeros, `parentSpanId` (16 hex characters) or `0` for none, and the flags of
 * `jaegerFlags` in minimal hex. The span context is not checked: callers write valid ones only.
 */
export function formatUberTraceId(spanContext: SpanContext, parentSpanId: string | undefined): string {
  const flags = jaegerFlags(spanContext);
  const traceId = stripLeadingZeros(spanContext.traceId);
  const spanId = stripLeadingZeros(spanContext.spanId);
  const parent = parentSpanId === undefined ? '0' : stripLeadingZeros(parentSpanId);
  return `${traceId}:${spanId}:${parent}:${flags.toString(16)}`;
}

/**
 * The jaeger-client `{flags}` of an OpenTelemetry span context: 0x1 from its sampled trace flag,
 * 0x2 from `jaeger-debug=1`, 0x8 from `jaeger-firehose=1` and any other bits from
 * `jaeger-flags` in its TraceState (see `constants.ts`); 0 to 0xff.
 */
export function jaegerFlags(spanContext: SpanContext): number {
  const { traceState } = spanContext;
  let flags = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 ? JAEGER_SAMPLED_FLAG : 0;
  if (traceState === undefined) return flags;
  if (traceState.get(JAEGER_DEBUG_TRACE_STATE_KEY) === '1') flags |= JAEGER_DEBUG_FLAG;
  if (traceState.get(JAEGER_FIREHOSE_TRACE_STATE_KEY) === '1') flags |= JAEGER_FIREHOSE_FLAG;
  const other = traceState.get(JAEGER_FLAGS_TRACE_STATE_KEY);
  if (other !== undefined && FLAGS_VALUE.test(other)) flags |= parseInt(other, 16) & ~KNOWN_FLAGS;
  return flags;
}

/**
 * `traceState` (none: a new one, when needed) with the bits of jaeger-client `flags` that
 * OpenTelemetry's trace flags cannot hold: debug, firehose and any bit this package gives no
 * meaning to (jaeger-client keeps every bit and passes it to children; so does the SDK with a
 * parent's TraceState). The sampled bit is the caller's to set in the trace flags. `undefined`
 * when `traceState` is `undefined` and none of these bits is set.
 */
export function withJaegerFlags(traceState: TraceState | undefined, flags: number): TraceState | undefined {
  let result = traceState;
  if ((flags & JAEGER_DEBUG_FLAG) !== 0) result = (result ?? createTraceState()).set(JAEGER_DEBUG_TRACE_STATE_KEY, '1');
  if ((flags & JAEGER_FIREHOSE_FLAG) !== 0) result = (result ?? createTraceState()).set(JAEGER_FIREHOSE_TRACE_STATE_KEY, '1');
  const other = flags & 0xff & ~KNOWN_FLAGS;
  if (other !== 0) result = (result ?? createTraceState()).set(JAEGER_FLAGS_TRACE_STATE_KEY, other.toString(16));
  return result;
}

/** jaeger-client's `Utils.removeLeadingZeros` on a hex id, lower-cased: keeps at least one digit. */
export function stripLeadingZeros(id: string): string {
  let start = 0;
  while (start < id.length - 1 && id.charCodeAt(start) === 0x30) start++;
  const stripped = start === 0 ? id : id.slice(start);
  return stripped.toLowerCase();
}

/** Where `scanFields` found the three `:` of the value it accepted last. */
const FIELD_ENDS = new Int32Array(3);

/**
 * Whether `text` is four `:`-separated fields of lower-case hex digits (`0-9a-f`), none empty,
 * the last of one or two digits: the shape of `uber-trace-id` (the field widths are checked by
 * the caller). Fills `FIELD_ENDS` with the places of the `:`. One pass over the characters, no
 * allocation: it measured cheaper than an anchored regular expression and three `indexOf`.
 */
function scanFields(text: string): boolean {
  let colons = 0;
  let fieldStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3a) {
      if (i === fieldStart || colons === 3) return false;
      FIELD_ENDS[colons++] = i;
      fieldStart = i + 1;
    } else if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) {
      return false;
    }
  }
  const last = text.length - fieldStart;
  return colons === 3 && last >= 1 && last <= 2;
}

/** Whether `text` from `start` to `end` (exclusive) is all `0`. */
function isZero(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== 0x30) return false;
  return true;
}

/**
 * The value of the hex digits of `text` from `start` to its end, which `scanFields` checked are
 * one or two lower-case hex digits: the `{flags}` field, read without `slice` and `parseInt`.
 */
function hexValue(text: string, start: number): number {
  let value = 0;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    value = value * 16 + (code <= 0x39 ? code - 0x30 : code - 0x57);
  }
  return value;
}

/** A hex id left-padded with zeros to `width` (at most 32) digits. */
function padHex(hex: string, width: number): string {
  return hex.length === width ? hex : ZEROS.slice(0, width - hex.length) + hex;
}
