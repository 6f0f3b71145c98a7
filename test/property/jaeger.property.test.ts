import fc from 'fast-check';
import * as http from 'node:http';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { ROOT_CONTEXT, diag, defaultTextMapGetter, defaultTextMapSetter, propagation, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { textMapGetter, textMapSetter } from '../../src/carrier';
import type { JaegerConfig, JaegerOptions } from '../../src/jaeger/configuration';
import { initTracer, initTracerFromEnv } from '../../src/jaeger/init-tracer';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { getJaegerParentSpanId } from '../../src/jaeger/parent-span-id';
import { formatUberTraceId } from '../../src/jaeger/uber-trace-id';
import { normalizeBaggageKey } from '../../src/jaeger/baggage-key';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import type { JaegerExtractor, JaegerInjector } from '../../src/jaeger/jaeger-tracer';
import { captureDiag } from '../helpers/diag';
import { anyValue, carrier, format, jaegerConfig, jaegerEnvironment, jaegerOptions, textCarrier, throwingProxy } from './arbitraries';
import { SDK_COMPLAINTS, World, isInstance, mustNotThrow, problemsOf } from './world';
import { KeepingExporter } from '../helpers/sdk';

// Properties of the jaeger entry point: initTracer / initTracerFromEnv with any config, options
// and JAEGER_* environment; JaegerTracer with custom codecs; JaegerSpanContext's accessors; and
// JaegerPropagator on any carrier.
const SEED = 0x5eed_0300;

// jaeger-client ships no type declarations; the members used here.
interface JaegerClient {
  ZipkinB3TextMapCodec: new (options?: { urlEncoding?: boolean }) => JaegerInjector & JaegerExtractor;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaegerClient = require('jaeger-client') as JaegerClient;

/**
 * The errors initTracer may throw at set-up time: the two jaeger-client throws
 * (docs/migrating-from-jaeger-client.md) and the range checks of the samplers
 * (`... must be ...`, `hostPort must look like host:port`).
 */
const SETUP_ERROR = /^(config\.serviceName must be provided|Expecting sampler\.param to be a number\. Received .*|\w+ must (be|look like) .*)$/s;

/** jaeger-client loggers: one that records, one that throws, one without methods, and none. */
type LoggerKind = 'none' | 'recording' | 'throwing' | 'empty';
const loggerKind = fc.constantFrom<LoggerKind>('none', 'none', 'recording', 'throwing', 'empty');

function makeLogger(kind: LoggerKind, messages: string[]): unknown {
  switch (kind) {
    case 'none':
      return undefined;
    case 'recording':
      return { info: (message: string) => messages.push(`info ${message}`), error: (message: string) => messages.push(`warn ${message}`) };
    case 'throwing':
      return {
        info: () => {
          throw new Error('logger.info');
        },
        error: () => {
          throw new Error('logger.error');
        },
      };
    case 'empty':
      return {};
  }
}

/** Drives a tracer initTracer returned through the OpenTracing API, closes it, and checks what was exported. */
async function exercise(tracer: JaegerTracer, exporter: KeepingExporter, messages: string[]): Promise<void> {
  const span = mustNotThrow('startSpan', () => tracer.startSpan('checkout', { tags: { 'span.kind': 'server', 'http.method': 'GET', 'sampling.priority': 1 } }));
  mustNotThrow('span calls', () => span.setBaggageItem('User_Id', 'u-1').log({ event: 'work', step: 1 }).setTag('error', false));
  const headers: Record<string, unknown> = {};
  mustNotThrow('inject', () => tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, headers));
  const extracted = mustNotThrow('extract', () => tracer.extract(opentracing.FORMAT_HTTP_HEADERS, headers));
  const child = mustNotThrow('startSpan child', () => tracer.startSpan('charge', { childOf: extracted ?? span }));
  mustNotThrow('finish', () => child.finish());
  mustNotThrow('finish', () => span.finish());
  const ids = [span, child].map((finished) => finished.context() as JaegerSpanContext);
  let closeError: unknown;
  await tracer.close().catch((error: unknown) => {
    closeError = error;
  });
  if (closeError !== undefined) throw new Error(`close() failed: ${String(closeError)}`);
  const exported = exporter.getFinishedSpans();
  const problems = exported.flatMap(problemsOf);
  for (const context of ids) {
    const count = exported.filter((candidate) => candidate.spanContext().spanId === context.toSpanId()).length;
    if (count !== (context.isSampled() ? 1 : 0)) problems.push(`span ${context.toString()} exported ${count} times`);
  }
  problems.push(...messages.filter((message) => SDK_COMPLAINTS.some((pattern) => pattern.test(message))));
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** Calls `init`; a throw must be a documented set-up error. Returns the tracer, or undefined after a set-up error. */
function initOrSetupError(init: () => JaegerTracer): JaegerTracer | undefined {
  try {
    const tracer = init();
    if (!isInstance(tracer, JaegerTracer)) throw new Error('did not return a JaegerTracer');
    return tracer;
  } catch (error) {
    if (error instanceof Error && SETUP_ERROR.test(error.message)) return undefined;
    throw new Error(`initTracer threw what is not a set-up error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, {
      cause: error,
    });
  }
}

/** A JSON-ish picture of a plain argument, to check that the caller's objects are not changed. */
function picture(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, child: unknown) => (typeof child === 'bigint' || typeof child === 'symbol' ? String(child) : child)) ?? 'undefined';
  } catch {
    return 'unprintable';
  }
}

describe('initTracer', () => {
  afterEach(() => diag.disable());

  it('returns a tracer that works and closes, or throws a set-up error, for any config and options', async () => {
    await fc.assert(
      fc.asyncProperty(jaegerConfig, jaegerOptions, loggerKind, async (config, options, kind) => {
        const messages: string[] = [];
        const capture = captureDiag();
        const exporter = new KeepingExporter();
        const logger = makeLogger(kind, messages);
        const tracer = initOrSetupError(() =>
          initTracer(config as JaegerConfig, { ...options, exporter, ...(logger !== undefined && { logger }) } as JaegerOptions),
        );
        if (tracer === undefined) return;
        await exercise(tracer, exporter, kind === 'recording' ? messages : capture.messages);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });
});

describe('initTracerFromEnv', () => {
  const saved = { ...process.env };

  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    diag.disable();
  });

  it('returns a tracer that works and closes, or throws a set-up error, for any JAEGER_* environment, and never changes config or options', async () => {
    await fc.assert(
      fc.asyncProperty(jaegerEnvironment, fc.option(jaegerConfig, { nil: undefined }), jaegerOptions, async (environment, config, options) => {
        for (const key of Object.keys(process.env)) if (key.startsWith('JAEGER_') || key.startsWith('OTEL_')) delete process.env[key];
        Object.assign(process.env, environment);
        const capture = captureDiag();
        const exporter = new KeepingExporter();
        const allOptions = { ...options, exporter };
        const before = [picture(config), picture(allOptions)];
        const tracer = initOrSetupError(() => initTracerFromEnv(config as JaegerConfig, allOptions as JaegerOptions));
        const after = [picture(config), picture(allOptions)];
        if (before[0] !== after[0] || before[1] !== after[1]) throw new Error("initTracerFromEnv changed the caller's config or options");
        if (tracer === undefined) return;
        await exercise(tracer, exporter, capture.messages);
      }),
      { seed: SEED + 1, numRuns: 60 },
    );
  });
});

describe('JaegerTracer with custom formats', () => {
  let world: World;
  const codec = new jaegerClient.ZipkinB3TextMapCodec({ urlEncoding: true });

  beforeAll(() => {
    world = new World('JaegerTracer');
    const tracer = world.tracer as JaegerTracer;
    tracer.registerInjector('zipkin-b3', codec);
    tracer.registerExtractor('zipkin-b3', codec);
    // 'uber' is a custom format whose codec misbehaves: it throws, and extracts the carrier itself.
    tracer.registerInjector('uber', {
      inject() {
        throw new Error('injector');
      },
    });
    tracer.registerExtractor('uber', { extract: (source: unknown) => source });
  });

  afterAll(() => world.diag.stop());

  it('registerInjector and registerExtractor never throw, whatever they are given', () => {
    fc.assert(
      fc.property(anyValue, anyValue, (name, codecValue) => {
        const tracer = new JaegerTracer(world.sdk.provider);
        mustNotThrow('registerInjector', () => tracer.registerInjector(name as string, codecValue as JaegerInjector));
        mustNotThrow('registerExtractor', () => tracer.registerExtractor(name as string, codecValue as JaegerExtractor));
      }),
      { seed: SEED + 2, numRuns: 200 },
    );
  });

  it('inject and extract never throw in any format, and what extract returns is a JaegerSpanContext whose accessors all answer', () => {
    fc.assert(
      fc.property(format, carrier, (fmt, source) => {
        world.reset();
        const span = world.startSpan('sender');
        mustNotThrow('inject', () => world.tracer.inject(span, fmt as string, source));
        const extracted = mustNotThrow('extract', () => world.tracer.extract(fmt as string, source));
        world.finish(span);
        if (extracted !== null) {
          if (!isInstance(extracted, JaegerSpanContext)) throw new Error('extract did not return a JaegerSpanContext');
          checkAccessors(extracted);
          world.finish(world.startSpan('child', { childOf: extracted }));
        }
        world.verify();
      }),
      { seed: SEED + 3, numRuns: 200 },
    );
  });

  it('a span context written with the Zipkin codec reads back with the same ids', () => {
    fc.assert(
      fc.property(fc.boolean(), (useChild) => {
        world.reset();
        const root = world.startSpan('root');
        const span = useChild ? world.startSpan('child', { childOf: root }) : root;
        const headers: Record<string, unknown> = {};
        world.tracer.inject(span, 'zipkin-b3', headers);
        const extracted = world.tracer.extract('zipkin-b3', headers) as JaegerSpanContext | null;
        const sent = span.context() as JaegerSpanContext;
        if (extracted?.toTraceId() !== sent.toTraceId() || extracted.toSpanId() !== sent.toSpanId()) {
          throw new Error(`sent ${sent.toString()}, read ${extracted?.toString()} from ${JSON.stringify(headers)}`);
        }
      }),
      { seed: SEED + 4, numRuns: 20 },
    );
  });
});

/** Every JaegerSpanContext accessor answers with the documented type, and toString() reads back. */
function checkAccessors(context: JaegerSpanContext): void {
  const answers = mustNotThrow('JaegerSpanContext accessors', () => ({
    sampled: context.isSampled(),
    debug: context.isDebug(),
    flags: context.flags,
    traceIdStr: context.traceIdStr,
    spanIdStr: context.spanIdStr,
    parentIdStr: context.parentIdStr,
    baggage: context.baggage,
    debugId: context.debugId,
    text: context.toString(),
  }));
  if (typeof answers.sampled !== 'boolean' || typeof answers.debug !== 'boolean' || !Number.isInteger(answers.flags)) throw new Error('flag accessors');
  if (!/^[0-9a-f]+$/.test(answers.traceIdStr) || !/^[0-9a-f]+$/.test(answers.spanIdStr)) throw new Error(`ids ${answers.traceIdStr}:${answers.spanIdStr}`);
  if (answers.parentIdStr !== undefined && !/^[0-9a-f]+$/.test(answers.parentIdStr)) throw new Error(`parent ${answers.parentIdStr}`);
  if (Object.values(answers.baggage).some((value) => typeof value !== 'string')) throw new Error('baggage values');
  if (answers.debugId !== undefined && typeof answers.debugId !== 'string') throw new Error('debugId');
  if (!/^[0-9a-f]+:[0-9a-f]+:[0-9a-f]+:[0-9a-f]+$/.test(answers.text)) throw new Error(`toString() ${answers.text}`);
  if (context.traceIdStr !== '0' && context.spanIdStr !== '0') {
    const again = new JaegerPropagator().extract(ROOT_CONTEXT, { 'uber-trace-id': answers.text }, defaultTextMapGetter);
    const spanContext = trace.getSpanContext(again);
    if (spanContext?.traceId !== context.toTraceId() || spanContext.spanId !== context.toSpanId())
      throw new Error(`toString() ${answers.text} does not read back`);
  }
}

describe('JaegerPropagator', () => {
  const throwingGetter: TextMapGetter = {
    keys: () => {
      throw new Error('keys()');
    },
    get: () => {
      throw new Error('get()');
    },
  };
  const lyingGetter: TextMapGetter = { keys: () => 'not a list' as unknown as string[], get: () => [1, {}, 'x'] as unknown as string };
  const getters = fc.constantFrom<[string, TextMapGetter]>(
    ['defaultTextMapGetter', defaultTextMapGetter],
    ["the shim's textMapGetter", textMapGetter as TextMapGetter],
    ['a throwing getter', throwingGetter],
    ['a lying getter', lyingGetter],
  );
  const throwingSetter: TextMapSetter = {
    set: () => {
      throw new Error('set()');
    },
  };

  beforeAll(() => {
    captureDiag();
  });

  afterAll(() => diag.disable());

  it('extract never throws; what it reads is a valid remote span context and baggage within the limits, and inject writes it back the same', () => {
    fc.assert(
      fc.property(textCarrier, fc.boolean(), getters, (source, urlEncoding, [, getter]) => {
        const propagator = new JaegerPropagator({ urlEncoding });
        const context = mustNotThrow('extract', () => propagator.extract(ROOT_CONTEXT, source, getter));
        const spanContext = trace.getSpanContext(context);
        if (spanContext !== undefined) {
          if (!/^[0-9a-f]{32}$/.test(spanContext.traceId) || !/^[0-9a-f]{16}$/.test(spanContext.spanId) || !spanContext.isRemote) {
            throw new Error(`extracted ${JSON.stringify(spanContext)}`);
          }
        }
        const entries = propagation.getBaggage(context)?.getAllEntries() ?? [];
        const bytes = entries.reduce((total, [key, entry]) => total + Buffer.byteLength(key) + Buffer.byteLength(entry.value), 0);
        if (entries.length > 180 || bytes > 8192 || entries.some(([, entry]) => typeof entry.value !== 'string'))
          throw new Error(`baggage of ${entries.length} items, ${bytes} bytes`);

        const written: Record<string, string> = {};
        mustNotThrow('inject', () => propagator.inject(context, written, defaultTextMapSetter));
        mustNotThrow('inject into a throwing setter', () => propagator.inject(context, {}, throwingSetter));
        const again = propagator.extract(ROOT_CONTEXT, written, defaultTextMapGetter);
        if (spanContext !== undefined) {
          const reread = trace.getSpanContext(again);
          const parent = getJaegerParentSpanId(context, spanContext.spanId);
          if (reread === undefined || formatUberTraceId(reread, getJaegerParentSpanId(again, reread.spanId)) !== formatUberTraceId(spanContext, parent)) {
            throw new Error(`${formatUberTraceId(spanContext, parent)} was written as ${JSON.stringify(written)}`);
          }
        }
        const rereadBaggage = new Map((propagation.getBaggage(again)?.getAllEntries() ?? []).map(([key, entry]) => [key, entry.value]));
        for (const [key, value] of rereadBaggage) {
          if (entries.find(([original]) => original === key)?.[1].value !== value) throw new Error(`baggage ${JSON.stringify(key)} changed on the way back`);
        }
      }),
      { seed: SEED + 5, numRuns: 300 },
    );
  });

  it('inject never throws, whatever the context and carrier, and writes only strings', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        anyValue,
        fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 4 }),
        (urlEncoding, garbage, items) => {
          const propagator = new JaegerPropagator({ urlEncoding });
          const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
          let context: Context = trace.setSpan(ROOT_CONTEXT, span);
          context = propagation.setBaggage(context, propagation.createBaggage(Object.fromEntries(items.map(([key, value]) => [key, { value }]))));
          const written: Record<string, unknown> = {};
          mustNotThrow('inject', () => propagator.inject(context, written, textMapSetter as TextMapSetter));
          mustNotThrow('inject into anything', () => propagator.inject(context, garbage, textMapSetter as TextMapSetter));
          mustNotThrow('inject from anything', () => propagator.inject(garbage as Context, {}, textMapSetter as TextMapSetter));
          if (Object.values(written).some((value) => typeof value !== 'string')) throw new Error('a non-string was written');
        },
      ),
      { seed: SEED + 6, numRuns: 200 },
    );
  });
});

// Minimal repros of what the properties above found. Each bad setting must give either a working
// tracer or a set-up error that names the setting (SETUP_ERROR), never a raw TypeError/URIError,
// and never an invalid resource attribute.
describe('found by the properties', () => {
  afterEach(() => diag.disable());

  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const throwingGetterTags = Object.defineProperty({}, 'boom', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
  const constSampler = { type: 'const', param: 1 };

  it.each<[string, () => JaegerTracer]>([
    [
      'initTracer with options.contextKey 42',
      () => initTracer({ serviceName: 'checkout', sampler: constSampler }, { exporter: new KeepingExporter(), contextKey: 42 as unknown as string }),
    ],
    [
      'initTracer with options.tags with a throwing getter',
      () => initTracer({ serviceName: 'checkout', sampler: constSampler }, { exporter: new KeepingExporter(), tags: throwingGetterTags }),
    ],
    [
      'initTracer with options.tags a Proxy that throws on every trap',
      () => initTracer({ serviceName: 'checkout', sampler: constSampler }, { exporter: new KeepingExporter(), tags: throwingProxy() }),
    ],
    [
      'initTracer with sampler.type a cyclic object',
      () => initTracer({ serviceName: 'checkout', sampler: { type: cyclic as unknown as string, param: 1 } }, { exporter: new KeepingExporter() }),
    ],
    [
      'initTracer with sampler.param a prototype-less object',
      () => initTracer({ serviceName: 'checkout', sampler: { type: 'const', param: Object.create(null) } }, { exporter: new KeepingExporter() }),
    ],
    [
      'initTracer with options.maxDebugIdsPerSecond an array holding a symbol',
      () =>
        initTracer(
          { serviceName: 'checkout', sampler: constSampler },
          { exporter: new KeepingExporter(), maxDebugIdsPerSecond: [Symbol('rate')] as unknown as number },
        ),
    ],
    [
      'initTracer with serviceName with a lone surrogate and the default (remote) sampler',
      () => initTracer({ serviceName: 'a\uDC00b' }, { exporter: new KeepingExporter() }),
    ],
    [
      'initTracerFromEnv with config.sampler a string',
      () => initTracerFromEnv({ serviceName: 'checkout', sampler: 'const' as unknown as JaegerConfig['sampler'] }, { exporter: new KeepingExporter() }),
    ],
    [
      'initTracerFromEnv with config.reporter a string',
      () =>
        initTracerFromEnv(
          { serviceName: 'checkout', sampler: constSampler, reporter: 'reporter' as unknown as JaegerConfig['reporter'] },
          { exporter: new KeepingExporter() },
        ),
    ],
  ])('%s gives a tracer or a set-up error', async (_setting, init) => {
    const tracer = initOrSetupError(init);
    await tracer?.close();
  });

  it('initTracer with a serviceName that is not a string gives no invalid resource attribute', async () => {
    const exporter = new KeepingExporter();
    const tracer = initOrSetupError(() =>
      initTracer({ serviceName: function checkout() {} as unknown as string, sampler: { type: 'const', param: 1 } }, { exporter }),
    );
    tracer?.startSpan('checkout').finish();
    await tracer?.close();
    expect(exporter.getFinishedSpans().flatMap(problemsOf)).toEqual([]);
  });

  it('registerInjector and registerExtractor do not throw for a format that cannot be converted to a string', () => {
    const tracer = new JaegerTracer(new World('JaegerTracer').sdk.provider);
    expect(() => tracer.registerInjector([Symbol('format')] as unknown as string, {} as JaegerInjector)).not.toThrow();
    expect(() => tracer.registerExtractor(throwingProxy() as string, {} as JaegerExtractor)).not.toThrow();
  });
});

// Issue 14, item 8: `./jaeger`'s one baggage key rule (docs/mapping.md, "Baggage keys") through
// any number of hops of W3C, Jaeger and both, over fetch (header names lower-cased, repeated
// names joined with ", ") or in process (a plain object handed on).
describe('baggage keys through hops', () => {
  type Setup = 'w3c' | 'jaeger' | 'both';
  type Transport = 'fetch' | 'in-process';
  const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
  const tracers = new Map<Setup, JaegerTracer>();

  beforeAll(() => {
    const w3c = (): TextMapPropagator[] => [new W3CTraceContextPropagator(), new W3CBaggagePropagator()];
    const propagators: Record<Setup, TextMapPropagator> = {
      w3c: new CompositePropagator({ propagators: w3c() }),
      jaeger: new JaegerPropagator({ urlEncoding: true }),
      // initTracer's default.
      both: new CompositePropagator({ propagators: [...w3c(), new JaegerPropagator({ urlEncoding: true })] }),
    };
    for (const setup of ['w3c', 'jaeger', 'both'] as const) {
      const options = { exporter: new KeepingExporter(), httpHeadersPropagator: propagators[setup], textMapPropagator: propagators[setup] };
      tracers.set(setup, initTracer({ serviceName: 'hop', sampler: { type: 'const', param: 1 } }, options));
    }
  });

  afterAll(async () => {
    await Promise.all([...tracers.values()].map((tracer) => tracer.close()));
  });

  // Keys as an OpenTelemetry service or jaeger-client code writes them (W3C tokens, no `%`),
  // distinct under the rule; values any text, including what needs encoding.
  const keys = fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,11}$/), { minLength: 1, maxLength: 8, selector: normalizeBaggageKey });
  const value = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 });
  const hop = fc.record({
    setup: fc.constantFrom<Setup>('w3c', 'jaeger', 'both'),
    transport: fc.constantFrom<Transport>('fetch', 'in-process'),
    // The application updates one item under another spelling of its key.
    update: fc.option(fc.tuple(fc.nat(), fc.constantFrom('upper', 'lower', 'same'), value), { nil: undefined }),
  });

  function send(headers: Record<string, string>, transport: Transport): Record<string, string> {
    for (const [name, text] of Object.entries(headers)) {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, text);
    }
    return transport === 'fetch' ? Object.fromEntries(new Headers(headers)) : { ...headers };
  }

  it('keeps every item once, with its value, found under any spelling, in the spelling the formats could keep', () => {
    fc.assert(
      fc.property(
        keys.chain((names) => fc.tuple(fc.constant(names), fc.array(value, { minLength: names.length, maxLength: names.length }))),
        fc.array(hop, { minLength: 1, maxLength: 5 }),
        ([names, values], hops) => {
          // What an upstream OpenTelemetry service sends.
          const expected = new Map(names.map((name, index) => [name, { key: name, value: values[index] }]));
          const baggage = [...expected.values()].map(({ key, value: text }) => `${key}=${encodeURIComponent(text)}`).join(',');
          let headers: Record<string, string> = { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`, baggage };
          // Each hop must read a format the previous one wrote (the first receives W3C).
          let previous: Setup = 'w3c';
          const route = hops.map((step) => {
            const setup = step.setup === previous || step.setup === 'both' || previous === 'both' ? step.setup : 'both';
            previous = setup;
            return { ...step, setup };
          });
          for (const [index, { setup, transport, update }] of route.entries()) {
            // Only W3C `baggage` keeps a key's case over HTTP, which lower-cases header names.
            const before = route[index - 1];
            if (before?.transport === 'fetch' && (before.setup === 'jaeger' || setup === 'jaeger')) {
              for (const item of expected.values()) item.key = item.key.toLowerCase();
            }
            const tracer = tracers.get(setup) as JaegerTracer;
            const span = tracer.startSpan(`hop ${index}`, { childOf: tracer.extract(opentracing.FORMAT_HTTP_HEADERS, headers) ?? undefined });
            const context = span.context() as JaegerSpanContext;
            if (context.toTraceId() !== TRACE_ID) throw new Error(`hop ${index}: trace ${context.toTraceId()}`);
            for (const [name, item] of expected) {
              const got = span.getBaggageItem(index % 2 === 0 ? name : name.toUpperCase());
              if (got !== item.value) throw new Error(`hop ${index}: ${name} is ${JSON.stringify(got)}, not ${JSON.stringify(item.value)}`);
            }
            const spellings = Object.keys(context.baggage).sort();
            const wanted = [...expected.values()].map((item) => item.key).sort();
            if (JSON.stringify(spellings) !== JSON.stringify(wanted)) throw new Error(`hop ${index}: keys ${spellings.join(' ')}, not ${wanted.join(' ')}`);
            if (update !== undefined) {
              const [position, spelling, text] = update;
              const name = names[position % names.length];
              span.setBaggageItem(spelling === 'upper' ? name.toUpperCase() : spelling === 'lower' ? name.toLowerCase() : name, text);
              (expected.get(name) as { value: string }).value = text;
            }
            const written: Record<string, string> = {};
            tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, written);
            span.finish();
            headers = send(written, transport);
          }
        },
      ),
      { seed: SEED + 7, numRuns: 150 },
    );
  });
});
