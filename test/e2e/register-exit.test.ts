import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { closedPort } from '../helpers/net';
// The mock receiver ships no type declarations; these are the members the test uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MockOtlpServer, normalizeTrace } = require('@elastic/mockotlpserver') as MockOtlpServerModule;

interface MockOtlpServerModule {
  MockOtlpServer: new (options: { services: Array<'http'>; httpHostname: string; httpPort: number; logLevel: string; onTrace: (request: unknown) => void }) => {
    start(): Promise<void>;
    close(): Promise<void>;
    httpUrl: URL;
  };
  normalizeTrace(request: unknown): {
    resourceSpans: Array<{ resource: { attributes: Record<string, unknown> }; scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
  };
}

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(__dirname, 'fixtures/register/exit-app.js');

/**
 * `opentracing-otel-shim/register` exports the spans still buffered when the process ends,
 * without changing how it ends: an OpenTracing application (fixtures/register/exit-app.js) run
 * as a child process under `--require` of the built package (dist/, `npm run build`), its spans
 * sent by the batch span processor (default 5 s delay, so only the exit flush can send them in
 * time) to a real OTLP receiver (@elastic/mockotlpserver).
 */
describe("register: spans are exported at exit, and the exit stays the application's", () => {
  const received: Array<{ service: string; name: string }> = [];
  let server: InstanceType<MockOtlpServerModule['MockOtlpServer']>;

  beforeAll(async () => {
    server = new MockOtlpServer({
      services: ['http'],
      httpHostname: '127.0.0.1',
      httpPort: 0,
      logLevel: 'warn',
      onTrace: (request) => {
        for (const { resource, scopeSpans } of normalizeTrace(request).resourceSpans) {
          for (const { spans } of scopeSpans) for (const { name } of spans) received.push({ service: String(resource.attributes['service.name']), name });
        }
      },
    });
    await server.start();
  });

  afterAll(async () => {
    await server.close();
  });

  it('should export at a natural end and keep the exit code the application set', async () => {
    const run = await runFixture('exit-code', server.httpUrl.origin, false);
    expect(run).toEqual({ code: 3, signal: null, stdout: 'ready\n', stderr: '' });
    expect(received.filter((span) => span.service === 'register-exit-exit-code')).toEqual([{ service: 'register-exit-exit-code', name: 'exit-code' }]);
  });

  it('should export on SIGTERM when nobody else listens, then end the process by that signal as Node would', async () => {
    const run = await runFixture('signal', server.httpUrl.origin, true);
    expect(run).toEqual({ code: null, signal: 'SIGTERM', stdout: 'ready\n', stderr: '' });
    expect(received.filter((span) => span.service === 'register-exit-signal')).toEqual([{ service: 'register-exit-signal', name: 'signal' }]);
  });

  it("should export on SIGTERM and leave the rest to the application's own handler", async () => {
    const run = await runFixture('graceful', server.httpUrl.origin, true);
    expect(run).toEqual({ code: 0, signal: null, stdout: 'ready\nstopping\n', stderr: '' });
    expect(received.filter((span) => span.service === 'register-exit-graceful')).toEqual([{ service: 'register-exit-graceful', name: 'graceful' }]);
  });
});

describe('register with few OTEL_* variables', () => {
  it("should export over OTLP, the specification's default, and draw no trace tree into the application's stdout", async () => {
    const env: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_')) env[key] = value;
    // Nothing listens on localhost:4318 here (or something does: either way nothing is drawn); the timeout bounds the wait at exit.
    env.OTEL_EXPORTER_OTLP_TIMEOUT = '300';
    const child = spawn(process.execPath, ['--require', 'opentracing-otel-shim/register', FIXTURE, 'exit-code'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise((resolveCode) => child.once('close', resolveCode));
    expect({ code, stdout }).toEqual({ code: 3, stdout: 'ready\n' });
  });

  it.each([
    ['warn', true],
    [undefined, false],
  ])('should print diag output, the failed export here, to the console at OTEL_LOG_LEVEL=%s', async (level, printed) => {
    const env: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_')) env[key] = value;
    Object.assign(
      env,
      { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, OTEL_EXPORTER_OTLP_TIMEOUT: '300' },
      level ? { OTEL_LOG_LEVEL: level } : {},
    );
    const child = spawn(process.execPath, ['--require', 'opentracing-otel-shim/register', FIXTURE, 'exit-code'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolveCode) => child.once('close', resolveCode));
    expect(code).toBe(3);
    expect(/export failed \(.*ECONNREFUSED.*\); spans are dropped until an export succeeds/.test(stderr)).toBe(printed);
  });
});

/** Runs the fixture in `mode`, sending SIGTERM once it is ready if `terminate`; resolves when it has exited. */
function runFixture(
  mode: string,
  endpoint: string,
  terminate: boolean,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_')) env[key] = value;
  Object.assign(env, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: `register-exit-${mode}` });
  const child = spawn(process.execPath, ['--require', 'opentracing-otel-shim/register', FIXTURE, mode], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (terminate && stdout === 'ready\n') child.kill('SIGTERM');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
}
