import type { Baggage, BaggageEntry } from '@opentelemetry/api';
import * as api from '@opentelemetry/api';
import { warnOnce } from './logger';
import type { BaggageEntries } from './span-context-shim';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { propagation } = api;

/**
 * Most baggage items extract takes from one carrier, whatever the format (W3C `baggage`,
 * Jaeger `uberctx-*` and `jaeger-baggage`, FORMAT_BINARY); the rest are dropped with a `diag`
 * warning. The number is the W3C Baggage limit that OpenTelemetry JS applies to a `baggage`
 * header (`BAGGAGE_MAX_NAME_VALUE_PAIRS` in `@opentelemetry/core`). Without a bound one request
 * could load every later hop with baggage. See docs/security.md.
 */
export const MAX_BAGGAGE_ITEMS = 180;

/**
 * Most baggage extract takes from one carrier, in bytes: the UTF-8 length of every kept item's
 * key plus its (decoded) value; items past it are dropped with a `diag` warning. W3C Baggage
 * allows 8192 bytes for a whole `baggage` header (`BAGGAGE_MAX_TOTAL_LENGTH` in OpenTelemetry JS).
 */
export const MAX_BAGGAGE_BYTES = 8192;

/**
 * Longest carrier value extract reads, in UTF-8 bytes (for an array value, all elements
 * together); a longer value of any key is read as absent, with a `diag` warning. 8 KiB is the
 * common per-header limit of HTTP servers (Node's whole header block is 16 KiB by default).
 */
export const MAX_HEADER_VALUE_BYTES = 8192;

/**
 * Whether `text` contains CR, LF or NUL, the characters that let a value end a header line or a
 * C string early; inject never writes them into a carrier. It runs on every field of every
 * inject. Three `indexOf` scans measured fastest on Node 20: 62 ns for a freshly built
 * `traceparent`, against 129 ns for the regular expression `/[\r\n\0]/` and more for a
 * `charCodeAt` loop; the expression pays for flattening the concatenated string first.
 */
export function breaksHeader(text: string): boolean {
  return text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1 || text.indexOf('\0') !== -1;
}

/** Length of `text` in UTF-8, counting a lone surrogate as the 3 bytes of U+FFFD. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Whether a carrier value (a string, or an array of strings) is over `MAX_HEADER_VALUE_BYTES`. */
export function isOversized(value: string | readonly string[]): boolean {
  // A usual header value needs no counting.
  if (typeof value === 'string' && surelyFits(value.length, MAX_HEADER_VALUE_BYTES)) return false;
  return exceedsUtf8Bytes(typeof value === 'string' ? [value] : value, MAX_HEADER_VALUE_BYTES);
}

/**
 * Whether the UTF-8 length of `texts` together is over `limit`. A UTF-16 code unit is 1 to 3
 * UTF-8 bytes (a surrogate pair: 2 units, 4 bytes), so only texts in between need counting.
 */
export function exceedsUtf8Bytes(texts: readonly string[], limit: number): boolean {
  let units = 0;
  for (const text of texts) units += text.length;
  if (surelyFits(units, limit)) return false;
  if (units > limit) return true;
  let bytes = 0;
  for (const text of texts) bytes += utf8Length(text);
  return bytes > limit;
}

/**
 * Keeps, in order, the baggage entries (`Baggage.getAllEntries()`) that fit `MAX_BAGGAGE_ITEMS`
 * and `MAX_BAGGAGE_BYTES`: the list itself when everything fits (the usual case, one pass over
 * it), else a new list, with a `diag` warning saying how many were dropped.
 *
 * @param source names the format in the warning, e.g. `extract`.
 * @param warn where the warning goes; default `diag`, each time. A caller on a hot path passes
 *   its once-per-message warning.
 */
export function limitEntries(entries: BaggageEntries, source: string, warn: Warn = warnOncePerKind): BaggageEntries {
  if (entries.length > MAX_BAGGAGE_ITEMS) return keepWithinLimits(entries, source, warn);
  let units = 0;
  for (const [key, entry] of entries) units += key.length + entry.value.length;
  // Only a long list needs counting.
  if (surelyFits(units, MAX_BAGGAGE_BYTES)) return entries;
  const texts: string[] = [];
  for (const [key, entry] of entries) texts.push(key, entry.value);
  return exceedsUtf8Bytes(texts, MAX_BAGGAGE_BYTES) ? keepWithinLimits(entries, source, warn) : entries;
}

/**
 * What the limit checks need to know of a Baggage this package built (`createSizedBaggage`): its
 * number of entries, their keys' and values' length in UTF-16 code units, and whether any has
 * metadata. It is kept on the new Baggage under a module-private symbol: a Baggage from
 * elsewhere (a propagator of `@opentelemetry/core`, the application) does not have it, and
 * nothing here reads another package's private fields. A symbol measured cheaper than a
 * `WeakMap` keyed by the Baggage: a Baggage of two entries cost 0.1 µs more than
 * `propagation.createBaggage` alone with the symbol, 1.3 µs more with the `WeakMap` (one more
 * entry per extract, until the next full GC).
 */
