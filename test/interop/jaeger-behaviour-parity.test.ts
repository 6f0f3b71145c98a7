import * as http from 'node:http';
import { diag } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { initTracer } from '../../src/jaeger/init-tracer';
import type { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { KeepingExporter } from '../helpers/sdk';

// The same OpenTracing code, run on the real jaeger-client 3.19 and on `./jaeger` in one process:
// the jaeger-client behaviours of issue 15 that `./jaeger` follows, and the differences that
// remain (each listed in docs/migrating-from-jaeger-client.md, "Behaviour differences").

// jaeger-client ships no type declarations; these are the members the tests use (ours has them too).
interface SpanContext {
  readonly baggage: Record<string, string>;
  readonly debugId: string | undefined;
  readonly flags: number;
  toTraceId(): string;
  toSpanId(): string;
  toString(): string;
  isSampled(): boolean;
  isDebug(): boolean;
}
interface Span {
  context(): SpanContext;
  getBaggageItem(key: string): string | undefined;
  finish(): void;
}
interface Codec {
  inject(context: unknown, carrier: unknown): void;
  extract(carrier: unknown): unknown;
}
interface Tracer {
  startSpan(name: string, options?: object): Span;
  inject(context: SpanContext | Span, format: string, carrier: object): void;
  extract(format: string, carrier: unknown): SpanContext | null;
  registerInjector(format: string, injector: Codec): void;
  registerExtractor(format: string, extractor: Codec): void;
  close(callback?: () => void): unknown;
}
interface JaegerClient {
  initTracer(config: object, options: object): Tracer;
  InMemoryReporter: new () => object;
  ZipkinB3TextMapCodec: new (options?: { urlEncoding?: boolean }) => Codec;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

const B3 = 'zipkin-b3';
const noopLogger = { info: (): void => undefined, error: (): void => undefined };
type Library = 'jaeger-client' | './jaeger';
const opened: Tracer[] = [];

/** A tracer of `library` with a const sampler (`param` 1 samples new traces, 0 none) and jaeger-client's B3 codec as `zipkin-b3`. */
function tracerOf(library: Library, param: number, urlEncoding = true): Tracer {
  const config = { serviceName: 'parity', sampler: { type: 'const', param } };
  const tracer =
    library === 'jaeger-client'
      ? jaeger.initTracer(config, { logger: noopLogger, reporter: new jaeger.InMemoryReporter() })
      : (initTracer(config, { exporter: new KeepingExporter() }) as JaegerTracer as unknown as Tracer);
  const codec = new jaeger.ZipkinB3TextMapCodec({ urlEncoding });
  tracer.registerInjector(B3, codec);
  tracer.registerExtractor(B3, codec);
  opened.push(tracer);
  return tracer;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((tracer) => new Promise<void>((resolve) => void tracer.close(() => resolve()))));
  diag.disable();
});

/** `{trace-id}:{span-id}:{parent-span-id}:{flags}` of a span, with the new span id left out. */
function header(tracer: Tracer, span: Span | SpanContext): { trace: string; parent: string; flags: string } {
  const carrier: Record<string, string> = {};
  tracer.inject(span, opentracing.FORMAT_TEXT_MAP, carrier);
  const [trace, , parent, flags] = carrier['uber-trace-id'].split(':');
  return { trace, parent, flags };
}

/** Runs `scenario` on both libraries and gives both results. */
function onBoth<T>(scenario: (library: Library) => T): Record<Library, T> {
  return { 'jaeger-client': scenario('jaeger-client'), './jaeger': scenario('./jaeger') };
}

