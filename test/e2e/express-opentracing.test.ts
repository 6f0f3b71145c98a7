import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { get, only, startService, traceOf } from './fixtures/clients/services';
import type { Answer, Report, Service, SpanJson } from './fixtures/clients/services';

/**
 * express-opentracing 0.1 (unmodified) on the shim, end to end, in two services on 127.0.0.1,
 * each a child process (fixtures/clients):
 * - A, express-opentracing-service.js: Express + express-opentracing with a TracerShim; its
 *   outgoing calls traced by @opentelemetry/instrumentation-http; the handler sets a baggage
 *   item on `req.span` and calls B inside `withSpan(req.span, ...)`.
 * - B, otel-service.js: OpenTelemetry only (instrumentation-http), answers with the baggage
 *   item it sees in the active context and the trace headers it received.
 * Every assertion is on the OpenTelemetry spans the two SDKs exported.
 */

const UPSTREAM_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const UPSTREAM_SPAN_ID = 'b7ad6b7169203331';

interface FromB {
  fromB: { tenant: string | null; traceparent: string | null; baggage: string | null };
}

/** A request to A and the trace it made in both services. */
interface Traced {
  answer: Answer;
  body: FromB;
  server: SpanJson;
  client: SpanJson;
  serverB: SpanJson;
}