interface BaggageSize {
  readonly size: number;
  readonly units: number;
  readonly metadata: boolean;
  /** The Baggage measured: an object that copied the symbol (`{ ...baggage }`) is not it. */
  readonly of: Baggage;
}

const SIZE = Symbol('opentracing-otel-shim baggage size');

type SizedBaggage = Baggage & { [SIZE]?: BaggageSize };

/** The size `createSizedBaggage` recorded on `baggage`, or `undefined` (also when it cannot be read, a Proxy). */
function sizeOf(baggage: Baggage): BaggageSize | undefined {
  try {
    const size = (baggage as SizedBaggage)[SIZE];
    return size !== undefined && size.of === baggage ? size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `propagation.createBaggage` of `entries` (keys as given, `__proto__` included: the entries are
 * defined as properties; of equal keys the last wins), remembering its size so that
 * `countWithinLimits` and `surelyFitsInjected` answer for it without listing its entries. The
 * size is taken from `entries`, one pass over the list: an entry that a later one of the same
 * key replaced is not counted (a key given twice with the very same entry object counts twice,
 * an overestimate that only sends the checks to their listing path).
 */
export function createSizedBaggage(entries: BaggageEntries): Baggage {
  // `Object.fromEntries` defines properties, so a key like `__proto__` stays an entry.
  const record: Record<string, BaggageEntry> = Object.fromEntries(entries);
  const baggage: SizedBaggage = propagation.createBaggage(record);
  let size = 0;
  let units = 0;
  let metadata = false;
  for (const [key, entry] of entries) {
    if (record[key] !== entry) continue;
    size++;
    units += key.length + (typeof entry?.value === 'string' ? entry.value.length : MAX_BAGGAGE_BYTES);
    metadata ||= entry?.metadata !== undefined;
  }
  baggage[SIZE] = { size, units, metadata, of: baggage };
  return baggage;
}

/**
 * How many entries `baggage` holds, when that is known without listing them (a Baggage made by
 * `createSizedBaggage`) and they are surely within `MAX_BAGGAGE_ITEMS` and `MAX_BAGGAGE_BYTES`;
 * otherwise `undefined`, and the caller lists them once with `getAllEntries()` and
 * `limitEntries`, which is correct for any Baggage. (It used to read the private `_entries` Map
 * of `@opentelemetry/api`'s Baggage, which a minor api release may rename: issue 16.)
 */
export function countWithinLimits(baggage: Baggage): number | undefined {
  const known = sizeOf(baggage);
  // A longer list is counted by limitEntries.
  return known !== undefined && known.size <= MAX_BAGGAGE_ITEMS && surelyFits(known.units, MAX_BAGGAGE_BYTES) ? known.size : undefined;
}

/**
 * Whether `baggage` surely fits what `limitInjectedEntries` lets through with the default W3C
 * measure, told without listing its entries (known as `countWithinLimits` knows them): at most
 * `MAX_BAGGAGE_ITEMS` entries, no metadata, and short enough that even percent-encoded (at most 9
 * characters per UTF-16 code unit) they fit `MAX_BAGGAGE_BYTES`. `false` means "count them",
 * not "too large", and is the answer for a Baggage this package did not make.
 */
export function surelyFitsInjected(baggage: Baggage): boolean {
  const known = sizeOf(baggage);
  return known !== undefined && !known.metadata && known.size <= MAX_BAGGAGE_ITEMS && known.units * 9 + 2 * known.size <= MAX_BAGGAGE_BYTES;
}

/**
 * Whether text of `units` UTF-16 code units is surely at most `limit` bytes in UTF-8, without
 * counting: a code unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4).
 */
function surelyFits(units: number, limit: number): boolean {
  return units * 3 <= limit;
}

/** Keeps, in order, the entries that fit the limits, and warns with the number dropped. */
function keepWithinLimits(entries: BaggageEntries, source: string, warn: Warn): BaggageEntries {
  const kept: Array<readonly [string, BaggageEntry]> = [];
  let bytes = 0;
  for (const item of entries) {
    const size = utf8Length(item[0]) + utf8Length(item[1].value);
    if (kept.length < MAX_BAGGAGE_ITEMS && bytes + size <= MAX_BAGGAGE_BYTES) {
      kept.push(item);
      bytes += size;
    }
  }
  warn(`${source}: dropped ${entries.length - kept.length} baggage items over the limits (${MAX_BAGGAGE_ITEMS} items, ${MAX_BAGGAGE_BYTES} bytes)`);
  return kept;
}

/**
 * The union of baggage entry lists, held to `MAX_BAGGAGE_ITEMS` and `MAX_BAGGAGE_BYTES`: for
 * each key its first entry in list order (so the first list wins), kept in order while it fits;
 * an entry that does not fit is dropped whole and its key stays taken. One pass, and once
 * `MAX_BAGGAGE_ITEMS` are kept the rest is only looked up, never added, so the work and the set
 * of keys stay small however many lists there are (100 lists of 180 items: 18,000 entries, of
 * which at most 180 are kept). Dropped entries, counted over keys not already kept, are reported
 * to `warn` once.
 *
 * @param source names the operation in the warning, e.g. `startSpan`.
 */
export function unionWithinLimits(lists: readonly BaggageEntries[], source: string, warn: Warn = warnOncePerKind): BaggageEntries {
  const kept: Array<readonly [string, BaggageEntry]> = [];
  const keys = new Set<string>();
  let bytes = 0;
  let dropped = 0;
  for (const list of lists) {
    for (const item of list) {
      const key = item[0];
      if (keys.has(key)) continue;
      if (kept.length === MAX_BAGGAGE_ITEMS) {
        dropped++;
        continue;
      }
      keys.add(key);
      const size = utf8Length(key) + utf8Length(item[1].value);
      if (bytes + size > MAX_BAGGAGE_BYTES) {
        dropped++;
        continue;
      }
      kept.push(item);
      bytes += size;
    }
  }
  if (dropped > 0) warn(`${source}: dropped ${dropped} baggage items over the limits (${MAX_BAGGAGE_ITEMS} items, ${MAX_BAGGAGE_BYTES} bytes)`);
  return kept;
}

/** Where a limit reports what it dropped. */
export type Warn = (message: string) => void;

/**
 * The default `Warn`: once per kind of message in the process (`warnOnce`), the kind being the
 * message with its numbers taken out, so that every request over a limit does not log a line.
 */
export function warnOncePerKind(message: string): void {
  warnOnce(`limits:${message.replace(/\d+/g, '#')}`, message);
}

/**
 * The bytes one baggage item takes in a W3C `baggage` header as OpenTelemetry JS writes it:
 * `encodeURIComponent(key)=encodeURIComponent(value)`, then `;metadata` when the entry has any.
 */
export function w3cMemberLength(key: string, entry: BaggageEntry): number {
  const member = percentEncodedLength(key) + 1 + percentEncodedLength(entry.value);
  return entry.metadata === undefined ? member : member + 1 + String(entry.metadata.toString()).length;
}

/**
 * Keeps, in order, the whole baggage items that a carrier can take: at most
 * `MAX_BAGGAGE_ITEMS`, and at most `MAX_BAGGAGE_BYTES` as the format writes them (`measure` of
 * each kept item, plus `separator` bytes between two). It is the inject side of the extract
 * limits: what one service writes, the next one keeps, and no hop grows the headers (baggage of
 * 8 KB, percent-encoded, could otherwise become 24 KB of headers and a 431 from the next Node
 * service). Items that do not fit are dropped whole, never cut; the trace context is not
 * baggage and is never dropped. The list itself is returned when everything fits.
 *
 * @param measure bytes one item takes in the carrier; default `w3cMemberLength`. A format with
 *   its own encoding (the Jaeger headers: one `uberctx-{key}` header each) passes its own.
 * @param separator bytes between two items (`,` in W3C baggage: 1).
 * @param warn gets one message per call that dropped something, with how many were dropped.
 */
export function limitInjectedEntries(
  entries: BaggageEntries,
  warn: Warn,
  measure: (key: string, entry: BaggageEntry) => number = w3cMemberLength,
  separator = 1,
): BaggageEntries {
  let bytes = -separator;
  let kept: Array<readonly [string, BaggageEntry]> | undefined;
  for (let i = 0; i < entries.length; i++) {
    const item = entries[i];
    const size = separator + measure(item[0], item[1]);
    const fits = (kept === undefined ? i : kept.length) < MAX_BAGGAGE_ITEMS && bytes + size <= MAX_BAGGAGE_BYTES;
    if (fits) bytes += size;
    if (fits && kept !== undefined) kept.push(item);
    else if (!fits && kept === undefined) kept = entries.slice(0, i);
  }
  if (kept === undefined) return entries;
  warn(
    `inject: dropped ${entries.length - kept.length} baggage items over the limits (${MAX_BAGGAGE_ITEMS} items, ${MAX_BAGGAGE_BYTES} bytes as written); the trace context is kept`,
  );
  return kept;
}

/**
 * Length of `encodeURIComponent(text)`, without building it and without throwing: a code unit
 * that it leaves alone is 1, anything else 3 per UTF-8 byte; a lone surrogate (which makes
 * `encodeURIComponent` throw) counts as U+FFFD, 9.
 */
export function percentEncodedLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += isUnreserved(code) ? 1 : 3;
    else if (code < 0x800) length += 6;
    else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(i + 1))) {
      length += 12;
      i++;
    } else length += 9;
  }
  return length;
}

/** The ASCII characters `encodeURIComponent` does not escape: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`. */
function isUnreserved(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x5f ||
    code === 0x2e ||
    code === 0x21 ||
    code === 0x7e ||
    code === 0x2a ||
    code === 0x27 ||
    code === 0x28 ||
    code === 0x29
  );
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
