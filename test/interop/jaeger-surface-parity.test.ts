import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { SumMetricData } from '@opentelemetry/sdk-metrics';
import * as opentracing from 'opentracing';
import * as promClient from 'prom-client';
import * as shimModule from '../../src/jaeger';
import { captureDiag } from '../helpers/diag';
import { CollectingReader } from '../helpers/metric-reader';

// The members of jaeger-client 3.19's exports that the parity cases use; the same code runs on
// jaeger-client (`require('jaeger-client')`) and on this package's `./jaeger`.
interface Ctx extends opentracing.SpanContext {
  readonly traceIdStr: string;
  readonly spanIdStr: string;
  readonly parentIdStr: string | null | undefined;
  readonly traceId: Buffer | null;
  readonly spanId: Buffer | null;
  readonly parentId: Buffer | null;
  readonly flags: number;
  readonly debugId: string | undefined;
  readonly baggage: Record<string, string>;
  isSampled(): boolean;
  isDebug(): boolean;
  isFirehose(): boolean;
  isRemote(): boolean;
  isDebugIDContainerOnly(): boolean;
}
interface ReportedSpan {
  readonly operationName: string;
  context(): Ctx;
  readonly _logs: Array<{ fields: Array<{ key: string; value: unknown }> }>;
}
interface Reporter {
  report(span: unknown): void;
  close(callback?: () => void): void;
  name(): string;
  toString(): string;
}
interface InMemoryReporter extends Reporter {
  readonly spans: ReportedSpan[];
  clear(): void;
}
interface Sampler {
  name(): string;
  toString(): string;
  close(callback?: () => void): void;
}
interface LegacySampler extends Sampler {
  isSampled(operationName: string, tags: Record<string, unknown>): boolean;
  equal(other: unknown): boolean;
}
interface Span extends opentracing.Span {
  readonly operationName: string;
  context(): Ctx;
}
interface Tracer extends opentracing.Tracer {
  startSpan(name: string, options?: opentracing.SpanOptions): Span;
  extract(format: string, carrier: unknown): Ctx;
  registerInjector(format: string, injector: unknown): void;
  registerExtractor(format: string, extractor: unknown): void;
  now(): number;
  close(callback?: () => void): void;
}
interface Codec {
  inject(context: unknown, carrier: Record<string, string>): void;
  extract(carrier: Record<string, string>): Ctx;
}
interface Counter {
  increment(delta: number): void;
}
interface Lib {
  Tracer: new (serviceName: string, reporter?: Reporter, sampler?: unknown, options?: object) => Tracer;
  Span: abstract new (...args: never[]) => unknown;
  SpanContext: (abstract new (...args: never[]) => unknown) & {
    fromString(value: string): Ctx | null;
    withStringIds(traceIdStr: string, spanIdStr: string, parentIdStr: string | null, flags: number, baggage?: Record<string, string>, debugId?: string): Ctx;
    withBinaryIds(traceId: Buffer, spanId: Buffer, parentId: Buffer | null, flags: number): Ctx;
  };
  Configuration: { initTracer(config: object, options?: object): Tracer };
  initTracer(config: object, options?: object): Tracer;
  initTracerFromEnv(config: object, options?: object): Tracer;
  ConstSampler: new (decision: boolean) => LegacySampler & { readonly decision: boolean };
  ProbabilisticSampler: new (rate: number) => LegacySampler & { readonly samplingRate: number; update(rate: number): boolean };
  RateLimitingSampler: new (max: number, initBalance?: number) => LegacySampler & { readonly maxTracesPerSecond: number; update(max: number): boolean };
  RemoteSampler: new (serviceName: string, options?: object) => Sampler;
  experimental: {
    PrioritySampler: new (samplers: unknown[]) => Sampler;
    TagEqualsSampler: new (tagKey: string, matchers: Array<{ tagValue: string; firehose?: boolean }>) => Sampler;
  };
  InMemoryReporter: new () => InMemoryReporter;
  NoopReporter: new () => Reporter;
  CompositeReporter: new (reporters: Reporter[]) => Reporter;
  LoggingReporter: new (logger?: { info(message: string): void; error(message: string): void }) => Reporter;
  RemoteReporter: new (sender?: unknown, options?: object) => Reporter;
  TextMapCodec: new (options?: object) => Codec;
  ZipkinB3TextMapCodec: new (options?: object) => Codec;
  TestUtils: { hasTags(span: unknown, tags: Record<string, unknown>): boolean; getTags(span: unknown, keys?: string[]): Record<string, unknown> };
  TChannelBridge: new (tracer: unknown, options?: object) => unknown;
  PrometheusMetricsFactory: new (
    client: unknown,
    namespace?: string,
  ) => {
    createCounter(name: string, tags?: object): Counter;
    createGauge(name: string, tags?: object): { update(value: number): void };
  };
  opentracing: typeof opentracing;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaegerClient = require('jaeger-client') as Lib;
const shim = shimModule as unknown as Lib;
const LIBS: Array<[string, Lib]> = [
  ['jaeger-client', jaegerClient],
  ['./jaeger', shim],
];

const trackedTracers: Tracer[] = [];
function newTracer(lib: Lib, reporter: Reporter, sampler: unknown, options?: object): Tracer {
  const tracer = new lib.Tracer('parity', reporter, sampler, options);
  trackedTracers.push(tracer);
  return tracer;
}

afterAll(async () => {
  await Promise.all(trackedTracers.map((tracer) => new Promise<void>((resolve) => tracer.close(() => resolve()))));
});

/** Both libraries' answers, for `expect(a).toEqual(b)`. */
function both<T>(run: (lib: Lib) => T): [T, T] {
  return [run(jaegerClient), run(shim)];
}

describe('exports', () => {
  it('should export every name jaeger-client 3.19 exports', () => {
    const missing = Object.keys(jaegerClient).filter((name) => !(name in shimModule));
    expect(missing).toEqual([]);
    expect(Object.keys(shim.experimental).sort()).toEqual(Object.keys(jaegerClient.experimental).sort());
  });

  it('should re-export the opentracing package', () => {
    expect(shim.opentracing.FORMAT_HTTP_HEADERS).toBe(jaegerClient.opentracing.FORMAT_HTTP_HEADERS);
    expect(shim.opentracing.Tags).toEqual(jaegerClient.opentracing.Tags);
    expect(typeof shim.opentracing.initGlobalTracer).toBe('function');
  });

  it("should make Configuration.initTracer jaeger-client's initTracer", () => {
    const [real, ours] = both((lib) => {
      const tracer = lib.Configuration.initTracer({ serviceName: 'parity', sampler: { type: 'const', param: 1 } }, { reporter: new lib.InMemoryReporter() });
      trackedTracers.push(tracer);
      return typeof tracer.startSpan === 'function' && typeof tracer.registerInjector === 'function';
    });
    expect(ours).toBe(real);
    expect(ours).toBe(true);
  });
});

describe('new Tracer(serviceName, reporter, sampler) with InMemoryReporter', () => {
  /** A parent, a child, tags, a log and a rename, described without ids. */
  function scenario(lib: Lib): object {
    const reporter = new lib.InMemoryReporter();
    const tracer = newTracer(lib, reporter, new lib.ConstSampler(true));
    const parent = tracer.startSpan('first-name', { tags: { component: 'parity', [opentracing.Tags.SPAN_KIND]: 'server' } });
    parent.setOperationName('parent');
    parent.log({ event: 'cache-miss', key: 'user:1' });
    const child = tracer.startSpan('child', { childOf: parent });
    child.setTag('retries', 2);
    child.finish();
    parent.finish();
    const [reportedChild, reportedParent] = reporter.spans;
    const description = {
      count: reporter.spans.length,
      names: reporter.spans.map((span) => span.operationName),
      operationName: parent.operationName,
      childTags: lib.TestUtils.getTags(reportedChild, ['retries', 'component']),
      parentTags: lib.TestUtils.getTags(reportedParent, ['component', 'span.kind', 'sampler.type', 'sampler.param']),
      hasTags: lib.TestUtils.hasTags(reportedParent, { component: 'parity', 'sampler.type': 'const' }),
      hasWrongTag: lib.TestUtils.hasTags(reportedParent, { component: 'other' }),
      logs: reportedParent._logs.map((log) => log.fields),
      childOfParent: reportedChild.context().parentIdStr === parent.context().spanIdStr,
      sameTrace: reportedChild.context().traceIdStr === parent.context().traceIdStr,
      sampled: reportedParent.context().isSampled(),
      spanClass: parent instanceof lib.Span,
      contextClass: parent.context() instanceof lib.SpanContext,
      reporterName: `${reporter.name()} ${String(reporter)}`,
    };
    reporter.clear();
    return { ...description, afterClear: reporter.spans.length };
  }

  it('should report the same spans, names, tags and logs', () => {
    // jaeger-client's TestUtils.hasTags prints each mismatch with console.log.
    const print = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const [real, ours] = both(scenario);
    print.mockRestore();
    expect(ours).toEqual(real);
    expect(ours).toMatchObject({ count: 2, names: ['child', 'parent'], hasTags: true });
  });

  it('should report nothing with ConstSampler(false), the default sampler', () => {
    const [real, ours] = both((lib) => {
      const reporter = new lib.InMemoryReporter();
      const explicit = newTracer(lib, reporter, new lib.ConstSampler(false));
      explicit.startSpan('dropped').finish();
      const byDefault = newTracer(lib, reporter, undefined);
      byDefault.startSpan('dropped').finish();
      return reporter.spans.length;
    });
    expect(ours).toBe(real);
    expect(ours).toBe(0);
  });

  it('differs: reports a copy of the finished span, not the span object itself', () => {
    const [real, ours] = both((lib) => {
      const reporter = new lib.InMemoryReporter();
      const span = newTracer(lib, reporter, new lib.ConstSampler(true)).startSpan('op');
      span.finish();
      return reporter.spans[0] === (span as unknown);
    });
    expect(real).toBe(true);
    expect(ours).toBe(false);
  });
});

describe('samplers', () => {
  it('should have the same names, strings, settings and equality', () => {
    const [real, ours] = both((lib) => {
      const constant = new lib.ConstSampler(true);
      const probabilistic = new lib.ProbabilisticSampler(0.25);
      const rateLimiting = new lib.RateLimitingSampler(7);
      return {
        names: [constant.name(), probabilistic.name(), rateLimiting.name()],
        strings: [String(constant), String(new lib.ConstSampler(false)), String(probabilistic), String(rateLimiting)],
        settings: [constant.decision, probabilistic.samplingRate, rateLimiting.maxTracesPerSecond],
        equal: [
          constant.equal(new lib.ConstSampler(true)),
          constant.equal(new lib.ConstSampler(false)),
          probabilistic.equal(new lib.ProbabilisticSampler(0.25)),
          rateLimiting.equal(new lib.RateLimitingSampler(7)),
          rateLimiting.equal(constant),
        ],
        updates: [
          probabilistic.update(0.25),
          probabilistic.update(0.5),
          probabilistic.samplingRate,
          rateLimiting.update(7),
          rateLimiting.update(9),
          rateLimiting.maxTracesPerSecond,
        ],
      };
    });
    expect(ours).toEqual(real);
  });

  it("should decide and write jaeger-client's tags through isSampled", () => {
    const [real, ours] = both((lib) => {
      const results: unknown[] = [];
      for (const sampler of [new lib.ConstSampler(true), new lib.ConstSampler(false), new lib.ProbabilisticSampler(1), new lib.ProbabilisticSampler(0)]) {
        const tags: Record<string, unknown> = {};
        results.push([sampler.isSampled('op', tags), tags]);
      }
      // A full bucket of one credit: the first trace passes, the next does not.
      const limited = new lib.RateLimitingSampler(1, 1);
      const first: Record<string, unknown> = {};
      results.push([limited.isSampled('op', first), first, limited.isSampled('op', {})]);
      return results;
    });
    expect(ours).toEqual(real);
  });

  it('should refuse a sampling rate out of 0..1 at construction', () => {
    const [real, ours] = both((lib) => {
      try {
        new lib.ProbabilisticSampler(1.5);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(ours).toBe(real);
  });

  it('should sample through a RemoteSampler with its initial sampler until a strategy arrives', async () => {
    const results = await Promise.all(
      LIBS.map(async ([, lib]) => {
        const sampler = new lib.RemoteSampler('parity', { refreshInterval: 0, sampler: new lib.ProbabilisticSampler(1) });
        const reporter = new lib.InMemoryReporter();
        const tracer = new lib.Tracer('parity', reporter, sampler);
        tracer.startSpan('op').finish();
        const tags = lib.TestUtils.getTags(reporter.spans[0], ['sampler.type', 'sampler.param']);
        await new Promise<void>((resolve) => tracer.close(() => resolve()));
        return { name: sampler.name(), string: String(sampler), tags };
      }),
    );
    expect(results[1]).toEqual(results[0]);
    expect(results[1].tags).toEqual({ 'sampler.type': 'probabilistic', 'sampler.param': 1 });
  });

  it('should sample by a start tag with experimental.TagEqualsSampler, also under PrioritySampler', () => {
    const [real, ours] = both((lib) => {
      const reporter = new lib.InMemoryReporter();
      const tagEquals = new lib.experimental.TagEqualsSampler('tenant', [{ tagValue: 'vip', firehose: true }]);
      const tracer = newTracer(lib, reporter, new lib.experimental.PrioritySampler([tagEquals, new lib.ConstSampler(false)]));
      tracer.startSpan('plain', { tags: { tenant: 'other' } }).finish();
      const vip = tracer.startSpan('vip', { tags: { tenant: 'vip' } });
      vip.finish();
      return {
        reported: reporter.spans.map((span) => span.operationName),
        tags: lib.TestUtils.getTags(reporter.spans[0], ['sampler.type', 'sampler.param']),
        firehose: vip.context().isFirehose(),
      };
    });
    expect(ours).toEqual(real);
    expect(ours).toMatchObject({ reported: ['vip'], firehose: true });
  });
});

describe('reporters', () => {
  it('should hand each span to every reporter of a CompositeReporter, and close them all', async () => {
    const results = await Promise.all(
      LIBS.map(async ([, lib]) => {
        const first = new lib.InMemoryReporter();
        const second = new lib.InMemoryReporter();
        const composite = new lib.CompositeReporter([first, second, new lib.NoopReporter()]);
        const tracer = new lib.Tracer('parity', composite, new lib.ConstSampler(true));
        tracer.startSpan('op').finish();
        let closed = false;
        await new Promise<void>((resolve) =>
          tracer.close(() => {
            closed = true;
            resolve();
          }),
        );
        return { counts: [first.spans.length, second.spans.length], string: String(composite), closed };
      }),
    );
    expect(results[1]).toEqual(results[0]);
    expect(results[1].string).toBe('CompositeReporter(InMemoryReporter,InMemoryReporter,NoopReporter)');
  });

  it("should log 'Reporting span <context>' through a LoggingReporter", () => {
    const [real, ours] = both((lib) => {
      const lines: string[] = [];
      const tracer = newTracer(lib, new lib.LoggingReporter({ info: (message) => lines.push(message), error: () => undefined }), new lib.ConstSampler(true));
      const span = tracer.startSpan('op');
      span.finish();
      return lines.map((line) => line.replace(span.context().toString(), '<context>'));
    });
    expect(ours).toEqual(real);
    expect(ours).toEqual(['Reporting span <context>']);
  });

  it('differs: RemoteReporter takes no sender (jaeger-client throws without one) and drops spans, warned once', () => {
    expect(() => new jaegerClient.RemoteReporter()).toThrow('RemoteReporter must be given a Sender.');
    const capture = captureDiag();
    try {
      const reporter = new shim.RemoteReporter({ append: () => undefined });
      reporter.report({});
      expect(reporter.name()).toBe('RemoteReporter');
      expect(capture.matching('RemoteReporter')).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });
});

describe('codecs', () => {
  function sampledSpan(lib: Lib): Span {
    const tracer = newTracer(lib, new lib.NoopReporter(), new lib.ConstSampler(true));
    const parent = tracer.startSpan('parent');
    const span = tracer.startSpan('child', { childOf: parent });
    span.setBaggageItem('user', 'a b');
    return span;
  }

  for (const name of ['TextMapCodec', 'ZipkinB3TextMapCodec'] as const) {
    it(`${name} should read what the other library's ${name} writes, both ways`, () => {
      for (const [from, to] of [
        [jaegerClient, shim],
        [shim, jaegerClient],
      ]) {
        const span = sampledSpan(from);
        const carrier: Record<string, string> = {};
        new from[name]({ urlEncoding: true }).inject(span.context(), carrier);
        const extracted = new to[name]({ urlEncoding: true }).extract(carrier);
        // jaeger-client keeps ids read from B3 as written, which here are at full width.
        const id = (hex: string | null | undefined): string => String(hex).replace(/^0+/, '');
        expect(id(extracted.traceIdStr)).toBe(id(span.context().traceIdStr));
        expect(id(extracted.spanIdStr)).toBe(id(span.context().spanIdStr));
        expect(id(extracted.parentIdStr)).toBe(id(span.context().parentIdStr));
        expect(extracted.isSampled()).toBe(true);
        expect(extracted.baggage.user).toBe('a b');
      }
    });
  }

  it('should write the same carrier keys', () => {
    const [real, ours] = both((lib) => {
      const span = sampledSpan(lib);
      const keys: string[][] = [];
      for (const codec of [new lib.TextMapCodec({ urlEncoding: true }), new lib.ZipkinB3TextMapCodec({ urlEncoding: true, baggagePrefix: 'baggage-' })]) {
        const carrier: Record<string, string> = {};
        codec.inject(span.context(), carrier);
        keys.push(Object.keys(carrier).sort());
      }
      return keys;
    });
    expect(ours).toEqual(real);
  });

  it('should extract baggage, debug id and flags alike from B3 headers, with or without valid ids', () => {
    const carriers: Array<Record<string, string>> = [
      { 'X-B3-TraceId': '463ac35c9f6413ad', 'X-B3-SpanId': 'a2fb4a1d1a96d312', 'X-B3-Flags': '1', 'uberctx-tenant': 'acme' },
      {
        'x-b3-traceid': '463ac35c9f6413ad48485a3953bb6124',
        'x-b3-spanid': 'a2fb4a1d1a96d312',
        'x-b3-parentspanid': '0020000000000001',
        'x-b3-sampled': 'true',
      },
      { 'uberctx-tenant': 'acme', 'jaeger-debug-id': 'debug-1' },
      { 'x-b3-traceid': 'not-hex', 'x-b3-spanid': 'zzz', 'jaeger-baggage': 'k1=v1, k2=v2' },
    ];
    const [real, ours] = both((lib) =>
      carriers.map((carrier) => {
        const context = new lib.ZipkinB3TextMapCodec().extract(carrier);
        return {
          traceId: context.isDebugIDContainerOnly() || !context.traceIdStr ? '' : context.traceIdStr.replace(/^0+/, ''),
          parentIdStr: context.parentIdStr ? context.parentIdStr.replace(/^0+/, '') : null,
          sampled: context.isSampled(),
          debug: context.isDebug(),
          debugId: context.debugId || '',
          containerOnly: context.isDebugIDContainerOnly(),
          baggage: { ...context.baggage },
        };
      }),
    );
    expect(ours).toEqual(real);
  });

  it('should inject the debug flag as x-b3-flags instead of x-b3-sampled', () => {
    const [real, ours] = both((lib) => {
      const context = lib.SpanContext.fromString('463ac35c9f6413ad:a2fb4a1d1a96d312:0:3') as Ctx;
      const carrier: Record<string, string> = {};
      new lib.ZipkinB3TextMapCodec().inject(context, carrier);
      return carrier;
    });
    expect(ours).toEqual(real);
  });

  it('should work through registerInjector / registerExtractor', () => {
    const [real, ours] = both((lib) => {
      const tracer = newTracer(lib, new lib.NoopReporter(), new lib.ConstSampler(true));
      const codec = new lib.ZipkinB3TextMapCodec({ urlEncoding: true });
      tracer.registerInjector(opentracing.FORMAT_HTTP_HEADERS, codec);
      tracer.registerExtractor(opentracing.FORMAT_HTTP_HEADERS, codec);
      const span = tracer.startSpan('op');
      const headers: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, headers);
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, headers);
      const child = tracer.startSpan('child', { childOf: extracted });
      return {
        keys: Object.keys(headers).sort(),
        sameTrace: child.context().traceIdStr === span.context().traceIdStr,
        parent: child.context().parentIdStr === span.context().spanIdStr,
      };
    });
    expect(ours).toEqual(real);
    expect(ours).toMatchObject({ sameTrace: true, parent: true });
  });

  it('differs: ids are written at B3 width; jaeger-client strips leading zeros', () => {
    const [real, ours] = both((lib) => {
      const carrier: Record<string, string> = {};
      new lib.ZipkinB3TextMapCodec().inject(lib.SpanContext.fromString('a:b:c:1') as Ctx, carrier);
      return [carrier['x-b3-traceid'], carrier['x-b3-spanid'], carrier['x-b3-parentspanid']];
    });
    expect(real).toEqual(['a', 'b', 'c']);
    expect(ours).toEqual(['000000000000000a', '000000000000000b', '000000000000000c']);
  });
});

describe('span context members', () => {
  it('should parse with fromString and build with withStringIds alike', () => {
    const [real, ours] = both((lib) => {
      const parsed = ['abc:def:0:1', 'abc:def:12:3', 'abc:def:0:9', 'zz', 'a:b:c'].map((value) => {
        const context = lib.SpanContext.fromString(value);
        return context === null ? null : [context.toString(), context.isSampled(), context.isDebug(), context.isFirehose(), context.parentIdStr || null];
      });
      const built = lib.SpanContext.withStringIds('abc', 'def', '12', 1, { k: 'v' }, '');
      const binary = lib.SpanContext.withBinaryIds(Buffer.from('0000000000000abc', 'hex'), Buffer.from('0000000000000def', 'hex'), null, 3);
      return { parsed, built: [built.toString(), built.baggage.k, built.isDebugIDContainerOnly()], binary: [binary.toString(), binary.isDebug()] };
    });
    expect(ours).toEqual(real);
  });

  it('differs: ids are normalised to hex without leading zeros; jaeger-client keeps them as received', () => {
    const [real, ours] = both((lib) => (lib.SpanContext.fromString('0000ABC:0def:0012:1') as Ctx).toString());
    expect(real).toBe('0000ABC:0def:0012:1');
    expect(ours).toBe('abc:def:12:1');
  });

  it('should give the ids as Buffers, 8 bytes for 64-bit ids, parentId null for a root', () => {
    const [real, ours] = both((lib) => {
      const child = lib.SpanContext.fromString('abc:def:12:1') as Ctx;
      const root = lib.SpanContext.fromString('463ac35c9f6413ad48485a3953bb6124:def:0:1') as Ctx;
      return {
        child: [child.traceId?.toString('hex'), child.spanId?.toString('hex'), child.parentId?.toString('hex')],
        root: [root.traceId?.toString('hex'), root.parentId],
      };
    });
    expect(ours).toEqual(real);
    expect(ours.child).toEqual(['0000000000000abc', '0000000000000def', '0000000000000012']);
  });

  it('should tell a debug-id-only context and a remote one', () => {
    const [real, ours] = both((lib) => {
      const tracer = newTracer(lib, new lib.NoopReporter(), new lib.ConstSampler(true));
      const debugOnly = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'abc' });
      const remote = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1' });
      const local = tracer.startSpan('op').context();
      return [debugOnly.isDebugIDContainerOnly(), remote.isDebugIDContainerOnly(), remote.isRemote(), local.isRemote(), local.isFirehose()];
    });
    expect(ours).toEqual(real);
    expect(ours).toEqual([true, false, true, false, false]);
  });

  it('differs: isValid is a method here, a boolean property in jaeger-client', () => {
    const real = jaegerClient.SpanContext.fromString('abc:def:0:1') as unknown as { isValid: unknown };
    const ours = shim.SpanContext.fromString('abc:def:0:1') as unknown as { isValid: unknown };
    expect(real.isValid).toBe(true);
    expect(typeof ours.isValid).toBe('function');
    expect((ours.isValid as () => boolean)()).toBe(true);
  });

  it('differs: new traces have 128-bit trace ids (jaeger-client: 64-bit unless traceId128bit)', () => {
    const [real, ours] = both((lib) => newTracer(lib, new lib.NoopReporter(), new lib.ConstSampler(true)).startSpan('op').context().traceId?.length);
    expect(real).toBe(8);
    expect(ours).toBe(16);
  });
});

describe('span and tracer members', () => {
  it('differs: a span finished twice is ignored silently; jaeger-client logs an error', () => {
    const [real, ours] = both((lib) => {
      const errors: string[] = [];
      const tracer = newTracer(lib, new lib.NoopReporter(), new lib.ConstSampler(true), {
        logger: { info: () => undefined, error: (message: string) => errors.push(message) },
      });
      const span = tracer.startSpan('op');
      span.finish();
      span.finish();
      return errors.length;
    });
    expect(real).toBe(1);
    expect(ours).toBe(0);
  });

  it('should give span.operationName and tracer.now()', () => {
    const [real, ours] = both((lib) => {
      const tracer = newTracer(lib, new lib.NoopReporter(), new lib.ConstSampler(true));
      const span = tracer.startSpan('first');
      const before = span.operationName;
      span.setOperationName('second');
      const start = Date.now();
      const now = tracer.now();
      return [before, span.operationName, typeof now, now >= start && now <= Date.now()];
    });
    expect(ours).toEqual(real);
    expect(ours).toEqual(['first', 'second', 'number', true]);
  });
});

describe('metrics', () => {
  /** Through initTracer's `options.metrics`: a server span joining a remote trace with a child, and a new trace. */
  function traffic(lib: Lib, factory: unknown): void {
    const tracer = lib.initTracer({ serviceName: 'parity', sampler: { type: 'const', param: 1 } }, { reporter: new lib.InMemoryReporter(), metrics: factory });
    trackedTracers.push(tracer);
    const remote = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1' });
    const server = tracer.startSpan('server', { childOf: remote, tags: { [opentracing.Tags.SPAN_KIND]: opentracing.Tags.SPAN_KIND_RPC_SERVER } });
    tracer.startSpan('child', { childOf: server }).finish();
    server.finish();
    tracer.startSpan('root').finish();
  }

  afterEach(() => {
    metrics.disable();
    promClient.register.clear();
  });

  it("should count jaeger-client's tracer metrics: prom-client for jaeger-client, OpenTelemetry metrics here", async () => {
    traffic(jaegerClient, new jaegerClient.PrometheusMetricsFactory(promClient, 'parity'));
    const fromProm: Record<string, number> = {};
    for (const metric of await promClient.register.getMetricsAsJSON()) {
      for (const value of (metric as unknown as { values: Array<{ value: number; labels: Record<string, string> }> }).values) {
        if (value.value > 0) fromProm[`${metric.name.replace('parity_jaeger:', '')}${JSON.stringify(value.labels)}`] = value.value;
      }
    }

    const reader = new CollectingReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    traffic(shim, new shim.PrometheusMetricsFactory(promClient, 'parity'));
    const fromOtel: Record<string, number> = {};
    const { resourceMetrics } = await reader.collect();
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics as SumMetricData[]) {
        for (const point of metric.dataPoints) {
          if (point.value > 0) fromOtel[`${metric.descriptor.name.replace('jaeger.', '')}${JSON.stringify(point.attributes)}`] = point.value;
        }
      }
    }

    expect(fromOtel).toEqual(fromProm);
    expect(fromOtel).toEqual({
      'traces{"state":"started","sampled":"y"}': 1,
      'traces{"state":"joined","sampled":"y"}': 1,
      'started_spans{"sampled":"y"}': 3,
      'finished_spans{}': 3,
    });
  });

  it('should record nothing and fail nothing without a MeterProvider', () => {
    expect(() => traffic(shim, new shim.PrometheusMetricsFactory(promClient))).not.toThrow();
  });
});

describe('TChannelBridge', () => {
  it('differs: accepted, warned once, and returns channels and handlers unchanged', () => {
    const capture = captureDiag();
    try {
      const bridge = new shim.TChannelBridge(newTracer(shim, new shim.NoopReporter(), new shim.ConstSampler(true))) as {
        tracedChannel<T>(channel: T): T;
        tracedHandler<T>(handler: T): T;
      };
      const channel = { request: () => undefined };
      const handler = (): void => undefined;
      expect(bridge.tracedChannel(channel)).toBe(channel);
      expect(bridge.tracedHandler(handler)).toBe(handler);
      expect(capture.matching('TChannelBridge')).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });
});
