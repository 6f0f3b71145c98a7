import * as api from '@opentelemetry/api';
import type { Attributes, Context, Link, Meter, UpDownCounter } from '@opentelemetry/api';
import { describeValue } from '../attributes';
import { describeError } from '../logger';
import { VERSION } from '../version';
import { ExportResultCode, SamplingDecision } from '../otel-sdk/types';
import type { ExportResult, ReadableSpan, Sampler, SamplingResult, SpanExporter } from '../otel-sdk/types';
import type { FinishedSpanLike } from './reporters';
import { warnOnce } from './warn-once';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { SpanKind, TraceFlags, isSpanContextValid, metrics, trace } = api;

/** jaeger-client's counter (src/_flow/metrics.js): `increment(delta)`. */
export interface Counter {
  increment(delta: number): void;
}

/** jaeger-client's gauge: `update(value)` sets the current value. */
export interface Gauge {
  update(value: number): void;
}

/** jaeger-client's timer: `record(value)` records one duration in milliseconds. */
export interface Timer {
  record(value: number): void;
}

/**
 * jaeger-client's metrics factory (`options.metrics`): makes one counter, gauge or timer per
 * metric name and set of tags (`{ state: 'started', sampled: 'y' }`). `createTimer` is optional,
 * as jaeger-client never calls it.
 */
export interface MetricsFactory {
  createCounter(name: string, tags?: Record<string, string>): Counter;
  createGauge(name: string, tags?: Record<string, string>): Gauge;
  createTimer?(name: string, tags?: Record<string, string>): Timer;
}

/** Name of the OpenTelemetry meter the factory's instruments come from. */
const METER_NAME = 'opentracing-otel-shim';

/**
 * jaeger-client's `PrometheusMetricsFactory(promClient, namespace)`, mapped onto OpenTelemetry
 * metrics: each counter, gauge and timer is an instrument of the meter `opentracing-otel-shim`
 * from the global MeterProvider (`@opentelemetry/api` `metrics.getMeterProvider()`), the tags
 * become attributes, and `:` in jaeger-client's names becomes `.` (OpenTelemetry instrument
 * names cannot hold `:`): `jaeger:traces{state,sampled}` is the counter `jaeger.traces`, which
 * OpenTelemetry's Prometheus exporter exposes as `jaeger_traces_total`. Send them to Prometheus
 * by registering a MeterProvider with a Prometheus reader or exporter before `initTracer`.
 *
 * Without a registered MeterProvider (none set when the factory is made) the instruments are
 * the API's no-op ones: nothing is recorded and nothing fails. `promClient` is not used (the
 * metrics go through OpenTelemetry, not into prom-client's registry) and `namespace` does not
 * prefix the names (the service is the resource's `service.name`); both are accepted so that
 * jaeger-client code runs unchanged.
 */
export class PrometheusMetricsFactory implements MetricsFactory {
  private readonly _meter: Meter;
  private readonly _counters = new Map<string, ReturnType<Meter['createCounter']>>();
  private readonly _gauges = new Map<string, UpDownCounter>();
  private readonly _histograms = new Map<string, ReturnType<Meter['createHistogram']>>();

  /**
   * @param _promClient prom-client (`require('prom-client')`): accepted, not used.
   * @param _namespace jaeger-client's name prefix: accepted, not used.
   */
  constructor(_promClient?: unknown, _namespace?: string) {
    this._meter = metrics.getMeter(METER_NAME, VERSION);
  }

  /** A counter for `name`, its `increment(delta)` adding to the instrument with `tags` as attributes. */
  createCounter(name: string, tags?: Record<string, string>): Counter {
    const counter = cached(this._counters, name, (instrument) => this._meter.createCounter(instrument, { description: name }));
    const attributes = toAttributes(tags);
    return { increment: (delta) => counter.add(typeof delta === 'number' && delta >= 0 ? delta : 0, attributes) };
  }

  /**
   * A gauge for `name`: `update(value)` sets the value for `tags`. Recorded as an UpDownCounter
   * that moves by the difference, so that it works with every `@opentelemetry/api` 1.x (the
   * synchronous Gauge instrument came in 1.9).
   */
  createGauge(name: string, tags?: Record<string, string>): Gauge {
    const gauge = cached(this._gauges, name, (instrument) => this._meter.createUpDownCounter(instrument, { description: name }));
    const attributes = toAttributes(tags);
    let last = 0;
    return {
      update: (value) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) return;
        gauge.add(value - last, attributes);
        last = value;
      },
    };
  }

  /** A timer for `name`: `record(ms)` records into a histogram in milliseconds. */
  createTimer(name: string, tags?: Record<string, string>): Timer {
    const histogram = cached(this._histograms, name, (instrument) => this._meter.createHistogram(instrument, { description: name, unit: 'ms' }));
    const attributes = toAttributes(tags);
    return { record: (value) => histogram.record(typeof value === 'number' && value >= 0 ? value : 0, attributes) };
  }
}

