import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import type { Span } from 'opentracing';
import { initTracer } from '../../src/jaeger/init-tracer';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import type { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { KeepingExporter } from '../helpers/sdk';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClientSpanContext {
  readonly traceIdStr: string;
  readonly spanIdStr: string;
  readonly parentIdStr: string | null | undefined;
  readonly baggage: Record<string, string>;
  isSampled(): boolean;
  isDebug(): boolean;
}
interface JaegerClientSpan {
  context(): JaegerClientSpanContext;
  setBaggageItem(key: string, value: string): JaegerClientSpan;
  getBaggageItem(key: string): string | undefined;
  operationName: string;
  _operationName: string;
  finish(): void;
}
interface JaegerClientTracer {
  startSpan(name: string, options?: { childOf?: JaegerClientSpanContext | JaegerClientSpan; tags?: Record<string, unknown> }): JaegerClientSpan;
  inject(context: JaegerClientSpanContext | JaegerClientSpan, format: string, carrier: object): void;
  extract(format: string, carrier: object): JaegerClientSpanContext;
  close(callback?: () => void): void;
}
interface JaegerInMemoryReporter {
  spans: JaegerClientSpan[];
  clear(): void;
}
interface JaegerClient {
  initTracer(config: object, options: object): JaegerClientTracer;
  InMemoryReporter: new () => JaegerInMemoryReporter;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

const noopLogger = { info: (): void => undefined, error: (): void => undefined };

/** A jaeger-client service: const sampler, spans kept in an InMemoryReporter. */
interface LegacyService {
  readonly tracer: JaegerClientTracer;
  readonly reporter: JaegerInMemoryReporter;
  span(name: string): JaegerClientSpan;
}

function legacyService(param: number, options: object = {}): LegacyService {
  const reporter = new jaeger.InMemoryReporter();
  const tracer = jaeger.initTracer({ serviceName: 'legacy', sampler: { type: 'const', param } }, { logger: noopLogger, reporter, ...options });
  return {
    tracer,
    reporter,
    span(name) {
      const found = reporter.spans.filter((span) => span._operationName === name);
      if (found.length !== 1) throw new Error(`expected one jaeger-client span "${name}", found ${found.length}`);
      return found[0];
    },
  };
}

function pad(hex: string, length: number): string {
  return hex.padStart(length, '0');
}

function strip(hex: string): string {
  return hex.replace(/^0+(?=.)/, '');
}

let legacy: LegacyService;
let exporter: KeepingExporter;
let migrated: JaegerTracer;

beforeEach(() => {
  legacy = legacyService(1);
  exporter = new KeepingExporter();
  migrated = initTracer({ serviceName: 'migrated', sampler: { type: 'const', param: 1 } }, { exporter, logger: noopLogger });
});

afterEach(async () => {
  await Promise.all([migrated.close(), new Promise<void>((resolve) => legacy.tracer.close(() => resolve()))]);
  // initTracer registered the logger with diag.
  diag.disable();
});

describe('a JaegerTracer and jaeger-client 3.19 in one process', () => {
  describe('jaeger-client injects, JaegerTracer extracts', () => {
    it.each([
      ['FORMAT_HTTP_HEADERS', FORMAT_HTTP_HEADERS],
      ['FORMAT_TEXT_MAP', FORMAT_TEXT_MAP],
    ])('should continue the jaeger-client trace with its ids and baggage (%s)', async (_name, format) => {
      const client = legacy.tracer.startSpan('client');
      client.setBaggageItem('Tenant', 'Acme Corp');
      const carrier: Record<string, string> = {};
      legacy.tracer.inject(client, format, carrier);

      const server = migrated.startSpan('server', { childOf: migrated.extract(format, carrier) ?? undefined });
      const serverContext = server.context() as JaegerSpanContext;
      const tenant = server.getBaggageItem('tenant');
      server.finish();
      client.finish();
      await migrated.close();

      const jaegerContext = client.context();
      const exported = exporter.span('server');
      expect(exported.spanContext().traceId).toBe(pad(jaegerContext.traceIdStr, 32));
      expect(exported.parentSpanContext?.spanId).toBe(pad(jaegerContext.spanIdStr, 16));
      expect(serverContext.parentIdStr).toBe(jaegerContext.spanIdStr);
      expect(tenant).toBe('Acme Corp');
    });

    it('should keep a 128-bit jaeger-client trace id', async () => {
      await new Promise<void>((resolve) => legacy.tracer.close(() => resolve()));
      legacy = legacyService(1, { traceId128bit: true });
      const client = legacy.tracer.startSpan('client');
      const carrier: Record<string, string> = {};
      legacy.tracer.inject(client, FORMAT_HTTP_HEADERS, carrier);

      migrated.startSpan('server', { childOf: migrated.extract(FORMAT_HTTP_HEADERS, carrier) ?? undefined }).finish();
      client.finish();
      await migrated.close();

      expect(client.context().traceIdStr.length).toBeGreaterThan(16);
      expect(exporter.span('server').spanContext().traceId).toBe(pad(client.context().traceIdStr, 32));
    });

    it('should keep the debug flag of a jaeger-client debug span', () => {
      const client = legacy.tracer.startSpan('client', { tags: { 'sampling.priority': 1 } });
      const carrier: Record<string, string> = {};
      legacy.tracer.inject(client, FORMAT_HTTP_HEADERS, carrier);

      const server = migrated.startSpan('server', { childOf: migrated.extract(FORMAT_HTTP_HEADERS, carrier) ?? undefined });
      const context = server.context() as JaegerSpanContext;

      expect(client.context().isDebug()).toBe(true);
      expect([context.isSampled(), context.isDebug()]).toEqual([true, true]);
      server.finish();
      client.finish();
    });

    it('should not sample the child of an unsampled jaeger-client span', async () => {
      await new Promise<void>((resolve) => legacy.tracer.close(() => resolve()));
      legacy = legacyService(0);
      const client = legacy.tracer.startSpan('client');
      const carrier: Record<string, string> = {};
      legacy.tracer.inject(client, FORMAT_HTTP_HEADERS, carrier);

      migrated.startSpan('server', { childOf: migrated.extract(FORMAT_HTTP_HEADERS, carrier) ?? undefined }).finish();
      client.finish();
      await migrated.close();

      expect(exporter.getFinishedSpans()).toEqual([]);
    });
  });

  describe('JaegerTracer injects, jaeger-client extracts', () => {
    it.each([
      ['FORMAT_HTTP_HEADERS', FORMAT_HTTP_HEADERS],
      ['FORMAT_TEXT_MAP', FORMAT_TEXT_MAP],
    ])('should give the jaeger-client child our trace id, parent and baggage (%s)', (_name, format) => {
      const client = migrated.startSpan('client');
      client.setBaggageItem('User_ID', 'Leela Turanga');
      const carrier: Record<string, string> = {};
      migrated.inject(client.context(), format, carrier);

      const server = legacy.tracer.startSpan('server', { childOf: legacy.tracer.extract(format, carrier) });
      server.finish();
      client.finish();

      const ours = client.context() as JaegerSpanContext;
      const theirs = legacy.span('server').context();
      expect(theirs.traceIdStr).toBe(ours.traceIdStr);
      expect(theirs.parentIdStr).toBe(ours.spanIdStr);
      expect(theirs.isSampled()).toBe(true);
      expect(theirs.isDebug()).toBe(false);
      expect(theirs.baggage).toEqual({ 'user-id': 'Leela Turanga' });
      expect(legacy.span('server').getBaggageItem('User_ID')).toBe('Leela Turanga');
    });

    it('should give the jaeger-client child the debug flag of a debug span', () => {
      const client = migrated.startSpan('client', { tags: { 'sampling.priority': 1 } });
      const carrier: Record<string, string> = {};
      migrated.inject(client.context(), FORMAT_HTTP_HEADERS, carrier);

      legacy.tracer.startSpan('server', { childOf: legacy.tracer.extract(FORMAT_HTTP_HEADERS, carrier) }).finish();
      client.finish();

      expect(legacy.span('server').context().isDebug()).toBe(true);
      expect(legacy.span('server').context().isSampled()).toBe(true);
    });

    it('should give jaeger-client the injected span and its real parent, not the root', () => {
      const root = migrated.startSpan('root');
      const child = migrated.startSpan('child', { childOf: root });
      const carrier: Record<string, string> = {};
      migrated.inject(child.context(), FORMAT_HTTP_HEADERS, carrier);

      const extracted = legacy.tracer.extract(FORMAT_HTTP_HEADERS, carrier);

      expect(extracted.spanIdStr).toBe((child.context() as JaegerSpanContext).spanIdStr);
      expect(extracted.parentIdStr).toBe((root.context() as JaegerSpanContext).spanIdStr);
      child.finish();
      root.finish();
    });
  });

  describe('over real HTTP on 127.0.0.1', () => {
    /** Sends a GET with `headers` and resolves with the status and body. */
    function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const request = http.get(url, { headers, agent: false }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on('error', reject);
      });
    }

    async function listen(server: http.Server): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    async function stop(server: http.Server): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    it('should keep one trace from a jaeger-client client through a JaegerTracer service to a jaeger-client service', async () => {
      // Service C, still on jaeger-client: reads the headers the migrated service sent.
      const received: http.IncomingHttpHeaders[] = [];
      const downstream = http.createServer((request, response) => {
        received.push(request.headers);
        const span = legacy.tracer.startSpan('C server', { childOf: legacy.tracer.extract(FORMAT_HTTP_HEADERS, request.headers) });
        response.end(span.getBaggageItem('tenant') ?? '');
        span.finish();
      });
      const downstreamUrl = await listen(downstream);

      // Service B, migrated: a server span, and a client span for its call to C.
      const middle = http.createServer((request, response) => {
        const parent = migrated.extract(FORMAT_HTTP_HEADERS, request.headers);
        const serverSpan: Span = migrated.startSpan('B server', { childOf: parent ?? undefined, tags: { 'span.kind': 'server' } });
        const clientSpan = migrated.startSpan('B client', { childOf: serverSpan, tags: { 'span.kind': 'client' } });
        const headers: Record<string, string> = {};
        migrated.inject(clientSpan.context(), FORMAT_HTTP_HEADERS, headers);
        get(downstreamUrl, headers).then(
          ({ body }) => {
            clientSpan.finish();
            serverSpan.finish();
            response.end(body);
          },
          (error: Error) => {
            clientSpan.finish();
            serverSpan.finish();
            response.statusCode = 502;
            response.end(error.message);
          },
        );
      });
      const middleUrl = await listen(middle);

      try {
        // Client A, on jaeger-client.
        const clientA = legacy.tracer.startSpan('A client', { tags: { 'span.kind': 'client' } });
        clientA.setBaggageItem('tenant', 'acme');
        const headers: Record<string, string> = {};
        legacy.tracer.inject(clientA, FORMAT_HTTP_HEADERS, headers);
        const answer = await get(middleUrl, headers);
        clientA.finish();
        await migrated.close();

        expect(answer).toEqual({ status: 200, body: 'acme' });
        const traceIdStr = clientA.context().traceIdStr;
        const bServer = exporter.span('B server');
        const bClient = exporter.span('B client');
        const cServer = legacy.span('C server').context();
        expect(bServer.spanContext().traceId).toBe(pad(traceIdStr, 32));
        expect(bServer.parentSpanContext?.spanId).toBe(pad(clientA.context().spanIdStr, 16));
        expect(bClient.parentSpanContext?.spanId).toBe(bServer.spanContext().spanId);
        expect(cServer.traceIdStr).toBe(traceIdStr);
        expect(cServer.parentIdStr).toBe(strip(bClient.spanContext().spanId));
        expect(received[0]['uber-trace-id']).toBe(`${traceIdStr}:${strip(bClient.spanContext().spanId)}:${strip(bServer.spanContext().spanId)}:1`);
        expect(received[0].traceparent).toBe(`00-${pad(traceIdStr, 32)}-${bClient.spanContext().spanId}-01`);
        expect(received[0]['uberctx-tenant']).toBe('acme');
      } finally {
        await Promise.all([stop(middle), stop(downstream)]);
      }
    });
  });
});
