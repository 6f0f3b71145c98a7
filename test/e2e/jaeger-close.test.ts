import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { closedPort } from '../helpers/net';

/** Runs `body` in a Node process that loads the built package (dist/, `npm test` builds first). */
function runNode(body: string): Promise<{ code: number | null; stderr: string }> {
  const script = `const { initTracer } = require(${JSON.stringify(resolve(__dirname, '../../dist/cjs/jaeger/index.js'))});\n${body}`;
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_') && !key.startsWith('JAEGER_')) env[key] = value;
  const child = spawn(process.execPath, ['-e', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, reject) => {
    child.once('error', reject);
    child.once('close', (code) => done({ code, stderr }));
  });
}

describe('JaegerTracer.close() called as jaeger-client code calls it', () => {
  it('should not end the process with an unhandled rejection when the last export fails', async () => {
    // `tracer.close()` with no callback and nothing done with what it returns, the collector
    // unreachable: the final flush fails. Before the fix the process ended with exit code 1
    // ("ECONNREFUSED" as an unhandled rejection); jaeger-client exits 0 here.
    const port = await closedPort();
    const result = await runNode(`
      const tracer = initTracer(
        { serviceName: 'close-e2e', sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: 'http://127.0.0.1:${port}/api/traces', timeoutMs: 1000 } },
        {},
      );
      tracer.startSpan('op').finish();
      setTimeout(() => tracer.close(), 50);
    `);
    expect(result.stderr).not.toContain('ECONNREFUSED');
    expect(result.code).toBe(0);
  }, 30_000);
});
