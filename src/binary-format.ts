import * as api from '@opentelemetry/api';
import type { Baggage, BaggageEntry, SpanContext } from '@opentelemetry/api';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS, createSizedBaggage, limitEntries, utf8Length, warnOncePerKind } from './limits';
import type { Warn } from './limits';
import { warnOnce } from './logger';
import type { BaggageEntries } from './span-context-shim';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { TraceFlags, propagation } = api;

/**
 * Byte layout of OpenTracing's FORMAT_BINARY carrier (`carrier.buffer`), version 0. The trace
 * context part is the OpenCensus/OpenTelemetry binary trace context layout, so other binary
 * propagators of that family can read it; baggage follows as an optional field:
 *
 * ```
 * offset  size  content
 * 0       1     version = 0
 * 1       1     field id 0 (trace id)    2   16  trace id
 * 18      1     field id 1 (span id)     19  8   span id
 * 27      1     field id 2 (trace flags) 28  1   trace flags (bit 0 = sampled)
 * 29      1     field id 3 (baggage)     30  4   byte length N, unsigned big-endian
 * 34      N     baggage: UTF-8 JSON object {"key": "value", ...}
 * ```
 * The baggage field is written only when there is baggage. Readers skip nothing: unknown field
 * ids or a short buffer make the whole buffer invalid.
 *
 * Both sides hold baggage to the extract limits, `MAX_BAGGAGE_ITEMS` items and
 * `MAX_BAGGAGE_BYTES` bytes of keys and values, and the JSON to `MAX_BAGGAGE_JSON_BYTES`: inject
 * writes only whole items that fit, so the receiver always reads the trace context back; a
 * buffer from elsewhere with a longer baggage field keeps its trace context and loses its
 * baggage, and one with more items keeps the first that fit (docs/security.md).
 */
export const BINARY_FORMAT_VERSION = 0;

const TRACE_CONTEXT_LENGTH = 29;
const BAGGAGE_FIELD_ID = 3;
/** Longest baggage field read back, in bytes: the 8192 bytes of baggage with room for JSON quoting. */
const MAX_BAGGAGE_JSON_BYTES = 16 * 1024;

/**
 * Encodes a span context and its baggage in the layout above: the baggage items, in order, that
 * fit the limits; the others are dropped whole and reported to `warn`.
 */
export function encodeBinary(spanContext: SpanContext, baggage: Baggage, warn: Warn = warnOncePerKind): Uint8Array {
  const json = baggageJson(baggage.getAllEntries(), warn);
  const baggageBytes = json === undefined ? undefined : new TextEncoder().encode(json);
  const bytes = new Uint8Array(TRACE_CONTEXT_LENGTH + (baggageBytes === undefined ? 0 : 5 + baggageBytes.length));
  bytes[0] = BINARY_FORMAT_VERSION;
  bytes[1] = 0;
  writeHex(bytes, 2, spanContext.traceId, 16);
  bytes[18] = 1;
  writeHex(bytes, 19, spanContext.spanId, 8);
  bytes[27] = 2;
  bytes[28] = spanContext.traceFlags & 0xff;
  if (baggageBytes !== undefined) {
    bytes[29] = BAGGAGE_FIELD_ID;
    new DataView(bytes.buffer).setUint32(30, baggageBytes.length);
    bytes.set(baggageBytes, 34);
  }
  return bytes;
}

/**
 * Decodes a buffer in the layout above: an ArrayBuffer, a typed array or Buffer, or an array of
 * byte values. Returns `undefined`, with a `diag` warning, for anything malformed.
 */
