import * as api from '@opentelemetry/api';
import type { Attributes, HrTime, SpanContext, SpanStatus } from '@opentelemetry/api';
import { ExportResultCode } from '../otel-sdk/types';
import type { ExportResult, ReadableSpan, SpanExporter, TimedEvent } from '../otel-sdk/types';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_TYPE, EXCEPTION_EVENT_NAME, LINK_REF_TYPE_ATTRIBUTE } from '../constants';
import { logger, warnOnce } from '../logger';
import { MAX_TIMER_DELAY_MS } from '../time';
import type { BaggageSpanProcessor } from './baggage-span-processor';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { isValidSpanId, isValidTraceId, SpanKind, SpanStatusCode } = api;

const DEFAULT_MAX_TRACES = 1000;
const DEFAULT_MAX_SPANS = 5000;
const DEFAULT_MAX_WAIT_MS = 30_000;
const { SUCCESS, FAILED } = ExportResultCode;

/**
 * A finished span as `TraceTreeExporter` reads it: the package's one finished-span shape, a
 * structural SDK `ReadableSpan` that spans of every SDK line fit (1.x `parentSpanId`, 2.x and
 * 3.x `parentSpanContext`). Times are OpenTelemetry `HrTime`: `[seconds, nanoseconds]` since
 * the Unix epoch (`duration`: since `startTime`).
 */
export type TraceTreeSpan = ReadableSpan;

/** A span's event as `TraceTreeExporter` reads it (an SDK `TimedEvent`); `time` is an `HrTime`. */
export type TraceTreeEvent = TimedEvent;

/** Configuration of a `TraceTreeExporter`; every field is optional. */
export interface TraceTreeExporterOptions {
  /**
   * Receives the drawing: one call per `export()`/`forceFlush()` that has something to print,
   * with whole lines ending in `\n`. Default: `process.stdout.write`, bound to `process.stdout`.
   * If it throws, `export()` reports `ExportResultCode.FAILED` with that error.
   */
  write?: (text: string) => void;
  /**
   * Where to look up the baggage each span started with; usually the `BaggageSpanProcessor`
   * registered on the same provider. Without it no baggage lines are drawn, because a
   * `ReadableSpan` does not carry baggage.
   */
  baggage?: Pick<BaggageSpanProcessor, 'getBaggage'>;
  /**
   * Most traces held while waiting for their root span, and most drawn trace ids remembered to
   * head late spans as a continuation. Past it, the oldest trace is drawn and forgotten.
   * A positive integer; anything else falls back to the default, 1000, with a `diag` warning.
   */
  maxTraces?: number;
  /**
   * Most spans held, all waiting traces together (default 5000; a span holds about 1 KB). Past
   * it, the oldest waiting traces are drawn as they are, headed `(partial)`, and their later
   * spans as continuations. A positive integer; anything else gets the default and a `diag` warning.
   */
  maxSpans?: number;
  /**
   * Milliseconds a trace may wait for its root span (default 30000): a trace whose root lives in
   * another process, or was never sampled here, has none. Then what arrived is drawn, headed
   * `(partial)`, by an unref'd timer. A positive number up to 2^31 - 1; anything else gets the
   * default and a `diag` warning.
   */
  maxWaitMs?: number;
}

/** The spans of a trace waiting for its root, and when the first of them arrived (ms since the epoch). */
interface Waiting {
  readonly since: number;
  readonly entries: Entry[];
}

/** A span with the ids it is filed under, read once when it is exported. */
interface Entry {
  readonly span: TraceTreeSpan;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** The parent context was extracted (another process); SDK 1.x does not say, so false. */
  readonly parentIsRemote: boolean;
}

/**
 * A `SpanExporter` for people debugging: it draws each finished trace as a tree, one line per
 * span, children under their parent in start order. A span line shows the name, kind, duration
 * in milliseconds (two decimals), status (`OK`, `ERROR: message`, nothing when unset), the
 * number of attributes and the span id; beneath it come its events (exceptions as type and
 * message), links (with their `opentracing.ref_type`) and, given a `BaggageSpanProcessor`,
 * its baggage:
 *
 * ```text
 * trace 4bf92f3577b34da6a3ce929d0e0e4736
 * └── GET /users  SERVER  12.50 ms  OK  2 attributes  span 00f067aa0ba902b7
 *     │ baggage user.id="42"
 *     └── SELECT users  CLIENT  3.25 ms  ERROR: timeout  1 attribute  span 53995c3f42cd8ad8
 *           exception +2.00 ms Error: timeout
 * ```
 *
 * Spans are held per trace until the trace's root span (one with no parent at all) is
 * exported, then the whole trace is drawn. A span whose parent is not among the held spans
 * heads its own subtree, marked `(remote parent <id>)` when its parent context was extracted
 * (the parent lives in another process) and `(parent <id>)` otherwise; a parent from the same
 * process is found and nested under even when the context crossed `inject`/`extract`. Spans
 * of an already drawn trace are drawn as a tree headed `(continued)`, one per trace per
 * `export()` call. `forceFlush()` and `shutdown()` draw everything still held: a process that
 * only ever continues remote traces prints its traces then, or when `maxTraces` pushes them out.
 * Memory is bounded: a trace still without its root after `maxWaitMs`, and the oldest traces once
 * `maxSpans` spans are held, are drawn as they are, headed `(partial)`.
 *
 * Export never throws: spans without a valid span context are skipped with a `diag` warning,
 * and malformed fields are drawn as `?`.
 */
