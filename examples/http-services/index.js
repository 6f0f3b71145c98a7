'use strict';
// The core demo: real HTTP traffic through two services, a queue, a batch job, retries,
// fan-out/fan-in and a saga, all written against the OpenTracing API and recorded by the
// OpenTelemetry SDK.
const opentracing = require('opentracing');
const { listen, get, createBackend, createGateway, Queue } = require('./services');
const { runFanOutFanIn, runSaga } = require('./patterns');

/** Runs every situation once; the OpenTracing global tracer must already be set. */
async function run(log = console.log) {
  const tracer = opentracing.globalTracer();
  const backend = createBackend();
  const backendUrl = await listen(backend);
  const gateway = createGateway(backendUrl);
  const gatewayUrl = await listen(gateway);
  log(`gateway ${gatewayUrl} -> backend ${backendUrl}`);

  try {
    // 1. Requests through gateway and backend; globex's payment fails in the backend.
    const requestContexts = [];
    for (const tenant of ['acme', 'globex']) {
      const answer = await get(`${gatewayUrl}/checkout?tenant=${tenant}`, {});
      log(`checkout for ${tenant}: HTTP ${answer.status} ${answer.body}`);
    }

    // 2. A job that calls the gateway itself, so the request spans can be referenced later.
    const job = tracer.startSpan('order-sync', { tags: { 'job.kind': 'sync' } });
    for (const tenant of ['initech', 'umbrella']) {
      const call = tracer.startSpan(`sync ${tenant}`, { childOf: job, tags: { [opentracing.Tags.SPAN_KIND]: 'client' } });
      const headers = {};
      tracer.inject(call, opentracing.FORMAT_HTTP_HEADERS, headers);
      const answer = await get(`${gatewayUrl}/checkout?tenant=${tenant}`, headers);
      call.setTag(opentracing.Tags.HTTP_STATUS_CODE, answer.status);
      call.finish();
      requestContexts.push(call.context());
    }

    // 3. Producer -> in-process queue -> consumer that FollowsFrom the producer.
    const queue = new Queue();
    queue.publish('invoices', { order: 42 }, job);
    queue.publish('invoices', { order: 43 }, job);
    queue.drain((payload, span) => span.log({ event: 'invoice.rendered', order: payload.order }));

    // 4. A batch span that references every request span it summarises (links). Its parent is
    //    the first reference (OpenTelemetry spec), so it joins the job's trace.
    const batch = tracer.startSpan('nightly-report', {
      references: requestContexts.map((spanContext) => opentracing.followsFrom(spanContext)),
    });
    batch.setTag('report.requests', requestContexts.length);
    batch.finish();
    job.finish();

    // 5. A retry loop: each attempt is a child of the operation and FollowsFrom the attempt before.
    const operation = tracer.startSpan('charge-card');
    let previous = null;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const references = [opentracing.childOf(operation)];
      if (previous) references.push(opentracing.followsFrom(previous));
      const span = tracer.startSpan(`attempt ${attempt}`, { references, tags: { attempt } });
      if (attempt < 3) {
        span.log({ event: 'error', 'error.kind': 'Timeout', message: `attempt ${attempt} timed out` });
        span.setTag(opentracing.Tags.ERROR, true);
      }
      span.finish();
      previous = span.context();
    }
    operation.finish();

    // 6. Fan-out/fan-in and 7. a saga with compensations, over services of their own (patterns.js).
    await runFanOutFanIn(log);
    await runSaga(log);
  } finally {
    await new Promise((resolve) => gateway.close(resolve));
    await new Promise((resolve) => backend.close(resolve));
  }
}

module.exports = { run };
