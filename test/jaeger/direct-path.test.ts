import fc from 'fast-check';
import { diag } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { initTracer } from '../../src/jaeger/init-tracer';
import { KeepingExporter } from '../helpers/sdk';
import { limitInjectedEntries } from '../../src/limits';
import type { SpanContextShim } from '../../src/span-context-shim';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';
import { anyValue, carrier, textCarrier, uberTraceId } from '../property/arbitraries';

// JaegerTracer writes and reads a JaegerPropagator that stands alone straight from and into its
// span contexts with the propagator's own carrier reader and writer, without the OpenTelemetry
// propagation API (jaeger-tracer.ts, `injectJaeger` / `extractJaeger`). A subclass that overrides
// `inject` and `extract` goes through the API, so the two paths are compared here on the same
// input: they must give the same contexts and write the same carriers.
const SEED = 0x5eed_0500;

/** Carriers in the Jaeger format: any mix of its headers, in any case, with valid and broken values. */
const jaegerCarrier: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      trace: fc.tuple(fc.constantFrom('uber-trace-id', 'Uber-Trace-Id', 'UBER-TRACE-ID'), uberTraceId),
      debugId: fc.tuple(fc.constantFrom('jaeger-debug-id', 'Jaeger-Debug-Id'), fc.oneof(fc.string({ maxLength: 8 }), fc.constant('abc%20def'))),
      items: fc.array(
        fc.tuple(
          fc.constantFrom('uberctx-', 'UberCtx-'),
          fc.string({ maxLength: 8 }),
          fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('a%2Fb', '%E0%A4%A', '42')),
        ),
      ),
      list: fc.tuple(
        fc.constantFrom('jaeger-baggage', 'Jaeger-Baggage'),
        fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('k1=v1, k2=v2', 'a=1,,b=2=3, =4')),
      ),
    },
    { requiredKeys: [] },
  )
  .map(({ trace, debugId, items, list }) => {
    const headers: Record<string, unknown> = {};
    if (trace !== undefined) headers[trace[0]] = trace[1];
    if (debugId !== undefined) headers[debugId[0]] = debugId[1];
    for (const [prefix, key, value] of items ?? []) headers[prefix + key] = value;
    if (list !== undefined) headers[list[0]] = list[1];
    return headers;
  });

/** Same rules, but its own `inject` and `extract`: JaegerTracer then uses the OpenTelemetry propagation API. */
class ThroughTheApi extends JaegerPropagator {
  override inject(...args: Parameters<JaegerPropagator['inject']>): void {
    super.inject(...args);
  }

  override extract(...args: Parameters<JaegerPropagator['extract']>): ReturnType<JaegerPropagator['extract']> {
    return super.extract(...args);
  }
}

function tracers(urlEncoding: boolean): { direct: JaegerTracer; api: JaegerTracer } {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  return {
    direct: new JaegerTracer(provider, {
      httpHeadersPropagator: new JaegerPropagator({ urlEncoding }),
      textMapPropagator: new JaegerPropagator({ urlEncoding }),
    }),
    api: new JaegerTracer(provider, { httpHeadersPropagator: new ThroughTheApi({ urlEncoding }), textMapPropagator: new ThroughTheApi({ urlEncoding }) }),
  };
}

/** Everything an extracted context says, in a form `toEqual` compares. */
function picture(context: SpanContextShim | null): unknown {
  if (context === null) return null;
  if (!(context instanceof JaegerSpanContext)) return { notJaeger: true };
  const spanContext = context.getSpanContext();
  const entries = context
    .getBaggage()
    .getAllEntries()
    .map(([key, entry]) => [key, entry.value])
    .sort();
  return {
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    traceFlags: spanContext.traceFlags,
    isRemote: spanContext.isRemote,
    flags: context.flags,
    parent: context.getParentSpanId(),
    debugId: context.debugId,
    header: context.toString(),
    entries,
    items: entries.map(([key]) => [key, context.getBaggageItem(key)]),
  };
}

