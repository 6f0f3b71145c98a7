import fc from 'fast-check';
import * as http from 'node:http';
import { diag } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import * as opentracing from 'opentracing';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS } from '../../src/limits';
import { initTracer } from '../../src/jaeger/init-tracer';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import type { JaegerExtractor, JaegerInjector, JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { KeepingExporter } from '../helpers/sdk';

// Issue 14: random hostile carriers through 1 to 5 hops of every propagation set-up a migrating
// fleet runs (W3C, Jaeger, both, B3 with W3C baggage, and jaeger-client's own Zipkin B3 codec as a
// custom injector/extractor), over fetch or handed on in process. At every hop the trace id is
// kept, the baggage is exactly what the first service set (within the limits), and every header
// written is one Node's http accepts.

const SEED = 0x5eed_1400;
const TRACE_ID = /^[0-9a-f]{32}$/;
/** Text with a lone surrogate cannot be encoded into a header by any format: not a value anyone sends. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// The real jaeger-client's codec: foreign code registered on the shim, as the migration guide shows.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ZipkinB3TextMapCodec } = require('jaeger-client') as {
  ZipkinB3TextMapCodec: new (options?: { urlEncoding?: boolean }) => JaegerInjector & JaegerExtractor;
};

type Setup = 'w3c' | 'jaeger' | 'both' | 'b3' | 'codec';
const SETUPS: readonly Setup[] = ['w3c', 'jaeger', 'both', 'b3', 'codec'];
/** The trace context and baggage formats each set-up writes and reads. */
const FORMATS: Record<Setup, { trace: string[]; baggage: string[] }> = {
  w3c: { trace: ['traceparent'], baggage: ['baggage'] },
  jaeger: { trace: ['uber'], baggage: ['uberctx'] },
  both: { trace: ['traceparent', 'uber'], baggage: ['baggage', 'uberctx'] },
  b3: { trace: ['b3'], baggage: ['baggage'] },
  codec: { trace: ['b3'], baggage: ['uberctx'] },
};
const overlaps = (a: string[], b: string[]) => a.some((name) => b.includes(name));
/** The set-ups that can read what `from` wrote: its trace context and its baggage. */
const readersOf = (from: Setup) =>
  SETUPS.filter((to) => overlaps(FORMATS[from].trace, FORMATS[to].trace) && overlaps(FORMATS[from].baggage, FORMATS[to].baggage));

describe('hostile carriers through hops of every propagation set-up', () => {
  const tracers = new Map<Setup, JaegerTracer>();

  beforeAll(() => {
    // The api's diag stays silent here; the bounds under test warn by design.
    diag.disable();
    const w3c = () => [new W3CTraceContextPropagator(), new W3CBaggagePropagator()];
    const propagators: Record<Exclude<Setup, 'codec'>, TextMapPropagator> = {
      w3c: new CompositePropagator({ propagators: w3c() }),
      jaeger: new JaegerPropagator({ urlEncoding: true }),
      both: new CompositePropagator({ propagators: [...w3c(), new JaegerPropagator({ urlEncoding: true })] }),
      b3: new CompositePropagator({ propagators: [new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }), new W3CBaggagePropagator()] }),
    };
    for (const setup of SETUPS) {
      const propagator = setup === 'codec' ? new JaegerPropagator({ urlEncoding: true }) : propagators[setup];
      const tracer = initTracer(
        { serviceName: `hop-${setup}`, sampler: { type: 'const', param: 1 } },
        { exporter: new KeepingExporter(), httpHeadersPropagator: propagator, textMapPropagator: propagator },
      );
      if (setup === 'codec') {
        const codec = new ZipkinB3TextMapCodec({ urlEncoding: true });
        tracer.registerInjector(opentracing.FORMAT_HTTP_HEADERS, codec);
        tracer.registerExtractor(opentracing.FORMAT_HTTP_HEADERS, codec);
      }
      tracers.set(setup, tracer);
    }
  });

  afterAll(async () => {
    await Promise.all([...tracers.values()].map((tracer) => tracer.close()));
  });

  // Lower-case keys (the key case rule has its own property test); values any well-formed text,
  // control characters, `%`, `,`, `;`, `=` and non-Latin-1 included.
  const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }).filter((value) => !LONE_SURROGATE.test(value));
  const baggage = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), text, {
    minKeys: 1,
    maxKeys: 12,
  });
  // What strangers add to a request: headers that are not trace context or baggage, any value,
  // CR, LF, NUL and non-Latin-1 included, some of them large.
  const junk = fc.dictionary(
    fc.stringMatching(/^x-[a-z0-9-]{1,12}$/),
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 64 }),
      fc.string({ maxLength: 4 }).map((text) => text.repeat(2_000)),
    ),
    { maxKeys: 20 },
  );
  const hop = fc.record({ pick: fc.nat(), fetch: fc.boolean(), junk });

  /** What a hop's transport delivers of `written`: every header must be one Node's http accepts. */
  function send(written: Record<string, string>, fetch: boolean): Record<string, string> {
    for (const [name, value] of Object.entries(written)) {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
    }
    return fetch ? Object.fromEntries(new Headers(written)) : { ...written };
  }

  it('keeps the trace id and the baggage, and writes only valid headers, at every hop', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SETUPS), baggage, fc.array(hop, { minLength: 1, maxLength: 5 }), (first, items, hops) => {
        // The first service starts the trace and sets the baggage.
        const origin = tracers.get(first) as JaegerTracer;
        const root = origin.startSpan('origin');
        for (const [key, value] of Object.entries(items)) root.setBaggageItem(key, value);
        const traceId = (root.context() as unknown as { toTraceId(): string }).toTraceId();
        let written: Record<string, string> = {};
        origin.inject(root, opentracing.FORMAT_HTTP_HEADERS, written);
        root.finish();

        let previous = first;
        for (const [index, { pick, fetch, junk: extra }] of hops.entries()) {
          const readers = readersOf(previous);
          const setup = readers[pick % readers.length];
          const tracer = tracers.get(setup) as JaegerTracer;
          const received = { ...Object.fromEntries(Object.entries(extra).filter(([name]) => !(name in written))), ...send(written, fetch) };

          const span = tracer.startSpan(`hop ${index}`, { childOf: tracer.extract(opentracing.FORMAT_HTTP_HEADERS, received) ?? undefined });
          const context = span.context() as unknown as { toTraceId(): string; baggage: Record<string, string> };
          if (context.toTraceId() !== traceId || !TRACE_ID.test(traceId))
            throw new Error(`hop ${index} (${previous} -> ${setup}): trace ${context.toTraceId()}, not ${traceId}`);
          const kept = context.baggage;
          if (JSON.stringify(Object.entries(kept).sort()) !== JSON.stringify(Object.entries(items).sort())) {
            throw new Error(`hop ${index} (${previous} -> ${setup}): baggage ${JSON.stringify(kept)}, not ${JSON.stringify(items)}`);
          }
          written = {};
          tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, written);
          span.finish();
          const bytes = Object.entries(kept).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
          if (Object.keys(kept).length > MAX_BAGGAGE_ITEMS || bytes > MAX_BAGGAGE_BYTES) throw new Error(`hop ${index}: baggage over the limits`);
          previous = setup;
        }
        // The last hop's headers must be valid too.
        send(written, false);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
