import * as api from '@opentelemetry/api';
import type { Attributes, AttributeValue, Context, HrTime } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { describeError, logger } from '../logger';
import type { ReadableSpan } from '../otel-sdk/types';
import type { JaegerLogger } from './configuration';
import { JaegerSpanContext } from './jaeger-span-context';
import { warnOnce } from './warn-once';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { SpanKind, SpanStatusCode, TraceFlags } = api;

/** A jaeger-client tag or log field: `{ key, value }` (src/span.js `_tags`, `_logs[i].fields`). */
export interface ReportedTag {
  key: string;
  value: AttributeValue;
}

/** One `span.log(fields)` of a reported span: `timestamp` in ms since the epoch. */
export interface ReportedLog {
  timestamp: number;
  fields: ReportedTag[];
}

/**
 * A finished OpenTelemetry span as the SDK hands it to span processors: the fields of the
 * package's one finished-span shape (a structural SDK `ReadableSpan`, so that this module loads
 * with only `@opentelemetry/api`) that a `ReportedSpan` is made from. `parentSpanContext` is the
 * SDK 2.x and 3.x field, `parentSpanId` the 1.x one.
 */
export type FinishedSpanLike = Pick<
  ReadableSpan,
  'name' | 'kind' | 'spanContext' | 'parentSpanContext' | 'parentSpanId' | 'startTime' | 'duration' | 'attributes' | 'events' | 'status' | 'resource'
>;

/**
 * A finished span in jaeger-client 3.19's shape (src/span.js), as a jaeger-client reporter
 * receives it: `operationName`, `serviceName`, `context()` (a `JaegerSpanContext` with the
 * parent id and flags), and the fields jaeger-client tests read: `_tags` (`{ key, value }`,
 * with `span.kind` and `error: true` restored from OpenTelemetry's SpanKind and status), `_logs`
 * (`{ timestamp, fields }`), `_startTime` and `_duration` in milliseconds.
 *
 * It is a copy made when the span ended, not the span object the application held (whose data
 * lives in the OpenTelemetry span); its context carries no baggage, which OpenTelemetry keeps
 * out of spans. It is an OpenTracing `Span` (so reporters typed for `@types/jaeger-client`
 * accept it) whose writing methods do nothing: the span has finished.
 */
export class ReportedSpan extends opentracing.Span {
  /** The span's name. */
  readonly operationName: string;
  /** `service.name` of the tracer's resource, `''` when it has none. */
  readonly serviceName: string;
  /**
   * The span's tags, `span.kind` and `error` included (jaeger-client's field, public here as
   * there: its reporters and tests read it).
   */
  readonly _tags: ReportedTag[];
  /** The span's logs, oldest first (jaeger-client's field, public as there). */
  readonly _logs: ReportedLog[];
  /** Start, in milliseconds since the epoch. */
  readonly _startTime: number;
  /** Duration in milliseconds. */
  readonly _duration: number;
  private readonly _spanContext: JaegerSpanContext;

  /** @param span a finished OpenTelemetry span (the SDK's `ReadableSpan`). */
  constructor(span: FinishedSpanLike) {
    super();
    const parent = span.parentSpanContext?.spanId ?? span.parentSpanId;
    this._spanContext = new JaegerSpanContext(span.spanContext(), undefined, parent || undefined);
    this.operationName = span.name;
    const service = span.resource?.attributes['service.name'];
    this.serviceName = typeof service === 'string' ? service : '';
    this._tags = tagsOf(span);
    this._logs = span.events.map((event) => ({ timestamp: hrTimeToMillis(event.time), fields: fieldsOf(event.attributes ?? {}) }));
    this._startTime = hrTimeToMillis(span.startTime);
    this._duration = span.duration[0] * 1e3 + span.duration[1] / 1e6;
  }

  /** The span's context: ids, parent id and flags (jaeger-client `span.context()`). */
  override context(): JaegerSpanContext {
    return this._spanContext;
  }

  /** @internal OpenTracing's hook, declared by `opentracing`'s `Span`. */
  protected override _context(): JaegerSpanContext {
    return this._spanContext;
  }
}

/**
 * jaeger-client's reporter interface (src/_flow/reporter.js): `report` receives each finished,
 * sampled span; `close` is called once by `tracer.close()`. `setProcess` receives the service
 * name and process tags when the tracer is made.
 */
export interface Reporter {
  report(span: ReportedSpan): void;
  close(callback?: () => void): void;
  setProcess?(serviceName: string, tags: Record<string, unknown>): void;
  name?(): string;
}

/** Most spans an `InMemoryReporter` holds until `clear()`. */
export const MAX_IN_MEMORY_SPANS = 10_000;

