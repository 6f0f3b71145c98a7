import { resolve } from 'node:path';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/sdk/bounded-shutdown';
import { runNode } from '../helpers/child';
import { closedPort } from '../helpers/net';

// Issue 14, item 14: nothing listens on the OTLP endpoint. The application must neither end
// (unhandled rejection, exit code 1) nor wait long in close(), and the user's logger gets one
// line for the outage, not an error with a stack per export.

const dist = resolve(__dirname, '../../dist/cjs');

describe('with the collector down', () => {
  it('the getting-started program (provider.shutdown() not awaited) should exit 0 without an unhandled rejection', async () => {
    const port = await closedPort();
    const result = await runNode(
      [
        '-e',
        `
      const opentracing = require('opentracing');
      const { createTracerShim } = require(${JSON.stringify(`${dist}/index.js`)});
      const { createTracerProvider } = require(${JSON.stringify(`${dist}/sdk/index.js`)});
      const provider = createTracerProvider({ serviceName: 'checkout' });
      opentracing.initGlobalTracer(createTracerShim(provider));
      opentracing.globalTracer().startSpan('hello').finish();
      provider.shutdown();
      `,
      ],
      { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 30_000);

  it('JaegerTracer.close() should settle within its deadline, and the logger get one warning for the outage', async () => {
    const port = await closedPort();
    const result = await runNode(
      [
        '-e',
        `
      const { initTracer } = require(${JSON.stringify(`${dist}/jaeger/index.js`)});
      const lines = [];
      const logger = { info: (m) => lines.push('info ' + m), error: (m) => lines.push('error ' + m) };
      const tracer = initTracer({ serviceName: 'down', sampler: { type: 'const', param: 1 }, reporter: { flushIntervalMs: 100 } }, { logger });
      let n = 0;
      const busy = setInterval(() => tracer.startSpan('op' + n++).finish(), 20);
      // Long enough for failed exports to come back (the OTLP exporter retries ECONNREFUSED for ~8 s).
      setTimeout(async () => {
        clearInterval(busy);
        const started = Date.now();
        await tracer.close();
        console.log(JSON.stringify({ closeMs: Date.now() - started, lines }));
        process.exit(0);
      }, 12000);
      `,
      ],
      { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { closeMs, lines } = JSON.parse(result.stdout) as { closeMs: number; lines: string[] };
    expect(closeMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1000);
    expect(lines.filter((line) => line.includes('ECONNREFUSED'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('error '))).toEqual([]);
  }, 30_000);
});
