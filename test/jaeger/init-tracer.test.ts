import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { diag } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import * as jaegerEntryPoint from '../../src/jaeger';
import type { Environment } from '../../src/env';
import type { JaegerConfig, JaegerOptions } from '../../src/jaeger/configuration';
import { createExporter, createOtlpExporter, initTracer, initTracerFromEnv, otlpUrlFor } from '../../src/jaeger/init-tracer';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { TracerShim } from '../../src/tracer-shim';
import { captureDiag } from '../helpers/diag';
import { KeepingExporter } from '../helpers/sdk';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClient {
  initTracer(config: object, options: object): { close(callback?: () => void): void };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

/** An exporter whose shutdown fails, as an exporter whose backend is gone can. */
class FailingShutdownExporter extends KeepingExporter {
  readonly error = new Error('exporter shutdown failed');

  override shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.reject(this.error);
  }
}

/** An exporter whose export never calls back, as one stuck on a dead connection. */
class HangingExporter extends KeepingExporter {
  override export(): void {
    // Never calls back.
  }
}

/** An object whose `key` getter throws, as a getter of the application's may. */
function withThrowingGetter(key: string, properties: object = {}): Record<string, unknown> {
  return Object.defineProperty({ ...properties }, key, {
    enumerable: true,
    get() {
      throw new Error(`${key} getter`);
    },
  });
}

/** A Proxy that throws from every trap. */
function throwingProxy(): Record<string, unknown> {
  const fail = (): never => {
    throw new Error('proxy trap');
  };
  return new Proxy({}, { get: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, getPrototypeOf: fail });
}

/** A jaeger-client logger that keeps what it was given. */
interface RecordingLogger {
  readonly info: string[];
  readonly error: string[];
  readonly logger: { info(message: string): void; error(message: string): void };
}

function recordingLogger(): RecordingLogger {
  const info: string[] = [];
  const error: string[] = [];
  return { info, error, logger: { info: (message) => info.push(message), error: (message) => error.push(message) } };
}

const noopLogger = { info: (): void => undefined, error: (): void => undefined };
const CONST_ON = { type: 'const', param: 1 };

/** Tracers a test made; each is closed after the test (a remote sampler polls until then). */
const tracers: JaegerTracer[] = [];
const savedEnv = { ...process.env };

function tracerWith(config: JaegerConfig, options: JaegerOptions = {}): JaegerTracer {
  const tracer = initTracer(config, options);
  tracers.push(tracer);
  return tracer;
}

