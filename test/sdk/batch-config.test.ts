import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { initTracer } from '../../src/jaeger';
import { createTracerProvider } from '../../src/sdk';
import { batchConfig } from '../../src/sdk/batch-config';
import { TracerShim } from '../../src/tracer-shim';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';

const DEFAULTS = { scheduledDelayMillis: 5000, exportTimeoutMillis: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 };

describe('batchConfig', () => {
  let logs: DiagCapture;

  beforeEach(() => {
    logs = captureDiag();
  });

  afterEach(() => logs.stop());

  it("should give all four settings, the specification's defaults when nothing sets them", () => {
    expect(batchConfig(undefined, {}, 'test')).toEqual(DEFAULTS);
    expect(batchConfig({}, { OTEL_BSP_SCHEDULE_DELAY: ' ' }, 'test')).toEqual(DEFAULTS);
    expect(logs.messages).toEqual([]);
  });

  it('should read OTEL_BSP_* and let the options win field by field', () => {
    const env = { OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BSP_EXPORT_TIMEOUT: '2000', OTEL_BSP_MAX_QUEUE_SIZE: '64', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '8' };
    expect(batchConfig(undefined, env, 'test')).toEqual({ scheduledDelayMillis: 100, exportTimeoutMillis: 2000, maxQueueSize: 64, maxExportBatchSize: 8 });
    expect(batchConfig({ maxExportBatchSize: 16, scheduledDelayMillis: 0 }, env, 'test')).toEqual({
      scheduledDelayMillis: 0,
      exportTimeoutMillis: 2000,
      maxQueueSize: 64,
      maxExportBatchSize: 16,
    });
    expect(logs.messages).toEqual([]);
  });

  it.each([
    ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '0', 'maxExportBatchSize'],
    ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '-1', 'maxExportBatchSize'],
    ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '0.5', 'maxExportBatchSize'],
    ['OTEL_BSP_MAX_QUEUE_SIZE', '0.5', 'maxQueueSize'],
    ['OTEL_BSP_MAX_QUEUE_SIZE', 'lots', 'maxQueueSize'],
    ['OTEL_BSP_SCHEDULE_DELAY', '-5', 'scheduledDelayMillis'],
    ['OTEL_BSP_SCHEDULE_DELAY', 'Infinity', 'scheduledDelayMillis'],
    ['OTEL_BSP_EXPORT_TIMEOUT', '0', 'exportTimeoutMillis'],
    ['OTEL_BSP_EXPORT_TIMEOUT', '1e12', 'exportTimeoutMillis'],
  ] as const)('should use the default, with a warning, for %s=%s', (variable, value, field) => {
    expect(batchConfig(undefined, { [variable]: value }, 'test')[field]).toBe(DEFAULTS[field]);
    expect(logs.matching(`test: ${variable} must be`)).toHaveLength(1);
    expect(logs.messages[0]).toContain(`got ${value}; ${DEFAULTS[field]} is used`);
  });

  it('should use the default, with a warning, for an option that cannot be read', () => {
    const batch = Object.defineProperty({}, 'maxQueueSize', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    expect(batchConfig(batch, { OTEL_BSP_MAX_QUEUE_SIZE: '64' }, 'test').maxQueueSize).toBe(64);
    expect(logs.matching('test: batch.maxQueueSize could not be read')).toHaveLength(1);
  });

  it('should name the option when an option is out of bounds', () => {
    expect(batchConfig({ maxExportBatchSize: 0, maxQueueSize: Number.NaN }, {}, 'test')).toEqual(DEFAULTS);
    expect(logs.matching('batch.maxExportBatchSize must be a whole number from 1')).toHaveLength(1);
    expect(logs.matching('batch.maxQueueSize must be a whole number from 1')).toHaveLength(1);
  });
});

/** An in-memory exporter that also keeps the names it exported, which its shutdown() clears. */
function recordingExporter(): { exporter: InMemorySpanExporter; names: string[] } {
  const exporter = new InMemorySpanExporter();
  const names: string[] = [];
  const exportSpans = exporter.export.bind(exporter);
  exporter.export = (spans: ReadableSpan[], done) => {
    names.push(...spans.map((span) => span.name));
    exportSpans(spans, done);
  };
  return { exporter, names };
}

describe('a batch size of 0 given to the entry points', () => {
  let logs: DiagCapture;
  const saved = process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE;

  beforeEach(() => {
    logs = captureDiag();
  });

  afterEach(() => {
    logs.stop();
    if (saved === undefined) delete process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE;
    else process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE = saved;
  });

  // The SDK's processor loops forever on a batch size of 0 when it flushes: these tests would
  // never end (the process runs out of memory) without batchConfig.
  it('createTracerProvider: the span is exported and the provider shuts down', async () => {
    const { exporter, names } = recordingExporter();
    const provider = createTracerProvider({ serviceName: 'batch', exporter, batch: { maxExportBatchSize: 0 } });
    new TracerShim(provider).startSpan('op').finish();
    await provider.shutdown();
    expect(names).toEqual(['op']);
    expect(logs.matching('createTracerProvider: batch.maxExportBatchSize must be')).toHaveLength(1);
  });

  it('initTracer with OTEL_BSP_MAX_EXPORT_BATCH_SIZE=0: the span is exported and close() ends', async () => {
    process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE = '0';
    const { exporter, names } = recordingExporter();
    const tracer = initTracer({ serviceName: 'batch', sampler: { type: 'const', param: 1 } }, { exporter });
    tracer.startSpan('op').finish();
    await tracer.close();
    expect(names).toEqual(['op']);
    expect(logs.matching('initTracer: OTEL_BSP_MAX_EXPORT_BATCH_SIZE must be')).toHaveLength(1);
  });
});
