import { DiagLogLevel, diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OutageReportingExporter } from '../../src/sdk/outage-reporting-exporter';

// Issue 14, item 14: a collector that refuses spans for a while gives one warning when it starts
// and one info line when it ends, never an error per export, and no rejected flush or shutdown.

const lines: string[] = [];

beforeEach(() => {
  lines.length = 0;
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      void lines.push(`${level} ${args.map(String).join(' ')}`);
  diag.setLogger({ error: record('error'), warn: record('warn'), info: record('info'), debug: () => undefined, verbose: () => undefined }, DiagLogLevel.INFO);
});

afterEach(() => {
  diag.disable();
});

/**
 * An exporter whose collector is down until `up` is set: it fails each export on a later turn
 * with the error a refused connection gives. (The real OTLP exporter against a closed port is
 * in test/e2e/collector-down.test.ts: it cannot load inside Jest's VM.)
 */
class SwitchableExporter {
  up = false;
  exported = 0;

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    setImmediate(() => {
      if (this.up) {
        this.exported += spans.length;
        resultCallback({ code: ExportResultCode.SUCCESS });
      } else {
        resultCallback({ code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED 127.0.0.1:4318') });
      }
    });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

describe('OutageReportingExporter', () => {
  it('should report an outage once, its end once, and let flush and shutdown resolve', async () => {
    const inner = new SwitchableExporter();
    const exporter = new OutageReportingExporter(inner, 'test exporter');
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })] });
    const tracer = provider.getTracer('outage');

    for (let i = 0; i < 5; i++) {
      tracer.startSpan(`refused ${i}`).end();
      await expect(provider.forceFlush()).resolves.toBeUndefined();
    }
    inner.up = true;
    tracer.startSpan('accepted').end();
    await provider.forceFlush();
    tracer.startSpan('accepted again').end();
    await expect(provider.shutdown()).resolves.toBeUndefined();

    expect(inner.exported).toBe(2);
    expect(lines).toEqual([
      'warn opentracing-otel-shim test exporter: export failed (Error: connect ECONNREFUSED 127.0.0.1:4318); spans are dropped until an export succeeds, which will be logged',
      'info opentracing-otel-shim test exporter: exports work again; 5 spans in 5 batches were lost meanwhile',
    ]);
  });

  it('should count an export that throws as failed, and resolve a shutdown that rejects', async () => {
    const inner = {
      export: (): void => {
        throw new Error('serialiser bug');
      },
      shutdown: () => Promise.reject(new Error('shutdown failed')),
    };
    const exporter = new OutageReportingExporter(inner, 'broken exporter');
    const results: unknown[] = [];

    exporter.export([], (result) => results.push(result));
    exporter.export([], (result) => results.push(result));
    await expect(exporter.shutdown()).resolves.toBeUndefined();
    await expect(exporter.forceFlush()).resolves.toBeUndefined();

    expect(results).toEqual([{ code: 0 }, { code: 0 }]);
    expect(lines).toEqual([
      'warn opentracing-otel-shim broken exporter: export failed (Error: serialiser bug); spans are dropped until an export succeeds, which will be logged',
      'warn opentracing-otel-shim broken exporter: shutdown failed: Error: shutdown failed',
    ]);
  });
});
