import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { get, only, startService, traceOf } from './fixtures/clients/services';
import type { Answer, Report, Service, SpanJson } from './fixtures/clients/services';

/**
 * @risingstack/opentracing-auto 1.5 (unmodified: its own opentracing 0.14.1 copy, cls-hooked,
 * require-in-the-middle 2) on the shim, end to end on Node's real http and Express, in a child
 * process (fixtures/clients/opentracing-auto-service.js) with `httpTimings` on. The service
 * calls itself: `/orders` -> `/stock`, `/checkout` -> `/payment` (500), `/unreachable` -> a
 * closed port. Every assertion is on the OpenTelemetry spans the SDK exported.
 */

const UPSTREAM_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const UPSTREAM_SPAN_ID = '00f067aa0ba902b7';

const isTiming = (span: SpanJson) => span.name.startsWith('http_request_');
const isWholeMillisecond = (time: HrTime) => time[1] % 1_000_000 === 0;

describe('@risingstack/opentracing-auto on the shim', () => {
  let service: Service | undefined;
  let report: Report;
  let orders: Answer;
  let checkout: Answer;
  let unreachable: Answer;

  beforeAll(async () => {
    service = await startService('opentracing-auto-service.js');
    orders = await get(service.port, '/orders', { traceparent: `00-${UPSTREAM_TRACE_ID}-${UPSTREAM_SPAN_ID}-01` });
    checkout = await get(service.port, '/checkout');
    unreachable = await get(service.port, '/unreachable');
    // /orders, /stock, /checkout, /payment, /unreachable
    report = await service.report(5);
  });

  afterAll(async () => {
    await service?.stop();
  });

  const serverSpan = (path: string) => only(report.spans, (s) => s.name === 'http_server' && s.attributes.request_path === path, `server span for ${path}`);
  const clientSpan = (path: string) =>
    only(report.spans, (s) => s.name === 'http_request' && String(s.attributes['http.url']).endsWith(path), `client span to ${path}`);

  describe('a request that calls another service', () => {
    it('should make one trace: server span, client span as its child, downstream server span under that', () => {
      expect(orders.status).toBe(200);
      const server = serverSpan('/orders');
      const client = clientSpan('/stock');
      const downstream = serverSpan('/stock');
      expect(server).toMatchObject({ traceId: UPSTREAM_TRACE_ID, parentSpanId: UPSTREAM_SPAN_ID, parentIsRemote: true });
      expect(client).toMatchObject({ traceId: UPSTREAM_TRACE_ID, parentSpanId: server.spanId, parentIsRemote: false });
      expect(downstream).toMatchObject({ traceId: UPSTREAM_TRACE_ID, parentSpanId: client.spanId, parentIsRemote: true });
      expect(traceOf(report.spans, UPSTREAM_TRACE_ID).filter((s) => !isTiming(s))).toHaveLength(3);
    });

    it('should give the server span kind SERVER and the client span kind CLIENT from their start tags', () => {
      const server = serverSpan('/orders');
      const client = clientSpan('/stock');
      expect(server).toMatchObject({ scope: 'opentracing-shim', kind: SpanKind.SERVER, status: { code: SpanStatusCode.UNSET } });
      expect(server.attributes).toEqual({
        'http.url': `http://127.0.0.1:${service?.port}/orders`,
        'http.method': 'GET',
        request_path: '/orders',
        'http.status_code': 200,
      });
      expect(server.events.map((e) => [e.name, e.attributes])).toEqual([['log', { peerRemoteAddress: '127.0.0.1' }]]);
      expect(client).toMatchObject({ scope: 'opentracing-shim', kind: SpanKind.CLIENT, status: { code: SpanStatusCode.UNSET } });
      expect(client.attributes).toEqual({
        'http.url': `http://127.0.0.1:${service?.port}/stock`,
        'http.method': 'GET',
        'http.status_code': 200,
      });
    });

    it('should deliver the headers injected with FORMAT_HTTP_HEADERS to the downstream server', () => {
      const client = clientSpan('/stock');
      const body = orders.body as { fromStock: { traceparent: string } };
      expect(body.fromStock.traceparent).toBe(`00-${UPSTREAM_TRACE_ID}-${client.spanId}-01`);
    });

    it('should keep the object value of log({ headers }) as a JSON string attribute', () => {
      const [event] = clientSpan('/stock').events;
      expect(event.name).toBe('log');
      expect(typeof event.attributes.headers).toBe('string');
      expect(JSON.parse(event.attributes.headers as string)).toEqual({ 'content-type': 'application/json; charset=utf-8' });
    });

    it('should convert the millisecond startTime and finish(ms) of the timing spans exactly', () => {
      const client = clientSpan('/stock');
      const timings = report.spans.filter((s) => isTiming(s) && s.parentSpanId === client.spanId);
      const firstByte = only(timings, (s) => s.name === 'http_request_time_to_first_byte', 'time-to-first-byte span');
      const transfer = only(timings, (s) => s.name === 'http_request_content_transfer', 'content-transfer span');
      for (const span of [firstByte, transfer]) {
        expect(span).toMatchObject({ traceId: UPSTREAM_TRACE_ID, kind: SpanKind.INTERNAL });
        expect(isWholeMillisecond(span.startTime) && isWholeMillisecond(span.endTime)).toBe(true);
      }
      // Both are the same Date.now() value (the first byte), passed as finish(ms) and startTime.
      expect(firstByte.endTime).toEqual(transfer.startTime);
    });

    it('should leave the tracer usable after opentracing-auto wrote __clsNamespace on it', () => {
      const body = orders.body as { fromStock: { tracerClsNamespace: string } };
      expect(body.fromStock.tracerClsNamespace).toBe('string');
    });
  });

  describe('a downstream 500', () => {
    it('should set status Error on the failing server span, the client span and the calling server span', () => {
      expect(checkout.status).toBe(502);
      const server = serverSpan('/checkout');
      const client = clientSpan('/payment');
      const payment = serverSpan('/payment');
      expect(server.parentSpanId).toBeUndefined();
      expect(client).toMatchObject({ traceId: server.traceId, parentSpanId: server.spanId, kind: SpanKind.CLIENT });
      expect(payment).toMatchObject({ traceId: server.traceId, parentSpanId: client.spanId, kind: SpanKind.SERVER });
      expect([server, client, payment].map((s) => [s.attributes['http.status_code'], s.status.code])).toEqual([
        [502, SpanStatusCode.ERROR],
        [500, SpanStatusCode.ERROR],
        [500, SpanStatusCode.ERROR],
      ]);
      expect([server, client, payment].some((s) => 'error' in s.attributes)).toBe(false);
    });
  });

  describe('a connection error', () => {
    it('should record log({ event: "error", "error.object", message, stack }) as an exception and set status Error', () => {
      expect(unreachable.status).toBe(504);
      const server = serverSpan('/unreachable');
      const client = only(traceOf(report.spans, server.traceId), (s) => s.name === 'http_request', 'client span of /unreachable');
      expect(client).toMatchObject({ parentSpanId: server.spanId, kind: SpanKind.CLIENT });
      const message = (unreachable.body as { error: string }).error;
      expect(message).toMatch(/ECONNREFUSED/);
      expect(client.events).toHaveLength(1);
      expect(client.events[0].name).toBe('exception');
      expect(client.events[0].attributes).toMatchObject({ 'exception.type': 'Error', 'exception.message': message, message });
      expect(client.events[0].attributes['exception.stacktrace']).toContain(message);
      expect(client.status).toEqual({ code: SpanStatusCode.ERROR, message });
      expect(server.status.code).toBe(SpanStatusCode.ERROR);
    });
  });

  it('should export each span once although the client span of a connection error is finished twice', () => {
    const ids = report.spans.map((span) => span.spanId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(report.spans.filter((s) => s.name === 'http_server')).toHaveLength(5);
    expect(report.spans.filter((s) => s.name === 'http_request')).toHaveLength(3);
  });

  it('should run without uncaught exceptions or diag warnings', () => {
    expect(report.uncaught).toEqual([]);
    expect(report.diagnostics).toEqual([]);
  });
});
