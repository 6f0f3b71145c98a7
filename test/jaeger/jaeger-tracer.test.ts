import * as opentracing from 'opentracing';
import * as http from 'node:http';
import { initTracer } from '../../src/jaeger/init-tracer';
import type { JaegerSpan } from '../../src/jaeger/jaeger-span';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import type { JaegerExtractor, JaegerInjector } from '../../src/jaeger/jaeger-tracer';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';
import { createTestSdk } from '../helpers/sdk';
import { KeepingExporter } from '../helpers/sdk';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClientTracer {
  inject(context: unknown, format: string, carrier: unknown): void;
  extract(format: string, carrier: unknown): unknown;
  startSpan(name: string, options?: object): { context(): unknown; finish(): void };
  registerInjector(format: string, injector: object): void;
  registerExtractor(format: string, extractor: object): void;
  close(callback?: () => void): void;
}
interface JaegerClient {
  initTracer(config: object, options: object): JaegerClientTracer;
  InMemoryReporter: new () => object;
  ZipkinB3TextMapCodec: new (options?: { urlEncoding?: boolean; baggagePrefix?: string }) => JaegerInjector & JaegerExtractor;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

const noopLogger = { info: (): void => undefined, error: (): void => undefined };
const ZIPKIN = 'zipkin-b3';

let exporter: KeepingExporter;
let tracer: JaegerTracer;
let diagnostics: DiagCapture;

/** A tracer as initTracer makes it; `param` 1 samples every new trace, 0 none. */
function newTracer(param: number, options: Parameters<typeof initTracer>[1] = {}): JaegerTracer {
  return initTracer({ serviceName: 'checkout', sampler: { type: 'const', param } }, { exporter, ...options });
}

/** Replaces the test's tracer with one that samples nothing by itself; the first is closed first. */
async function useUnsampledTracer(options: Parameters<typeof initTracer>[1] = {}): Promise<void> {
  await tracer.close();
  tracer = newTracer(0, options);
}

beforeEach(() => {
  exporter = new KeepingExporter();
  tracer = newTracer(1);
  diagnostics = captureDiag();
});

afterEach(async () => {
  await tracer.close().catch(() => undefined);
  diagnostics.stop();
});

/** A Proxy that throws from every trap, as hostile input can be. */
function throwingProxy<T extends object>(target: T = {} as T): T {
  const fail = (): never => {
    throw new Error('proxy trap');
  };
  return new Proxy(target, { get: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, getPrototypeOf: fail });
}

function inject(context: opentracing.SpanContext | opentracing.Span, format: string = opentracing.FORMAT_HTTP_HEADERS): Record<string, unknown> {
  const carrier: Record<string, unknown> = {};
  tracer.inject(context, format, carrier);
  return carrier;
}

describe('JaegerTracer', () => {
  describe('startSpan', () => {
    it('should not throw when a reference throws from referencedContext(), and still start the span', async () => {
      const reference = {
        type: () => opentracing.REFERENCE_CHILD_OF,
        referencedContext: () => {
          throw new Error('referencedContext broke');
        },
      } as unknown as opentracing.Reference;

      expect(() => tracer.startSpan('op', { references: [reference] }).finish()).not.toThrow();
      await tracer.close();

      expect(exporter.span('op').parentSpanContext).toBeUndefined();
    });

    it('should not throw when the references array is a Proxy that throws on every trap', () => {
      expect(() => tracer.startSpan('op', { references: throwingProxy([]) }).finish()).not.toThrow();
    });

    it('should not throw when the tags cannot be read and the parent carries only a jaeger-debug-id', async () => {
      const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'corr-1' });

      expect(() => tracer.startSpan('op', { childOf: parent ?? undefined, tags: throwingProxy() }).finish()).not.toThrow();
      await tracer.close();

      expect(exporter.span('op')).toBeDefined();
    });
  });

