'use strict';
// A small app written for jaeger-client: two services on 127.0.0.1, configured from JAEGER_*
// variables, passing the trace over HTTP with inject/extract. Migrating it to OpenTelemetry is
// this one line; everything below it is the jaeger-client code as it was.
//
//   const { initTracerFromEnv } = require('jaeger-client');
const { initTracerFromEnv } = require('opentracing-otel-shim/jaeger');

const http = require('node:http');
const { FORMAT_HTTP_HEADERS, Tags } = require('opentracing');

const logger = {
  info: (message) => console.log(`  [jaeger] ${message}`),
  error: (message) => console.log(`  [jaeger error] ${message}`),
};

function startService(serviceName, handler) {
  const tracer = initTracerFromEnv({ serviceName }, { logger, tags: { 'deployment.environment': 'demo' } });
  const server = http.createServer((req, res) => handler(tracer, req, res));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ tracer, server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

function request(url, headers) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

async function main() {
  const inventory = await startService('inventory', (tracer, req, res) => {
    const span = tracer.startSpan('check-stock', {
      childOf: tracer.extract(FORMAT_HTTP_HEADERS, req.headers),
      tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_SERVER },
    });
    const customer = span.getBaggageItem('customer_id');
    span.log({ event: 'stock-checked', sku: 'A-42' });
    span.finish();
    res.end(JSON.stringify({ inStock: true, customer, received: pick(req.headers, ['uber-trace-id', 'uberctx-customer-id', 'traceparent']) }));
  });

  const shop = await startService('shop', async (tracer, req, res) => {
    const span = tracer.startSpan('checkout', { tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_SERVER } });
    span.setBaggageItem('Customer_ID', 'c-1001'); // jaeger-client normalises it to customer-id
    const call = tracer.startSpan('GET /stock', { childOf: span, tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_CLIENT } });
    const headers = {};
    tracer.inject(call, FORMAT_HTTP_HEADERS, headers);
    const stock = await request(`${inventory.url}/stock`, headers);
    call.finish();
    span.finish();
    res.end(JSON.stringify({ traceId: span.context().toTraceId(), sampled: span.context().isSampled(), stock }));
  });

  try {
    const answer = await request(`${shop.url}/checkout`, {});
    console.log(`  checkout answered: ${JSON.stringify(answer, null, 2).replace(/\n/g, '\n  ')}`);
  } finally {
    for (const service of [shop, inventory]) {
      await new Promise((resolve) => service.server.close(resolve));
      await service.tracer.close();
    }
  }
}

function pick(object, keys) {
  return Object.fromEntries(keys.filter((key) => key in object).map((key) => [key, object[key]]));
}

module.exports = { main };
if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
