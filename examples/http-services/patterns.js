'use strict';
// Two more causal patterns users model with OpenTracing references, over real HTTP on
// 127.0.0.1 and written against the OpenTracing API only:
// - fan-out/fan-in: parallel branches, then a join span that FollowsFrom each branch;
// - a saga: a distributed transaction over two services (inventory, payments) whose failed step
//   triggers compensations in reverse order, each compensation FollowsFrom the step it undoes.
// The trace tree draws each as one trace; the FollowsFrom references are its `link follows_from`.
const http = require('node:http');
const opentracing = require('opentracing');
const { listen, get } = require('./services');

const { Tags, FORMAT_HTTP_HEADERS } = opentracing;

/**
 * An HTTP service named `name` whose `routes` map a path to `(query) => { status, body }`. Each
 * request is a server span continued from the caller's headers; an answer of 400 or more is
 * tagged `error` and logs the body's `error` message.
 */
function createService(name, routes) {
  return http.createServer((req, res) => {
    const tracer = opentracing.globalTracer();
    const url = new URL(req.url, 'http://service');
    const span = tracer.startSpan(`${name} ${url.pathname}`, {
      childOf: tracer.extract(FORMAT_HTTP_HEADERS, req.headers),
      tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_SERVER, [Tags.HTTP_URL]: req.url },
    });
    const route = routes[url.pathname];
    const answer = route ? route(url.searchParams) : { status: 404, body: { error: `no route ${url.pathname}` } };
    span.setTag(Tags.HTTP_STATUS_CODE, answer.status);
    if (answer.status >= 400) {
      span.setTag(Tags.ERROR, true);
      span.log({ event: 'error', message: answer.body.error });
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
    span.finish();
  });
}

/** A client span `operation` with `references`, injected into a GET of `url`; resolves to { span, status, body }. */
async function call(operation, url, references) {
  const tracer = opentracing.globalTracer();
  const span = tracer.startSpan(operation, { references, tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_CLIENT, [Tags.HTTP_URL]: url } });
  const headers = {};
  tracer.inject(span, FORMAT_HTTP_HEADERS, headers);
  const answer = await get(url, headers);
  span.setTag(Tags.HTTP_STATUS_CODE, answer.status);
  if (answer.status >= 400) span.setTag(Tags.ERROR, true);
  span.finish();
  return { span, status: answer.status, body: JSON.parse(answer.body) };
}

/** Stops `servers`, waiting for each to close. */
function closeAll(servers) {
  return Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
}

/**
 * Fan-out/fan-in: a quote job asks three suppliers for a price at once (three client spans,
 * each a child of the job, in flight together), then a join span picks the cheapest: a child
 * of the job that FollowsFrom each branch, since it starts only once all of them have ended.
 */
async function runFanOutFanIn(log = console.log) {
  const prices = { acme: 120, globex: 95, initech: 110 };
  const suppliers = createService('suppliers', {
    '/quote': (query) => ({ status: 200, body: { supplier: query.get('supplier'), price: prices[query.get('supplier')] } }),
  });
  const url = await listen(suppliers);
  try {
    const tracer = opentracing.globalTracer();
    const job = tracer.startSpan('price-quote', { tags: { 'quote.sku': 'sku-42' } });
    const branches = await Promise.all(
      Object.keys(prices).map((supplier) => call(`quote ${supplier}`, `${url}/quote?supplier=${supplier}`, [opentracing.childOf(job)])),
    );
    const join = tracer.startSpan('pick cheapest', {
      references: [opentracing.childOf(job), ...branches.map((branch) => opentracing.followsFrom(branch.span.context()))],
    });
    const best = branches.map((branch) => branch.body).reduce((cheapest, quote) => (quote.price < cheapest.price ? quote : cheapest));
    join.setTag('quote.supplier', best.supplier);
    join.setTag('quote.price', best.price);
    join.finish();
    job.finish();
    log(`fan-out/fan-in: ${branches.length} quotes in parallel, cheapest ${best.supplier} at ${best.price}`);
  } finally {
    await closeAll([suppliers]);
  }
}

/**
 * A saga booking a trip over two services: reserve a room (inventory), charge the card
 * (payments), reserve a seat (inventory), which fails: sold out. The steps that succeeded are
 * undone in reverse order, refund then release; each compensation is a child of the saga that
 * FollowsFrom the step it undoes. The saga span ends with `error` and the outcome.
 */
async function runSaga(log = console.log) {
  let reservations = 0;
  const inventory = createService('inventory', {
    '/reserve': (query) =>
      query.get('item') === 'seat'
        ? { status: 409, body: { error: 'no seat left on flight LH 400' } }
        : { status: 200, body: { reservation: `${query.get('item')}-${++reservations}` } },
    '/release': (query) => ({ status: 200, body: { released: query.get('reservation') } }),
  });
  const payments = createService('payments', {
    '/charge': (query) => ({ status: 200, body: { charge: 'ch-1', amount: Number(query.get('amount')) } }),
    '/refund': (query) => ({ status: 200, body: { refunded: query.get('charge') } }),
  });
  const inventoryUrl = await listen(inventory);
  const paymentsUrl = await listen(payments);
  try {
    const tracer = opentracing.globalTracer();
    const saga = tracer.startSpan('book-trip saga', { tags: { 'saga.steps': 3 } });
    const steps = [
      {
        name: 'reserve room',
        url: `${inventoryUrl}/reserve?item=room`,
        undo: (body) => ['release room', `${inventoryUrl}/release?reservation=${body.reservation}`],
      },
      { name: 'charge card', url: `${paymentsUrl}/charge?amount=480`, undo: (body) => ['refund card', `${paymentsUrl}/refund?charge=${body.charge}`] },
      {
        name: 'reserve seat',
        url: `${inventoryUrl}/reserve?item=seat`,
        undo: (body) => ['release seat', `${inventoryUrl}/release?reservation=${body.reservation}`],
      },
    ];
    const done = [];
    let failure;
    for (const step of steps) {
      const result = await call(step.name, step.url, [opentracing.childOf(saga)]);
      if (result.status >= 400) {
        failure = `${step.name} failed: ${result.body.error}`;
        break;
      }
      done.push({ step, result });
    }
    for (const { step, result } of done.reverse()) {
      const [name, url] = step.undo(result.body);
      await call(name, url, [opentracing.childOf(saga), opentracing.followsFrom(result.span.context())]);
    }
    if (failure) {
      saga.setTag(Tags.ERROR, true);
      saga.log({ event: 'error', message: `${failure}; ${done.length} steps compensated` });
    }
    saga.setTag('saga.outcome', failure ? 'compensated' : 'committed');
    saga.finish();
    log(`saga: ${failure ? `${failure}; compensated ${done.map(({ step }) => step.name).join(', ')}` : 'committed'}`);
  } finally {
    await closeAll([inventory, payments]);
  }
}

module.exports = { runFanOutFanIn, runSaga };