  describe('inject', () => {
    it('should write the real parent span id of a child into uber-trace-id', () => {
      const root = tracer.startSpan('root');
      const child = tracer.startSpan('child', { childOf: root });
      const grandchild = tracer.startSpan('grandchild', { childOf: child });
      const [r, c, g] = [root, child, grandchild].map((span) => span.context() as JaegerSpanContext);

      expect(inject(root)['uber-trace-id']).toBe(`${r.traceIdStr}:${r.spanIdStr}:0:1`);
      expect(inject(child)['uber-trace-id']).toBe(`${r.traceIdStr}:${c.spanIdStr}:${r.spanIdStr}:1`);
      expect(inject(grandchild.context())['uber-trace-id']).toBe(`${r.traceIdStr}:${g.spanIdStr}:${c.spanIdStr}:1`);
      expect(inject(child).traceparent).toBe(`00-${c.toTraceId()}-${c.toSpanId()}-01`);
      for (const span of [grandchild, child, root]) span.finish();
    });

    it('should write the received parent id again when an extracted context is injected', () => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:123:1' });

      expect(inject(extracted!)['uber-trace-id']).toBe('abc:def:123:1');
    });

    it('should write flags 3 for a span forced by sampling.priority', () => {
      const span = tracer.startSpan('forced', { tags: { 'sampling.priority': 1 } });

      expect(inject(span)['uber-trace-id']).toMatch(/^[0-9a-f]+:[0-9a-f]+:0:3$/);
      span.finish();
    });

    it('should write baggage keys normalised: User_ID -> uberctx-user-id', () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('User_ID', 'a b');

      const carrier = inject(span);

      expect(carrier['uberctx-user-id']).toBe('a%20b');
      expect(inject(span, opentracing.FORMAT_TEXT_MAP)['uberctx-user-id']).toBe('a b');
      span.finish();
    });

