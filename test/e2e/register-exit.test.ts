import { join } from 'node:path';
import { runNode } from '../helpers/child';
import type { ChildRun } from '../helpers/child';
import { closedPort } from '../helpers/net';
import { startOtlpReceiver } from '../helpers/otlp-receiver';
import type { OtlpReceiver } from '../helpers/otlp-receiver';

const FIXTURE = join(__dirname, 'fixtures/register/exit-app.js');

/**
 * `opentracing-otel-shim/register` exports the spans still buffered when the process ends,
 * without changing how it ends: an OpenTracing application (fixtures/register/exit-app.js) run
 * as a child process under `--require` of the built package (dist/, `npm run build`), its spans
 * sent by the batch span processor (default 5 s delay, so only the exit flush can send them in
 * time) to a real OTLP receiver (@elastic/mockotlpserver).
 */
describe("register: spans are exported at exit, and the exit stays the application's", () => {
  let server: OtlpReceiver;
  const received = (service: string) => server.spans.filter((span) => span.service === service).map(({ name }) => ({ service, name }));

  beforeAll(async () => {
    server = await startOtlpReceiver();
  });

  afterAll(async () => {
    await server.close();
  });

  it('should export at a natural end and keep the exit code the application set', async () => {
    const run = await runFixture('exit-code', server.httpUrl.origin, false);
    expect(run).toEqual({ code: 3, signal: null, stdout: 'ready\n', stderr: '' });
    expect(received('register-exit-exit-code')).toEqual([{ service: 'register-exit-exit-code', name: 'exit-code' }]);
  });

  it('should export on SIGTERM when nobody else listens, then end the process by that signal as Node would', async () => {
    const run = await runFixture('signal', server.httpUrl.origin, true);
    expect(run).toEqual({ code: null, signal: 'SIGTERM', stdout: 'ready\n', stderr: '' });
    expect(received('register-exit-signal')).toEqual([{ service: 'register-exit-signal', name: 'signal' }]);
  });

  it("should export on SIGTERM and leave the rest to the application's own handler", async () => {
    const run = await runFixture('graceful', server.httpUrl.origin, true);
    expect(run).toEqual({ code: 0, signal: null, stdout: 'ready\nstopping\n', stderr: '' });
    expect(received('register-exit-graceful')).toEqual([{ service: 'register-exit-graceful', name: 'graceful' }]);
  });
});

describe('register with few OTEL_* variables', () => {
  it("should export over OTLP, the specification's default, and draw no trace tree into the application's stdout", async () => {
    // Nothing listens on localhost:4318 here (or something does: either way nothing is drawn); the timeout bounds the wait at exit.
    const { code, stdout } = await runNode(['--require', 'opentracing-otel-shim/register', FIXTURE, 'exit-code'], { OTEL_EXPORTER_OTLP_TIMEOUT: '300' });
    expect({ code, stdout }).toEqual({ code: 3, stdout: 'ready\n' });
  });

  it.each([
    ['warn', true],
    [undefined, false],
  ])('should print diag output, the failed export here, to the console at OTEL_LOG_LEVEL=%s', async (level, printed) => {
    const env: Record<string, string> = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, OTEL_EXPORTER_OTLP_TIMEOUT: '300' };
    if (level) env.OTEL_LOG_LEVEL = level;
    const { code, stderr } = await runNode(['--require', 'opentracing-otel-shim/register', FIXTURE, 'exit-code'], env);
    expect(code).toBe(3);
    expect(/export failed \(.*ECONNREFUSED.*\); spans are dropped until an export succeeds/.test(stderr)).toBe(printed);
  });
});

/** Runs the fixture in `mode`, sending SIGTERM once it is ready if `terminate`; resolves when it has exited. */
function runFixture(mode: string, endpoint: string, terminate: boolean): Promise<ChildRun> {
  return runNode(
    ['--require', 'opentracing-otel-shim/register', FIXTURE, mode],
    { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: `register-exit-${mode}` },
    terminate ? { signalWhen: { output: 'ready\n', signal: 'SIGTERM' } } : {},
  );
}