function sortedCarrier(written: Record<string, unknown>): unknown {
  return Object.entries(written).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('JaegerTracer with a JaegerPropagator alone (the direct path)', () => {
  let captured: DiagCapture;

  beforeEach(() => {
    captured = captureDiag();
  });

  afterAll(() => diag.disable());

  it('extracts from any carrier what the propagation API gives, and injects it back the same', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: jaegerCarrier }, { weight: 1, arbitrary: textCarrier }, { weight: 1, arbitrary: carrier }),
        fc.boolean(),
        fc.constantFrom(opentracing.FORMAT_HTTP_HEADERS, opentracing.FORMAT_TEXT_MAP),
        (source, urlEncoding, format) => {
          const { direct, api } = tracers(urlEncoding);
          const viaDirect = direct.extract(format, source) as SpanContextShim | null;
          const viaApi = api.extract(format, source) as SpanContextShim | null;
          expect(picture(viaDirect)).toEqual(picture(viaApi));
          if (viaDirect === null || viaApi === null) return;
          const writtenDirect: Record<string, unknown> = {};
          const writtenApi: Record<string, unknown> = {};
          direct.inject(viaDirect, format, writtenDirect);
          api.inject(viaApi, format, writtenApi);
          expect(sortedCarrier(writtenDirect)).toEqual(sortedCarrier(writtenApi));
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("injects a span's context, with any baggage, as the propagation API does", () => {
    const baggageKey = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('tenant', 'User_ID', 'a b', 'x\r\ny', '__proto__', 'ключ'));
    const baggageValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('\ud800', 'a%20b', 'line\nbreak', '😀'), anyValue);
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.tuple(baggageKey, baggageValue), { maxLength: 6 }), fc.boolean(), (urlEncoding, items, asChild) => {
        const { direct } = tracers(urlEncoding);
        const apiTracer = tracers(urlEncoding).api;
        const parent = direct.startSpan('parent');
        const span = asChild ? direct.startSpan('child', { childOf: parent }) : parent;
        for (const [key, value] of items) span.setBaggageItem(key, value as string);
        // Over the inject limits the propagation API path drops items (limitInjectedEntries) and
        // the direct path does not yet: the Jaeger headers' own budget is issue 14 item 9.
        const entries = (span.context() as SpanContextShim)._baggageEntries();
        fc.pre(limitInjectedEntries(entries, () => undefined) === entries);
        const writtenDirect: Record<string, unknown> = {};
        const writtenApi: Record<string, unknown> = {};
        direct.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, writtenDirect);
        apiTracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, writtenApi);
        expect(sortedCarrier(writtenDirect)).toEqual(sortedCarrier(writtenApi));
        span.finish();
        parent.finish();
      }),
      { seed: SEED + 1, numRuns: 200 },
    );
  });

  it('never throws for bad span contexts and carriers, and says why through diag', () => {
    const { direct } = tracers(true);
    const frozen = Object.freeze({});
    for (const bad of [null, undefined, 42, 'text', {}, { context: 'x' }]) {
      expect(() => direct.inject(bad as never, opentracing.FORMAT_HTTP_HEADERS, {})).not.toThrow();
    }
    // As through the propagation API: one warning for the tracer, however often it happens.
    expect(captured.matching('inject: not a span context; nothing injected')).toHaveLength(1);
    const span = direct.startSpan('s');
    span.setBaggageItem('tenant', 'acme');
    expect(() => direct.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, frozen)).not.toThrow();
    // The core's carrier setter, which the direct path shares, leaves out what the carrier refuses.
    expect(captured.matching('the carrier refused a field, which was left out')).not.toHaveLength(0);
    const throwing = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
      },
    );
    // An empty span context, never null, as jaeger-client's extract.
    expect(String(direct.extract(opentracing.FORMAT_HTTP_HEADERS, throwing))).toBe('0:0:0:0');
    expect(captured.matching('extract failed').filter((message) => message.includes('ownKeys'))).toHaveLength(1);
  });

  it('an extracted context reads its baggage before and after the OpenTelemetry Baggage is made', () => {
    const { direct } = tracers(true);
    const carrierIn = { 'uber-trace-id': 'abc:def:0:1', 'uberctx-tenant': 'acme', 'UBERCTX-user-id': '42%2F7' };
    const extracted = direct.extract(opentracing.FORMAT_HTTP_HEADERS, carrierIn) as JaegerSpanContext;
    // Read through the entries, before getBaggage() made the Baggage.
    expect(extracted.getBaggageItem('tenant')).toBe('acme');
    expect(extracted.getBaggageItem('user-id')).toBe('42/7');
    expect(extracted.getBaggageItem('missing')).toBeUndefined();
    expect(extracted.baggage).toEqual({ tenant: 'acme', 'user-id': '42/7' });
    expect(extracted.getBaggage().getEntry('tenant')?.value).toBe('acme');
    // A child of it inherits the baggage and the trace.
    const child = direct.startSpan('child', { childOf: extracted });
    expect(child.getBaggageItem('tenant')).toBe('acme');
    expect(child.context().toTraceId()).toBe('00000000000000000000000000000abc');
    child.finish();
  });

  it('a context without baggage items is read as empty baggage', () => {
    const { direct } = tracers(true);
    const extracted = direct.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1' }) as JaegerSpanContext;
    expect(extracted.getBaggage().getAllEntries()).toEqual([]);
    expect(extracted.getBaggageItem('tenant')).toBeUndefined();
  });

  it('writes every baggage key right past the bound of its header-name cache, and keeps dropping invalid names', () => {
    const { direct } = tracers(true);
    // 300 keys over two spans: one inject writes at most 180 items.
    const spans = [0, 150].map((first) => {
      const span = direct.startSpan('s');
      for (let i = first; i < first + 150; i++) span.setBaggageItem(`key-${i}`, `v${i}`);
      span.setBaggageItem('bad key', 'x');
      return span;
    });
    for (let round = 0; round < 2; round++) {
      for (const [index, span] of spans.entries()) {
        const written: Record<string, string> = {};
        direct.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, written);
        for (let i = index * 150; i < index * 150 + 150; i++) expect(written[`uberctx-key-${i}`]).toBe(`v${i}`);
        expect(Object.keys(written).filter((key) => key.startsWith('uberctx-'))).toHaveLength(150);
      }
    }
    // Dropped at every inject (150 items written each time); reported once per process, not per inject.
    expect(captured.matching('dropped baggage item "bad key": not a valid HTTP header name')).toHaveLength(1);
    for (const span of spans) span.finish();
  });

  it('custom injectors and extractors still come first', () => {
    const { direct } = tracers(true);
    const seen: string[] = [];
    direct.registerInjector(opentracing.FORMAT_HTTP_HEADERS, { inject: (context) => seen.push(`inject ${context.toString()}`) });
    direct.registerExtractor(opentracing.FORMAT_HTTP_HEADERS, { extract: () => (seen.push('extract'), null) });
    const span = direct.startSpan('s');
    const written: Record<string, string> = {};
    direct.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, written);
    expect(written).toEqual({});
    expect(direct.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abc:def:0:1' })).toBeNull();
    expect(seen).toEqual([`inject ${(span.context() as JaegerSpanContext).toString()}`, 'extract']);
    span.finish();
  });
});

describe('the direct Jaeger path with the carriers of real transports', () => {
  it.each([
    ['Map', () => new Map<string, string>(), (carrier: Map<string, string>) => Object.fromEntries(carrier)],
    ['Headers', () => new Headers(), (carrier: Headers) => Object.fromEntries(carrier)],
  ] as const)('should write and read a %s carrier as the propagator API does', async (_name, make, entries) => {
    const tracer = initTracer(
      { serviceName: 'direct', sampler: { type: 'const', param: 1 } },
      { exporter: new KeepingExporter(), httpHeadersPropagator: new JaegerPropagator({ urlEncoding: true }) },
    );
    const span = tracer.startSpan('out');
    span.setBaggageItem('tenant', 'acme');
    const carrier = make() as Map<string, string> & Headers;
    tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
    const written = entries(carrier as never);
    const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) as JaegerSpanContext;
    span.finish();
    await tracer.close();

    expect(Object.keys(written).sort()).toEqual(['uber-trace-id', 'uberctx-tenant']);
    expect(extracted.toTraceId()).toBe((span.context() as JaegerSpanContext).toTraceId());
    expect(extracted.baggage).toEqual({ tenant: 'acme' });
  });
});