describe('jaeger-client behaviours ./jaeger follows', () => {
  describe('a ZipkinB3TextMapCodec result without valid ids', () => {
    it('keeps a baggage-only carrier: the child starts a new trace with the baggage', () => {
      const results = onBoth((library) => {
        const tracer = tracerOf(library, 1);
        const extracted = tracer.extract(B3, { 'uberctx-tenant': 'acme', 'jaeger-baggage': 'k=v' }) as SpanContext;
        const child = tracer.startSpan('server', { childOf: extracted });
        child.finish();
        return {
          baggage: { ...extracted.baggage },
          tenant: child.getBaggageItem('tenant'),
          k: child.getBaggageItem('k'),
          parent: header(tracer, child).parent,
        };
      });

      expect(results['./jaeger']).toEqual(results['jaeger-client']);
      expect(results['./jaeger']).toEqual({ baggage: { tenant: 'acme', k: 'v' }, tenant: 'acme', k: 'v', parent: '0' });
    });

    it('keeps a jaeger-debug-id-only carrier: the child is a sampled debug trace, even with a sampler that samples nothing', () => {
      const results = onBoth((library) => {
        const tracer = tracerOf(library, 0);
        const extracted = tracer.extract(B3, { 'jaeger-debug-id': 'corr-1' }) as SpanContext;
        const child = tracer.startSpan('debugged', { childOf: extracted });
        child.finish();
        return { debugId: extracted.debugId, sampled: child.context().isSampled(), debug: child.context().isDebug(), flags: header(tracer, child).flags };
      });

      expect(results['./jaeger']).toEqual(results['jaeger-client']);
      expect(results['./jaeger']).toEqual({ debugId: 'corr-1', sampled: true, debug: true, flags: '3' });
    });

    it('keeps the debug id of a carrier with valid ids, and follows the trace without forcing debug', () => {
      const results = onBoth((library) => {
        const tracer = tracerOf(library, 0);
        const extracted = tracer.extract(B3, { 'x-b3-traceid': 'abc', 'x-b3-spanid': 'def', 'x-b3-sampled': '1', 'jaeger-debug-id': 'corr-1' }) as SpanContext;
        const child = tracer.startSpan('child', { childOf: extracted });
        child.finish();
        return { debugId: extracted.debugId, child: header(tracer, child) };
      });

      expect(results['./jaeger']).toEqual(results['jaeger-client']);
      expect(results['./jaeger']).toEqual({ debugId: 'corr-1', child: { trace: 'abc', parent: 'def', flags: '1' } });
    });
  });

  describe('uber-trace-id flags', () => {
    it.each([['5'], ['4'], ['f0'], ['b'], ['d']])('keeps every bit of flags %s and passes them to children and grandchildren', (flags) => {
      const results = onBoth((library) => {
        const tracer = tracerOf(library, 1);
        const extracted = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': `abc:def:0:${flags}` }) as SpanContext;
        const child = tracer.startSpan('child', { childOf: extracted });
        const grandchild = tracer.startSpan('grandchild', { childOf: child });
        grandchild.finish();
        child.finish();
        return {
          flags: extracted.flags,
          extracted: header(tracer, extracted).flags,
          child: header(tracer, child).flags,
          grandchild: header(tracer, grandchild).flags,
        };
      });

      expect(results['./jaeger']).toEqual(results['jaeger-client']);
      expect(results['./jaeger'].grandchild).toBe(flags);
    });
  });

  describe('childOf and references', () => {
    it.each<[string, (a: SpanContext, b: SpanContext) => object, string]>([
      ['childOf and a ChildOf reference', (a, b) => ({ childOf: a, references: [opentracing.childOf(b as never)] }), 'aa'],
      ['childOf and a FollowsFrom reference', (a, b) => ({ childOf: a, references: [opentracing.followsFrom(b as never)] }), 'aa'],
      ['a FollowsFrom, then a ChildOf reference', (a, b) => ({ references: [opentracing.followsFrom(a as never), opentracing.childOf(b as never)] }), 'bb'],
      ['two ChildOf references', (a, b) => ({ references: [opentracing.childOf(a as never), opentracing.childOf(b as never)] }), 'aa'],
    ])('takes the same parent given %s', (_case, options, parentTrace) => {
      const results = onBoth((library) => {
        const tracer = tracerOf(library, 1);
        const a = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'aa:a1:0:1' }) as SpanContext;
        const b = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'bb:b1:0:1' }) as SpanContext;
        const child = tracer.startSpan('child', options(a, b));
        child.finish();
        return header(tracer, child);
      });

      expect(results['./jaeger']).toEqual(results['jaeger-client']);
      expect(results['./jaeger'].trace).toBe(parentTrace);
    });
  });

  describe('extract', () => {
    it.each([[{}], [null], [undefined], ['text'], [{ 'uber-trace-id': 'not a trace' }]])(
      'never returns null for the text carrier %p; a child of it is a new root',
      (carrier) => {
        const results = onBoth((library) => {
          const tracer = tracerOf(library, 1);
          const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier);
          const child = tracer.startSpan('root', { childOf: extracted });
          child.finish();
          return {
            isNull: extracted === null,
            toTraceIdThrows: throws(() => extracted?.toTraceId()),
            baggage: { ...extracted?.baggage },
            parent: header(tracer, child).parent,
          };
        });

        expect(results['./jaeger']).toEqual(results['jaeger-client']);
        expect(results['./jaeger']).toEqual({ isNull: false, toTraceIdThrows: false, baggage: {}, parent: '0' });
      },
    );

    it('returns what a custom extractor returns, null included', () => {
      const results = onBoth((library) => {
        const tracer = tracerOf(library, 1);
        tracer.registerExtractor('nothing', { inject: () => undefined, extract: () => null });
        return tracer.extract('nothing', {});
      });

      expect(results).toEqual({ 'jaeger-client': null, './jaeger': null });
    });
  });
});