export class TraceTreeExporter implements SpanExporter {
  private readonly _write: (text: string) => void;
  private readonly _baggage: Pick<BaggageSpanProcessor, 'getBaggage'> | undefined;
  private readonly _maxTraces: number;
  private readonly _maxSpans: number;
  private readonly _maxWaitMs: number;
  /** Spans waiting for their trace's root, by trace id; Map order is oldest trace first. */
  private readonly _waiting = new Map<string, Waiting>();
  /** Spans in `_waiting`, all traces together. */
  private _held = 0;
  /** Draws the traces that waited `maxWaitMs`; set while any trace waits. */
  private _timer: NodeJS.Timeout | undefined;
  /** Ids of drawn traces, oldest first, so that late spans are headed as a continuation. */
  private readonly _drawn = new Set<string>();
  private _isShutdown = false;

  constructor(options: TraceTreeExporterOptions = {}) {
    this._write = options.write ?? process.stdout.write.bind(process.stdout);
    this._baggage = options.baggage;
    this._maxTraces = validPositive(options.maxTraces, 'maxTraces', DEFAULT_MAX_TRACES, true);
    this._maxSpans = validPositive(options.maxSpans, 'maxSpans', DEFAULT_MAX_SPANS, true);
    this._maxWaitMs = validPositive(options.maxWaitMs, 'maxWaitMs', DEFAULT_MAX_WAIT_MS, false);
  }