    it('should round-trip FORMAT_BINARY as the core does', () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('k', 'v');
      const carrier = new opentracing.BinaryCarrier([]);

      tracer.inject(span.context(), opentracing.FORMAT_BINARY, carrier);
      const extracted = tracer.extract(opentracing.FORMAT_BINARY, carrier);

      expect(carrier.buffer.length).toBeGreaterThan(0);
      expect(extracted).toBeInstanceOf(JaegerSpanContext);
      expect([extracted?.toTraceId(), extracted?.toSpanId()]).toEqual([span.context().toTraceId(), span.context().toSpanId()]);
      expect((extracted as JaegerSpanContext).baggage.k).toBe('v');
      span.finish();
    });

    it('should write nothing and not throw for an unknown format, where jaeger-client throws', () => {
      const jaegerTracer = jaeger.initTracer(
        { serviceName: 'x', sampler: { type: 'const', param: 1 } },
        { logger: noopLogger, reporter: new jaeger.InMemoryReporter() },
      );
      const jaegerSpan = jaegerTracer.startSpan('op');
      expect(() => jaegerTracer.inject(jaegerSpan.context(), 'no-such-format', {})).toThrow('Unsupported format: no-such-format');
      jaegerTracer.close();
      const span = tracer.startSpan('op');
      const carrier = {};

      expect(() => tracer.inject(span.context(), 'no-such-format', carrier)).not.toThrow();

      expect(carrier).toEqual({});
      expect(diagnostics.matching('unknown format no-such-format')).toHaveLength(1);
      span.finish();
    });
  });

  describe('extract', () => {
    it('should give a JaegerSpanContext with the received ids, parent id and flags', () => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'a1b2c3:d4e5f6:123:3' }) as JaegerSpanContext;

      expect(extracted).toBeInstanceOf(JaegerSpanContext);
      expect({
        traceIdStr: extracted.traceIdStr,
        spanIdStr: extracted.spanIdStr,
        parentIdStr: extracted.parentIdStr,
        sampled: extracted.isSampled(),
        debug: extracted.isDebug(),
        string: extracted.toString(),
      }).toEqual({ traceIdStr: 'a1b2c3', spanIdStr: 'd4e5f6', parentIdStr: '123', sampled: true, debug: true, string: 'a1b2c3:d4e5f6:123:3' });
    });

    it('should start children in the received trace, under the received span', async () => {
      const extracted = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'a1b2c3d4e5f60718:d4e5f6:0:1', 'uberctx-tenant': 'acme' });
      const span = tracer.startSpan('server', { childOf: extracted! });
      const tenant = span.getBaggageItem('tenant');
      span.finish();
      await tracer.close();

      expect(exporter.span('server').spanContext().traceId).toBe('0000000000000000a1b2c3d4e5f60718');
      expect(exporter.span('server').parentSpanContext).toMatchObject({ spanId: '0000000000d4e5f6', isRemote: true });
      expect(tenant).toBe('acme');
    });

    it('should find extracted baggage under any spelling of its key (User_ID)', () => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1', 'uberctx-user-id': '42' });
      const span = tracer.startSpan('op', { childOf: extracted! });

      expect(span.getBaggageItem('User_ID')).toBe('42');
      span.finish();
    });

    it('should read the jaeger-baggage header', () => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-baggage': 'k1=v1, k2=v2, bad' }) as JaegerSpanContext;

      expect({ ...extracted.baggage }).toEqual({ k1: 'v1', k2: 'v2' });
    });

    it('should keep baggage-only carriers: a child starts a new trace with the baggage', async () => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uberctx-tenant': 'acme' });
      const span = tracer.startSpan('op', { childOf: extracted! });
      const tenant = span.getBaggageItem('tenant');
      span.finish();
      await tracer.close();

      expect(tenant).toBe('acme');
      expect(exporter.span('op').parentSpanContext).toBeUndefined();
    });

    it.each([[{}], [null], [undefined], ['text']])('should give an empty span context, never null, for the carrier %p, as jaeger-client', (carrier) => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) as JaegerSpanContext;

      expect(extracted).toBeInstanceOf(JaegerSpanContext);
      expect(extracted.toTraceId()).toBe('0'.repeat(32));
      expect(extracted.isValid()).toBe(false);
      expect(extracted.toString()).toBe('0:0:0:0');
      expect({ ...extracted.baggage }).toEqual({});
    });

    it('should not throw for array header values, where jaeger-client throws', () => {
      const carrier = { 'uber-trace-id': ['abc:def:0:1', 'fff:eee:0:1'], 'uberctx-k': ['v1', 'v2'], 'jaeger-baggage': ['a=1', 'b=2'] };
      const jaegerTracer = jaeger.initTracer(
        { serviceName: 'x', sampler: { type: 'const', param: 1 } },
        { logger: noopLogger, reporter: new jaeger.InMemoryReporter() },
      );
      expect(() => jaegerTracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier)).toThrow();
      jaegerTracer.close();

      let extracted: JaegerSpanContext | null = null;
      expect(() => {
        extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) as JaegerSpanContext | null;
      }).not.toThrow();

      expect(extracted!.toString()).toBe('abc:def:0:1');
      expect({ ...extracted!.baggage }).toEqual({ k: 'v1', a: '1', b: '2' });
    });

    it('should give null and not throw for an unknown format, where jaeger-client throws', () => {
      expect(tracer.extract('no-such-format', {})).toBeNull();
      expect(diagnostics.matching('unknown format no-such-format')).toHaveLength(1);
    });
  });

  describe('jaeger-debug-id', () => {
    it('should give a context that carries only the debug id', () => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'corr%201' }) as JaegerSpanContext;

      expect(extracted).toBeInstanceOf(JaegerSpanContext);
      expect(extracted.debugId).toBe('corr 1');
      expect(extracted.traceIdStr).toBe('0');
    });

    it('should start a new sampled debug trace tagged with the debug id, keeping jaeger-baggage', async () => {
      await useUnsampledTracer();
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'corr-1', 'jaeger-baggage': 'k=v' });
      const span = tracer.startSpan('debugged', { childOf: extracted! });
      const context = span.context() as JaegerSpanContext;
      const k = span.getBaggageItem('k');
      span.finish();
      await tracer.close();

      expect([context.isSampled(), context.isDebug()]).toEqual([true, true]);
      expect(exporter.span('debugged').attributes['jaeger-debug-id']).toBe('corr-1');
      expect(exporter.span('debugged').parentSpanContext).toBeUndefined();
      expect(k).toBe('v');
    });

    it('should follow a valid received trace and ignore the debug id, as jaeger-client', async () => {
      await useUnsampledTracer();
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1', 'jaeger-debug-id': 'corr-1' });
      const span = tracer.startSpan('child', { childOf: extracted! });
      span.finish();
      await tracer.close();

      expect(exporter.span('child').spanContext().traceId).toBe('00000000000000000000000000000abc');
      expect(exporter.span('child').attributes['jaeger-debug-id']).toBeUndefined();
      expect((span.context() as JaegerSpanContext).isDebug()).toBe(false);
    });

    it('should not force sampling with debugIdSampling: false', async () => {
      await useUnsampledTracer({ debugIdSampling: false });
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'corr-1' });
      tracer.startSpan('debugged', { childOf: extracted! }).finish();
      await tracer.close();

      expect(exporter.getFinishedSpans()).toEqual([]);
    });
  });

  describe('registerInjector and registerExtractor', () => {
    describe("with jaeger-client's ZipkinB3TextMapCodec", () => {
      beforeEach(() => {
        const codec = new jaeger.ZipkinB3TextMapCodec({ urlEncoding: true });
        tracer.registerInjector(ZIPKIN, codec);
        tracer.registerExtractor(ZIPKIN, codec);
      });

      it('should inject B3 headers with the real parent id and baggage', () => {
        const root = tracer.startSpan('root');
        const child = tracer.startSpan('child', { childOf: root });
        child.setBaggageItem('Tenant', 'Acme Corp');
        const [r, c] = [root.context(), child.context()] as JaegerSpanContext[];

        const carrier = inject(child, ZIPKIN);

        expect(carrier).toEqual({
          'x-b3-traceid': r.traceIdStr,
          'x-b3-spanid': c.spanIdStr,
          'x-b3-parentspanid': r.spanIdStr,
          'x-b3-sampled': '1',
          'uberctx-tenant': 'Acme%20Corp',
        });
        child.finish();
        root.finish();
      });

      it('should write the same B3 headers as jaeger-client for the same span context', () => {
        const jaegerTracer = jaeger.initTracer(
          { serviceName: 'x', sampler: { type: 'const', param: 1 } },
          { logger: noopLogger, reporter: new jaeger.InMemoryReporter() },
        );
        const codec = new jaeger.ZipkinB3TextMapCodec({ urlEncoding: true });
        jaegerTracer.registerInjector(ZIPKIN, codec);
        jaegerTracer.registerExtractor(ZIPKIN, codec);
        const received = { 'uber-trace-id': 'a1b2c3d4e5f60718:d4e5f6:123:1', 'uberctx-k': 'v' };

        const ours = inject(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, received)!, ZIPKIN);
        const theirs: Record<string, unknown> = {};
        jaegerTracer.inject(jaegerTracer.extract(opentracing.FORMAT_HTTP_HEADERS, received), ZIPKIN, theirs);
        jaegerTracer.close();

        expect(ours).toEqual(theirs);
      });

      it('should write X-B3-Flags: 1 for a debug span', () => {
        const span = tracer.startSpan('forced', { tags: { 'sampling.priority': 1 } });

        const carrier = inject(span, ZIPKIN);

        expect(carrier['x-b3-flags']).toBe('1');
        expect(carrier['x-b3-sampled']).toBeUndefined();
        span.finish();
      });

      it('should extract B3 headers into the parent of a new span, with baggage', async () => {
        const extracted = tracer.extract(ZIPKIN, {
          'x-b3-traceid': '4bf92f3577b34da6a3ce929d0e0e4736',
          'x-b3-spanid': '00f067aa0ba902b7',
          'x-b3-sampled': '1',
          'uberctx-tenant': 'acme',
        });
        const span = tracer.startSpan('server', { childOf: extracted! });
        const tenant = span.getBaggageItem('tenant');
        span.finish();
        await tracer.close();

        expect(extracted).toBeInstanceOf(JaegerSpanContext);
        expect(exporter.span('server').spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
        expect(exporter.span('server').parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
        expect(tenant).toBe('acme');
      });

      it('should not sample children of an unsampled B3 parent', async () => {
        const extracted = tracer.extract(ZIPKIN, { 'x-b3-traceid': 'abc', 'x-b3-spanid': 'def', 'x-b3-sampled': '0' });
        tracer.startSpan('server', { childOf: extracted! }).finish();
        await tracer.close();

        expect((extracted as JaegerSpanContext).isSampled()).toBe(false);
        expect(exporter.getFinishedSpans()).toEqual([]);
      });

      it('should keep the B3 debug flag and parent id, as jaeger-client does', () => {
        const carrier = { 'x-b3-traceid': 'abc', 'x-b3-spanid': 'def', 'x-b3-parentspanid': '123', 'x-b3-flags': '1' };
        const jaegerTracer = jaeger.initTracer(
          { serviceName: 'x', sampler: { type: 'const', param: 1 } },
          { logger: noopLogger, reporter: new jaeger.InMemoryReporter() },
        );
        jaegerTracer.registerExtractor(ZIPKIN, new jaeger.ZipkinB3TextMapCodec());
        const theirs = jaegerTracer.extract(ZIPKIN, carrier) as { toString(): string; isDebug(): boolean };
        jaegerTracer.close();

        const extracted = tracer.extract(ZIPKIN, carrier) as JaegerSpanContext;
        const child = tracer.startSpan('child', { childOf: extracted });

        expect(extracted.toString()).toBe(theirs.toString());
        expect(extracted.isDebug()).toBe(true);
        expect((child.context() as JaegerSpanContext).isDebug()).toBe(true);
        child.finish();
      });
    });

    describe('with plain objects', () => {
      it('should call a custom injector with the JaegerSpanContext and the carrier', () => {
        const calls: Array<[unknown, unknown]> = [];
        tracer.registerInjector('custom', {
          inject(spanContext, carrier) {
            calls.push([spanContext, carrier]);
            (carrier as Record<string, string>).id = spanContext.toString();
          },
        });
        const span = tracer.startSpan('op');
        const carrier: Record<string, string> = {};

        tracer.inject(span, 'custom', carrier);

        expect(calls).toHaveLength(1);
        expect(calls[0][0]).toBe(span.context());
        expect(carrier).toEqual({ id: (span.context() as JaegerSpanContext).toString() });
        span.finish();
      });

      it("should use what a custom extractor returns, another tracer's span context too", async () => {
        tracer.registerExtractor('custom', {
          extract: (carrier) => ({
            toTraceId: () => (carrier as { trace: string }).trace,
            toSpanId: () => (carrier as { span: string }).span,
            isSampled: () => true,
            baggage: { tenant: 'acme' },
          }),
        });

        const extracted = tracer.extract('custom', { trace: 'abc', span: 'def' });
        const span = tracer.startSpan('server', { childOf: extracted! });
        const tenant = span.getBaggageItem('tenant');
        span.finish();
        await tracer.close();

        expect(extracted).toBeInstanceOf(JaegerSpanContext);
        expect(exporter.span('server').spanContext().traceId).toBe('00000000000000000000000000000abc');
        expect(exporter.span('server').parentSpanContext?.spanId).toBe('0000000000000def');
        expect(tenant).toBe('acme');
      });

      it('should give null when a custom extractor finds nothing', () => {
        tracer.registerExtractor('custom', { extract: () => null });

        expect(tracer.extract('custom', {})).toBeNull();
      });

      it('should let a custom injector replace the built-in one for FORMAT_HTTP_HEADERS', () => {
        tracer.registerInjector(opentracing.FORMAT_HTTP_HEADERS, {
          inject(_spanContext, carrier) {
            (carrier as Record<string, string>).custom = 'yes';
          },
        });
        const span = tracer.startSpan('op');

        expect(inject(span)).toEqual({ custom: 'yes' });
        span.finish();
      });

      it('should catch a throwing injector and report it', () => {
        tracer.registerInjector('custom', {
          inject() {
            throw new Error('injector broke');
          },
        });
        const span = tracer.startSpan('op');

        expect(() => tracer.inject(span, 'custom', {})).not.toThrow();
        expect(diagnostics.matching('injector broke')).toHaveLength(1);
        span.finish();
      });

      it('should catch a throwing extractor, report it and give null', () => {
        tracer.registerExtractor('custom', {
          extract() {
            throw new Error('extractor broke');
          },
        });

        expect(tracer.extract('custom', {})).toBeNull();
        expect(diagnostics.matching('extractor broke')).toHaveLength(1);
      });

      it('should ignore, with a warning, an injector or extractor without its method', () => {
        tracer.registerInjector(opentracing.FORMAT_HTTP_HEADERS, {} as JaegerInjector);
        tracer.registerExtractor(opentracing.FORMAT_HTTP_HEADERS, null as unknown as JaegerExtractor);
        const span = tracer.startSpan('op');

        expect(inject(span)['uber-trace-id']).toEqual(expect.any(String));
        expect(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1' })?.toSpanId()).toBe('0000000000000def');
        expect(diagnostics.matching('registerInjector')).toHaveLength(1);
        expect(diagnostics.matching('registerExtractor')).toHaveLength(1);
        span.finish();
      });

      it('should ignore, with a warning, a codec that is a Proxy, under a format that cannot be converted to a string', () => {
        expect(() => tracer.registerInjector([Symbol('format')] as unknown as string, throwingProxy() as JaegerInjector)).not.toThrow();
        expect(() => tracer.registerExtractor(throwingProxy() as unknown as string, throwingProxy() as JaegerExtractor)).not.toThrow();

        expect(diagnostics.matching('registerInjector(["Symbol(format)"]): an injector needs')).toHaveLength(1);
        expect(diagnostics.matching('registerExtractor([unreadable value: Error: proxy trap]): an extractor needs')).toHaveLength(1);
      });

      it('should report a throwing codec registered under a format that cannot be converted to a string', () => {
        const format = [Symbol('format')] as unknown as string;
        tracer.registerInjector(format, {
          inject() {
            throw new Error('injector broke');
          },
        });
        tracer.registerExtractor(format, {
          extract() {
            throw new Error('extractor broke');
          },
        });
        const span = tracer.startSpan('op');

        expect(() => tracer.inject(span, format, {})).not.toThrow();
        expect(tracer.extract(format, {})).toBeNull();
        expect(diagnostics.matching('custom injector for ["Symbol(format)"] failed: Error: injector broke')).toHaveLength(1);
        expect(diagnostics.matching('custom extractor for ["Symbol(format)"] failed: Error: extractor broke')).toHaveLength(1);
        span.finish();
      });
    });
  });

  describe('close', () => {
    it('should shut the provider down and run the onClose hooks at the same time, so a slow provider cannot keep a sampler polling', async () => {
      const sdk = createTestSdk();
      const order: string[] = [];
      const shutdown = sdk.provider.shutdown.bind(sdk.provider);
      sdk.provider.shutdown = async () => {
        await shutdown();
        order.push('provider');
      };
      const own = new JaegerTracer(sdk.provider, { onClose: [async () => void order.push('hook')] });

      await own.close();

      expect(order.sort()).toEqual(['hook', 'provider']);
    });

    it('should still run the hooks when the provider fails, and reject with the first error', async () => {
      const sdk = createTestSdk();
      const failure = new Error('provider failed');
      sdk.provider.shutdown = () => Promise.reject(failure);
      const hook = jest.fn(async () => undefined);
      const own = new JaegerTracer(sdk.provider, { onClose: [hook] });

      await expect(own.close()).rejects.toBe(failure);
      expect(hook).toHaveBeenCalledTimes(1);
      expect(diagnostics.matching('provider failed')).toHaveLength(1);
    });

    it('should only run the hooks for a bare OpenTelemetry Tracer', async () => {
      const sdk = createTestSdk();
      const hook = jest.fn(async () => undefined);
      const own = new JaegerTracer(sdk.provider.getTracer('bare'), { onClose: [hook] });

      await expect(own.close()).resolves.toBeUndefined();
      expect(hook).toHaveBeenCalledTimes(1);
    });

    it('should make later spans record nothing, export nothing and log nothing', async () => {
      tracer.startSpan('before close').finish();
      await tracer.close();
      diagnostics.messages.length = 0;

      const span = tracer.startSpan('after close', { tags: { 'span.kind': 'server', k: 'v' } }) as JaegerSpan;
      span.setTag('error', true).log({ event: 'handled' }).setBaggageItem('User_ID', 'u-1');
      const carrier = inject(span);
      span.finish();

      expect(span.getSpan().isRecording()).toBe(false);
      expect(carrier).toEqual({ 'uberctx-user-id': 'u-1', baggage: 'user-id=u-1' });
      expect(exporter.getFinishedSpans().map((finished) => finished.name)).toEqual(['before close']);
      expect(diagnostics.messages).toEqual([]);
    });

    it("should give later spans their parent's trace and baggage, so requests in flight still propagate them", async () => {
      await tracer.close();
      const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1', 'uberctx-tenant': 'acme' });

      const child = tracer.startSpan('child', { childOf: parent ?? undefined }) as JaegerSpan;
      const carrier = inject(child);
      child.finish();

      expect(child.getSpan().isRecording()).toBe(false);
      expect(child.getBaggageItem('tenant')).toBe('acme');
      expect(carrier).toMatchObject({ 'uber-trace-id': 'abc:def:0:1', 'uberctx-tenant': 'acme' });
      expect(exporter.getFinishedSpans()).toEqual([]);
    });

    it('should make spans started while close() is still running record nothing', async () => {
      const closing = tracer.close();
      const span = tracer.startSpan('during close') as JaegerSpan;
      span.finish();
      await closing;

      expect(span.getSpan().isRecording()).toBe(false);
      expect(exporter.getFinishedSpans()).toEqual([]);
    });

    it('should catch a callback that throws', async () => {
      const own = new JaegerTracer(createTestSdk().provider);

      await expect(
        own.close(() => {
          throw new Error('callback broke');
        }),
      ).resolves.toBeUndefined();
      expect(diagnostics.matching('callback broke')).toHaveLength(1);
    });
  });
});