describe('differences that remain', () => {
  it("an empty context's ids: jaeger-client gives '' (and toString 'undefined:undefined:0:0'), ./jaeger OpenTelemetry's invalid ids", () => {
    const results = onBoth((library) => {
      const extracted = tracerOf(library, 1).extract(opentracing.FORMAT_HTTP_HEADERS, {}) as SpanContext;
      return { traceId: extracted.toTraceId(), spanId: extracted.toSpanId(), text: extracted.toString() };
    });

    expect(results['jaeger-client']).toEqual({ traceId: '', spanId: '', text: 'undefined:undefined:0:0' });
    expect(results['./jaeger']).toEqual({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), text: '0:0:0:0' });
  });

  it('a received baggage key with capitals: jaeger-client cannot find it with getBaggageItem, ./jaeger can (one key rule)', () => {
    const results = onBoth((library) => {
      const tracer = tracerOf(library, 1);
      const extracted = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'abc:def:0:1', 'uberctx-UserId': '42' });
      const span = tracer.startSpan('server', { childOf: extracted });
      span.finish();
      return [span.getBaggageItem('UserId'), span.getBaggageItem('userid')];
    });

    expect(results['jaeger-client']).toEqual([undefined, undefined]);
    expect(results['./jaeger']).toEqual(['42', '42']);
  });

  it('a custom injector writing CR or LF: jaeger-client leaves it in the carrier (res.setHeader throws), ./jaeger removes the field', () => {
    const results = onBoth((library) => {
      const tracer = tracerOf(library, 1, false);
      const span = tracer.startSpan('client') as Span & { setBaggageItem(key: string, value: string): void };
      span.setBaggageItem('k', '\r\nSet-Cookie: a=b');
      const carrier: Record<string, string> = {};
      tracer.inject(span, B3, carrier);
      span.finish();
      return Object.keys(carrier).filter((name) => throws(() => http.validateHeaderValue(name, carrier[name])));
    });

    expect(results['jaeger-client']).toEqual(['uberctx-k']);
    expect(results['./jaeger']).toEqual([]);
  });

  it('a custom extractor result with 1,000 baggage items: jaeger-client keeps them all, ./jaeger the first 180', () => {
    const carrier: Record<string, string> = { 'x-b3-traceid': 'abc', 'x-b3-spanid': 'def', 'x-b3-sampled': '1' };
    for (let i = 0; i < 1000; i++) carrier[`uberctx-k${i}`] = 'v';
    const results = onBoth((library) => Object.keys((tracerOf(library, 1).extract(B3, carrier) as SpanContext).baggage).length);

    expect(results).toEqual({ 'jaeger-client': 1000, './jaeger': 180 });
  });

  it('inject of baggage over 8192 bytes as written: jaeger-client writes it all, ./jaeger drops whole items', () => {
    const results = onBoth((library) => {
      const tracer = tracerOf(library, 1);
      const span = tracer.startSpan('client') as Span & { setBaggageItem(key: string, value: string): void };
      span.setBaggageItem('euro', '€'.repeat(2048));
      span.setBaggageItem('tenant', 'acme');
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      span.finish();
      return Object.keys(carrier).filter((name) => name.startsWith('uberctx-'));
    });

    expect(results['jaeger-client']).toEqual(['uberctx-euro', 'uberctx-tenant']);
    expect(results['./jaeger']).toEqual(['uberctx-tenant']);
  });

  it('a custom extractor or injector that throws: jaeger-client lets it reach the caller, ./jaeger reports it and gives null', () => {
    const results = onBoth((library) => {
      const tracer = tracerOf(library, 1);
      const broken: Codec = {
        inject: () => {
          throw new Error('codec broke');
        },
        extract: () => {
          throw new Error('codec broke');
        },
      };
      tracer.registerInjector('broken', broken);
      tracer.registerExtractor('broken', broken);
      const span = tracer.startSpan('op');
      span.finish();
      return { inject: throws(() => tracer.inject(span, 'broken', {})), extract: throws(() => tracer.extract('broken', {})) };
    });

    expect(results['jaeger-client']).toEqual({ inject: true, extract: true });
    expect(results['./jaeger']).toEqual({ inject: false, extract: false });
  });

  it('the debug flag without the sampled flag: jaeger-client keeps 2, ./jaeger reads it as sampled and debug (3)', () => {
    const results = onBoth(
      (library) =>
        header(tracerOf(library, 1), tracerOf(library, 1).extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'abc:def:0:2' }) as SpanContext).flags,
    );

    expect(results).toEqual({ 'jaeger-client': '2', './jaeger': '3' });
  });
});

function throws(work: () => unknown): boolean {
  try {
    work();
    return false;
  } catch {
    return true;
  }
}
