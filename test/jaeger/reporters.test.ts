import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { initTracer } from '../../src/jaeger/init-tracer';
import {
  CompositeReporter,
  InMemoryReporter,
  LoggingReporter,
  MAX_IN_MEMORY_SPANS,
  NoopReporter,
  ReportedSpan,
  ReporterSpanProcessor,
  closeWithCallback,
} from '../../src/jaeger/reporters';
import type { FinishedSpanLike, Reporter } from '../../src/jaeger/reporters';
import { captureDiag } from '../helpers/diag';
import { KeepingExporter } from '../helpers/sdk';

const CONST_ON = { type: 'const', param: 1 };

function finishedSpan(overrides: Partial<FinishedSpanLike> = {}): FinishedSpanLike {
  return {
    name: 'op',
    kind: SpanKind.INTERNAL,
    spanContext: () => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED }),
    startTime: [1, 500_000_000],
    duration: [0, 250_000_000],
    attributes: {},
    events: [],
    status: { code: SpanStatusCode.UNSET },
    ...overrides,
  };
}

describe('initTracer options.reporter', () => {
  it('should hand each finished sampled span to the reporter at finish, and none of the unsampled', async () => {
    const reporter = new InMemoryReporter();
    const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { reporter });
    const span = tracer.startSpan('sampled', { startTime: 1000, tags: { 'span.kind': 'client', error: true, attempt: 2 } });
    span.log({ event: 'retry', delay: 5 }, 1100);
    span.finish(1500);
    tracer.startSpan('dropped', { tags: { 'sampling.priority': 0 } }).finish();

    expect(reporter.spans.map((reported) => reported.operationName)).toEqual(['sampled']);
    const [reported] = reporter.spans;
    expect(reported._startTime).toBe(1000);
    expect(reported._duration).toBe(500);
    expect(reported.serviceName).toBe('checkout');
    expect(reported._tags).toEqual(
      expect.arrayContaining([
        { key: 'attempt', value: 2 },
        { key: 'span.kind', value: 'client' },
        { key: 'error', value: true },
      ]),
    );
    expect(reported._logs).toEqual([
      {
        timestamp: 1100,
        fields: [
          { key: 'event', value: 'retry' },
          { key: 'delay', value: 5 },
        ],
      },
    ]);
    expect(reported.context().toString()).toBe(span.context().toString());
    await tracer.close();
  });

  it('should call setProcess with the service name and tags, and close the reporter once on close()', async () => {
    const calls: string[] = [];
    const reporter: Reporter = {
      report: () => calls.push('report'),
      setProcess: (serviceName, tags) => calls.push(`setProcess ${serviceName} ${JSON.stringify(tags)}`),
      close: (callback) => {
        calls.push('close');
        callback?.();
      },
    };
    const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { reporter, tags: { version: '1' } });
    tracer.startSpan('op').finish();
    await tracer.close();
    await tracer.close();

    expect(calls).toEqual(['setProcess checkout {"version":"1"}', 'report', 'close']);
  });

  it('should replace the exporter config.reporter describes, and keep options.exporter', async () => {
    const exporter = new KeepingExporter();
    const reporter = new InMemoryReporter();
    const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { reporter, exporter });
    tracer.startSpan('op').finish();
    await tracer.close();

    expect(reporter.spans).toHaveLength(1);
    expect(exporter.names()).toEqual(['op']);
  });

  it('should keep a throwing reporter away from the application, warning once', async () => {
    const capture = captureDiag();
    try {
      const reporter: Reporter = {
        report: () => {
          throw new Error('disk full');
        },
        close: () => {
          throw new Error('no close');
        },
        setProcess: () => {
          throw new Error('no process');
        },
      };
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { reporter });
      expect(() => {
        tracer.startSpan('a').finish();
        tracer.startSpan('b').finish();
      }).not.toThrow();
      await expect(tracer.close()).resolves.toBeUndefined();
      expect(capture.matching('disk full')).toHaveLength(1);
      expect(capture.matching('no process')).toHaveLength(1);
      expect(capture.matching('no close')).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });
});

describe('ReportedSpan', () => {
  it('should read the parent id from the SDK 2.x parentSpanContext and the 1.x parentSpanId', () => {
    const parentSpanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
    expect(new ReportedSpan(finishedSpan({ parentSpanContext })).context().parentIdStr).toBe('f067aa0ba902b7');
    expect(new ReportedSpan(finishedSpan({ parentSpanId: '00f067aa0ba902b7' })).context().parentIdStr).toBe('f067aa0ba902b7');
    expect(new ReportedSpan(finishedSpan()).context().parentIdStr).toBeUndefined();
  });

  it('should be an OpenTracing span whose writing methods do nothing', () => {
    const span = new ReportedSpan(finishedSpan({ attributes: { a: 1 } }));
    expect(span).toBeInstanceOf(opentracing.Span);
    span.setTag('b', 2).log({ c: 3 }).finish();
    expect(span._tags).toEqual([{ key: 'a', value: 1 }]);
    expect(span._logs).toEqual([]);
  });
});

describe('ReporterSpanProcessor', () => {
  it('should skip unsampled spans and everything after shutdown', async () => {
    const reporter = new InMemoryReporter();
    const processor = new ReporterSpanProcessor(reporter);
    processor.onEnd(
      finishedSpan({ spanContext: () => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE }) }),
    );
    processor.onEnd(finishedSpan());
    await processor.shutdown();
    processor.onEnd(finishedSpan());
    expect(reporter.spans).toHaveLength(1);
  });
});

describe('CompositeReporter', () => {
  it('should go on to the next reporter when one throws, and close after all have', async () => {
    const kept = new InMemoryReporter();
    const throwing: Reporter = {
      report: () => {
        throw new Error('broken reporter');
      },
      close: (callback) => setImmediate(() => callback?.()),
    };
    const composite = new CompositeReporter([throwing, kept]);
    composite.report(new ReportedSpan(finishedSpan()));
    await new Promise<void>((resolve) => composite.close(resolve));
    expect(kept.spans).toHaveLength(1);
  });

  it('should take a value that is not an array as no reporters', () => {
    const composite = new CompositeReporter('nope' as unknown as Reporter[]);
    expect(() => composite.report(new ReportedSpan(finishedSpan()))).not.toThrow();
    expect(String(composite)).toBe('CompositeReporter()');
  });
});

describe('InMemoryReporter', () => {
  it('should hold at most MAX_IN_MEMORY_SPANS spans until clear(), warning once', () => {
    const capture = captureDiag();
    try {
      const reporter = new InMemoryReporter();
      const span = new ReportedSpan(finishedSpan());
      for (let i = 0; i < MAX_IN_MEMORY_SPANS + 5; i++) reporter.report(span);
      expect(reporter.spans).toHaveLength(MAX_IN_MEMORY_SPANS);
      expect(capture.matching('InMemoryReporter')).toHaveLength(1);
      reporter.clear();
      reporter.report(span);
      expect(reporter.spans).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });
});

describe('LoggingReporter and NoopReporter', () => {
  it('should log nothing and fail nothing without a logger', () => {
    expect(() => new LoggingReporter().report(new ReportedSpan(finishedSpan()))).not.toThrow();
    expect(() => new NoopReporter().report()).not.toThrow();
  });
});

describe('closeWithCallback', () => {
  it('should resolve at once for something without close(), and when close() calls back', async () => {
    await expect(closeWithCallback(undefined)).resolves.toBeUndefined();
    await expect(closeWithCallback({ close: (callback: () => void) => setImmediate(callback) })).resolves.toBeUndefined();
  });
});
