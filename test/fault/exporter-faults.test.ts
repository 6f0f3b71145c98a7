import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { initTracer } from '../../src/jaeger/init-tracer';
import type { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { TracerShim } from '../../src/tracer-shim';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';
import { FailingExporter, HangingExporter, ThrowingExporter } from './faulty-exporters';
import type { FaultyExporter } from './faulty-exporters';

// An exporter that throws, one that fails (FAILED results, rejected shutdown/flush) and one that
// hangs never make an OpenTracing call throw or wait; JaegerTracer.close() reports the failure
// through its callback and its Promise, and still ends.

const FAULTS: Array<[string, () => FaultyExporter]> = [
  ['throws from export()', () => new ThrowingExporter()],
  ['reports FAILED and rejects shutdown()', () => new FailingExporter()],
  ['never calls back', () => new HangingExporter()],
];

/** The SDK's export timeout for the batch processors of this file (sdk-trace-base reads it at construction). */
const EXPORT_TIMEOUT_MS = 50;

let diagnostics: DiagCapture;
const savedExportTimeout = process.env.OTEL_BSP_EXPORT_TIMEOUT;

beforeEach(() => {
  diagnostics = captureDiag();
  process.env.OTEL_BSP_EXPORT_TIMEOUT = String(EXPORT_TIMEOUT_MS);
});

afterEach(() => {
  diagnostics.stop();
  if (savedExportTimeout === undefined) delete process.env.OTEL_BSP_EXPORT_TIMEOUT;
  else process.env.OTEL_BSP_EXPORT_TIMEOUT = savedExportTimeout;
  jest.useRealTimers();
});

/** A tracer on a provider whose only processor hands spans to `exporter`, and how to shut it down. */
interface Setup {
  readonly tracer: opentracing.Tracer;
  close(): Promise<unknown>;
}

const SETUPS: Array<[string, (exporter: SpanExporter) => Setup]> = [
  ['TracerShim, SimpleSpanProcessor', (exporter) => provided(new SimpleSpanProcessor(exporter))],
  [
    'TracerShim, BatchSpanProcessor',
    (exporter) => provided(new BatchSpanProcessor(exporter, { maxExportBatchSize: 64, exportTimeoutMillis: EXPORT_TIMEOUT_MS })),
  ],
  [
    'initTracer with options.exporter',
    (exporter) => {
      const tracer = initTracer({ serviceName: 'faults', sampler: { type: 'const', param: 1 } }, { exporter });
      return { tracer, close: () => tracer.close() };
    },
  ],
];

function provided(processor: SpanProcessor): Setup {
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { tracer: new TracerShim(provider), close: () => provider.shutdown() };
}

describe.each(FAULTS)('an exporter that %s', (_fault, makeExporter) => {
  it.each(SETUPS)('never makes an OpenTracing call throw or wait (%s)', async (_setup, setUp) => {
    const exporter = makeExporter();
    const { tracer, close } = setUp(exporter);
    let finished = 0;
    // 600 finished spans: more than a batch (64, or initTracer's 512), so the processors export
    // from inside finish() itself, synchronously.
    for (let i = 0; i < 300; i++) {
      const span = tracer.startSpan('request', { tags: { 'span.kind': 'server', i } });
      span.setTag('http.status_code', 200).log({ event: 'handled' });
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      const child = tracer.startSpan('query', { childOf: tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) ?? span });
      child.finish();
      span.finish();
      finished += 2;
    }

    // Every finish() returned, with exports already started (and, for the hanging exporter,
    // none of them ever finishing): nothing waits for the exporter.
    expect(finished).toBe(600);
    expect(exporter.calls).toBeGreaterThan(0);
    await close().catch(() => undefined);
  });
});