/**
 * jaeger-client's tracer metrics (src/metrics/metrics.js), made through a `MetricsFactory` with
 * jaeger-client's names and tags. Those this package records: `spansStarted*`, `tracesStarted*`,
 * `tracesJoined*` (`MetricsSampler`), `spansFinished` (`MetricsSpanProcessor`), `reporterSuccess`
 * and `reporterFailure` (`MetricsExporter`). The others exist so that code reading them works;
 * what would feed them (jaeger-client's remote reporter queue, sampler polling, baggage
 * restrictions, debug throttler) does not exist here or reports through `diag` instead.
 */
export class JaegerMetrics {
  readonly tracesStartedSampled: Counter;
  readonly tracesStartedNotSampled: Counter;
  readonly tracesJoinedSampled: Counter;
  readonly tracesJoinedNotSampled: Counter;
  readonly spansFinished: Counter;
  readonly spansStartedSampled: Counter;
  readonly spansStartedNotSampled: Counter;
  readonly decodingErrors: Counter;
  readonly reporterSuccess: Counter;
  readonly reporterFailure: Counter;
  readonly reporterDropped: Counter;
  readonly reporterQueueLength: Gauge;
  readonly samplerRetrieved: Counter;
  readonly samplerQueryFailure: Counter;
  readonly samplerUpdated: Counter;
  readonly samplerUpdateFailure: Counter;
  readonly baggageUpdateSuccess: Counter;
  readonly baggageUpdateFailure: Counter;
  readonly baggageTruncate: Counter;
  readonly throttledDebugSpans: Counter;
  readonly throttlerUpdateSuccess: Counter;
  readonly throttlerUpdateFailure: Counter;

  /**
   * @param factory the application's factory. A metric it fails to make (throws, or returns
   *   something without the method) is replaced by one that records nothing, with a `diag` warning.
   */
  constructor(factory: MetricsFactory) {
    const counter = (name: string, tags?: Record<string, string>): Counter => safeCounter(factory, name, tags);
    this.tracesStartedSampled = counter('jaeger:traces', { state: 'started', sampled: 'y' });
    this.tracesStartedNotSampled = counter('jaeger:traces', { state: 'started', sampled: 'n' });
    this.tracesJoinedSampled = counter('jaeger:traces', { state: 'joined', sampled: 'y' });
    this.tracesJoinedNotSampled = counter('jaeger:traces', { state: 'joined', sampled: 'n' });
    this.spansFinished = counter('jaeger:finished_spans');
    this.spansStartedSampled = counter('jaeger:started_spans', { sampled: 'y' });
    this.spansStartedNotSampled = counter('jaeger:started_spans', { sampled: 'n' });
    this.decodingErrors = counter('jaeger:span_context_decoding_errors');
    this.reporterSuccess = counter('jaeger:reporter_spans', { result: 'ok' });
    this.reporterFailure = counter('jaeger:reporter_spans', { result: 'err' });
    this.reporterDropped = counter('jaeger:reporter_spans', { result: 'dropped' });
    this.reporterQueueLength = safeGauge(factory, 'jaeger:reporter_queue_length');
    this.samplerRetrieved = counter('jaeger:sampler_queries', { result: 'ok' });
    this.samplerQueryFailure = counter('jaeger:sampler_queries', { result: 'err' });
    this.samplerUpdated = counter('jaeger:sampler_updates', { result: 'ok' });
    this.samplerUpdateFailure = counter('jaeger:sampler_updates', { result: 'err' });
    this.baggageUpdateSuccess = counter('jaeger:baggage_updates', { result: 'ok' });
    this.baggageUpdateFailure = counter('jaeger:baggage_updates', { result: 'err' });
    this.baggageTruncate = counter('jaeger:baggage_truncations');
    this.throttledDebugSpans = counter('jaeger:throttled_debug_spans');
    this.throttlerUpdateSuccess = counter('jaeger:throttler_updates', { result: 'ok' });
    this.throttlerUpdateFailure = counter('jaeger:throttler_updates', { result: 'err' });
  }
}

/**
 * `JaegerMetrics` for `initTracer`'s `options.metrics`, or `undefined` when none is given. A
 * value that is not a metrics factory (no `createCounter`/`createGauge`) is reported once
 * through `diag` and ignored.
 */
export function jaegerMetricsFrom(factory: unknown): JaegerMetrics | undefined {
  if (factory === undefined || factory === null) return undefined;
  if (factory instanceof JaegerMetrics) return factory;
  const candidate = factory as Partial<MetricsFactory>;
  if (typeof candidate.createCounter !== 'function' || typeof candidate.createGauge !== 'function') {
    warnOnce('options.metrics is not a metrics factory (createCounter, createGauge), so no tracer metrics are recorded', describeValue(factory));
    return undefined;
  }
  return new JaegerMetrics(candidate as MetricsFactory);
}

