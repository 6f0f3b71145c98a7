import { resolve } from 'node:path';
import { runNode } from '../helpers/child';
import type { ChildRun } from '../helpers/child';
import { closedPort } from '../helpers/net';

/** Runs `body` in a Node process that loads the built package (dist/, `npm test` builds first). */
function runScript(body: string): Promise<ChildRun> {
  const script = `const { initTracer } = require(${JSON.stringify(resolve(__dirname, '../../dist/cjs/jaeger/index.js'))});\n${body}`;
  return runNode(['-e', script], {});
}

describe('JaegerTracer.close() called as jaeger-client code calls it', () => {
  it('should not end the process with an unhandled rejection when the last export fails', async () => {
    // `tracer.close()` with no callback and nothing done with what it returns, the collector
    // unreachable: the final flush fails. Before the fix the process ended with exit code 1
    // ("ECONNREFUSED" as an unhandled rejection); jaeger-client exits 0 here.
    const port = await closedPort();
    const result = await runScript(`
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
