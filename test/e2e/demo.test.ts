import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs `npm run demo`'s program as a user would (it needs the build in dist/, which `npm test`
 * makes first) and checks the trace trees it prints: real HTTP between services on 127.0.0.1,
 * everything instrumented through the OpenTracing API only.
 */
function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    execFile(process.execPath, [join(__dirname, '../../examples/demo.js')], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
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
    const lines = (failed as string).split('\n');
    const indexOf = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const depth = (index: number) => lines[index].search(/[A-Za-z]/);
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

  it('should run the jaeger-client app with uber-trace-id and W3C headers in one trace', () => {
    const section = output.stdout.slice(output.stdout.indexOf('== 2.'));
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
});