/**
 * An OpenTelemetry sampler that counts what jaeger-client's tracer counts at span start
 * (src/tracer.js `_startInternalSpan`) and leaves the decision to `sampler`: every span in
 * `spansStarted{sampled}`, a span without a valid parent in `tracesStarted{sampled}`, a server
 * span with one in `tracesJoined{sampled}`.
 */
export class MetricsSampler implements Sampler {
  private readonly _sampler: Sampler;
  private readonly _metrics: JaegerMetrics;

  constructor(sampler: Sampler, jaegerMetrics: JaegerMetrics) {
    this._sampler = sampler;
    this._metrics = jaegerMetrics;
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: api.SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const result = this._sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    const sampled = result.decision === SamplingDecision.RECORD_AND_SAMPLED;
    const m = this._metrics;
    increment(sampled ? m.spansStartedSampled : m.spansStartedNotSampled);
    const parent = trace.getSpanContext(context);
    if (parent === undefined || !isSpanContextValid(parent)) increment(sampled ? m.tracesStartedSampled : m.tracesStartedNotSampled);
    else if (spanKind === SpanKind.SERVER) increment(sampled ? m.tracesJoinedSampled : m.tracesJoinedNotSampled);
    return result;
  }

  toString(): string {
    return this._sampler.toString();
  }
}

/** A span processor (the SDK's `SpanProcessor`, structurally) counting finished sampled spans in `spansFinished`. */
export class MetricsSpanProcessor {
  private readonly _metrics: JaegerMetrics;

  constructor(jaegerMetrics: JaegerMetrics) {
    this._metrics = jaegerMetrics;
  }

  onStart(): void {}

  onEnd(span: FinishedSpanLike): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) increment(this._metrics.spansFinished);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Wraps an exporter to count what jaeger-client's remote reporter counts: spans exported in
 * `reporterSuccess`, spans whose export failed in `reporterFailure` (OpenTelemetry's
 * `ExportResultCode`: 0 success, 1 failed).
 */
export class MetricsExporter implements SpanExporter {
  private readonly _exporter: SpanExporter;
  private readonly _metrics: JaegerMetrics;

  constructor(exporter: SpanExporter, jaegerMetrics: JaegerMetrics) {
    this._exporter = exporter;
    this._metrics = jaegerMetrics;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this._exporter.export(spans, (result) => {
      increment(result.code === ExportResultCode.SUCCESS ? this._metrics.reporterSuccess : this._metrics.reporterFailure, spans.length);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this._exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return typeof this._exporter.forceFlush === 'function' ? this._exporter.forceFlush() : Promise.resolve();
  }
}

const NOOP_COUNTER: Counter = { increment() {} };
const NOOP_GAUGE: Gauge = { update() {} };

function safeCounter(factory: MetricsFactory, name: string, tags?: Record<string, string>): Counter {
  return safeInstrument('counter', 'increment', NOOP_COUNTER, () => factory.createCounter(name, tags));
}

function safeGauge(factory: MetricsFactory, name: string): Gauge {
  return safeInstrument('gauge', 'update', NOOP_GAUGE, () => factory.createGauge(name, {}));
}

/**
 * What `create` makes with the application's factory when it has the method `method`; else
 * (it threw, or returned something without the method) `noop`, with one `diag` warning.
 */
function safeInstrument<T extends Counter | Gauge>(kind: string, method: keyof T & string, noop: T, create: () => T): T {
  try {
    const instrument: unknown = create();
    if (typeof (instrument as Partial<Record<string, unknown>> | undefined)?.[method] === 'function') return instrument as T;
  } catch (error) {
    warnOnce(`the metrics factory failed to make a ${kind}; it records nothing`, describeError(error));
    return noop;
  }
  warnOnce(`the metrics factory returned a ${kind} without ${method}(); it records nothing`);
  return noop;
}

/** An application counter that throws must not break span start or export. */
function increment(counter: Counter, delta = 1): void {
  try {
    counter.increment(delta);
  } catch (error) {
    warnOnce("a metrics counter's increment() threw", describeError(error));
  }
}

/** jaeger-client's metric names hold `:`, which OpenTelemetry instrument names cannot. */
function cached<T>(instruments: Map<string, T>, name: string, create: (instrument: string) => T): T {
  const instrument = describeValue(name).replace(/:/g, '.');
  let found = instruments.get(instrument);
  if (found === undefined) {
    found = create(instrument);
    instruments.set(instrument, found);
  }
  return found;
}

function toAttributes(tags: Record<string, string> | undefined): Attributes {
  const attributes: Attributes = {};
  if (typeof tags !== 'object' || tags === null) return attributes;
  for (const key of Object.keys(tags)) {
    const value = tags[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[key] = value;
  }
  return attributes;
}