/** Sets process.env variables for one test; afterEach restores the environment. */
function setEnv(env: Environment): void {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

afterEach(async () => {
  await Promise.all(tracers.splice(0).map((tracer) => tracer.close().catch(() => undefined)));
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  diag.disable();
});

/** A real HTTP server on 127.0.0.1 that records requests and answers each with `respond` (or holds it). */
class RecordingServer {
  readonly requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  readonly responses: http.ServerResponse[] = [];
  /** The answer to a request; `undefined` holds it open. */
  respond: (url: string) => [status: number, body: string] | undefined = () => [200, '{}'];
  private readonly _server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const url = request.url ?? '';
      this.requests.push({ method: request.method ?? '', url, headers: request.headers, body });
      this.responses.push(response);
      const answer = this.respond(url);
      if (answer !== undefined) response.writeHead(answer[0], { 'content-type': 'application/json' }).end(answer[1]);
      this._waiters = this._waiters.filter((waiter) => {
        if (this.requests.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    });
  });
  private _waiters: Array<{ count: number; resolve: () => void }> = [];

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this._server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}`;
  }

  /** Resolves once `count` requests have been answered. */
  waitForRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this._waiters.push({ count, resolve }));
  }

  async stop(): Promise<void> {
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }
}

/**
 * Runs `body` in a Node process that loads the jaeger entry point from source, with exactly `env`
 * as its JAEGER_* and OTEL_* environment. The OTLP exporter loads its HTTP transport with a
 * dynamic `import()`, which Jest's module sandbox refuses, so the real export path runs there.
 * Resolves with the exit code and stderr once the process ended.
 */
function runInChild(body: string, env: Environment): Promise<{ code: number | null; stderr: string }> {
  const source = path.resolve(__dirname, '../../src/jaeger/index.ts');
  const script = `
    const ts = require('typescript');
    const fs = require('fs');
    require.extensions['.ts'] = (module, filename) => module._compile(ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText, filename);
    const { initTracer, initTracerFromEnv } = require(${JSON.stringify(source)});
    (async () => { ${body} })().catch((error) => { console.error(error); process.exitCode = 1; });
  `;
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('JAEGER_') && !key.startsWith('OTEL_')) childEnv[key] = value;
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../..'), env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

/** Span names in an OTLP/JSON export request body. */
function otlpSpanNames(body: string): string[] {
  const request = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> };
  return request.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)));
}

describe('initTracer', () => {
  describe('the tracer', () => {
    it('should be a JaegerTracer, a TracerShim and an opentracing.Tracer', () => {
      const tracer = tracerWith({ serviceName: 'checkout', sampler: CONST_ON }, { exporter: new KeepingExporter() });

      expect(tracer).toBeInstanceOf(JaegerTracer);
      expect(tracer).toBeInstanceOf(TracerShim);
      expect(tracer).toBeInstanceOf(opentracing.Tracer);
    });

    it('should export finished spans to options.exporter by close()', async () => {
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter });

      tracer.startSpan('one').finish();
      tracer.startSpan('two').finish();
      await tracer.close();

      expect(exporter.names().sort()).toEqual(['one', 'two']);
      expect(exporter.shutdowns).toBe(1);
    });

    it('should not change the config and options objects', async () => {
      const config = Object.freeze({ serviceName: 'checkout', sampler: Object.freeze({ ...CONST_ON }), reporter: Object.freeze({ flushIntervalMs: 10 }) });
      const options = Object.freeze({ exporter: new KeepingExporter(), tags: Object.freeze({ a: 'b' }) });

      expect(() => tracerWith(config, options)).not.toThrow();
    });
  });

  describe('resource', () => {
    it('should carry serviceName as service.name, host.name and options.tags', async () => {
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter, tags: { region: 'eu', replicas: 3, canary: true } });

      tracer.startSpan('op').finish();
      await tracer.close();

      expect(exporter.span('op').resource.attributes).toMatchObject({
        'service.name': 'checkout',
        'host.name': hostname(),
        region: 'eu',
        replicas: 3,
        canary: true,
      });
    });

    it('should carry a serviceName that is not a string as its description, with a warning (jaeger-client only checks it is truthy)', async () => {
      const diagnostics = captureDiag();
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: function checkout() {} as unknown as string, sampler: CONST_ON }, { exporter });

      tracer.startSpan('op').finish();
      await tracer.close();

      expect(exporter.span('op').resource.attributes['service.name']).toBe('[Function checkout]');
      expect(diagnostics.matching('config.serviceName should be a string; "[Function checkout]" is used')).toHaveLength(1);
    });

    it('should leave out, with a warning, options.tags it cannot read, and keep the others', async () => {
      const diagnostics = captureDiag();
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter, tags: withThrowingGetter('boom', { region: 'eu' }) });

      tracer.startSpan('op').finish();
      await tracer.close();

      expect(exporter.span('op').resource.attributes).toMatchObject({ 'service.name': 'checkout', region: 'eu' });
      expect(exporter.span('op').resource.attributes).not.toHaveProperty('boom');
      expect(diagnostics.matching('options.tags "boom" could not be read; left out: Error: boom getter')).toHaveLength(1);
    });

    it.each<[string, unknown, string]>([
      ['a Proxy that throws on every trap', throwingProxy(), 'options.tags could not be listed; left out: Error: proxy trap'],
      ['a string', 'region=eu', 'options.tags must be an object, got string; ignored'],
    ])('should ignore, with a warning, options.tags that are %s', async (_name, tags, warning) => {
      const diagnostics = captureDiag();
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter, tags: tags as Record<string, unknown> });

      tracer.startSpan('op').finish();
      await tracer.close();

      expect(Object.keys(exporter.span('op').resource.attributes)).not.toContain('0');
      expect(diagnostics.matching(warning)).toHaveLength(1);
    });

    it('should keep serviceName as service.name when a tag has the same key', async () => {
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter, tags: { 'service.name': 'other' } });

      tracer.startSpan('op').finish();
      await tracer.close();

      expect(exporter.span('op').resource.attributes['service.name']).toBe('checkout');
    });
  });

  describe('serviceName', () => {
    it.each([
      ['missing', {}],
      ['empty', { serviceName: '' }],
    ])('should throw the error jaeger-client throws when it is %s', (_name, config) => {
      let expected: Error | undefined;
      try {
        jaeger.initTracer(config, { logger: noopLogger });
      } catch (error) {
        expected = error as Error;
      }

      expect(expected?.message).toBe('config.serviceName must be provided');
      expect(() => initTracer(config, { exporter: new KeepingExporter() })).toThrow(new Error(expected?.message));
    });

    it('should throw the same error for a serviceName that describes as nothing (an empty array), which jaeger-client takes', () => {
      expect(() => initTracer({ serviceName: [] as unknown as string }, { exporter: new KeepingExporter() })).toThrow(
        new Error('config.serviceName must be provided'),
      );
    });

    it('should take a serviceName with a lone surrogate with the default remote sampler, where jaeger-client throws a URIError', () => {
      expect(() => tracerWith({ serviceName: 'a\uDC00b' }, { exporter: new KeepingExporter() })).not.toThrow();
    });
  });

  describe('disable', () => {
    it('should give a tracer that records and exports nothing', async () => {
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', disable: true, sampler: CONST_ON }, { exporter });

      const span = tracer.startSpan('op', { tags: { 'sampling.priority': 1 } });
      span.finish();
      await tracer.close();

      expect(tracer).toBeInstanceOf(JaegerTracer);
      expect(exporter.getFinishedSpans()).toEqual([]);
      expect((span.context() as JaegerSpanContext).isSampled()).toBe(false);
    });

    it('should propagate nothing', async () => {
      const tracer = tracerWith({ serviceName: 'checkout', disable: true });
      const span = tracer.startSpan('op');
      span.setBaggageItem('k', 'v');

      const carrier: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);

      expect(carrier).toEqual({});
      // An empty span context, never null, as jaeger-client's extract.
      expect(String(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1' }))).toBe('0:0:0:0');
      span.finish();
    });

    it('should not need a serviceName, as in jaeger-client', () => {
      expect(() => jaeger.initTracer({ disable: true }, {})).not.toThrow();
      expect(() => tracerWith({ disable: true })).not.toThrow();
    });

    it('should still close, with and without a callback', async () => {
      const tracer = initTracer({ disable: true });
      const callback = jest.fn();

      await tracer.close(callback);

      expect(callback).toHaveBeenCalledWith();
      await expect(tracer.close()).resolves.toBeUndefined();
    });
  });

  describe('OTEL_SDK_DISABLED=true', () => {
    beforeEach(() => setEnv({ OTEL_SDK_DISABLED: 'true' }));

    it('should record and export nothing, and neither poll a remote sampler nor call the exporter', async () => {
      const server = await new RecordingServer().start();
      try {
        const exporter = new KeepingExporter();
        const tracer = initTracer(
          { serviceName: 'checkout', sampler: { type: 'remote', param: 1, hostPort: server.origin, refreshIntervalMs: 1 } },
          { exporter },
        );
        const span = tracer.startSpan('op', { tags: { 'sampling.priority': 1 } });
        span.finish();
        await tracer.close();
        // One round trip to this server: a poll started by initTracer would have reached it first.
        await fetch(`${server.origin}/probe`);

        expect(tracer).toBeInstanceOf(JaegerTracer);
        expect(exporter.getFinishedSpans()).toEqual([]);
        expect(exporter.shutdowns).toBe(0);
        expect((span.context() as JaegerSpanContext).isSampled()).toBe(false);
        expect(server.requests.map((request) => request.url)).toEqual(['/probe']);
      } finally {
        await server.stop();
      }
    });

    it('should still propagate, in both formats: a span started from an extracted context carries it on', () => {
      const tracer = tracerWith({ serviceName: 'checkout' });
      const received = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {
        'uber-trace-id': '0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1',
        'uberctx-tenant': 'acme',
      });
      const span = tracer.startSpan('handler', { childOf: received ?? undefined });
      const sent: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, sent);
      span.finish();

      // jaeger-client's form drops the trace id's leading zero; the span id is the received one.
      expect(sent['uber-trace-id']).toMatch(/^af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:[0-9a-f]+:1$/);
      expect(sent.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      expect(sent['uberctx-tenant']).toBe('acme');
      expect(sent.baggage).toBe('tenant=acme');
    });

    it('should still take the propagators the options and OTEL_PROPAGATORS choose', () => {
      setEnv({ OTEL_PROPAGATORS: 'tracecontext' });
      const tracer = tracerWith({ serviceName: 'checkout' }, { textMapPropagator: new JaegerPropagator() });
      const received = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
      const headers: Record<string, string> = {};
      const textMap: Record<string, string> = {};
      tracer.inject(received as opentracing.SpanContext, opentracing.FORMAT_HTTP_HEADERS, headers);
      tracer.inject(received as opentracing.SpanContext, opentracing.FORMAT_TEXT_MAP, textMap);

      expect(Object.keys(headers)).toEqual(['traceparent']);
      expect(Object.keys(textMap)).toEqual(['uber-trace-id']);
    });

    it('should still ask for a serviceName, as with the SDK enabled', () => {
      expect(() => initTracer({})).toThrow('config.serviceName must be provided');
    });

    it('should apply to initTracerFromEnv too', async () => {
      setEnv({ JAEGER_SERVICE_NAME: 'checkout' });
      const exporter = new KeepingExporter();
      const tracer = initTracerFromEnv({ sampler: CONST_ON }, { exporter });

      tracer.startSpan('op').finish();
      await tracer.close();

      expect(exporter.getFinishedSpans()).toEqual([]);
    });
  });

  describe('set-up errors', () => {
    afterEach(() => jest.useRealTimers());

    it('should leave no remote sampler polling when a step after the sampler throws', () => {
      jest.useFakeTimers();
      const sampler = { type: 'remote', param: 0.5, hostPort: '127.0.0.1:1', refreshIntervalMs: 60_000 };

      expect(() => initTracer({ serviceName: 'checkout', sampler }, withThrowingGetter('exporter') as JaegerOptions)).toThrow('exporter getter');
      expect(jest.getTimerCount()).toBe(0);
    });

    it('should refuse, naming it, an options.maxDebugIdsPerSecond that is not a number (a RangeError at set-up, as for every sampler limit)', () => {
      const options = { exporter: new KeepingExporter(), maxDebugIdsPerSecond: [Symbol('rate')] as unknown as number };

      expect(() => initTracer({ serviceName: 'checkout', sampler: CONST_ON }, options)).toThrow(
        new RangeError('maxDebugIdsPerSecond must be a number >= 0 or Infinity, got ["Symbol(rate)"]'),
      );
    });
  });

  describe('close', () => {
    it('should call the callback once, without an error, after the spans were exported', async () => {
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter });
      tracer.startSpan('op').finish();
      const seen: string[][] = [];

      await new Promise<void>((resolve) => {
        void tracer.close((error) => {
          seen.push(exporter.names());
          expect(error).toBeUndefined();
          resolve();
        });
      });

      expect(seen).toEqual([['op']]);
    });

    it('should reject with the error when the exporter fails to shut down and no callback is given', async () => {
      const exporter = new FailingShutdownExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter });
      tracer.startSpan('op').finish();

      await expect(tracer.close()).rejects.toBe(exporter.error);
      expect(exporter.names()).toEqual(['op']);
    });

    it('should call the callback with the error, and resolve, when the exporter fails to shut down', async () => {
      const exporter = new FailingShutdownExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter });
      const callback = jest.fn();

      await expect(tracer.close(callback)).resolves.toBeUndefined();

      expect(callback).toHaveBeenCalledTimes(1);
      expect(callback).toHaveBeenCalledWith(exporter.error);
    });

    it('should give a second close the outcome of the first, without shutting down again', async () => {
      const exporter = new FailingShutdownExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter });
      const first = tracer.close();
      const second = tracer.close();
      const callback = jest.fn();

      await expect(first).rejects.toBe(exporter.error);
      await expect(second).rejects.toBe(exporter.error);
      await tracer.close(callback);

      expect(callback).toHaveBeenCalledWith(exporter.error);
      expect(exporter.shutdowns).toBe(1);
    });

    it('should resolve a second close of a healthy tracer too', async () => {
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter });

      await tracer.close();
      await expect(tracer.close()).resolves.toBeUndefined();
      expect(exporter.shutdowns).toBe(1);
    });
  });

  describe('options.logger', () => {
    it.each<[string, JaegerConfig['reporter'] | undefined, JaegerConfig['throttler'] | undefined, Partial<JaegerOptions>, string]>([
      ['reporter.agentPort', { agentPort: 6832 }, undefined, {}, 'reporter.agentPort'],
      ['reporter.agentSocketType', { agentSocketType: 'udp4' }, undefined, {}, 'reporter.agentSocketType'],
      ['config.throttler', undefined, { host: 'agent', port: 5778 }, {}, 'throttler'],
      ['options.throttler', undefined, undefined, { throttler: {} }, 'throttler'],
      ['options.metrics', undefined, undefined, { metrics: {} }, 'metrics'],
      ['options.reporter', undefined, undefined, { reporter: {} }, 'options.reporter'],
      ['options.traceId128bit: false', undefined, undefined, { traceId128bit: false }, 'traceId128bit: false'],
      ['options.shareRpcSpan', undefined, undefined, { shareRpcSpan: true }, 'shareRpcSpan'],
    ])('should warn about %s, which cannot be honoured, through logger.info (a warning is not an error)', (_name, reporter, throttler, options, text) => {
      const log = recordingLogger();

      tracerWith({ serviceName: 'checkout', sampler: CONST_ON, reporter, throttler }, { exporter: new KeepingExporter(), logger: log.logger, ...options });

      expect(log.info.filter((message) => message.includes(text))).toHaveLength(1);
      expect(log.info).toHaveLength(1);
      expect(log.error).toEqual([]);
    });

    it('should warn about nothing for a config it can honour', () => {
      const log = recordingLogger();

      tracerWith(
        { serviceName: 'checkout', sampler: CONST_ON, reporter: { agentHost: 'jaeger', flushIntervalMs: 100, timeoutMs: 1000, logSpans: true } },
        { exporter: new KeepingExporter(), logger: log.logger, traceId128bit: true, tags: { a: 'b' }, contextKey: 'x-trace', baggagePrefix: 'x-ctx-' },
      );

      expect(log.error).toEqual([]);
    });

    it('should receive the shim warnings from later calls too', () => {
      const log = recordingLogger();
      const tracer = tracerWith({ serviceName: 'checkout', sampler: CONST_ON }, { exporter: new KeepingExporter(), logger: log.logger });

      tracer.inject(tracer.startSpan('op').context(), 'no-such-format', {});

      expect(log.info.filter((message) => message.includes('unknown format no-such-format'))).toHaveLength(1);
    });

    it('should not let a throwing logger break initTracer', () => {
      const throwing = {
        info: (): void => {
          throw new Error('logger down');
        },
        error: (): void => {
          throw new Error('logger down');
        },
      };

      expect(() =>
        tracerWith({ serviceName: 'checkout', sampler: CONST_ON, reporter: { agentPort: 1 } }, { exporter: new KeepingExporter(), logger: throwing }),
      ).not.toThrow();
    });
  });

  describe('sampler', () => {
    async function exportedWith(sampler: JaegerConfig['sampler'], run: (tracer: JaegerTracer) => void, options: JaegerOptions = {}): Promise<KeepingExporter> {
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler }, { exporter, ...options });
      run(tracer);
      await tracer.close();
      return exporter;
    }

    it('should tag sampled root spans with sampler.type and sampler.param, and let children follow without them', async () => {
      const exporter = await exportedWith(CONST_ON, (tracer) => {
        const root = tracer.startSpan('root');
        tracer.startSpan('child', { childOf: root }).finish();
        root.finish();
      });

      expect(exporter.span('root').attributes).toMatchObject({ 'sampler.type': 'const', 'sampler.param': true });
      expect(exporter.span('child').attributes['sampler.type']).toBeUndefined();
      expect(exporter.span('child').parentSpanContext?.spanId).toBe(exporter.span('root').spanContext().spanId);
    });

    it('should sample nothing with const 0', async () => {
      const exporter = await exportedWith({ type: 'const', param: 0 }, (tracer) => tracer.startSpan('op').finish());

      expect(exporter.names()).toEqual([]);
    });

    it.each([
      [{ type: 'probabilistic', param: 1 }, 'probabilistic', 1],
      [{ type: 'ratelimiting', param: 1e9 }, 'ratelimiting', 1e9],
    ])('should sample with %j', async (sampler, type, param) => {
      const exporter = await exportedWith(sampler, (tracer) => tracer.startSpan('op').finish());

      expect(exporter.span('op').attributes).toMatchObject({ 'sampler.type': type, 'sampler.param': param });
    });

    it('should sample nothing with probabilistic 0', async () => {
      const exporter = await exportedWith({ type: 'probabilistic', param: 0 }, (tracer) => tracer.startSpan('op').finish());

      expect(exporter.names()).toEqual([]);
    });

    it('should force a debug trace for sampling.priority > 0 at start', async () => {
      let context: JaegerSpanContext | undefined;
      let childContext: JaegerSpanContext | undefined;
      const exporter = await exportedWith({ type: 'const', param: 0 }, (tracer) => {
        const span = tracer.startSpan('forced', { tags: { 'sampling.priority': 1 } });
        const child = tracer.startSpan('child', { childOf: span });
        context = span.context() as JaegerSpanContext;
        childContext = child.context() as JaegerSpanContext;
        child.finish();
        span.finish();
      });

      expect(exporter.names().sort()).toEqual(['child', 'forced']);
      expect([context?.isSampled(), context?.isDebug(), context?.flags]).toEqual([true, true, 3]);
      expect(childContext?.isDebug()).toBe(true);
    });

    it('should drop a span with sampling.priority 0 at start', async () => {
      const exporter = await exportedWith(CONST_ON, (tracer) => tracer.startSpan('dropped', { tags: { 'sampling.priority': 0 } }).finish());

      expect(exporter.names()).toEqual([]);
    });

    it('should start a sampled debug root tagged with the jaeger-debug-id of an extracted carrier', async () => {
      let context: JaegerSpanContext | undefined;
      const exporter = await exportedWith({ type: 'const', param: 0 }, (tracer) => {
        const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'corr-42' });
        const span = tracer.startSpan('debugged', { childOf: parent ?? undefined });
        context = span.context() as JaegerSpanContext;
        span.finish();
      });

      expect(exporter.span('debugged').attributes['jaeger-debug-id']).toBe('corr-42');
      expect(exporter.span('debugged').parentSpanContext).toBeUndefined();
      expect(context?.isDebug()).toBe(true);
    });

    it('should ignore jaeger-debug-id with debugIdSampling: false', async () => {
      const exporter = await exportedWith(
        { type: 'const', param: 0 },
        (tracer) => {
          const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'corr-42' });
          tracer.startSpan('debugged', { childOf: parent ?? undefined }).finish();
        },
        { debugIdSampling: false },
      );

      expect(exporter.names()).toEqual([]);
    });

    it('should throw the error jaeger-client throws for a sampler.param that is not a number', () => {
      const sampler = { type: 'probabilistic', param: '0.5' as unknown as number };
      let expected: Error | undefined;
      try {
        jaeger.initTracer({ serviceName: 'checkout', sampler }, { logger: noopLogger });
      } catch (error) {
        expected = error as Error;
      }

      expect(expected?.message).toBe('Expecting sampler.param to be a number. Received 0.5');
      expect(() => initTracer({ serviceName: 'checkout', sampler }, { exporter: new KeepingExporter() })).toThrow(new Error(expected?.message));
    });

    describe('remote', () => {
      let server: RecordingServer;

      beforeEach(async () => {
        server = await new RecordingServer().start();
        server.respond = () => [200, JSON.stringify({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 1 } })];
      });

      afterEach(async () => {
        await Promise.all(tracers.splice(0).map((tracer) => tracer.close().catch(() => undefined)));
        await server.stop();
      });

      it('should sample at the initial rate until the strategy arrives, then follow it', async () => {
        const exporter = new KeepingExporter();
        const tracer = tracerWith(
          { serviceName: 'check out', sampler: { type: 'remote', param: 0, hostPort: server.origin.replace('http://', ''), refreshIntervalMs: 5 } },
          { exporter },
        );
        tracer.startSpan('before').finish();

        // Polls never overlap: the second request starts after the first answer was applied.
        await server.waitForRequests(2);
        tracer.startSpan('after').finish();
        await tracer.close();

        expect(exporter.names()).toEqual(['after']);
        expect(exporter.span('after').attributes).toMatchObject({ 'sampler.type': 'probabilistic', 'sampler.param': 1 });
        expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/sampling?service=check%20out' });
      });

      it('should poll samplingPath on host and port', async () => {
        const port = Number(new URL(server.origin).port);
        tracerWith(
          { serviceName: 'checkout', sampler: { type: 'remote', param: 0, host: '127.0.0.1', port, samplingPath: '/api/sampling', refreshIntervalMs: 5 } },
          { exporter: new KeepingExporter() },
        );

        await server.waitForRequests(1);

        expect(server.requests[0].url).toBe('/api/sampling?service=checkout');
      });

      it('should abort the poll in flight and stop polling on close', async () => {
        const strategy = server.respond;
        // The first poll is answered, the second held open until the sampler lets go of it.
        server.respond = (url) => (server.requests.length === 2 ? undefined : strategy(url));
        const tracer = initTracer(
          { serviceName: 'checkout', sampler: { type: 'remote', param: 0, hostPort: server.origin, refreshIntervalMs: 1 } },
          { exporter: new KeepingExporter() },
        );
        await server.waitForRequests(2);
        const held = new Promise<void>((resolve) => server.responses[1].once('close', () => resolve()));

        await tracer.close();
        await held;
        // One more round trip to this server: a poll scheduled after close would have had its turn.
        await fetch(`${server.origin}/probe`);

        expect(server.requests.map((request) => request.url)).toEqual(['/sampling?service=checkout', '/sampling?service=checkout', '/probe']);
      });
    });

    it("should fall back to jaeger-client's remote sampler when there is no sampler, and close promptly", async () => {
      const tracer = initTracer({ serviceName: 'checkout' }, { exporter: new KeepingExporter() });

      expect(() => tracer.startSpan('op').finish()).not.toThrow();
      await expect(tracer.close()).resolves.toBeUndefined();
    });
  });

  describe('reporter', () => {
    describe('otlpUrlFor', () => {
      it.each([
        [{ collectorEndpoint: 'http://jaeger:14268/api/traces' }, 'http://jaeger:4318/v1/traces'],
        [{ collectorEndpoint: 'https://collector.example.com/api/traces' }, 'https://collector.example.com:4318/v1/traces'],
        [{ collectorEndpoint: 'http://[::1]:14268/api/traces' }, 'http://[::1]:4318/v1/traces'],
        [{ agentHost: 'jaeger-agent' }, 'http://jaeger-agent:4318/v1/traces'],
        [{ agentHost: '::1' }, 'http://[::1]:4318/v1/traces'],
        [{ collectorEndpoint: 'http://collector:14268/api/traces', agentHost: 'agent' }, 'http://collector:4318/v1/traces'],
        [{ collectorEndpoint: 'not a url', agentHost: 'agent' }, 'http://agent:4318/v1/traces'],
        [{}, undefined],
      ])('should map %j to %s', (reporter, url) => {
        expect(otlpUrlFor(reporter)).toBe(url);
      });

      it.each([
        [{ collectorEndpoint: 'http://jaeger:14268/api/traces' }, 'http://jaeger:4317'],
        [{ agentHost: '::1' }, 'http://[::1]:4317'],
      ])('should map %j to %s for gRPC', (reporter, url) => {
        expect(otlpUrlFor(reporter, true)).toBe(url);
      });
    });

    describe('createExporter', () => {
      it('should give no exporter for OTEL_TRACES_EXPORTER=none', () => {
        expect(createExporter({ agentHost: 'jaeger' }, { OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
      });

      it('should give the console exporter for OTEL_TRACES_EXPORTER=console', () => {
        expect(createExporter({ agentHost: 'jaeger' }, { OTEL_TRACES_EXPORTER: 'console' })).toBeInstanceOf(ConsoleSpanExporter);
      });

      it.each([undefined, 'otlp', ' OTLP '])('should give the OTLP/HTTP exporter for OTEL_TRACES_EXPORTER=%j', (value) => {
        expect(createExporter({}, { OTEL_TRACES_EXPORTER: value })).toBeInstanceOf(OTLPTraceExporter);
      });

      it('should warn about an exporter it does not have and use OTLP', () => {
        const diagnostics = captureDiag();

        expect(createExporter({}, { OTEL_TRACES_EXPORTER: 'zipkin' })).toBeInstanceOf(OTLPTraceExporter);
        expect(diagnostics.matching('OTEL_TRACES_EXPORTER=zipkin')).toHaveLength(1);
      });

      it('should record nothing and not fail with OTEL_TRACES_EXPORTER=none through initTracer', async () => {
        setEnv({ OTEL_TRACES_EXPORTER: 'none' });
        const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON, reporter: { agentHost: 'jaeger' } });

        tracer.startSpan('op').finish();

        await expect(tracer.close()).resolves.toBeUndefined();
      });
    });

    describe('OTLP export', () => {
      let server: RecordingServer;

      beforeEach(async () => {
        server = await new RecordingServer().start();
      });

      afterEach(async () => {
        await Promise.all(tracers.splice(0).map((tracer) => tracer.close().catch(() => undefined)));
        await server.stop();
      });

      it('should POST the spans with basic authentication from username and password', async () => {
        const { code, stderr } = await runInChild(
          `
          const tracer = initTracer({
            serviceName: 'checkout',
            sampler: { type: 'const', param: 1 },
            reporter: { collectorEndpoint: 'http://jaeger.invalid:14268/api/traces', username: 'user', password: 'secret', flushIntervalMs: 10, timeoutMs: 5000 },
          });
          tracer.startSpan('exported').finish();
          await tracer.close();
          `,
          { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${server.origin}/v1/traces` },
        );

        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        expect(server.requests).toHaveLength(1);
        expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/v1/traces' });
        expect(server.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
        expect(otlpSpanNames(server.requests[0].body)).toEqual(['exported']);
      });

      it('should send to OTEL_EXPORTER_OTLP_ENDPOINT rather than the Jaeger host', async () => {
        const { code } = await runInChild(
          `
          const tracer = initTracer({ serviceName: 'checkout', sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: 'http://jaeger.invalid:14268/api/traces' } });
          tracer.startSpan('exported').finish();
          await tracer.close();
          `,
          { OTEL_EXPORTER_OTLP_ENDPOINT: server.origin },
        );

        expect(code).toBe(0);
        expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /v1/traces']);
      });

      it('should send the OTEL_EXPORTER_OTLP_HEADERS headers instead of basic authentication', async () => {
        const { code } = await runInChild(
          `
          const tracer = initTracer({ serviceName: 'checkout', sampler: { type: 'const', param: 1 }, reporter: { username: 'user', password: 'secret' } });
          tracer.startSpan('exported').finish();
          await tracer.close();
          `,
          { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${server.origin}/v1/traces`, OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer token-1' },
        );

        expect(code).toBe(0);
        expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer token-1']);
      });

      it('should build the exporter from the reporter settings without touching the network', () => {
        expect(createOtlpExporter({ collectorEndpoint: 'http://jaeger:14268/api/traces', username: 'u', password: 'p', timeoutMs: 100 }, {})).toBeInstanceOf(
          OTLPTraceExporter,
        );
        expect(server.requests).toEqual([]);
      });

      it('should build the OTLP/gRPC exporter, with username/password as gRPC metadata, for OTEL_EXPORTER_OTLP_PROTOCOL=grpc', () => {
        const diagnostics = captureDiag();
        const exporter = createOtlpExporter({ agentHost: 'jaeger', username: 'u', password: 'p' }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
        expect(exporter).toBeInstanceOf(OtlpGrpcExporter);
        expect(diagnostics.messages).toEqual([]);
        diagnostics.stop();
      });
    });

    describe('flushIntervalMs', () => {
      it('should export the spans by close()', async () => {
        const exporter = new KeepingExporter();
        const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON, reporter: { flushIntervalMs: 1 } }, { exporter });

        tracer.startSpan('op').finish();
        await tracer.close();

        expect(exporter.names()).toEqual(['op']);
      });
    });

    describe('timeoutMs', () => {
      afterEach(() => jest.useRealTimers());

      it('should bound how long close() waits for an exporter that never answers (BatchSpanProcessor exportTimeoutMillis)', async () => {
        jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
        const reporter = { timeoutMs: 1000, flushIntervalMs: 60_000 };
        const tracer = tracerWith({ serviceName: 'checkout', sampler: CONST_ON, reporter }, { exporter: new HangingExporter() });
        tracer.startSpan('op').finish();
        const callback = jest.fn();
        void tracer.close(callback);

        await jest.advanceTimersByTimeAsync(999);
        expect(callback).not.toHaveBeenCalled();
        await jest.advanceTimersByTimeAsync(1);
        expect(callback).toHaveBeenCalledWith(expect.objectContaining({ message: 'Timeout' }));
      });

      it('should warn about, and not use, a timeoutMs longer than Node timers can wait', () => {
        const diagnostics = captureDiag();

        tracerWith({ serviceName: 'checkout', sampler: CONST_ON, reporter: { timeoutMs: 2 ** 31 } }, { exporter: new KeepingExporter() });

        expect(diagnostics.matching('reporter.timeoutMs 2147483648 is longer than timers allow (2147483647 ms); the default is used')).toHaveLength(1);
      });
    });

    describe('logSpans', () => {
      it("should log each sampled span through logger.info in jaeger-client's LoggingReporter form", async () => {
        const log = recordingLogger();
        const tracer = initTracer(
          { serviceName: 'checkout', sampler: CONST_ON, reporter: { logSpans: true } },
          { exporter: new KeepingExporter(), logger: log.logger },
        );
        const root = tracer.startSpan('root');
        const child = tracer.startSpan('child', { childOf: root });
        const rootContext = root.context() as JaegerSpanContext;
        const childContext = child.context() as JaegerSpanContext;
        child.finish();
        root.finish();
        await tracer.close();

        expect(log.info).toEqual([`Reporting span ${childContext.toString()}`, `Reporting span ${rootContext.toString()}`]);
        expect(log.info[1]).toBe(`Reporting span ${rootContext.traceIdStr}:${rootContext.spanIdStr}:0:1`);
        expect(log.info[0]).toBe(`Reporting span ${rootContext.traceIdStr}:${childContext.spanIdStr}:${rootContext.spanIdStr}:1`);
      });

      it('should log nothing without logSpans', async () => {
        const log = recordingLogger();
        const tracer = initTracer({ serviceName: 'checkout', sampler: CONST_ON }, { exporter: new KeepingExporter(), logger: log.logger });

        tracer.startSpan('op').finish();
        await tracer.close();

        expect(log.info).toEqual([]);
      });

      it('should warn through diag when there is no logger to log to', () => {
        const diagnostics = captureDiag();

        tracerWith({ serviceName: 'checkout', sampler: CONST_ON, reporter: { logSpans: true } }, { exporter: new KeepingExporter() });

        expect(diagnostics.matching('reporter.logSpans without options.logger')).toHaveLength(1);
      });
    });
  });

  describe('propagation', () => {
    function sampledSpanWithBaggage(tracer: JaegerTracer): opentracing.Span {
      const span = tracer.startSpan('op');
      span.setBaggageItem('User_ID', 'Leela Turanga');
      return span;
    }

    it('should write uber-trace-id and URL-encoded uberctx-* plus traceparent and baggage in FORMAT_HTTP_HEADERS', () => {
      const tracer = tracerWith({ serviceName: 'checkout', sampler: CONST_ON }, { exporter: new KeepingExporter() });
      const span = sampledSpanWithBaggage(tracer);
      const context = span.context() as JaegerSpanContext;

      const carrier: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);

      expect(carrier).toEqual({
        'uber-trace-id': `${context.traceIdStr}:${context.spanIdStr}:0:1`,
        'uberctx-user-id': 'Leela%20Turanga',
        traceparent: `00-${context.toTraceId()}-${context.toSpanId()}-01`,
        baggage: 'user-id=Leela%20Turanga',
      });
      span.finish();
    });

    it('should write baggage raw in FORMAT_TEXT_MAP', () => {
      const tracer = tracerWith({ serviceName: 'checkout', sampler: CONST_ON }, { exporter: new KeepingExporter() });
      const span = sampledSpanWithBaggage(tracer);

      const carrier: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_TEXT_MAP, carrier);

      expect(carrier['uberctx-user-id']).toBe('Leela Turanga');
      expect(carrier['uber-trace-id']).toEqual(expect.any(String));
      expect(carrier.traceparent).toEqual(expect.any(String));
      span.finish();
    });

    it('should use options.contextKey and options.baggagePrefix (lower-cased, as jaeger-client)', () => {
      const tracer = tracerWith(
        { serviceName: 'checkout', sampler: CONST_ON },
        { exporter: new KeepingExporter(), contextKey: 'X-Trace-Id', baggagePrefix: 'X-Ctx-' },
      );
      const span = sampledSpanWithBaggage(tracer);
      const context = span.context() as JaegerSpanContext;

      const carrier: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'x-trace-id': carrier['x-trace-id'], 'x-ctx-user-id': 'Fry' });

      expect(carrier['x-trace-id']).toBe(context.toString());
      expect(carrier['x-ctx-user-id']).toBe('Leela%20Turanga');
      expect(carrier['uber-trace-id']).toBeUndefined();
      expect(extracted?.toSpanId()).toBe(context.toSpanId());
      expect((extracted as JaegerSpanContext).baggage['user-id']).toBe('Fry');
      span.finish();
    });

    it('should use the default header names, with a warning, for an options.contextKey or baggagePrefix that is not a string', () => {
      const diagnostics = captureDiag();
      const tracer = tracerWith(
        { serviceName: 'checkout', sampler: CONST_ON },
        { exporter: new KeepingExporter(), contextKey: 42 as unknown as string, baggagePrefix: throwingProxy() as unknown as string },
      );
      const span = sampledSpanWithBaggage(tracer);

      const carrier: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);

      expect(carrier['uber-trace-id']).toBe((span.context() as JaegerSpanContext).toString());
      expect(carrier['uberctx-user-id']).toBe('Leela%20Turanga');
      // Two propagators (text map and HTTP headers), each told once.
      expect(diagnostics.matching('contextKey must be a string, got 42')).toHaveLength(2);
      expect(diagnostics.matching('baggagePrefix must be a string')).toHaveLength(2);
      span.finish();
    });

    it.each([
      ['uber-trace-id only', { 'uber-trace-id': 'a1b2c3d4e5f60718:f067aa0ba902b7:0:1' }, '0000000000000000a1b2c3d4e5f60718', '00f067aa0ba902b7'],
      ['traceparent only', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'],
    ])('should extract from %s', async (_name, carrier, traceId, spanId) => {
      const exporter = new KeepingExporter();
      const tracer = initTracer({ serviceName: 'checkout', sampler: { type: 'const', param: 0 } }, { exporter });

      const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier);
      tracer.startSpan('child', { childOf: parent ?? undefined }).finish();
      await tracer.close();

      expect(parent).toBeInstanceOf(JaegerSpanContext);
      expect(exporter.span('child').spanContext().traceId).toBe(traceId);
      expect(exporter.span('child').parentSpanContext?.spanId).toBe(spanId);
    });

    it('should extract W3C baggage as well as uberctx-*', () => {
      const tracer = tracerWith({ serviceName: 'checkout', sampler: CONST_ON }, { exporter: new KeepingExporter() });

      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { baggage: 'w3c=1', 'uberctx-jaeger': '2' }) as JaegerSpanContext;

      expect({ ...extracted.baggage }).toEqual({ w3c: '1', jaeger: '2' });
    });

    it('should use options.httpHeadersPropagator and options.textMapPropagator when given', () => {
      const tracer = tracerWith(
        { serviceName: 'checkout', sampler: CONST_ON },
        { exporter: new KeepingExporter(), httpHeadersPropagator: new JaegerPropagator({ urlEncoding: true }), textMapPropagator: new JaegerPropagator() },
      );
      const span = tracer.startSpan('op');

      const http: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, http);
      const textMap: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_TEXT_MAP, textMap);

      expect(Object.keys(http)).toEqual(['uber-trace-id']);
      expect(Object.keys(textMap)).toEqual(['uber-trace-id']);
      span.finish();
    });
  });
});

describe('initTracerFromEnv', () => {
  it('should build the tracer from JAEGER_* variables', async () => {
    setEnv({
      JAEGER_SERVICE_NAME: 'from-env',
      JAEGER_SAMPLER_TYPE: 'const',
      JAEGER_SAMPLER_PARAM: '1',
      JAEGER_TAGS: 'region=eu,pod=${TEST_POD_NAME:unknown},zone=${TEST_ZONE:z1}',
      TEST_POD_NAME: 'pod-7',
      TEST_ZONE: undefined,
    });
    const exporter = new KeepingExporter();
    const tracer = initTracerFromEnv({}, { exporter });

    tracer.startSpan('op').finish();
    await tracer.close();

    const span = exporter.span('op');
    expect(span.resource.attributes).toMatchObject({ 'service.name': 'from-env', region: 'eu', pod: 'pod-7', zone: 'z1' });
    expect(span.attributes).toMatchObject({ 'sampler.type': 'const', 'sampler.param': true });
  });

  it('should let config win over the environment per key', async () => {
    setEnv({ JAEGER_SERVICE_NAME: 'from-env', JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1' });
    const exporter = new KeepingExporter();
    const tracer = initTracerFromEnv({ serviceName: 'from-config', sampler: { type: 'const', param: 0 } }, { exporter });

    tracer.startSpan('op').finish();
    await tracer.close();

    expect(exporter.names()).toEqual([]);
    const sampledTracer = initTracerFromEnv({ serviceName: 'from-config' }, { exporter });
    sampledTracer.startSpan('op').finish();
    await sampledTracer.close();
    expect(exporter.span('op').resource.attributes['service.name']).toBe('from-config');
  });

  it('should give a disabled tracer for JAEGER_DISABLED=true', async () => {
    setEnv({ JAEGER_DISABLED: 'true', JAEGER_SERVICE_NAME: 'x', JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1' });
    const exporter = new KeepingExporter();
    const tracer = initTracerFromEnv({}, { exporter });

    tracer.startSpan('op').finish();
    await tracer.close();

    expect(exporter.names()).toEqual([]);
  });

  it('should not change the caller config and options objects', async () => {
    setEnv({
      JAEGER_SERVICE_NAME: 'from-env',
      JAEGER_SAMPLER_TYPE: 'const',
      JAEGER_SAMPLER_PARAM: '1',
      JAEGER_TAGS: 'a=b',
      JAEGER_REPORTER_FLUSH_INTERVAL: '10',
    });
    const config: JaegerConfig = {};
    const options: JaegerOptions = { exporter: new KeepingExporter() };

    tracers.push(initTracerFromEnv(config, options));

    expect(config).toEqual({});
    expect(Object.keys(options)).toEqual(['exporter']);
  });

  it('should not enable span logging for JAEGER_REPORTER_LOG_SPANS=false', async () => {
    setEnv({ JAEGER_SERVICE_NAME: 'x', JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1', JAEGER_REPORTER_LOG_SPANS: 'false' });
    const log = recordingLogger();
    const tracer = initTracerFromEnv({}, { exporter: new KeepingExporter(), logger: log.logger });

    tracer.startSpan('op').finish();
    await tracer.close();

    expect(log.info.filter((line) => line.startsWith('Reporting span'))).toEqual([]);
  });

  it('should enable span logging for JAEGER_REPORTER_LOG_SPANS=true', async () => {
    setEnv({ JAEGER_SERVICE_NAME: 'x', JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1', JAEGER_REPORTER_LOG_SPANS: 'true' });
    const log = recordingLogger();
    const tracer = initTracerFromEnv({}, { exporter: new KeepingExporter(), logger: log.logger });

    tracer.startSpan('op').finish();
    await tracer.close();

    expect(log.info.filter((line) => line.startsWith('Reporting span'))).toHaveLength(1);
  });

  it('should warn through options.logger about a deprecated variable', () => {
    setEnv({ JAEGER_SERVICE_NAME: 'x', JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1', JAEGER_REPORTER_AGENT_HOST: 'agent' });
    const log = recordingLogger();

    tracers.push(initTracerFromEnv({}, { exporter: new KeepingExporter(), logger: log.logger }));

    expect(log.info.filter((message) => message.includes('JAEGER_REPORTER_AGENT_HOST'))).toHaveLength(1);
  });

  it('should honour JAEGER_REPORTER_TIMEOUT as the export timeout that bounds close()', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    try {
      setEnv({ JAEGER_REPORTER_TIMEOUT: '1000' });
      const tracer = initTracerFromEnv(
        { serviceName: 'checkout', sampler: CONST_ON, reporter: { flushIntervalMs: 60_000 } },
        { exporter: new HangingExporter() },
      );
      tracers.push(tracer);
      tracer.startSpan('op').finish();
      const callback = jest.fn();
      void tracer.close(callback);

      await jest.advanceTimersByTimeAsync(1000);

      expect(callback).toHaveBeenCalledWith(expect.objectContaining({ message: 'Timeout' }));
    } finally {
      jest.useRealTimers();
    }
  });

  it.each<[string, JaegerConfig]>([
    ['config.sampler', { serviceName: 'checkout', sampler: 'const' as unknown as JaegerConfig['sampler'] }],
    ['config.reporter', { serviceName: 'checkout', reporter: 'reporter' as unknown as JaegerConfig['reporter'] }],
  ])('should read the environment, where jaeger-client throws, when %s is not an object', async (_name, config) => {
    setEnv({ JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1' });
    const exporter = new KeepingExporter();
    const tracer = initTracerFromEnv(config, { exporter });

    tracer.startSpan('op').finish();
    await tracer.close();

    expect(exporter.names()).toEqual(['op']);
  });

  it('should not throw for a JAEGER_TAGS entry without =', () => {
    setEnv({ JAEGER_SERVICE_NAME: 'x', JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1', JAEGER_TAGS: 'a=1,broken' });

    expect(() => tracers.push(initTracerFromEnv({}, { exporter: new KeepingExporter() }))).not.toThrow();
  });

  it('should send spans with basic authentication from JAEGER_USER and JAEGER_PASSWORD', async () => {
    const server = await new RecordingServer().start();
    try {
      const { code, stderr } = await runInChild(
        `
        const tracer = initTracerFromEnv();
        tracer.startSpan('exported').finish();
        await tracer.close();
        `,
        {
          JAEGER_SERVICE_NAME: 'from-env',
          JAEGER_SAMPLER_TYPE: 'const',
          JAEGER_SAMPLER_PARAM: '1',
          JAEGER_ENDPOINT: 'http://jaeger.invalid:14268/api/traces',
          JAEGER_USER: 'user',
          JAEGER_PASSWORD: 'secret',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${server.origin}/v1/traces`,
        },
      );

      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(server.requests.map((request) => request.headers.authorization)).toEqual([`Basic ${Buffer.from('user:secret').toString('base64')}`]);
      expect(otlpSpanNames(server.requests[0].body)).toEqual(['exported']);
    } finally {
      await server.stop();
    }
  });
});

describe('the jaeger entry point (src/jaeger/index.ts)', () => {
  it('should export the jaeger-client API and the classes behind it', () => {
    expect(jaegerEntryPoint.initTracer).toBe(initTracer);
    expect(jaegerEntryPoint.initTracerFromEnv).toBe(initTracerFromEnv);
    expect(jaegerEntryPoint.JaegerTracer).toBe(JaegerTracer);
    expect(jaegerEntryPoint.JaegerSpanContext).toBe(JaegerSpanContext);
    expect(jaegerEntryPoint.JaegerPropagator).toBe(JaegerPropagator);
    expect(typeof jaegerEntryPoint.JaegerSpan).toBe('function');
    expect({
      trace: jaegerEntryPoint.JAEGER_TRACE_HEADER,
      baggage: jaegerEntryPoint.JAEGER_BAGGAGE_HEADER,
      prefix: jaegerEntryPoint.JAEGER_BAGGAGE_HEADER_PREFIX,
      debugId: jaegerEntryPoint.JAEGER_DEBUG_ID_HEADER,
    }).toEqual({ trace: 'uber-trace-id', baggage: 'jaeger-baggage', prefix: 'uberctx-', debugId: 'jaeger-debug-id' });
  });
});