describe('JaegerTracer.close()', () => {
  function tracerWith(exporter: SpanExporter, reporter: object = {}): JaegerTracer {
    return initTracer({ serviceName: 'faults', sampler: { type: 'const', param: 1 }, reporter: { flushIntervalMs: 60_000, ...reporter } }, { exporter });
  }

  function finishSpans(tracer: opentracing.Tracer, count: number): void {
    for (let i = 0; i < count; i++) tracer.startSpan('buffered', { tags: { i } }).finish();
  }

  it.each([
    ['throws from export()', () => new ThrowingExporter(), 'export threw'],
    ['reports FAILED', () => new FailingExporter(), 'collector refused the batch'],
  ] as Array<[string, () => FaultyExporter, string]>)(
    'reports an exporter that %s through the callback and the Promise, and still ends',
    async (_fault, makeExporter, message) => {
      const exporter = makeExporter();
      const tracer = tracerWith(exporter);
      finishSpans(tracer, 10);
      const callback = jest.fn();

      await expect(tracer.close(callback)).resolves.toBeUndefined();
      expect(callback).toHaveBeenCalledTimes(1);
      expect(callback.mock.calls[0][0]).toBeInstanceOf(Error);
      expect((callback.mock.calls[0][0] as Error).message).toBe(message);
      await expect(tracer.close()).rejects.toThrow(message);
      expect(exporter.spans).toBe(10);

      // Ended: later calls do nothing, and throw nothing.
      expect(() => finishSpans(tracer, 10)).not.toThrow();
      await expect(tracer.close()).rejects.toThrow(message);
      expect(exporter.spans).toBe(10);
    },
  );

  it('reports an exporter whose shutdown() rejects when nothing is buffered', async () => {
    const tracer = tracerWith(new FailingExporter());
    const callback = jest.fn();

    await tracer.close(callback);

    expect(callback).toHaveBeenCalledWith(expect.objectContaining({ message: 'exporter shutdown failed' }));
    await expect(tracer.close()).rejects.toThrow('exporter shutdown failed');
  });

  it('reports the failure through diag too, and survives a callback that throws', async () => {
    const tracer = tracerWith(new ThrowingExporter());
    finishSpans(tracer, 3);
    const throwingCallback = jest.fn(() => {
      throw new Error('callback threw');
    });

    await expect(tracer.close(throwingCallback)).resolves.toBeUndefined();

    expect(throwingCallback).toHaveBeenCalledTimes(1);
    expect(diagnostics.matching('close: Error: export threw')).toHaveLength(1);
    expect(diagnostics.matching('close callback threw: Error: callback threw')).toHaveLength(1);
  });

  it("with a hanging exporter, settles with the SDK's export timeout error once OTEL_BSP_EXPORT_TIMEOUT has passed", async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    process.env.OTEL_BSP_EXPORT_TIMEOUT = '1000';
    const exporter = new HangingExporter();
    const tracer = tracerWith(exporter);
    finishSpans(tracer, 10);
    const callback = jest.fn();
    let settled = false;
    void tracer.close(callback).then(() => {
      settled = true;
    });

    await jest.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    expect(exporter.pending).toBe(1);

    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(callback).toHaveBeenCalledWith(expect.objectContaining({ message: 'Timeout' }));
    await expect(tracer.close()).rejects.toThrow('Timeout');
  });

  // Found by this file: initTracer passes reporter.timeoutMs to the OTLP exporter only, so with
  // options.exporter the BatchSpanProcessor keeps its 30 s default and close() waits that long
  // for a hanging exporter; only OTEL_BSP_EXPORT_TIMEOUT shortens it.
  it('with a hanging options.exporter, settles once reporter.timeoutMs has passed', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    delete process.env.OTEL_BSP_EXPORT_TIMEOUT;
    const tracer = tracerWith(new HangingExporter(), { timeoutMs: 1000 });
    finishSpans(tracer, 10);
    let settled = false;
    void tracer.close(() => {
      settled = true;
    });

    await jest.advanceTimersByTimeAsync(1000);
    const settledInTime = settled;
    await jest.advanceTimersByTimeAsync(30_000);

    expect(settledInTime).toBe(true);
  });
});
