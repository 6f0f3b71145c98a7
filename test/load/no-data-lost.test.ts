import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { initTracer } from '../../src/jaeger/init-tracer';
import { TracerShim } from '../../src/tracer-shim';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';
import { KeepingExporter } from '../helpers/sdk';

// N spans produced at a steady rate below the BatchSpanProcessor's capacity are all exported,
// exactly once, by the time close()/shutdown() resolves.

const SPANS = 5000;
/** Spans finished per event-loop turn: well below maxQueueSize (2048), so the queue never fills. */
const SPANS_PER_TURN = 200;

/** Completes each export on a later turn, as a network exporter does, and keeps every span through shutdown. */
class AsyncKeepingExporter extends KeepingExporter {
  batches = 0;

  override export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.batches += 1;
    setImmediate(() => super.export(spans, resultCallback));
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Finishes `SPANS` spans (a request span and a child per iteration, with tags, logs, baggage and
 * an inject/extract round trip), `SPANS_PER_TURN` per event-loop turn. Returns their span ids.
 */
async function produce(tracer: opentracing.Tracer): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < SPANS) {
    for (let i = 0; i < SPANS_PER_TURN / 2; i++) {
      const n = ids.length;
      const request = tracer.startSpan('request', { tags: { 'span.kind': 'server', n } });
      request.setBaggageItem('request', String(n)).log({ event: 'received' });
      const headers: Record<string, unknown> = {};
      tracer.inject(request, opentracing.FORMAT_HTTP_HEADERS, headers);
      const child = tracer.startSpan('query', { childOf: tracer.extract(opentracing.FORMAT_HTTP_HEADERS, headers) ?? request, tags: { n } });
      child.finish();
      request.finish();
      ids.push(child.context().toSpanId(), request.context().toSpanId());
    }
    await nextTurn();
  }
  return ids;
}

/** Every produced id was exported exactly once, and nothing else was. */
function expectExactlyOnce(produced: string[], exported: ReadableSpan[]): void {
  const counts = new Map<string, number>();
  for (const span of exported) counts.set(span.spanContext().spanId, (counts.get(span.spanContext().spanId) ?? 0) + 1);
  const missing = produced.filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, count]) => count !== 1);
  expect({ exported: exported.length, missing: missing.length, duplicated: duplicated.length }).toEqual({
    exported: produced.length,
    missing: 0,
    duplicated: 0,
  });
  expect(new Set(produced).size).toBe(SPANS);
}

let diagnostics: DiagCapture;

beforeEach(() => {
  diagnostics = captureDiag();
});

afterEach(() => diagnostics.stop());

describe(`${SPANS} spans at a steady rate below the BatchSpanProcessor's capacity`, () => {
  it('are all exported exactly once by provider.shutdown() (TracerShim, default BatchSpanProcessor settings)', async () => {
    const exporter = new AsyncKeepingExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
    const tracer = new TracerShim(provider);

    const produced = await produce(tracer);
    await provider.shutdown();

    expectExactlyOnce(produced, exporter.getFinishedSpans());
    expect(exporter.batches).toBeGreaterThanOrEqual(SPANS / 512);
    expect(diagnostics.matching('Dropped')).toEqual([]);
  });

  it('are all exported exactly once by close() (initTracer with options.exporter)', async () => {
    const exporter = new AsyncKeepingExporter();
    const tracer = initTracer({ serviceName: 'load', sampler: { type: 'const', param: 1 } }, { exporter });

    const produced = await produce(tracer);
    await tracer.close();

    expectExactlyOnce(produced, exporter.getFinishedSpans());
    expect(diagnostics.matching('Dropped')).toEqual([]);
  });
});
