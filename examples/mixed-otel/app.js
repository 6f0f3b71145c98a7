'use strict';
// An OpenTelemetry-first service (NodeTracerProvider, AsyncLocalStorage, the http
// instrumentation) that still runs OpenTracing code, with both kinds of code in one trace:
//
//   checkout          OpenTracing span, made active for OpenTelemetry code with withSpan()
//   └── GET           OpenTelemetry: instrumentation-http's client span
//       └── GET       OpenTelemetry: instrumentation-http's server span (another request handler)
//           └── load order      OpenTracing span, childOf activeSpan()
//               └── SELECT orders   OpenTelemetry span, started inside withSpan()
//
// `node examples/mixed-otel/app.js`; part of `npm run demo`. Exporter and resource follow the
// OTEL_* variables (createTracerConfig): trees on stdout by default, OTLP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set.
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { createTracerConfig } = require('opentracing-otel-shim/sdk');

// All of this before `http` is required: the instrumentation patches the module as it loads.
const provider = new NodeTracerProvider(createTracerConfig({ serviceName: 'mixed-otel' }));
// The global tracer provider, an AsyncLocalStorage context manager, W3C trace context + baggage.
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

const http = require('node:http');
const { trace } = require('@opentelemetry/api');
const opentracing = require('opentracing');
const { activeSpan, createTracerShim, withSpan } = require('opentracing-otel-shim');

// Without a provider argument the shim uses the global one, the NodeTracerProvider above.
opentracing.initGlobalTracer(createTracerShim());
const otelTracer = trace.getTracer('mixed-otel');

/** OpenTracing code as it was written before OpenTelemetry came: it knows nothing of it. */
function loadOrder(parent) {
  const tracer = opentracing.globalTracer();
  const span = tracer.startSpan('load order', { childOf: parent });
  const customer = span.getBaggageItem('customer.id');
  // OpenTelemetry code called from OpenTracing code: its span becomes a child of `span`.
  const rows = withSpan(span, () =>
    otelTracer.startActiveSpan('SELECT orders', (select) => {
      select.setAttribute('db.statement', 'SELECT * FROM orders WHERE customer = ?');
      select.end();
      return 3;
    }),
  );
  span.log({ event: 'orders.loaded', rows });
  span.finish();
  return { customer, rows };
}

/** An OpenTelemetry-instrumented server whose handler calls the OpenTracing code. */
function createServer() {
  return http.createServer((req, res) => {
    // The active OpenTelemetry span is instrumentation-http's server span; activeSpan() hands
    // it, with the baggage that came in the request's `baggage` header, to OpenTracing code.
    const answer = loadOrder(activeSpan());
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

async function main() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/orders/42`;
  try {
    const tracer = opentracing.globalTracer();
    const checkout = tracer.startSpan('checkout', { tags: { [opentracing.Tags.SPAN_KIND]: 'server' } });
    checkout.setBaggageItem('customer.id', 'c-7');
    // OpenTelemetry code (the http instrumentation) under an OpenTracing span: its client span
    // is a child of `checkout`, and the request carries traceparent and the baggage.
    const answer = await withSpan(checkout, () => get(url));
    checkout.finish();
    console.log(`  GET ${url} answered ${JSON.stringify(answer)} (trace ${checkout.context().toTraceId()})`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    // Flushes the batch processor: the tree exporter draws the trace now.
    await provider.shutdown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