/**
 * jaeger-client's `InMemoryReporter`: keeps each reported span in `spans` until `clear()`. Pass
 * it as `initTracer`'s `options.reporter` (or to `new Tracer(...)`) to read finished spans in a
 * test, as with jaeger-client. Spans are added when they end (synchronously, in `finish()`).
 *
 * Unlike jaeger-client's, it holds at most `MAX_IN_MEMORY_SPANS` (10000): later spans are dropped
 * until `clear()`, with one `diag` warning, so that one left in a long-running process does not
 * grow without bound.
 */
export class InMemoryReporter implements Reporter {
  private _spans: ReportedSpan[] = [];

  /** The spans reported since the last `clear()`, oldest first. */
  get spans(): ReportedSpan[] {
    return this._spans;
  }

  name(): string {
    return 'InMemoryReporter';
  }

  toString(): string {
    return this.name();
  }

  report(span: ReportedSpan): void {
    if (this._spans.length < MAX_IN_MEMORY_SPANS) this._spans.push(span);
    else warnOnce(`InMemoryReporter: holds at most ${MAX_IN_MEMORY_SPANS} spans; later ones are dropped until clear()`);
  }

  /** Forgets the reported spans. */
  clear(): void {
    this._spans = [];
  }

  close(callback?: () => void): void {
    safeCall(callback);
  }

  setProcess(): void {}
}

/** jaeger-client's `NoopReporter`: drops every span. */
export class NoopReporter implements Reporter {
  name(): string {
    return 'NoopReporter';
  }

  toString(): string {
    return this.name();
  }

  report(): void {}

  close(callback?: () => void): void {
    safeCall(callback);
  }

  setProcess(): void {}
}

/**
 * jaeger-client's `LoggingReporter(logger)`: logs `Reporting span <uber-trace-id>` through
 * `logger.info` for each span; without a logger, nothing (jaeger-client's NullLogger).
 */
export class LoggingReporter implements Reporter {
  private readonly _logger: JaegerLogger | undefined;

  /** @param logger jaeger-client's logger shape (`info(message)`); optional. */
  constructor(logger?: JaegerLogger) {
    this._logger = logger ?? undefined;
  }

  report(span: ReportedSpan): void {
    if (typeof this._logger?.info === 'function') this._logger.info(`Reporting span ${span.context().toString()}`);
  }

  name(): string {
    return 'LoggingReporter';
  }

  toString(): string {
    return this.name();
  }

  close(callback?: () => void): void {
    safeCall(callback);
  }

  setProcess(): void {}
}

/**
 * jaeger-client's `CompositeReporter(reporters)`: hands each span to every reporter; `close`
 * calls back once all of them have. A reporter that throws does not stop the others (a `diag`
 * warning instead).
 */
export class CompositeReporter implements Reporter {
  private readonly _reporters: Reporter[];

  /** @param reporters the reporters, in order; a value that is not an array counts as none. */
  constructor(reporters: Reporter[]) {
    this._reporters = Array.isArray(reporters) ? [...reporters] : [];
  }

  name(): string {
    return 'CompositeReporter';
  }

  /** `CompositeReporter(InMemoryReporter,LoggingReporter)`, as jaeger-client. */
  toString(): string {
    return `${this.name()}(${this._reporters.map((reporter) => String(reporter)).join(',')})`;
  }

  report(span: ReportedSpan): void {
    for (const reporter of this._reporters) reportTo(reporter, span);
  }

  close(callback?: () => void): void {
    void Promise.all(this._reporters.map(closeWithCallback)).then(() => safeCall(callback));
  }

  setProcess(serviceName: string, tags: Record<string, unknown>): void {
    for (const reporter of this._reporters) setProcessOf(reporter, serviceName, tags);
  }
}

/**
 * jaeger-client's `RemoteReporter(sender, options)`: accepted, but a jaeger-client sender
 * (UDP Thrift, HTTP Thrift) cannot send OpenTelemetry spans, so its spans are dropped, with one
 * `diag` warning. `initTracer` sends spans over OTLP from `config.reporter` when no
 * `options.reporter` is given: leave `options.reporter` out, or pass `options.exporter`.
 */
export class RemoteReporter implements Reporter {
  /**
   * @param _sender jaeger-client's UDPSender/HTTPSender: not used.
   * @param _options `bufferFlushInterval`, `logger`, `metrics`: not used.
   */
  constructor(_sender?: unknown, _options?: unknown) {
    warnOnce('RemoteReporter: a jaeger-client sender cannot send OpenTelemetry spans, so its spans are dropped; let initTracer export them over OTLP');
  }

