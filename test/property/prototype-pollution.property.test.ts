import fc from 'fast-check';
import { diag } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { encodeBinary } from '../../src/binary-format';
import { initTracer, initTracerFromEnv } from '../../src/jaeger/init-tracer';
import type { SpanContextShim } from '../../src/span-context-shim';
import { captureDiag } from '../helpers/diag';
import { pollutingJson } from './arbitraries';
import { TRACER_KINDS, World, mustNotThrow, problemsOf } from './world';
import { KeepingExporter } from '../helpers/sdk';

// No input reaches Object.prototype (or any other shared prototype): carriers, tags, log fields,
// baggage, foreign baggage objects, binary baggage, resource tags and JAEGER_TAGS made with
// JSON.parse, so that `__proto__`, `constructor` and `prototype` are real own keys.
const SEED = 0x5eed_0400;
const RUNS = 150;

const SHARED_PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

/** The own property names of the shared prototypes, to compare after a run. */
function prototypeKeys(): string {
  return SHARED_PROTOTYPES.map(([name, prototype]) => `${name}:${Reflect.ownKeys(prototype).map(String).sort().join(',')}`).join('|');
}

const pristine = prototypeKeys();

/** Fails when a shared prototype gained a key or a fresh object sees `polluted`. */
function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined)
    throw new Error('({}).polluted is set: Object.prototype was polluted');
  if (prototypeKeys() !== pristine) throw new Error('a shared prototype gained or lost a property');
}

afterEach(expectNoPollution);

describe.each(TRACER_KINDS)('%s', (kind) => {
  let world: World;

  beforeAll(() => {
    world = new World(kind);
  });

  afterAll(() => world.diag.stop());

  it('carriers, tags, log fields, baggage keys and foreign baggage with own __proto__ / constructor / prototype keys pollute nothing', () => {
    fc.assert(
      fc.property(pollutingJson, pollutingJson, (first, second) => {
        world.reset();
        const parse = (): Record<string, unknown> => JSON.parse(first) as Record<string, unknown>;
        for (const format of [opentracing.FORMAT_TEXT_MAP, opentracing.FORMAT_HTTP_HEADERS, opentracing.FORMAT_BINARY, 'zipkin-b3']) {
          const extracted = mustNotThrow('extract', () => world.tracer.extract(format, parse()));
          if (extracted !== null) world.finish(world.startSpan('child of extracted', { childOf: extracted }));
        }
        const span = world.startSpan('polluting', { tags: parse() });
        mustNotThrow('addTags before use', () => span.addTags(parse()));
        mustNotThrow('log before use', () => span.log(parse()));
        mustNotThrow('logEvent', () => span.logEvent('payload', parse()));
        span.context().toSpanId();
        mustNotThrow('addTags after use', () => span.addTags(JSON.parse(second)));
        mustNotThrow('log after use', () => span.log(JSON.parse(second)));
        for (const key of Object.keys(parse())) mustNotThrow('setBaggageItem', () => span.setBaggageItem(key, second));
        for (const format of [opentracing.FORMAT_TEXT_MAP, opentracing.FORMAT_HTTP_HEADERS, opentracing.FORMAT_BINARY]) {
          const target = parse();
          mustNotThrow('inject', () => world.tracer.inject(span, format, target));
          const back = mustNotThrow('extract what was injected', () => world.tracer.extract(format, target));
          for (const key of Object.keys(parse())) {
            const expected = world.baggageValue(second);
            if ((back as SpanContextShim | null)?.getBaggageItem(world.baggageKey(key)) !== expected)
              throw new Error(`baggage ${key} did not survive ${format}`);
          }
        }
        const foreign = { toTraceId: () => '0af7651916cd43dd8448eb211c80319c', toSpanId: () => 'b7ad6b7169203331', baggage: parse() };
        world.finish(world.startSpan('child of foreign', { childOf: foreign }));
        world.finish(span);
        expectNoPollution();
        world.verify();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('FORMAT_BINARY baggage with own __proto__ / constructor / prototype keys pollutes nothing and keeps every item', () => {
    fc.assert(
      fc.property(pollutingJson, (json) => {
        world.reset();
        const parsed = JSON.parse(json) as Record<string, unknown>;
        const span = world.startSpan('binary');
        const entries = Object.keys(parsed).map((key) => [key, JSON.stringify(parsed[key])] as const);
        for (const [key, value] of entries) span.setBaggageItem(key, value);
        const context = span.context() as SpanContextShim;
        const buffer = encodeBinary(context.getSpanContext(), context.getBaggage());
        const extracted = world.tracer.extract(opentracing.FORMAT_BINARY, { buffer }) as SpanContextShim | null;
        for (const [key, value] of entries) {
          if (extracted?.getBaggageItem(world.baggageKey(key)) !== world.baggageValue(value)) throw new Error(`binary baggage ${key} was lost`);
        }
        world.finish(span);
        expectNoPollution();
        world.verify();
      }),
      { seed: SEED + 1, numRuns: 50 },
    );
  });
});

describe('initTracer and initTracerFromEnv', () => {
  /** An in-memory exporter that keeps its spans through shutdown. */
  const saved = process.env.JAEGER_TAGS;

  afterEach(() => {
    if (saved === undefined) delete process.env.JAEGER_TAGS;
    else process.env.JAEGER_TAGS = saved;
    diag.disable();
  });

  it('resource tags from options.tags and JAEGER_TAGS with own __proto__ / constructor / prototype keys pollute nothing', async () => {
    await fc.assert(
      fc.asyncProperty(pollutingJson, async (json) => {
        captureDiag();
        const exporter = new KeepingExporter();
        const fromOptions = initTracer({ serviceName: 'tags', sampler: { type: 'const', param: 1 } }, { exporter, tags: JSON.parse(json) });
        process.env.JAEGER_TAGS = Object.keys(JSON.parse(json) as object)
          .map((key) => `${key}=x`)
          .join(',');
        const fromEnv = initTracerFromEnv({ serviceName: 'env-tags', sampler: { type: 'const', param: 1 } }, { exporter });
        for (const tracer of [fromOptions, fromEnv]) {
          tracer.startSpan('tagged').finish();
          await tracer.close();
        }
        expectNoPollution();
        const problems = exporter.getFinishedSpans().flatMap(problemsOf);
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }),
      { seed: SEED + 2, numRuns: 40 },
    );
  });

  describe('found by the properties', () => {
    it('a "__proto__" tag set after the span was used does not replace the prototype of the SDK\'s attributes object', () => {
      const world = new World('TracerShim');
      const span = world.tracer.startSpan('used');
      span.context().toSpanId();
      span.addTags(JSON.parse('{"__proto__": ["polluted"]}'));
      span.finish();
      const [exported] = world.sdk.spans();
      world.diag.stop();
      expect(Object.getPrototypeOf(exported.attributes)).toBe(Object.prototype);
    });
  });
});
