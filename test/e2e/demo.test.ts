import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startOtlpReceiver } from '../helpers/otlp-receiver';
import type { OtlpReceiver, ReceivedSpan as OtlpSpan } from '../helpers/otlp-receiver';

/**
 * Runs `npm run demo`'s program as a user would (it needs the build in dist/, which `npm test`
 * makes first) with `env` as its only OTEL_* variables, and checks what it prints or sends:
 * real HTTP between services on 127.0.0.1, everything instrumented through the OpenTracing API
 * only, plus an OpenTelemetry-instrumented app sharing its traces with OpenTracing code.
 */
function runDemo(env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const childEnv: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_')) childEnv[key] = value;
    Object.assign(childEnv, env);
    execFile(process.execPath, [join(__dirname, '../../examples/demo.js')], { env: childEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

/** Line index of the first line matching `pattern`, and the indentation depth of a line. */
function treeReader(tree: string): { indexOf(pattern: RegExp): number; depth(index: number): number } {
  const lines = tree.split('\n');
  return {
    indexOf: (pattern) => lines.findIndex((line) => pattern.test(line)),
    depth: (index) => lines[index].search(/[A-Za-z]/),
  };
}

/** A span as the tree draws it: its line, depth, id, status text and `link <type> -> <id>` lines. */
interface DrawnSpan {
  name: string;
  line: string;
  depth: number;
  spanId: string;
  links: string[];
}

/** The spans of the one drawn trace whose root is `root`, in drawing order. */
function drawnTrace(stdout: string, root: string): DrawnSpan[] {
  const trees = stdout.split(/^(?=trace [0-9a-f]{32})/m).filter((tree) => new RegExp(`^└── ${root} `, 'm').test(tree));
  if (trees.length !== 1) throw new Error(`expected one trace with root "${root}", found ${trees.length}`);
  const spans: DrawnSpan[] = [];
  for (const line of trees[0].split('\n')) {
    const span = /^([│ ]*)[├└]── (.+?) {2}[A-Z]+ {2}.* span ([0-9a-f]{16})$/.exec(line);
    if (span) spans.push({ name: span[2], line, depth: span[1].length, spanId: span[3], links: [] });
    const link = /link (\w+) -> ([0-9a-f]{16})$/.exec(line);
    if (link && spans.length > 0) spans[spans.length - 1].links.push(`${link[1]} -> ${link[2]}`);
  }
  return spans;
}

describe('npm run demo', () => {
  let output: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    output = await runDemo();
  }, 90_000);

  it('should exit 0 without errors', () => {
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
  });

  it('should draw the gateway -> backend trace with the server span, nested Foo -> Bar and the error', () => {
    const trees = output.stdout.split(/^(?=trace [0-9a-f]{32})/m);
    const failed = trees.find((tree) => tree.includes('ERROR: card declined for globex'));
    expect(failed).toBeDefined();
    const { indexOf, depth } = treeReader(failed as string);
    const gateway = indexOf(/GET \/checkout {2}SERVER/);
    const client = indexOf(/GET backend \/orders {2}CLIENT {2}.*ERROR/);
    const backend = indexOf(/GET \/orders {2}SERVER {2}.*ERROR/);
    const foo = indexOf(/Foo {2}INTERNAL/);
    const bar = indexOf(/Bar {2}INTERNAL {2}.*ERROR: card declined for globex/);
    expect([gateway, client, backend, foo, bar].every((i) => i >= 0)).toBe(true);
    expect(depth(gateway) < depth(client) && depth(client) < depth(backend) && depth(backend) < depth(foo) && depth(foo) < depth(bar)).toBe(true);
    expect(failed).toContain('exception');
    expect(failed).toContain('PaymentDeclinedError: card declined for globex');
    expect(failed).toContain('baggage tenant="globex"');
  });

  it('should show the consumer span following from its producer, and the batch and retry links', () => {
    expect(output.stdout).toMatch(/publish invoices {2}PRODUCER[\s\S]*?consume invoices {2}CONSUMER[\s\S]*?link follows_from/);
    const batch = output.stdout.slice(output.stdout.indexOf('nightly-report'));
    expect(batch.match(/link follows_from/g)?.length).toBeGreaterThanOrEqual(2);
    expect(output.stdout).toMatch(/attempt 2 {2}INTERNAL {2}[\d.]+ ms {2}ERROR: attempt 2 timed out[\s\S]*?link child_of[\s\S]*?link follows_from/);
  });

  it('should draw fan-out/fan-in: parallel branches over HTTP, and a join span that FollowsFrom each branch', () => {
    const trace = drawnTrace(output.stdout, 'price-quote');
    const named = (name: string) => trace.filter((span) => span.name === name);
    const [job] = named('price-quote');
    const branches = ['quote acme', 'quote globex', 'quote initech'].map((name) => named(name)[0]);
    const [join] = named('pick cheapest');
    expect(named('suppliers /quote')).toHaveLength(3);
    for (const branch of branches) {
      expect(branch.depth).toBe(join.depth);
      expect(branch.links).toEqual([`child_of -> ${job.spanId}`]);
      // Each branch is its own HTTP request: the supplier's server span is drawn right under it.
      const server = trace[trace.indexOf(branch) + 1];
      expect([server.name, server.depth > branch.depth, server.links]).toEqual(['suppliers /quote', true, [`child_of -> ${branch.spanId}`]]);
    }
    expect(join.depth).toBeGreaterThan(job.depth);
    expect(join.links).toEqual([`child_of -> ${job.spanId}`, ...branches.map((branch) => `follows_from -> ${branch.spanId}`)]);
    expect(output.stdout).toContain('fan-out/fan-in: 3 quotes in parallel, cheapest globex at 95');
  });

  it('should draw the saga: steps over two services, the failed one, and compensations in reverse order, each FollowsFrom the step it undoes', () => {
    const trace = drawnTrace(output.stdout, 'book-trip saga');
    const [saga] = trace;
    const children = trace.filter((span) => span.depth === trace[1].depth && span.depth > saga.depth);
    expect(children.map((span) => span.name)).toEqual(['reserve room', 'charge card', 'reserve seat', 'refund card', 'release room']);
    const [reserveRoom, chargeCard, reserveSeat, refundCard, releaseRoom] = children;
    expect(saga.line).toContain('ERROR: reserve seat failed: no seat left on flight LH 400; 2 steps compensated');
    expect(reserveSeat.line).toMatch(/ {2}ERROR {2}/);
    expect(trace.filter((span) => span.name === 'inventory /reserve' && span.line.includes('ERROR: no seat left on flight LH 400'))).toHaveLength(1);
    for (const step of [reserveRoom, chargeCard, reserveSeat]) expect(step.links).toEqual([`child_of -> ${saga.spanId}`]);
    expect(refundCard.links).toEqual([`child_of -> ${saga.spanId}`, `follows_from -> ${chargeCard.spanId}`]);
    expect(releaseRoom.links).toEqual([`child_of -> ${saga.spanId}`, `follows_from -> ${reserveRoom.spanId}`]);
    // Every step and compensation reached its service: inventory and payments server spans under each.
    expect(children.map((span) => trace[trace.indexOf(span) + 1].name)).toEqual([
      'inventory /reserve',
      'payments /charge',
      'inventory /reserve',
      'payments /refund',
      'inventory /release',
    ]);
  });

  it('should run the jaeger-client app with uber-trace-id and W3C headers in one trace', () => {
    const section = output.stdout.slice(output.stdout.indexOf('== 2.'), output.stdout.indexOf('== 3.'));
    const reported = [...section.matchAll(/Reporting span ([0-9a-f]+):([0-9a-f]+):([0-9a-f]+):1/g)];
    expect(reported).toHaveLength(3);
    expect(new Set(reported.map((match) => match[1])).size).toBe(1);
    const answer = JSON.parse(section.slice(section.indexOf('{'), section.lastIndexOf('}') + 1)) as {
      traceId: string;
      stock: { customer: string; received: Record<string, string> };
    };
    expect(answer.stock.customer).toBe('c-1001');
    expect(answer.stock.received['uber-trace-id'].startsWith(`${answer.traceId.replace(/^0+/, '')}:`)).toBe(true);
    expect(answer.stock.received.traceparent).toContain(answer.traceId);
    expect(answer.stock.received['uberctx-customer-id']).toBe('c-1001');
  });

  it('should run the mixed OpenTracing/OpenTelemetry app as one trace: OT -> OTel http client -> OTel http server -> OT -> OTel', () => {
    const section = output.stdout.slice(output.stdout.indexOf('== 3.'));
    const trees = section.split(/^(?=trace [0-9a-f]{32})/m).slice(1);
    expect(trees).toHaveLength(1);
    const { indexOf, depth } = treeReader(trees[0]);
    const chain = [/checkout {2}SERVER/, /GET {2}CLIENT/, /GET {2}SERVER/, /load order {2}INTERNAL/, /SELECT orders {2}INTERNAL/].map(indexOf);
    // Each span one level under the one before it, and no other span in the trace.
    expect(chain.every((index) => index > 0)).toBe(true);
    expect(chain).toEqual([...chain].sort((a, b) => a - b));
    expect(chain.map(depth)).toEqual([4, 8, 12, 16, 20]);
    expect(trees[0].match(/ {2}span [0-9a-f]{16}/g)).toHaveLength(5);
    expect(trees[0].match(/baggage customer\.id="c-7"/g)).toHaveLength(5);
    expect(section).toContain('answered {"customer":"c-7","rows":3}');
  });
});

describe('npm run demo with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  let server: OtlpReceiver;
  let received: OtlpSpan[];
  let output: { code: number | null; stdout: string; stderr: string };
  const spansOf = (service: string, name: string) => received.filter((span) => span.service === service && span.name === name);

  beforeAll(async () => {
    server = await startOtlpReceiver();
    received = server.spans;
    output = await runDemo({ OTEL_EXPORTER_OTLP_ENDPOINT: server.httpUrl.origin });
  }, 90_000);

  afterAll(async () => {
    await server.close();
  });

  it('should exit 0 without errors and print no trace trees', () => {
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
    expect(output.stdout).not.toMatch(/^trace [0-9a-f]{32}/m);
  });

  it('should send the services, the jaeger-client app and the mixed app to the OTLP receiver', () => {
    expect([...new Set(received.map((span) => span.service))].sort()).toEqual(['inventory', 'mixed-otel', 'opentracing-otel-shim-demo', 'shop']);
    // http/protobuf from createTracerProvider, http/json from the jaeger entry point.
    expect([...new Set(server.requests.map((request) => request.contentType))].sort()).toEqual(['application/json', 'application/x-protobuf']);
  });

  it("should send the OpenTracing services' spans with kinds, parents and the error", () => {
    const demo = 'opentracing-otel-shim-demo';
    expect(spansOf(demo, 'GET /checkout')).toHaveLength(4);
    const [bar] = spansOf(demo, 'Bar').filter((span) => span.status.code === 'STATUS_CODE_ERROR');
    expect(bar.status.message).toBe('card declined for globex');
    const foo = received.find((span) => span.spanId === bar.parentSpanId);
    const backend = received.find((span) => span.spanId === foo?.parentSpanId);
    expect([foo?.name, backend?.name, backend?.kind]).toEqual(['Foo', 'GET /orders', 'SPAN_KIND_SERVER']);
  });

  it('should send the fan-in join and the saga compensations with follows_from links to what they follow', () => {
    const demo = 'opentracing-otel-shim-demo';
    const followed = (span: OtlpSpan) =>
      (span.links ?? []).filter((link) => link.attributes?.['opentracing.ref_type'] === 'follows_from').map((link) => link.spanId);
    const [join] = spansOf(demo, 'pick cheapest');
    const branches = ['quote acme', 'quote globex', 'quote initech'].map((name) => spansOf(demo, name)[0]);
    expect(followed(join)).toEqual(branches.map((branch) => branch.spanId));
    expect(new Set([join, ...branches].map((span) => span.traceId)).size).toBe(1);
    // In flight together: every branch started before any of them ended, and the join after all.
    const starts = branches.map((branch) => BigInt(branch.startTimeUnixNano));
    const ends = branches.map((branch) => BigInt(branch.endTimeUnixNano));
    const latest = (times: bigint[]) => times.reduce((a, b) => (a > b ? a : b));
    expect(latest(starts) < ends.reduce((a, b) => (a < b ? a : b))).toBe(true);
    // Within 1 ms: an OpenTracing span's clock starts at Date.now(), a whole millisecond, so a span
    // started right after another ended can read up to 1 ms earlier (src/time.ts, elapsedSince).
    expect(BigInt(join.startTimeUnixNano) + 1_000_000n >= latest(ends)).toBe(true);
    expect(followed(spansOf(demo, 'refund card')[0])).toEqual([spansOf(demo, 'charge card')[0].spanId]);
    expect(followed(spansOf(demo, 'release room')[0])).toEqual([spansOf(demo, 'reserve room')[0].spanId]);
    expect(spansOf(demo, 'book-trip saga')[0].status).toEqual({
      code: 'STATUS_CODE_ERROR',
      message: 'reserve seat failed: no seat left on flight LH 400; 2 steps compensated',
    });
  });

  it('should send the jaeger-client app as one trace across its two services', () => {
    const [checkout] = spansOf('shop', 'checkout');
    const [stock] = spansOf('inventory', 'check-stock');
    expect(stock.traceId).toBe(checkout.traceId);
    expect(spansOf('shop', 'GET /stock')[0].spanId).toBe(stock.parentSpanId);
  });

  it('should send the mixed app as one trace: OT -> OTel http client -> OTel http server -> OT -> OTel', () => {
    const names = ['checkout', 'GET', 'GET', 'load order', 'SELECT orders'];
    const mixed = received.filter((span) => span.service === 'mixed-otel');
    expect(mixed.map((span) => span.name).sort()).toEqual([...names].sort());
    const chain: OtlpSpan[] = [mixed.find((span) => span.parentSpanId === undefined || span.parentSpanId === '')!];
    while (chain.length < names.length) chain.push(mixed.find((span) => span.parentSpanId === chain[chain.length - 1].spanId)!);
    expect(chain.map((span) => `${span.name} ${span.kind}`)).toEqual([
      'checkout SPAN_KIND_SERVER',
      'GET SPAN_KIND_CLIENT',
      'GET SPAN_KIND_SERVER',
      'load order SPAN_KIND_INTERNAL',
      'SELECT orders SPAN_KIND_INTERNAL',
    ]);
    expect(new Set(mixed.map((span) => span.traceId)).size).toBe(1);
  });
});