  name(): string {
    return 'RemoteReporter';
  }

  toString(): string {
    return this.name();
  }

  report(): void {}

  /** Calls back at once: nothing is buffered. */
  flush(callback?: () => void): void {
    safeCall(callback);
  }

  close(callback?: () => void): void {
    safeCall(callback);
  }

  setProcess(): void {}
}

/**
 * An OpenTelemetry span processor (the SDK's `SpanProcessor`, structurally) that hands each
 * finished, sampled span to a jaeger-client reporter as a `ReportedSpan`, synchronously, as
 * jaeger-client's `span.finish()` does. `shutdown()` closes the reporter and resolves when it
 * calls back (at most after `CLOSE_TIMEOUT_MS`, for a reporter that never does). A reporter that
 * throws is reported through `diag` once; the application never sees it.
 */
export class ReporterSpanProcessor {
  private readonly _reporter: Reporter;
  private _closing: Promise<void> | undefined;

  /**
   * @param reporter the jaeger-client reporter.
   * @param serviceName, tags given to `reporter.setProcess` when it has one, as jaeger-client's
   *   Tracer does.
   */
  constructor(reporter: Reporter, serviceName?: string, tags?: Record<string, unknown>) {
    this._reporter = reporter;
    if (serviceName !== undefined) setProcessOf(reporter, serviceName, tags ?? {});
  }

  onStart(_span: unknown, _context: Context): void {}

  onEnd(span: FinishedSpanLike): void {
    if (this._closing !== undefined || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    let reported: ReportedSpan;
    try {
      reported = new ReportedSpan(span);
    } catch (error) {
      warnOnce('a finished span could not be read for the jaeger-client reporter', describeError(error));
      return;
    }
    reportTo(this._reporter, reported);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this._closing ??= closeWithCallback(this._reporter);
    return this._closing;
  }
}

/** Longest `shutdown()` waits for a reporter's `close` callback. */
const CLOSE_TIMEOUT_MS = 5000;

/** Whether `value` looks like a jaeger-client reporter (it has `report`). */
export function isReporter(value: unknown): value is Reporter {
  return typeof value === 'object' && value !== null && typeof (value as Reporter).report === 'function';
}

function reportTo(reporter: Reporter, span: ReportedSpan): void {
  try {
    reporter.report(span);
  } catch (error) {
    warnOnce("a jaeger-client reporter's report() threw; the span was dropped", describeError(error));
  }
}

/**
 * Calls jaeger-client style `close(callback)` on `target` (a reporter, a sampler) and resolves
 * when it calls back, or after `CLOSE_TIMEOUT_MS` for one that never does; resolves at once when
 * it has no `close`. Never rejects: a `close` that throws is reported through `diag`.
 */
export function closeWithCallback(target: unknown): Promise<void> {
  return new Promise<void>((resolve) => {
    const close = (target as { close?: unknown } | null)?.close;
    if (typeof close !== 'function') return resolve();
    const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    timer.unref();
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    try {
      close.call(target, done);
    } catch (error) {
      logger.warn(`a jaeger-client close() threw: ${describeError(error)}`);
      done();
    }
  });
}

function setProcessOf(reporter: Reporter, serviceName: string, tags: Record<string, unknown>): void {
  try {
    if (typeof reporter.setProcess === 'function') reporter.setProcess(serviceName, tags);
  } catch (error) {
    warnOnce("a jaeger-client reporter's setProcess() threw", describeError(error));
  }
}

function safeCall(callback: (() => void) | undefined): void {
  if (typeof callback !== 'function') return;
  try {
    callback();
  } catch (error) {
    logger.error(`reporter close callback threw: ${describeError(error)}`);
  }
}

const SPAN_KIND_TAGS: Partial<Record<api.SpanKind, string>> = {
  [SpanKind.CLIENT]: 'client',
  [SpanKind.SERVER]: 'server',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

/** The attributes, plus the `span.kind` and `error` tags the shim turned into SpanKind and status. */
function tagsOf(span: FinishedSpanLike): ReportedTag[] {
  const tags = fieldsOf(span.attributes);
  const kind = SPAN_KIND_TAGS[span.kind];
  if (kind !== undefined && span.attributes['span.kind'] === undefined) tags.push({ key: 'span.kind', value: kind });
  if (span.status.code === SpanStatusCode.ERROR && span.attributes.error === undefined) tags.push({ key: 'error', value: true });
  return tags;
}

function fieldsOf(attributes: Attributes): ReportedTag[] {
  const fields: ReportedTag[] = [];
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined) fields.push({ key, value });
  }
  return fields;
}

function hrTimeToMillis(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}
