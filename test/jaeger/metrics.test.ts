import { metrics } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { initTracer } from '../../src/jaeger/init-tracer';
import { JaegerMetrics, MetricsExporter, PrometheusMetricsFactory, jaegerMetricsFrom } from '../../src/jaeger/metrics';
import type { MetricsFactory } from '../../src/jaeger/metrics';
import { captureDiag } from '../helpers/diag';
import { CollectingReader } from '../helpers/metric-reader';
import { KeepingExporter } from '../helpers/sdk';

const CONST_ON = { type: 'const', param: 1 };

/** A jaeger-client metrics factory that keeps every count under `name{tags}`. */
function recordingFactory(): { factory: MetricsFactory; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const key = (name: string, tags?: Record<string, string>): string => `${name}${JSON.stringify(tags ?? {})}`;
  return {
    counts,
    factory: {
      createCounter: (name, tags) => ({ increment: (delta) => counts.set(key(name, tags), (counts.get(key(name, tags)) ?? 0) + delta) }),
      createGauge: (name, tags) => ({ update: (value) => counts.set(key(name, tags), value) }),
    },
  };
}

describe('initTracer options.metrics', () => {
  it("should count jaeger-client's tracer metrics into any metrics factory", async () => {
    const { factory, counts } = recordingFactory();
    const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { metrics: factory, exporter: new KeepingExporter() });
    const root = tracer.startSpan('root');
    tracer.startSpan('child', { childOf: root }).finish();
    root.finish();
    const remote = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:0' });
    tracer.startSpan('server', { childOf: remote ?? undefined, tags: { 'span.kind': 'server' } }).finish();
    await tracer.close();

    expect(Object.fromEntries([...counts].filter(([, value]) => value > 0))).toEqual({
      'jaeger:traces{"state":"started","sampled":"y"}': 1,
      'jaeger:traces{"state":"joined","sampled":"n"}': 1,
      'jaeger:started_spans{"sampled":"y"}': 2,
      'jaeger:started_spans{"sampled":"n"}': 1,
      'jaeger:finished_spans{}': 2,
      'jaeger:reporter_spans{"result":"ok"}': 2,
    });
  });

  it('should count spans whose export failed as reporter errors', async () => {
    const { factory, counts } = recordingFactory();
    const failing: SpanExporter = {
      export: (_spans: ReadableSpan[], callback) => callback({ code: ExportResultCode.FAILED, error: new Error('collector down') }),
      shutdown: () => Promise.resolve(),
    };
    const exporter = new MetricsExporter(failing, new JaegerMetrics(factory));
    await new Promise<void>((resolve) => exporter.export([{}, {}] as ReadableSpan[], () => resolve()));
    expect(counts.get('jaeger:reporter_spans{"result":"err"}')).toBe(2);
  });

  it('should keep tracing when the factory fails, warning once for each kind of failure', () => {
    const capture = captureDiag();
    try {
      const throwing = {
        createCounter: () => {
          throw new Error('registry locked');
        },
        createGauge: () => ({}),
      };
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { metrics: throwing, exporter: new KeepingExporter() });
      expect(() => tracer.startSpan('op').finish()).not.toThrow();
      expect(capture.matching('registry locked')).toHaveLength(1);
      expect(capture.matching('gauge without update()')).toHaveLength(1);
      expect(jaegerMetricsFrom({ createCounter: 'no' })).toBeUndefined();
      expect(jaegerMetricsFrom(undefined)).toBeUndefined();
    } finally {
      capture.stop();
    }
  });

  it('should replace a counter without increment() and a gauge the factory failed to make, warning once each', () => {
    const capture = captureDiag();
    try {
      const factory = {
        createCounter: () => ({}),
        createGauge: () => {
          throw new Error('gauges off');
        },
      } as unknown as MetricsFactory;
      const metrics = new JaegerMetrics(factory);
      expect(() => metrics.spansFinished.increment(1)).not.toThrow();
      expect(() => metrics.reporterQueueLength.update(3)).not.toThrow();
      expect(capture.matching('the metrics factory returned a counter without increment(); it records nothing')).toHaveLength(1);
      expect(capture.matching('the metrics factory failed to make a gauge; it records nothing')).toHaveLength(1);
      expect(capture.matching('gauges off')).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });

  it('should keep a counter that throws on increment away from the application', () => {
    const capture = captureDiag();
    try {
      const factory: MetricsFactory = {
        createCounter: () => ({
          increment: () => {
            throw new Error('counter broke');
          },
        }),
        createGauge: () => ({ update: () => undefined }),
      };
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { metrics: factory, exporter: new KeepingExporter() });
      expect(() => tracer.startSpan('op').finish()).not.toThrow();
      expect(capture.matching('counter broke')).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });
});

describe('PrometheusMetricsFactory', () => {
  afterEach(() => metrics.disable());

  it('should record into the global MeterProvider: counters, gauges as the last value, timers as histograms', async () => {
    const reader = new CollectingReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    const factory = new PrometheusMetricsFactory(undefined, 'ignored');
    factory.createCounter('jaeger:traces', { state: 'started' }).increment(2);
    const gauge = factory.createGauge('jaeger:reporter_queue_length', {});
    gauge.update(5);
    gauge.update(3);
    factory.createTimer('jaeger:latency', {}).record(12);
    factory.createCounter('jaeger:traces', { state: 'started' }).increment(-4);
    expect(() => factory.createCounter(Symbol('odd') as unknown as string).increment(1)).not.toThrow();

    const { resourceMetrics } = await reader.collect();
    const recorded = Object.fromEntries(
      resourceMetrics.scopeMetrics.flatMap((scope) =>
        scope.metrics.map((metric) => [
          metric.descriptor.name,
          metric.dataPoints.map((point) => [point.attributes, typeof point.value === 'number' ? point.value : (point.value as { sum: number }).sum]),
        ]),
      ),
    );
    delete recorded['Symbol(odd)'];
    expect(recorded).toEqual({
      'jaeger.traces': [[{ state: 'started' }, 2]],
      'jaeger.reporter_queue_length': [[{}, 3]],
      'jaeger.latency': [[{}, 12]],
    });
  });
});