describe('express-opentracing on the shim, calling an OpenTelemetry-only service', () => {
  let serviceA: Service | undefined;
  let serviceB: Service | undefined;
  let reportA: Report;
  let reportB: Report;
  let plain: Traced;
  let upstream: Traced;
  let failed: { answer: Answer; server: SpanJson };

  beforeAll(async () => {
    serviceB = await startService('otel-service.js');
    serviceA = await startService('express-opentracing-service.js', { SERVICE_B_URL: `http://127.0.0.1:${serviceB.port}/stock` });
    const plainAnswer = await get(serviceA.port, '/checkout/42');
    const upstreamAnswer = await get(serviceA.port, '/checkout/43', {
      traceparent: `00-${UPSTREAM_TRACE_ID}-${UPSTREAM_SPAN_ID}-01`,
      tracestate: 'upstream=opaque',
      baggage: 'region=eu',
    });
    const failedAnswer = await get(serviceA.port, '/fail');
    reportA = await serviceA.report(3);
    reportB = await serviceB.report(2);

    const traced = (answer: Answer, url: string): Traced => {
      const server = only(reportA.spans, (s) => s.attributes['http.url'] === url, `A server span for ${url}`);
      const client = only(traceOf(reportA.spans, server.traceId), (s) => s.kind === SpanKind.CLIENT, `A client span for ${url}`);
      const serverB = only(traceOf(reportB.spans, server.traceId), (s) => s.kind === SpanKind.SERVER, `B server span for ${url}`);
      return { answer, body: answer.body as FromB, server, client, serverB };
    };
    plain = traced(plainAnswer, '/checkout/42');
    upstream = traced(upstreamAnswer, '/checkout/43');
    failed = { answer: failedAnswer, server: only(reportA.spans, (s) => s.attributes['http.url'] === '/fail', 'A server span for /fail') };
  });

  afterAll(async () => {
    await Promise.all([serviceA?.stop(), serviceB?.stop()]);
  });

  describe('a request without trace headers', () => {
    it("should make one trace: the express-opentracing server span, the OpenTelemetry client span, B's server span", () => {
      const { server, client, serverB } = plain;
      expect(plain.answer.status).toBe(200);
      expect(server.parentSpanId).toBeUndefined();
      expect(client.traceId).toBe(server.traceId);
      expect(client.parentSpanId).toBe(server.spanId);
      expect(client.scope).toBe('@opentelemetry/instrumentation-http');
      expect(serverB.traceId).toBe(server.traceId);
      expect(serverB.parentSpanId).toBe(client.spanId);
      expect(serverB.parentIsRemote).toBe(true);
      expect(traceOf(reportA.spans, server.traceId)).toHaveLength(2);
      expect(traceOf(reportB.spans, server.traceId)).toHaveLength(1);
    });

    it('should give the server span kind SERVER from the span.kind tag set after startSpan, and the route as its name', () => {
      expect(plain.server).toMatchObject({ scope: 'opentracing-shim', kind: SpanKind.SERVER, name: '/checkout/:id' });
      expect(plain.server.attributes).toEqual({ 'http.method': 'GET', 'http.url': '/checkout/42', 'http.status_code': 200 });
      expect(plain.server.status.code).toBe(SpanStatusCode.UNSET);
      expect(plain.client.kind).toBe(SpanKind.CLIENT);
      expect(plain.serverB.kind).toBe(SpanKind.SERVER);
    });

    it("should carry the baggage item set on req.span to B's OpenTelemetry context", () => {
      expect(plain.body.fromB.tenant).toBe('tenant-of-42');
      expect(plain.body.fromB.baggage).toBe('tenant=tenant-of-42');
      expect(plain.body.fromB.traceparent).toBe(`00-${plain.server.traceId}-${plain.client.spanId}-01`);
    });

    it('should send the injected FORMAT_TEXT_MAP keys as valid response headers', () => {
      expect(plain.answer.headers.traceparent).toBe(`00-${plain.server.traceId}-${plain.server.spanId}-01`);
      expect(plain.answer.headers.baggage).toBeUndefined();
    });
  });

  describe('a request with an upstream traceparent, tracestate and baggage', () => {
    it('should continue the upstream trace through A and B', () => {
      const { server, client, serverB } = upstream;
      expect(upstream.answer.status).toBe(200);
      expect(server).toMatchObject({
        traceId: UPSTREAM_TRACE_ID,
        parentSpanId: UPSTREAM_SPAN_ID,
        parentIsRemote: true,
        kind: SpanKind.SERVER,
      });
      expect(server.links).toEqual([{ traceId: UPSTREAM_TRACE_ID, spanId: UPSTREAM_SPAN_ID, attributes: { 'opentracing.ref_type': 'child_of' } }]);
      expect(client).toMatchObject({ traceId: UPSTREAM_TRACE_ID, parentSpanId: server.spanId, kind: SpanKind.CLIENT });
      expect(serverB).toMatchObject({ traceId: UPSTREAM_TRACE_ID, parentSpanId: client.spanId, kind: SpanKind.SERVER });
    });

    it('should pass the upstream baggage and the item set on req.span on to B', () => {
      expect(upstream.body.fromB.tenant).toBe('tenant-of-43');
      expect(upstream.body.fromB.baggage?.split(',').sort()).toEqual(['region=eu', 'tenant=tenant-of-43']);
    });

    it('should send traceparent, tracestate and baggage from FORMAT_TEXT_MAP as response headers', () => {
      expect(upstream.answer.headers.traceparent).toBe(`00-${UPSTREAM_TRACE_ID}-${upstream.server.spanId}-01`);
      expect(upstream.answer.headers.tracestate).toBe('upstream=opaque');
      expect(upstream.answer.headers.baggage).toBe('region=eu');
    });
  });

  describe('a 500 response', () => {
    it('should set status Error from the error tag, and keep sampling.priority and the status code', () => {
      expect(failed.answer.status).toBe(500);
      expect(failed.server).toMatchObject({ name: '/fail', kind: SpanKind.SERVER, status: { code: SpanStatusCode.ERROR } });
      expect(failed.server.attributes).toEqual({
        'http.method': 'GET',
        'http.url': '/fail',
        'http.status_code': 500,
        'sampling.priority': 1,
      });
    });
  });

  describe('express-opentracing finishing every span twice (res "finish" and "close")', () => {
    it('should export each span exactly once', () => {
      const ids = [...reportA.spans, ...reportB.spans].map((span) => span.spanId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(reportA.spans.filter((span) => span.scope === 'opentracing-shim')).toHaveLength(3);
      expect(reportA.spans).toHaveLength(5);
      expect(reportB.spans).toHaveLength(2);
    });

    it('should ignore the second run of logEvent, setTag and finish without a throw or a warning', () => {
      for (const server of [plain.server, upstream.server, failed.server]) {
        expect(server.events.map((event) => event.name)).toEqual(['request_received', 'request_finished']);
      }
      expect(reportA.uncaught).toEqual([]);
      expect(reportA.diagnostics).toEqual([]);
      expect(reportB.uncaught).toEqual([]);
      expect(reportB.diagnostics).toEqual([]);
    });
  });
});