/** The least of `runs` timings of `repeat` calls of `work`, in ns: the least is the one noise added least to. */
function leastTime(work: () => void, runs = 5, repeat = 5): number {
  let least = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < repeat; i++) work();
    least = Math.min(least, Number(process.hrtime.bigint() - start));
  }
  return least;
}

/**
 * How much longer `work(4n)` takes than `work(n)`, in one run: about 4 for linear work, 16 for
 * quadratic. Both are warmed up first so the JIT does not count, and the median of five ratios
 * is taken: an optimising compile or a GC lands in one timing, not in most.
 */
function growth(work: (size: number) => void, n: number): number {
  for (let i = 0; i < 20; i++) {
    work(n);
    work(4 * n);
  }
  const ratios: number[] = [];
  for (let trial = 0; trial < 5; trial++) ratios.push(leastTime(() => work(4 * n)) / leastTime(() => work(n)));
  return ratios.sort((a, b) => a - b)[2];
}

/** A B3 carrier of `items` `uberctx-*` headers, as a request a stranger sends. */
function b3Carrier(items: number, valid = true): Record<string, string> {
  const carrier: Record<string, string> = valid ? { 'x-b3-traceid': 'abc', 'x-b3-spanid': 'def', 'x-b3-sampled': '1' } : {};
  for (let i = 0; i < items; i++) carrier[`uberctx-key-${i}`] = `value-${i}`;
  return carrier;
}

