import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Attributes, Counter, Meter, MeterProvider, ObservableUpDownCounter, UpDownCounter } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { initTracer } from '../../src/jaeger/init-tracer';
import { TracerShim } from '../../src/tracer-shim';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';

// Under overload (more spans between two exports than the BatchSpanProcessor's queue holds) the
// SDK drops spans, and says how many through its own signals; exported + dropped == produced.
//
// The signals of @opentelemetry/sdk-trace 2.12 (BatchSpanProcessorBase._addToBuffer):
// - diag.debug('maxQueueSize reached, dropping spans') at the first drop of a run of drops;
// - diag.warn(`Dropped ${n} spans because maxQueueSize reached`) when the next span is queued
//   after a run of drops (so drops after the last queued span are never logged);
// - with `selfObsMeterProvider`, the counter `otel.sdk.processor.span.processed` gets +1 with
//   `error.type: 'queue_full'` at each drop (and +batch size, no error.type, per successful export).

const QUEUE = 100;
const BATCH = 50;
const DROPPED_MESSAGE = /^warn Dropped (\d+) spans because maxQueueSize reached$/;

/** Holds every export until `open()`, then completes them and later ones at once; keeps spans through shutdown. */
class GatedExporter implements SpanExporter {
  readonly finished: ReadableSpan[] = [];
  private _open = false;
  private readonly _held: Array<() => void> = [];

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const complete = (): void => {
      this.finished.push(...spans);
      resultCallback({ code: ExportResultCode.SUCCESS });
    };
    if (this._open) complete();
    else this._held.push(complete);
  }

  open(): void {
    this._open = true;
    for (const complete of this._held.splice(0)) complete();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** One recorded `add` on a counter. */
interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly attributes: Attributes;
}

/** A MeterProvider that records counter additions: enough for the SDK's self-observability metrics. */
class RecordingMeterProvider implements MeterProvider {
  readonly measurements: Measurement[] = [];

  getMeter(): Meter {
    const record =
      (name: string) =>
      (value: number, attributes: Attributes = {}): void => {
        this.measurements.push({ name, value, attributes });
      };
    const counter = (name: string): Counter & UpDownCounter => ({ add: record(name) });
    const observable = (): ObservableUpDownCounter => ({ addCallback: () => undefined, removeCallback: () => undefined });
    return { createCounter: counter, createUpDownCounter: counter, createObservableUpDownCounter: observable } as unknown as Meter;
  }

  /** Sum of `otel.sdk.processor.span.processed` whose `error.type` is `errorType` (undefined: successes). */
  processed(errorType: string | undefined): number {
    return this.measurements
      .filter((m) => m.name === 'otel.sdk.processor.span.processed' && m.attributes['error.type'] === errorType)
      .reduce((sum, m) => sum + m.value, 0);
  }
}

/** The total the SDK's "Dropped N spans" warnings report. */
function droppedByDiag(diagnostics: DiagCapture): number {
  return diagnostics.messages.reduce((sum, message) => sum + Number(DROPPED_MESSAGE.exec(message)?.[1] ?? 0), 0);
}

function finishSpans(tracer: opentracing.Tracer, count: number): void {
  for (let i = 0; i < count; i++) tracer.startSpan('burst', { tags: { i } }).finish();
}

let diagnostics: DiagCapture;

beforeEach(() => {
  diagnostics = captureDiag();
});

afterEach(() => diagnostics.stop());

describe('a burst larger than the BatchSpanProcessor queue', () => {
  function setUp(): {
    tracer: TracerShim;
    provider: BasicTracerProvider;
    processor: BatchSpanProcessor;
    exporter: GatedExporter;
    meters: RecordingMeterProvider;
  } {
    const exporter = new GatedExporter();
    const meters = new RecordingMeterProvider();
    const processor = new BatchSpanProcessor(exporter, {
      maxQueueSize: QUEUE,
      maxExportBatchSize: BATCH,
      scheduledDelayMillis: 60_000,
      // Experimental SDK option, passed through by sdk-trace-base's BatchSpanProcessor.
      selfObsMeterProvider: meters,
    } as ConstructorParameters<typeof BatchSpanProcessor>[1]);
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    return { tracer: new TracerShim(provider), provider, processor, exporter, meters };
  }

  it('reports the dropped count with diag "Dropped N spans because maxQueueSize reached" once a span is queued again; exported + dropped == produced', async () => {
    const { tracer, provider, processor, exporter, meters } = setUp();

    // The first BATCH spans start an export that the exporter holds; QUEUE more fill the queue;
    // the remaining 350 are dropped.
    finishSpans(tracer, 500);
    expect(meters.processed('queue_full')).toBe(350);
    expect(droppedByDiag(diagnostics)).toBe(0);

    exporter.open();
    await processor.forceFlush();
    finishSpans(tracer, 1);
    expect(diagnostics.matching('Dropped')).toEqual(['warn Dropped 350 spans because maxQueueSize reached']);

    await provider.shutdown();
    const produced = 501;
    expect(exporter.finished).toHaveLength(BATCH + QUEUE + 1);
    expect(new Set(exporter.finished.map((span) => span.spanContext().spanId)).size).toBe(exporter.finished.length);
    expect(exporter.finished.length + droppedByDiag(diagnostics)).toBe(produced);
    expect(meters.processed(undefined) + meters.processed('queue_full')).toBe(produced);
  });

  it('logs nothing at WARN for drops after the last queued span; only the processed-spans metric counts them', async () => {
    const { tracer, provider, exporter, meters } = setUp();

    finishSpans(tracer, 500);
    exporter.open();
    await provider.shutdown();

    expect(exporter.finished).toHaveLength(BATCH + QUEUE);
    expect(diagnostics.matching('Dropped')).toEqual([]);
    expect(meters.processed('queue_full')).toBe(350);
    expect(exporter.finished.length + meters.processed('queue_full')).toBe(500);
  });
});

describe('a burst larger than the queue of a tracer from initTracer', () => {
  const saved = { queue: process.env.OTEL_BSP_MAX_QUEUE_SIZE, batch: process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE };

  afterEach(() => {
    for (const [name, value] of [
      ['OTEL_BSP_MAX_QUEUE_SIZE', saved.queue],
      ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', saved.batch],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  // initTracer has no option for the queue size; the SDK reads OTEL_BSP_* when the processor is built.
  it('is reported the same way: diag "Dropped N spans because maxQueueSize reached", exported + dropped == produced', async () => {
    process.env.OTEL_BSP_MAX_QUEUE_SIZE = String(QUEUE);
    process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE = String(BATCH);
    const exporter = new GatedExporter();
    const tracer = initTracer({ serviceName: 'overload', sampler: { type: 'const', param: 1 }, reporter: { flushIntervalMs: 60_000 } }, { exporter });

    finishSpans(tracer, 500);
    exporter.open();
    // Lets the processor drain its queue (each batch is exported on the settling of the last).
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    finishSpans(tracer, 1);
    await tracer.close();

    expect(diagnostics.matching('Dropped')).toEqual(['warn Dropped 350 spans because maxQueueSize reached']);
    expect(exporter.finished.length + droppedByDiag(diagnostics)).toBe(501);
  });
});
