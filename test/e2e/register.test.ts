import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { startOtlpReceiver } from '../helpers/otlp-receiver';
import type { OtlpReceiver, ReceivedSpan } from '../helpers/otlp-receiver';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(__dirname, 'fixtures/register');
const UPSTREAM_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const UPSTREAM_SPAN_ID = '00f067aa0ba902b7';
const SHIM_SCOPE = 'opentracing-shim';
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';
/** Starting a process with every auto-instrumentation is slow on a busy machine. */
const CASE_TIMEOUT_MS = 120_000;

/**
 * `opentracing-otel-shim/register` end to end: unmodified applications (fixtures/register) that
 * know only jaeger-client or express-opentracing and the OpenTracing global tracer, each run as
 * a child process under `--require` (CommonJS) or `--import` (ES module) of the built package
 * (dist/, `npm run build`), alone or with `@opentelemetry/auto-instrumentations-node/register`,
 * configured by `OTEL_*` / `JAEGER_*` variables only. Three requests each (the third with a W3C
 * `traceparent` from upstream), then SIGTERM, which the applications answer by closing their
 * server: the spans must reach a real OTLP receiver (@elastic/mockotlpserver) by the time the
 * process has exited, one trace per request, and the exit must be the application's own.
 */
describe('register: unmodified OpenTracing applications on OpenTelemetry', () => {
  let server: OtlpReceiver;

  beforeAll(async () => {
    server = await startOtlpReceiver();
  });

  afterAll(async () => {
    await server.close();
  });

  describe.each([
    ['jaeger-client-app.js', '--require', 'none'],
    ['jaeger-client-app.mjs', '--import', 'none'],
    ['express-opentracing-app.js', '--require', 'none'],
    ['express-opentracing-app.mjs', '--import', 'none'],
    ['jaeger-client-app.js', '--require', 'after'],
    ['jaeger-client-app.mjs', '--import', 'after'],
    ['express-opentracing-app.js', '--require', 'after'],
    ['express-opentracing-app.mjs', '--import', 'after'],
    ['express-opentracing-app.js', '--require', 'before'],
  ] as const)('%s under %s, auto-instrumentations-node/register loaded: %s', (app, flag, order) => {
    const auto = order !== 'none';
    const service = `register-${app.replace('.', '-')}-${order}`;
    let run: AppRun;
    let received: ReceivedSpan[];
    let traces: Map<string, ReceivedSpan[]>;

    beforeAll(async () => {
      const shim = [flag, 'opentracing-otel-shim/register'];
      const autoInstrumentations = [flag, '@opentelemetry/auto-instrumentations-node/register'];
      const preloads = { none: shim, after: [...shim, ...autoInstrumentations], before: [...autoInstrumentations, ...shim] }[order];
      run = await runApp(join(FIXTURES, app), preloads, {
        OTEL_EXPORTER_OTLP_ENDPOINT: server.httpUrl.origin,
        OTEL_SERVICE_NAME: service,
        JAEGER_SERVICE_NAME: service,
        JAEGER_SAMPLER_TYPE: 'const',
        JAEGER_SAMPLER_PARAM: '1',
        // auto-instrumentations-node: HTTP alone, no cloud resource detector (network calls), traces alone.
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
        OTEL_NODE_RESOURCE_DETECTORS: 'env',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      });
      received = await receivedFor(server.spans, service, 3);
      traces = new Map();
      for (const span of received) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
    }, CASE_TIMEOUT_MS);

    it('should end as the application ends it, on its own SIGTERM handler, with nothing on stderr', () => {
      expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
      expect(run.answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    });

    it('should export one trace per request, with the trace ids the applications saw', () => {
      expect([...traces.keys()].sort()).toEqual(run.answers.map((answer) => answer.traceId).sort());
      expect(run.answers[2].traceId).toBe(UPSTREAM_TRACE_ID);
      expect(new Set(received.map((span) => span.spanId)).size).toBe(received.length);
    });

    it("should make the OpenTracing spans of each request one tree, under the caller's span or else the HTTP server span", () => {
      run.answers.forEach((answer, index) => {
        const trace = traces.get(answer.traceId) ?? [];
        const shim = trace.filter((span) => span.scope === SHIM_SCOPE);
        const httpServer = trace.filter((span) => span.scope === HTTP_SCOPE);
        const query = shim.filter((span) => span.name === 'SELECT orders');
        const handler = shim.filter((span) => span.name !== 'SELECT orders');
        expect({ shim: shim.length, query: query.length, handler: handler.length, httpServer: httpServer.length }).toEqual({
          shim: 2,
          query: 1,
          handler: 1,
          httpServer: auto ? 1 : 0,
        });
        expect(trace).toHaveLength(auto ? 3 : 2);
        expect(handler[0].kind).toBe('SPAN_KIND_SERVER');
        expect(query[0].parentSpanId).toBe(handler[0].spanId);
        if (index === 2) {
          // The span continued from the headers (an explicit childOf) has the caller's span as
          // parent, as the HTTP server span has: siblings in one trace.
          expect(handler[0].parentSpanId).toBe(UPSTREAM_SPAN_ID);
          if (auto) expect(httpServer[0].parentSpanId).toBe(UPSTREAM_SPAN_ID);
        } else if (auto) {
          // Nothing to continue: the active OpenTelemetry span, the HTTP server span, is the parent.
          expect(handler[0].parentSpanId).toBe(httpServer[0].spanId);
          expect(httpServer[0].parentSpanId || undefined).toBeUndefined();
        } else {
          expect(handler[0].parentSpanId || undefined).toBeUndefined();
        }
      });
    });
  });
});

interface Answer {
  status: number;
  traceId: string;
}

interface AppRun {
  answers: Answer[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Starts `file` with `preloads` and `env` as its only OTEL_* / JAEGER_* variables, sends it three
 * requests once it printed its port, then SIGTERM; resolves when it has exited.
 */
async function runApp(file: string, preloads: string[], env: Record<string, string>): Promise<AppRun> {
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_') && !key.startsWith('JAEGER_')) childEnv[key] = value;
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, [...preloads, file], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolveExit({ code, signal }));
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = /\{"port":(\d+)\}/.exec(stdout);
      if (line) resolvePort(Number(line[1]));
    });
    void exited.then(() => reject(new Error(`${file} exited before listening:\n${stdout}\n${stderr}`)));
  });
  const answers: Answer[] = [];
  try {
    answers.push(await get(port, '/orders/1', {}));
    answers.push(await get(port, '/orders/2', {}));
    answers.push(await get(port, '/orders/3', { traceparent: `00-${UPSTREAM_TRACE_ID}-${UPSTREAM_SPAN_ID}-01` }));
  } finally {
    child.kill('SIGTERM');
  }
  return { answers, ...(await exited), stderr };
}

function get(port: number, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, traceId: (JSON.parse(body) as { traceId: string }).traceId }));
    })
      .on('error', reject)
      .end();
  });
}

/**
 * The received spans of `service` once `traces` traces have arrived. The application exported
 * them before it exited; the receiver may still be parsing the last request, so this waits at
 * most two seconds for it.
 */
async function receivedFor(spans: ReceivedSpan[], service: string, traces: number): Promise<ReceivedSpan[]> {
  const mine = () => spans.filter((span) => span.service === service);
  for (let waited = 0; new Set(mine().map((span) => span.traceId)).size < traces && waited < 2000; waited += 50) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return mine();
}