describe('JaegerTracer with hostile input (issue 14)', () => {
  describe('a custom extractor result', () => {
    it('should cost time linear in its baggage items (N vs 4N)', () => {
      // The codec's own parsing grows faster than linearly in jaeger-client, so the results are
      // made first and only their conversion is timed.
      const codec = new jaeger.ZipkinB3TextMapCodec({ urlEncoding: true });
      const results = new Map([300, 1200].map((size) => [size, codec.extract(b3Carrier(size))]));
      tracer.registerExtractor(ZIPKIN, { extract: (size) => results.get(size as number) });

      // Linear work grows 4 times, the item-by-item copy of each baggage grew 16 times.
      expect(growth((size) => tracer.extract(ZIPKIN, size), 300)).toBeLessThan(8);
    });

    it('should keep at most 180 items and 8192 bytes of its baggage, with a warning', () => {
      tracer.registerExtractor(ZIPKIN, new jaeger.ZipkinB3TextMapCodec({ urlEncoding: true }));

      const many = tracer.extract(ZIPKIN, b3Carrier(1000)) as JaegerSpanContext;
      const large = tracer.extract(ZIPKIN, {
        ...b3Carrier(0),
        'uberctx-a': 'x'.repeat(5000),
        'uberctx-b': 'y'.repeat(5000),
        'uberctx-c': 'z',
      }) as JaegerSpanContext;

      expect(Object.keys(many.baggage)).toHaveLength(180);
      expect(many.baggage['key-179']).toBe('value-179');
      expect(Object.keys(large.baggage)).toEqual(['a', 'c']);
      expect(diagnostics.matching('custom extractor: dropped 820 baggage items over the limits')).toHaveLength(1);
    });
  });

  describe('a custom injector', () => {
    it('should not write a baggage value with CR or LF into a plain-object carrier (res.setHeader would throw)', () => {
      // jaeger-client's B3 codec in text-map mode writes baggage raw.
      tracer.registerInjector(ZIPKIN, new jaeger.ZipkinB3TextMapCodec({ urlEncoding: false }));
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        baggage: 'k=%0D%0ASet-Cookie%3A%20a%3Db,tenant=acme',
      });
      const span = tracer.startSpan('client', { childOf: extracted! });
      const carrier: Record<string, string> = {};

      tracer.inject(span, ZIPKIN, carrier);
      tracer.inject(span, ZIPKIN, {});

      expect(carrier).toMatchObject({ 'x-b3-traceid': 'af7651916cd43dd8448eb211c80319c', 'uberctx-tenant': 'acme' });
      expect(carrier['uberctx-k']).toBeUndefined();
      for (const [name, value] of Object.entries(carrier)) {
        expect(() => http.validateHeaderName(name)).not.toThrow();
        expect(() => http.validateHeaderValue(name, value)).not.toThrow();
      }
      expect(diagnostics.matching(`custom injector for ${ZIPKIN} wrote fields with CR, LF or NUL`)).toHaveLength(1);
      span.finish();
    });

    it('should put back what it wrote with CR, LF or NUL into a Map or over an existing field, also when it then throws', () => {
      tracer.registerInjector('custom', {
        inject(_spanContext, carrier) {
          if (carrier instanceof Map) {
            carrier.set('x-bad\n', 'v').set('x-ok', 'v').set('x-nul', ['a', 'b\0']);
          } else {
            Object.assign(carrier as object, { existing: 'a\r\nb', 'x-ok': 'v' });
            throw new Error('injector broke');
          }
        },
      });
      const span = tracer.startSpan('op');
      const map = new Map([['keep', 'me']]);
      const object = { existing: 'old' };

      tracer.inject(span, 'custom', map);
      tracer.inject(span, 'custom', object);

      expect([...map]).toEqual([
        ['keep', 'me'],
        ['x-ok', 'v'],
      ]);
      expect(object).toEqual({ existing: 'old', 'x-ok': 'v' });
      expect(diagnostics.matching('injector broke')).toHaveLength(1);
      span.finish();
    });
  });
});

