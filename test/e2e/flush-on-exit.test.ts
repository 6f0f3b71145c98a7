import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { runNode } from '../helpers/child';
import type { ChildRun } from '../helpers/child';

// Issue 14, item 11: spans still in the batch queue reach the collector without close() or
// shutdown(), when the program returns and on SIGTERM/SIGINT, and the process ends as it would
// have without the shim: exit code 0, killed by the signal, or as the application's own signal
// handler decides.

const dist = resolve(__dirname, '../../dist/cjs');

/** A real OTLP/HTTP JSON receiver on 127.0.0.1: the names of the spans it was sent. */
let server: Server;
let received: string[];
let port: number;

beforeEach(async () => {
  received = [];
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      try {
        const parsed = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> };
        for (const resourceSpans of parsed.resourceSpans)
          for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) received.push(span.name);
      } catch {
        received.push('(unreadable body)');
      }
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

/**
 * Runs `script` in a child process with OTLP/JSON aimed at the receiver. With `signal`, sends it
 * once the child printed `ready`.
 */
function runScript(script: string, signal?: NodeJS.Signals): Promise<ChildRun> {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
  return runNode(['-e', script], env, signal === undefined ? {} : { signalWhen: { output: 'ready', signal } });
}

const JAEGER = `
  const { initTracer } = require(${JSON.stringify(`${dist}/jaeger/index.js`)});
  const tracer = initTracer({ serviceName: 'exit', sampler: { type: 'const', param: 1 } }, {});
`;

const SDK = `
  const { createTracerShim } = require(${JSON.stringify(`${dist}/index.js`)});
  const { createTracerProvider } = require(${JSON.stringify(`${dist}/sdk/index.js`)});
  const tracer = createTracerShim(createTracerProvider({ serviceName: 'exit' }));
`;

describe.each([
  ['initTracer', JAEGER],
  ['createTracerProvider', SDK],
])('%s without close()', (_name, setUp) => {
  it('should export the queued spans when the program returns, and exit 0', async () => {
    const result = await runScript(`${setUp}
      tracer.startSpan('returned').finish();
    `);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(received).toEqual(['returned']);
  }, 30_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'should export the queued spans on %s and still end by that signal when the application does not listen',
    async (signal) => {
      const result = await runScript(
        `${setUp}
      setInterval(() => undefined, 1000);
      tracer.startSpan('signalled').finish();
      console.log('ready');
    `,
        signal,
      );

      expect(result.signal).toBe(signal);
      expect(received).toEqual(['signalled']);
    },
    30_000,
  );

  it("should export on SIGTERM and leave exiting to the application's own handler", async () => {
    const result = await runScript(
      `${setUp}
      const keepAlive = setInterval(() => undefined, 1000);
      process.on('SIGTERM', () => {
        console.log('app handler ran');
        clearInterval(keepAlive);
        setTimeout(() => process.exit(3), 300);
      });
      tracer.startSpan('graceful').finish();
      console.log('ready');
    `,
      'SIGTERM',
    );

    expect(result.stdout).toContain('app handler ran');
    expect(result.code).toBe(3);
    expect(received).toEqual(['graceful']);
  }, 30_000);
});

describe('initTracer', () => {
  it("should export at jaeger-client's flush interval, 1000 ms, by default", async () => {
    const result = await runScript(`${JAEGER}
      tracer.startSpan('periodic').finish();
      // Exit without a flush 1.5 s later: only the periodic export can have sent the span.
      setTimeout(() => process.exit(0), 1500);
    `);

    expect(result.code).toBe(0);
    expect(received).toEqual(['periodic']);
  }, 30_000);
});
