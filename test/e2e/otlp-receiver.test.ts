import { join } from 'node:path';
import { runNode } from '../helpers/child';
import { startOtlpReceiver } from '../helpers/otlp-receiver';
import type { OtlpReceiver, ReceivedSpan } from '../helpers/otlp-receiver';

/** What the fixture prints: ids as the OpenTracing API reported them, and the baggage the server read. */
interface FixtureReport {
  ids: Record<string, { traceId: string; spanId: string }>;
  customerSeenByServer: string;
}

/** OTLP span flags: bit 8 says whether the parent's remoteness is known, bit 9 that it is remote. */
const PARENT_IS_REMOTE = 0x300;
const FIXTURE = join(__dirname, 'fixtures/otlp/traffic.js');
const JAEGER_APP = join(__dirname, 'fixtures/otlp/jaeger-app.js');

/**
 * A real OTLP/HTTP receiver (@elastic/mockotlpserver) on 127.0.0.1 and a free port, and the
 * fixture's OpenTracing traffic sent to it by `createTracerProvider`'s OTLP exporter, once per
 * protocol, from a child process that requires the built package (dist/, `npm run build`).
 * The receiver parses what arrives with the OTLP protobuf schema or as OTLP/JSON; the
 * assertions read its parsed requests.
 */
describe('OpenTracing traffic through createTracerProvider to a real OTLP receiver', () => {
  let server: OtlpReceiver;

  beforeAll(async () => {
    // One receiver for the file: it listens through process-wide diagnostics channels.
    server = await startOtlpReceiver({ grpc: true });
  });

  afterAll(async () => {
    await server.close();
  });

  describe.each([
    ['http/protobuf', 'application/x-protobuf'],
    ['http/json', 'application/json'],
    // OTLP/gRPC goes to the receiver's gRPC listener, which reports no HTTP request.
    ['grpc', undefined],
  ])('over %s', (protocol, contentType) => {
    const service = `otlp-e2e-${protocol.replace('/', '-')}`;
    let report: FixtureReport;
    let received: ReceivedSpan[];
    const span = (name: string): ReceivedSpan => {
      const found = received.filter((candidate) => candidate.name === name);
      if (found.length !== 1) throw new Error(`expected one received span "${name}", found ${found.length}`);
      return found[0];
    };

    beforeAll(async () => {
      const firstRequest = server.requests.length;
      const child = await runNode([FIXTURE], {
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? `http://${server.grpcUrl!.host}` : server.httpUrl.origin,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: service,
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e,service.name=overridden',
      });
      expect(child).toMatchObject({ code: 0, stderr: '' });
      report = JSON.parse(child.stdout) as FixtureReport;
      received = server.spans.filter((candidate) => candidate.service === service);
      expect(server.requests.slice(firstRequest).map((request) => [request.path, request.contentType])).toEqual(
        contentType === undefined ? [] : [['/v1/traces', contentType]],
      );
    });

    it('should send the resource with service.name from OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES merged in', () => {
      expect(server.resources.filter((attributes) => attributes['service.name'] === service)).toEqual([
        expect.objectContaining({ 'service.name': service, 'deployment.environment.name': 'e2e', 'telemetry.sdk.language': 'nodejs' }),
      ]);
    });

    it('should send every span once, with the trace and span ids OpenTracing reported', () => {
      expect(received.map((candidate) => candidate.name).sort()).toEqual(Object.keys(report.ids).sort());
      for (const [name, ids] of Object.entries(report.ids)) {
        expect({ name, traceId: span(name).traceId, spanId: span(name).spanId }).toEqual({ name, ...ids });
      }
      expect(new Set(received.map((candidate) => candidate.traceId)).size).toBe(1);
    });

    it('should nest children under their parents, across inject/extract with a remote parent', () => {
      const parentOf = (name: string) => received.find((candidate) => candidate.spanId === span(name).parentSpanId)?.name;

      expect(span('checkout').parentSpanId ?? '').toBe('');
      expect(['GET /orders', 'handle /orders', 'SELECT orders', 'publish invoice', 'consume invoice'].map(parentOf)).toEqual([
        'checkout',
        'GET /orders',
        'handle /orders',
        'checkout',
        'publish invoice',
      ]);
      expect(span('handle /orders').flags & PARENT_IS_REMOTE).toBe(PARENT_IS_REMOTE);
      expect(span('consume invoice').flags & PARENT_IS_REMOTE).toBe(PARENT_IS_REMOTE);
      expect(span('SELECT orders').flags & PARENT_IS_REMOTE).toBe(0x100);
    });

    it('should send the span kinds, the server kind tagged after start included', () => {
      expect(Object.fromEntries(received.map((candidate) => [candidate.name, candidate.kind]))).toEqual({
        checkout: 'SPAN_KIND_SERVER',
        'GET /orders': 'SPAN_KIND_CLIENT',
        'handle /orders': 'SPAN_KIND_SERVER',
        'SELECT orders': 'SPAN_KIND_INTERNAL',
        'publish invoice': 'SPAN_KIND_PRODUCER',
        'consume invoice': 'SPAN_KIND_CONSUMER',
      });
      expect(span('handle /orders').attributes ?? {}).not.toHaveProperty('span.kind');
    });

    it('should send the follows_from reference as a link with opentracing.ref_type', () => {
      expect(span('consume invoice').links).toEqual([
        expect.objectContaining({
          traceId: report.ids['publish invoice'].traceId,
          spanId: report.ids['publish invoice'].spanId,
          attributes: { 'opentracing.ref_type': 'follows_from' },
        }),
      ]);
    });

    it('should send log() calls as events, the error log as an exception event', () => {
      expect(span('handle /orders').events).toEqual([expect.objectContaining({ name: 'cache.miss', attributes: { event: 'cache.miss', key: 'orders' } })]);
      const [exception] = span('SELECT orders').events ?? [];
      expect(exception).toMatchObject({ name: 'exception', attributes: { 'exception.type': 'Error', 'exception.message': 'boom' } });
      expect(exception.attributes?.['exception.stacktrace']).toMatch(/^Error: boom\n {4}at /);
    });

    it("should send status ERROR for setTag('error', true), with the error's message, and leave the others unset", () => {
      expect(span('SELECT orders').status).toEqual({ code: 'STATUS_CODE_ERROR', message: 'boom' });
      expect(span('SELECT orders').attributes).toEqual({ 'db.system': 'postgresql' });
      expect(span('checkout').status.code).toBe('STATUS_CODE_UNSET');
    });

    it('should carry baggage across the HTTP call but never into span attributes', () => {
      expect(report.customerSeenByServer).toBe('c-42');
      for (const candidate of received) {
        const attributes = candidate.attributes ?? {};
        expect({ name: candidate.name, keys: Object.keys(attributes).filter((key) => key.includes('customer')) }).toEqual({ name: candidate.name, keys: [] });
        expect(Object.values(attributes)).not.toContain('c-42');
      }
    });
  });

  describe.each([
    ['http/json', 'application/json'],
    ['grpc', undefined],
  ])('initTracer with a typical jaeger-client config, over %s', (protocol, contentType) => {
    it('should send the jaeger-client app as one trace, with its service name, tags and log', async () => {
      const service = `jaeger-app-${protocol.replace('/', '-')}`;
      const firstRequest = server.requests.length;
      const child = await runNode([JAEGER_APP], {
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? `http://${server.grpcUrl!.host}` : server.httpUrl.origin,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        APP_SERVICE_NAME: service,
      });
      expect(child).toMatchObject({ code: 0, stderr: '' });
      const ids = JSON.parse(child.stdout) as { traceId: string; parent: string; child: string };
      const received = server.spans.filter((candidate) => candidate.service === service);

      expect(
        received.map(({ name, traceId, spanId, parentSpanId, kind }) => ({ name, traceId, spanId, parentSpanId: parentSpanId || undefined, kind })),
      ).toEqual([
        {
          name: 'load cart',
          traceId: ids.traceId.padStart(32, '0'),
          spanId: ids.child.padStart(16, '0'),
          parentSpanId: ids.parent.padStart(16, '0'),
          kind: 'SPAN_KIND_INTERNAL',
        },
        { name: 'GET /cart', traceId: ids.traceId.padStart(32, '0'), spanId: ids.parent.padStart(16, '0'), parentSpanId: undefined, kind: 'SPAN_KIND_SERVER' },
      ]);
      // The receiver's gRPC decoding gives int64 values as strings ("3"), its HTTP decoding as numbers.
      expect(Object.keys(received[0].attributes ?? {})).toEqual(['cart.items']);
      expect(Number(received[0].attributes?.['cart.items'])).toBe(3);
      expect(received[0].events).toEqual([expect.objectContaining({ name: 'cache.miss' })]);
      expect(server.resources.filter((attributes) => attributes['service.name'] === service)).toEqual([expect.objectContaining({ 'app.version': '1.2.3' })]);
      expect(server.requests.slice(firstRequest).map((request) => [request.path, request.contentType])).toEqual(
        contentType === undefined ? [] : [['/v1/traces', contentType]],
      );
    });
  });
});