describe('JaegerTracer follows jaeger-client 3.19 (issue 15)', () => {
  describe('a custom extractor result without valid ids', () => {
    beforeEach(() => tracer.registerExtractor(ZIPKIN, new jaeger.ZipkinB3TextMapCodec({ urlEncoding: true })));

    it('should keep a baggage-only result, whose child starts a new trace with the baggage', async () => {
      const extracted = tracer.extract(ZIPKIN, { 'uberctx-tenant': 'acme' }) as JaegerSpanContext;
      const span = tracer.startSpan('server', { childOf: extracted });
      const tenant = span.getBaggageItem('tenant');
      span.finish();
      await tracer.close();

      expect(extracted.isValid()).toBe(false);
      expect({ ...extracted.baggage }).toEqual({ tenant: 'acme' });
      expect(tenant).toBe('acme');
      expect(exporter.span('server').parentSpanContext).toBeUndefined();
    });

    it('should keep a jaeger-debug-id-only result, whose child is a sampled debug trace tagged with the id', async () => {
      await useUnsampledTracer();
      tracer.registerExtractor(ZIPKIN, new jaeger.ZipkinB3TextMapCodec({ urlEncoding: true }));
      const extracted = tracer.extract(ZIPKIN, { 'jaeger-debug-id': 'corr-1' }) as JaegerSpanContext;
      const span = tracer.startSpan('debugged', { childOf: extracted });
      const context = span.context() as JaegerSpanContext;
      span.finish();
      await tracer.close();

      expect(extracted.debugId).toBe('corr-1');
      expect([context.isSampled(), context.isDebug()]).toEqual([true, true]);
      expect(exporter.span('debugged').attributes['jaeger-debug-id']).toBe('corr-1');
    });

    it('should keep the debug id, every flag bit and the parent id of a result with valid ids', () => {
      tracer.registerExtractor('jaeger-client', {
        extract: () => jaegerClientTracer().extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'abc:def:123:5', 'jaeger-debug-id': 'corr-1' }),
      });

      const extracted = tracer.extract('jaeger-client', {}) as JaegerSpanContext;

      expect(extracted.debugId).toBe('corr-1');
      expect(extracted.toString()).toBe('abc:def:123:5');
      expect(extracted.flags).toBe(5);
    });
  });

  describe('uber-trace-id flags', () => {
    it.each([['5'], ['4'], ['f0'], ['b']])('should keep flags %s and pass them to children, as jaeger-client', (flags) => {
      const extracted = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': `abc:def:0:${flags}` }) as JaegerSpanContext;
      const child = tracer.startSpan('child', { childOf: extracted });
      const grandchild = tracer.startSpan('grandchild', { childOf: child });

      expect(extracted.flags).toBe(parseInt(flags, 16));
      expect(inject(extracted, opentracing.FORMAT_TEXT_MAP)['uber-trace-id']).toBe(`abc:def:0:${flags}`);
      expect(String(inject(child, opentracing.FORMAT_TEXT_MAP)['uber-trace-id']).split(':')[3]).toBe(flags);
      expect(String(inject(grandchild, opentracing.FORMAT_TEXT_MAP)['uber-trace-id']).split(':')[3]).toBe(flags);
      grandchild.finish();
      child.finish();
    });
  });

  describe('childOf and references', () => {
    it('should take childOf as the parent when references hold a ChildOf too, and link both', async () => {
      const a = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'aa:a1:0:1' })!;
      const b = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'bb:b1:0:1' })!;
      tracer.startSpan('child', { childOf: a, references: [opentracing.childOf(b)] }).finish();
      await tracer.close();

      const child = exporter.span('child');
      expect(child.spanContext().traceId).toBe(a.toTraceId());
      expect(child.parentSpanContext?.spanId).toBe(a.toSpanId());
      expect(child.links.map((link) => link.context.spanId).sort()).toEqual([a.toSpanId(), b.toSpanId()].sort());
    });

    it('should keep the first ChildOf reference as the parent without childOf', async () => {
      const a = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'aa:a1:0:1' })!;
      const b = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'bb:b1:0:1' })!;
      tracer.startSpan('child', { references: [opentracing.followsFrom(a), opentracing.childOf(b)] }).finish();
      await tracer.close();

      expect(exporter.span('child').parentSpanContext?.spanId).toBe(b.toSpanId());
    });
  });

  describe('extract never returns null for a text format', () => {
    it('should give an empty context that, as a parent, counts as none', async () => {
      const empty = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {})!;
      const root = tracer.startSpan('root');
      const child = tracer.startSpan('child', { childOf: empty, references: [opentracing.followsFrom(empty), opentracing.followsFrom(root.context())] });

      expect(() => empty.toTraceId()).not.toThrow();
      child.finish();
      root.finish();
      await tracer.close();
      expect(exporter.span('child').parentSpanContext?.spanId).toBe(exporter.span('root').spanContext().spanId);
      expect(exporter.span('child').links).toHaveLength(1);
    });

    it('should still give null for a custom extractor that returns null, as jaeger-client', () => {
      tracer.registerExtractor(opentracing.FORMAT_HTTP_HEADERS, { extract: () => null });

      expect(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {})).toBeNull();
    });
  });
});

/** A real jaeger-client tracer, closed after the test. */
function jaegerClientTracer(): JaegerClientTracer {
  const made = jaeger.initTracer({ serviceName: 'x', sampler: { type: 'const', param: 1 } }, { logger: noopLogger, reporter: new jaeger.InMemoryReporter() });
  made.close();
  return made;
}
