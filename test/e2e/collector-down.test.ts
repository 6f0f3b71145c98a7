import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/sdk/bounded-shutdown';
import { closedPort } from '../helpers/net';

// Issue 14, item 14: nothing listens on the OTLP endpoint. The application must neither end
// (unhandled rejection, exit code 1) nor wait long in close(), and the user's logger gets one
// line for the outage, not an error with a stack per export.

const dist = resolve(__dirname, '../../dist/cjs');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `script` with `node -e`, with no OTEL_ or JAEGER_ variable but those in `env`. */
function runNode(script: string, env: Record<string, string>): Promise<Run> {
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_') && !key.startsWith('JAEGER_')) childEnv[key] = value;
  const child = spawn(process.execPath, ['-e', script], { env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, reject) => {
    child.once('error', reject);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('with the collector down', () => {
  it('the getting-started program (provider.shutdown() not awaited) should exit 0 without an unhandled rejection', async () => {
    const port = await closedPort();
    const result = await runNode(
      `
      const opentracing = require('opentracing');
      const { createTracerShim } = require(${JSON.stringify(`${dist}/index.js`)});
      const { createTracerProvider } = require(${JSON.stringify(`${dist}/sdk/index.js`)});
      const provider = createTracerProvider({ serviceName: 'checkout' });
      opentracing.initGlobalTracer(createTracerShim(provider));
      opentracing.globalTracer().startSpan('hello').finish();
      provider.shutdown();
      `,
      { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 30_000);

  it('JaegerTracer.close() should settle within its deadline, and the logger get one warning for the outage', async () => {
    const port = await closedPort();
    const result = await runNode(
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