export function decodeBinary(buffer: unknown): { spanContext: SpanContext; baggage: Baggage } | undefined {
  const bytes = toBytes(buffer);
  if (
    bytes === undefined ||
    bytes.length < TRACE_CONTEXT_LENGTH ||
    bytes[0] !== BINARY_FORMAT_VERSION ||
    bytes[1] !== 0 ||
    bytes[18] !== 1 ||
    bytes[27] !== 2
  ) {
    warnOnce('binary.extract.layout', "FORMAT_BINARY: the carrier buffer is not in the shim's binary layout; nothing extracted");
    return undefined;
  }
  const traceId = readHex(bytes, 2, 16);
  const spanId = readHex(bytes, 19, 8);
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: bytes[28] & TraceFlags.SAMPLED,
    isRemote: true,
  };
  let baggage = propagation.createBaggage();
  if (bytes.length > TRACE_CONTEXT_LENGTH) {
    const parsed = readBaggage(bytes);
    if (parsed === undefined) return undefined;
    baggage = parsed;
  }
  // All-zero ids give an invalid span context; TracerShim still returns it when it has baggage.
  return { spanContext, baggage };
}

/**
 * `{"key":"value",...}` of the items that fit `MAX_BAGGAGE_ITEMS`, `MAX_BAGGAGE_BYTES` and, as
 * JSON, `MAX_BAGGAGE_JSON_BYTES`; `undefined` when none is kept. One pass, one string.
 */
function baggageJson(entries: BaggageEntries, warn: Warn): string | undefined {
  const members: string[] = [];
  let bytes = 0;
  let jsonBytes = 1;
  for (const [key, entry] of entries) {
    const size = utf8Length(key) + utf8Length(entry.value);
    // JSON.stringify escapes lone surrogates, so the member is well-formed and its length is exact.
    const member = `${JSON.stringify(key)}:${JSON.stringify(entry.value)}`;
    const memberBytes = utf8Length(member) + 1;
    if (members.length < MAX_BAGGAGE_ITEMS && bytes + size <= MAX_BAGGAGE_BYTES && jsonBytes + memberBytes <= MAX_BAGGAGE_JSON_BYTES) {
      members.push(member);
      bytes += size;
      jsonBytes += memberBytes;
    }
  }
  if (members.length < entries.length) {
    warn(
      `FORMAT_BINARY inject: dropped ${entries.length - members.length} baggage items over the limits (${MAX_BAGGAGE_ITEMS} items, ${MAX_BAGGAGE_BYTES} bytes); the trace context is kept`,
    );
  }
  return members.length === 0 ? undefined : `{${members.join(',')}}`;
}

function readBaggage(bytes: Uint8Array): Baggage | undefined {
  if (bytes[29] !== BAGGAGE_FIELD_ID || bytes.length < 34) return invalid('unknown field after the trace context');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(30);
  if (bytes.length !== 34 + length) return invalid('baggage length does not match the buffer');
  if (length > MAX_BAGGAGE_JSON_BYTES) {
    warnOnce(
      'binary.extract.baggage-size',
      `FORMAT_BINARY extract: the baggage field is over ${MAX_BAGGAGE_JSON_BYTES} bytes; the trace context is kept without baggage`,
    );
    return EMPTY;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(34)));
  } catch {
    return invalid('baggage is not UTF-8 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return invalid('baggage is not a JSON object');
  const entries: Array<[string, BaggageEntry]> = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') entries.push([key, { value }]);
  }
  return createSizedBaggage(limitEntries(entries, 'FORMAT_BINARY extract'));
}

const EMPTY: Baggage = propagation.createBaggage();

function invalid(reason: string): undefined {
  warnOnce(`binary.extract.${reason}`, `FORMAT_BINARY: ${reason}; nothing extracted`);
  return undefined;
}

function toBytes(buffer: unknown): Uint8Array | undefined {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (
    Array.isArray(buffer) &&
    buffer.length <= TRACE_CONTEXT_LENGTH + 5 + MAX_BAGGAGE_JSON_BYTES &&
    buffer.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)
  ) {
    return Uint8Array.from(buffer as number[]);
  }
  return undefined;
}

function writeHex(bytes: Uint8Array, offset: number, hex: string, length: number): void {
  for (let i = 0; i < length; i++) {
    const byte = parseInt(hex.substr(i * 2, 2), 16);
    bytes[offset + i] = Number.isNaN(byte) ? 0 : byte;
  }
}

function readHex(bytes: Uint8Array, offset: number, length: number): string {
  let hex = '';
  for (let i = 0; i < length; i++) hex += bytes[offset + i].toString(16).padStart(2, '0');
  return hex;
}
