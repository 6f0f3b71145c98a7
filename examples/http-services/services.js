'use strict';
// Two HTTP services and an in-process queue, instrumented only through the OpenTracing API
// (`opentracing.globalTracer()`), the way existing OpenTracing code is written. Nothing here
// knows that OpenTelemetry is underneath.
const http = require('node:http');
const opentracing = require('opentracing');

const { Tags, FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } = opentracing;

/** Starts an HTTP server on 127.0.0.1 with an ephemeral port; resolves to its base URL. */
function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

/** GET a URL with extra headers; resolves to { status, body }. */
function get(url, headers) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

class PaymentDeclinedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PaymentDeclinedError';
  }
}

/**
 * The backend: extracts the caller's span context, then does its work in nested `Foo` -> `Bar`
 * spans; `Bar` fails for tenants on the deny list, logging the Error object and tagging `error`.
 */
function createBackend() {
  return http.createServer((req, res) => {
    const tracer = opentracing.globalTracer();
    const wireContext = tracer.extract(FORMAT_HTTP_HEADERS, req.headers);
    const serverSpan = tracer.startSpan('GET /orders', {
      childOf: wireContext,
      tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_SERVER, [Tags.HTTP_METHOD]: req.method, [Tags.HTTP_URL]: req.url },
    });
    const tenant = serverSpan.getBaggageItem('tenant');
    serverSpan.setTag('tenant', tenant);

    const foo = tracer.startSpan('Foo', { childOf: serverSpan, tags: { 'orders.page': 1 } });
    foo.log({ event: 'cache.miss', key: `orders:${tenant}` });
    const bar = tracer.startSpan('Bar', { childOf: foo });
    bar.setTag('db.statement', 'SELECT * FROM orders WHERE tenant = ?');
    let status = 200;
    try {
      if (tenant === 'globex') throw new PaymentDeclinedError(`card declined for ${tenant}`);
      bar.log({ event: 'rows', count: 3 });
    } catch (err) {
      status = 502;
      bar.setTag(Tags.ERROR, true);
      bar.log({ event: 'error', 'error.object': err, 'error.kind': err.name });
    } finally {
      bar.finish();
      foo.finish();
    }
    serverSpan.setTag(Tags.HTTP_STATUS_CODE, status);
    if (status >= 500) serverSpan.setTag(Tags.ERROR, true);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ tenant, orders: status === 200 ? 3 : 0 }));
    serverSpan.finish();
  });
}

/**
 * The gateway: a server span per request, the tenant as a baggage item, and a client span
 * injected into the outgoing HTTP headers.
 */
function createGateway(backendUrl) {
  return http.createServer(async (req, res) => {
    const tracer = opentracing.globalTracer();
    const url = new URL(req.url, 'http://gateway');
    const serverSpan = tracer.startSpan('GET /checkout', {
      childOf: tracer.extract(FORMAT_HTTP_HEADERS, req.headers),
      tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_SERVER, [Tags.HTTP_METHOD]: req.method },
    });
    serverSpan.setBaggageItem('tenant', url.searchParams.get('tenant') ?? 'unknown');

    const clientSpan = tracer.startSpan('GET backend /orders', {
      childOf: serverSpan,
      tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_CLIENT, [Tags.HTTP_METHOD]: 'GET' },
    });
    const headers = {};
    tracer.inject(clientSpan, FORMAT_HTTP_HEADERS, headers);
    const answer = await get(`${backendUrl}/orders`, headers);
    clientSpan.setTag(Tags.HTTP_STATUS_CODE, answer.status);
    if (answer.status >= 500) clientSpan.setTag(Tags.ERROR, true);
    clientSpan.finish();

    serverSpan.setTag(Tags.HTTP_STATUS_CODE, answer.status);
    res.writeHead(answer.status, { 'content-type': 'application/json', 'x-trace-id': serverSpan.context().toTraceId() });
    res.end(answer.body);
    serverSpan.finish();
  });
}

/** An in-process message queue whose messages carry headers, like Kafka or AMQP. */
class Queue {
  constructor() {
    this.messages = [];
  }

  /** The producer span injects its context into the message headers (FORMAT_TEXT_MAP). */
  publish(topic, payload, parentSpan) {
    const tracer = opentracing.globalTracer();
    const span = tracer.startSpan(`publish ${topic}`, {
      childOf: parentSpan,
      tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_MESSAGING_PRODUCER, 'messaging.destination': topic },
    });
    const headers = {};
    tracer.inject(span, FORMAT_TEXT_MAP, headers);
    this.messages.push({ topic, payload, headers });
    span.finish();
  }

  /** The consumer span FollowsFrom the producer's context found in the headers. */
  drain(handle) {
    const tracer = opentracing.globalTracer();
    for (const message of this.messages.splice(0)) {
      const producerContext = tracer.extract(FORMAT_TEXT_MAP, message.headers);
      const span = tracer.startSpan(`consume ${message.topic}`, {
        references: [opentracing.followsFrom(producerContext)],
        tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_MESSAGING_CONSUMER },
      });
      handle(message.payload, span);
      span.finish();
    }
  }
}

module.exports = { listen, get, createBackend, createGateway, Queue };