  /**
   * Files `spans` under their traces and draws every trace whose root span is among them, then
   * the spans of already drawn traces as continuations. Calls `resultCallback` synchronously:
   * `SUCCESS`, or `FAILED` when `write` threw or the exporter is shut down.
   */
  export(spans: readonly TraceTreeSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this._isShutdown) {
      resultCallback({ code: FAILED, error: new Error('TraceTreeExporter is shut down') });
      return;
    }
    let text = '';
    const rooted = new Set<string>();
    const late = new Map<string, Entry[]>();
    for (const span of Array.isArray(spans) ? spans : []) {
      const entry = readEntry(span);
      if (entry === undefined) {
        warnOnce('tree.invalid-span', 'TraceTreeExporter: skipping a span without a valid span context');
        continue;
      }
      const { traceId } = entry;
      if (this._drawn.has(traceId)) {
        push(late, traceId, entry);
        continue;
      }
      if (!this._waiting.has(traceId)) {
        text += this._evictPastCap();
        this._waiting.set(traceId, { since: Date.now(), entries: [] });
      }
      this._waiting.get(traceId)!.entries.push(entry);
      this._held += 1;
      if (entry.parentSpanId === undefined) rooted.add(traceId);
    }
    for (const traceId of rooted) text += this._drawWaiting(traceId);
    for (const traceId of this._waiting.keys()) {
      if (this._held <= this._maxSpans) break;
      text += this._drawWaiting(traceId, true);
    }
    this._schedule();
    for (const [traceId, entries] of late) {
      text += drawTrace(`trace ${traceId} (continued)`, entries, this._baggage);
    }
    resultCallback(this._emit(text));
  }

  /**
   * Draws every trace still waiting for its root, oldest first. Resolves even if `write`
   * throws (the error goes to `diag`), because a flush runs inside application shutdown paths.
   */
  forceFlush(): Promise<void> {
    const result = this._emit(this._drawAllWaiting());
    if (result.error !== undefined) logger.error('TraceTreeExporter: write failed', result.error);
    return Promise.resolve();
  }

  /** Draws what is still waiting, like `forceFlush()`; later `export()` calls report `FAILED`. */
  async shutdown(): Promise<void> {
    if (this._isShutdown) return;
    await this.forceFlush();
    this._isShutdown = true;
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  /** Arms the timer for the oldest waiting trace, unless it is armed or nothing waits. */
  private _schedule(): void {
    if (this._timer !== undefined || this._isShutdown) return;
    const oldest = this._waiting.values().next().value;
    if (oldest === undefined) return;
    this._timer = setTimeout(() => this._drawOverdue(), Math.max(0, oldest.since + this._maxWaitMs - Date.now()));
    this._timer.unref();
  }

  /** Draws, headed `(partial)`, every trace that waited `maxWaitMs`. */
  private _drawOverdue(): void {
    this._timer = undefined;
    const now = Date.now();
    let text = '';
    for (const [traceId, waiting] of this._waiting) {
      if (now - waiting.since < this._maxWaitMs) break;
      text += this._drawWaiting(traceId, true);
    }
    const result = this._emit(text);
    if (result.error !== undefined) logger.error('TraceTreeExporter: write failed', result.error);
    this._schedule();
  }

  private _drawAllWaiting(): string {
    let text = '';
    for (const traceId of [...this._waiting.keys()]) text += this._drawWaiting(traceId);
    return text;
  }

  private _evictPastCap(): string {
    let text = '';
    for (const traceId of this._waiting.keys()) {
      if (this._waiting.size < this._maxTraces) break;
      text += this._drawWaiting(traceId);
    }
    return text;
  }

  private _drawWaiting(traceId: string, partial = false): string {
    const waiting = this._waiting.get(traceId);
    if (waiting === undefined) return '';
    const { entries } = waiting;
    this._waiting.delete(traceId);
    this._held -= entries.length;
    this._drawn.add(traceId);
    if (this._drawn.size > this._maxTraces) {
      this._drawn.delete(this._drawn.values().next().value!);
    }
    return drawTrace(`trace ${traceId}${partial ? ' (partial)' : ''}`, entries, this._baggage);
  }

  private _emit(text: string): ExportResult {
    if (text === '') return { code: SUCCESS };
    try {
      this._write(text);
      return { code: SUCCESS };
    } catch (error) {
      return { code: FAILED, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}

function validPositive(value: number | undefined, name: string, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value > 0 && value <= MAX_TIMER_DELAY_MS && (!integer || Number.isInteger(value))) return value;
  logger.warn(`TraceTreeExporter: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  return fallback;
}

function readEntry(span: TraceTreeSpan): Entry | undefined {
  let context: SpanContext | undefined;
  try {
    context = span.spanContext();
  } catch {
    return undefined;
  }
  const traceId = context?.traceId;
  const spanId = context?.spanId;
  if (typeof traceId !== 'string' || !isValidTraceId(traceId)) return undefined;
  if (typeof spanId !== 'string' || !isValidSpanId(spanId)) return undefined;
  // SDK 2.x exposes the parent's context, SDK 1.x only its span id.
  const parent = span.parentSpanContext;
  const parentSpanId = parent !== undefined ? parent.spanId : span.parentSpanId;
  return {
    span,
    traceId,
    spanId,
    parentSpanId: typeof parentSpanId === 'string' && isValidSpanId(parentSpanId) ? parentSpanId : undefined,
    parentIsRemote: parent?.isRemote === true,
  };
}

/**
 * Draws one trace. A span whose parent is not among `entries` heads its own subtree and names
 * the parent: `remote parent` when the context was extracted, else plain `parent` (one drawn
 * earlier, one still running, or, on SDK 1.x, which does not say, possibly a remote one).
 */
function drawTrace(heading: string, entries: readonly Entry[], baggage: Pick<BaggageSpanProcessor, 'getBaggage'> | undefined): string {
  try {
    const spanIds = new Set(entries.map((entry) => entry.spanId));
    const children = new Map<string, Entry[]>();
    const tops: Entry[] = [];
    for (const entry of entries) {
      const { parentSpanId } = entry;
      if (parentSpanId !== undefined && parentSpanId !== entry.spanId && spanIds.has(parentSpanId)) {
        push(children, parentSpanId, entry);
      } else {
        tops.push(entry);
      }
    }
    const lines = [heading];
    const drawn = new Set<Entry>();
    const drawLevel = (siblings: readonly Entry[], prefix: string): void => {
      const sorted = siblings.filter((entry) => !drawn.has(entry)).sort(byStartTime);
      sorted.forEach((entry, index) => {
        drawn.add(entry);
        const isLast = index === sorted.length - 1;
        const orphan =
          entry.parentSpanId !== undefined && !spanIds.has(entry.parentSpanId)
            ? `  (${entry.parentIsRemote ? 'remote parent' : 'parent'} ${entry.parentSpanId})`
            : '';
        lines.push(`${prefix}${isLast ? '└── ' : '├── '}${spanLine(entry)}${orphan}`);
        const childPrefix = prefix + (isLast ? '    ' : '│   ');
        const kids = children.get(entry.spanId) ?? [];
        const detailPrefix = childPrefix + (kids.length > 0 ? '│ ' : '  ');
        for (const detail of detailLines(entry, baggage)) lines.push(detailPrefix + detail);
        drawLevel(kids, childPrefix);
      });
    };
    drawLevel(tops, '');
    // Only spans whose parents form a cycle (corrupt input) are left; show them rather than lose them.
    for (const entry of entries) drawLevel([entry], '');
    return lines.join('\n') + '\n';
  } catch (error) {
    logger.warn('TraceTreeExporter: could not draw a trace', error);
    return `${heading}\n    (could not draw ${entries.length} spans: ${String(error)})\n`;
  }
}

function spanLine({ span, spanId }: Entry): string {
  const parts = [oneLine(span.name), kindName(span.kind), `${formatMs(durationMs(span))} ms`];
  const status = statusText(span.status);
  if (status !== '') parts.push(status);
  const count = span.attributes != null ? Object.keys(span.attributes).length : 0;
  parts.push(count === 1 ? '1 attribute' : `${count} attributes`);
  parts.push(`span ${spanId}`);
  return parts.join('  ');
}

function detailLines({ span, traceId }: Entry, baggage: Pick<BaggageSpanProcessor, 'getBaggage'> | undefined): string[] {
  const lines: string[] = [];
  for (const event of Array.isArray(span.events) ? span.events : []) {
    const at = `+${formatMs(hrDiffMs(event.time, span.startTime))} ms`;
    const attributes = event.attributes ?? {};
    if (event.name === EXCEPTION_EVENT_NAME) {
      const type = attributes[ATTR_EXCEPTION_TYPE];
      const message = attributes[ATTR_EXCEPTION_MESSAGE];
      const described = [type, message]
        .filter((part) => part !== undefined)
        .map(String)
        .join(': ');
      lines.push(oneLine(`exception ${at} ${described}`.trimEnd()));
    } else {
      lines.push(`event ${oneLine(event.name)} ${at}${formatAttributes(attributes)}`);
    }
  }
  for (const link of Array.isArray(span.links) ? span.links : []) {
    const refType = link.attributes?.[LINK_REF_TYPE_ATTRIBUTE];
    const target = link.context?.traceId === traceId ? link.context.spanId : `${link.context?.traceId}/${link.context?.spanId}`;
    lines.push(refType !== undefined ? `link ${oneLine(String(refType))} -> ${target}` : `link -> ${target}`);
  }
  const entries = baggage?.getBaggage(span)?.getAllEntries() ?? [];
  if (entries.length > 0) {
    const pairs = entries.map(([key, entry]) => ` ${oneLine(key)}=${formatValue(entry.value)}`);
    lines.push(`baggage${pairs.join('')}`);
  }
  return lines;
}

function formatAttributes(attributes: Attributes): string {
  return Object.entries(attributes)
    .map(([key, value]) => ` ${oneLine(key)}=${formatValue(value)}`)
    .join('');
}

/** Strings and arrays as JSON, so that spaces and newlines in values cannot break a line. */
function formatValue(value: unknown): string {
  if (typeof value === 'string' || Array.isArray(value)) {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

function oneLine(text: unknown): string {
  return String(text).replace(/\s*[\r\n]+\s*/g, ' ');
}

function kindName(kind: api.SpanKind): string {
  return SpanKind[kind] ?? `KIND ${String(kind)}`;
}

function statusText(status: SpanStatus | undefined): string {
  if (status?.code === SpanStatusCode.OK) return 'OK';
  if (status?.code !== SpanStatusCode.ERROR) return '';
  return status.message ? `ERROR: ${oneLine(status.message)}` : 'ERROR';
}

function durationMs(span: TraceTreeSpan): number {
  const fromDuration = hrDiffMs(span.duration, [0, 0]);
  return Number.isFinite(fromDuration) ? fromDuration : hrDiffMs(span.endTime, span.startTime);
}

/** `a - b` in milliseconds, NaN for anything that is not an HrTime. */
function hrDiffMs(a: HrTime | undefined, b: HrTime | undefined): number {
  if (!Array.isArray(a) || !Array.isArray(b)) return NaN;
  // Component-wise, because absolute times in ms with nanosecond decimals exceed a double's precision.
  return (a[0] - b[0]) * 1e3 + (a[1] - b[1]) / 1e6;
}

function formatMs(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(2) : '?';
}

function byStartTime(a: Entry, b: Entry): number {
  const diff = hrDiffMs(a.span.startTime, b.span.startTime);
  return Number.isFinite(diff) ? diff : 0;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
