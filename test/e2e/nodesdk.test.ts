import { join } from 'node:path';
import { runNode } from '../helpers/child';
import { startOtlpReceiver } from '../helpers/otlp-receiver';
import type { OtlpReceiver, ReceivedSpan } from '../helpers/otlp-receiver';

const APP = join(__dirname, 'fixtures/nodesdk/app.js');

/**
 * NodeSDK, `@opentelemetry/auto-instrumentations-node` and OpenTracing code through the shim in
 * one real process, exporting over OTLP to a real receiver on 127.0.0.1: one HTTP request must
 * give one trace, the OpenTracing span between the instrumented server span and the
 * instrumented client call it makes. Runs on both SDK lines (npm test).
 */
describe('NodeSDK with auto-instrumentations and OpenTracing code through the shim', () => {
  let server: OtlpReceiver;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    server = await startOtlpReceiver();
    spans = server.spans;
  });

  afterAll(() => server.close());

  it('should give one trace for one request: client, server, the OpenTracing span, client, server', async () => {
    const child = await runNode([APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: server.httpUrl.origin,
      OTEL_SERVICE_NAME: 'nodesdk-app',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_PROPAGATORS: 'tracecontext,baggage,jaeger',
    });
    expect(child).toMatchObject({ code: 0, stdout: 'done' });

    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const [root, ...others] = spans.filter((span) => !span.parentSpanId);
    expect(others).toEqual([]);
    const chain: string[] = [];
    for (let span: ReceivedSpan | undefined = root; span !== undefined; span = spans.find((candidate) => candidate.parentSpanId === span!.spanId)) {
      chain.push(`${span.kind} ${span.name}`);
    }
    expect(chain).toEqual([
      expect.stringMatching(/^SPAN_KIND_CLIENT GET/),
      expect.stringMatching(/^SPAN_KIND_SERVER GET/),
      'SPAN_KIND_INTERNAL reserve stock',
      expect.stringMatching(/^SPAN_KIND_CLIENT GET/),
      expect.stringMatching(/^SPAN_KIND_SERVER GET/),
    ]);
    expect(spans).toHaveLength(5);
    expect(spans.find((span) => span.name === 'reserve stock')).toMatchObject({ scope: 'opentracing-shim', attributes: { 'order.id': 'o-1' } });
  });
});
