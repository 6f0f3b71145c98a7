/**
 * `@opentelemetry/shim-opentracing` (the official, deprecated shim) next to this package, both on
 * the real SDK: first one program written for the official shim, run unchanged on both (what
 * code relies on keeps working), then each documented behaviour difference, run on both
 * (docs/migrating-from-official-shim.md has the table and the reasons).
 */
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Baggage, Span as OtelSpan, SpanContext as OtelSpanContext, TextMapPropagator, Tracer as OtelTracer } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator, hrTimeToMilliseconds } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TracerShim as OfficialTracerShim } from '@opentelemetry/shim-opentracing';
// The official package exports only TracerShim; code that wraps OpenTelemetry objects reaches
// its other classes through this deep import (the package has no "exports" map to stop it).
import { SpanContextShim as OfficialSpanContextShim, SpanShim as OfficialSpanShim } from '@opentelemetry/shim-opentracing/build/src/shim';
import * as opentracing from 'opentracing';
import { LINK_REF_TYPE_ATTRIBUTE, SpanContextShim, SpanShim, TracerShim } from '../../src';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';
import { RecordingSampler } from '../helpers/recording-sampler';
import { SDK_LINE, createTestSdk, registerGlobals, resetGlobals } from '../helpers/sdk';
import type { TestSdk } from '../helpers/sdk';

/** The constructor as code written for the official shim calls it. */
type ShimClass = new (
  tracer: OtelTracer,
  propagators?: { textMapPropagator?: TextMapPropagator; httpHeadersPropagator?: TextMapPropagator },
) => opentracing.Tracer;

/** The official shim's extra methods, as its users reach them (its entry exports only TracerShim). */
interface ShimSpan extends opentracing.Span {
  getSpan(): OtelSpan;
}
interface ShimSpanContext extends opentracing.SpanContext {
  getSpanContext(): OtelSpanContext;
  getBaggage(): Baggage;
  getBaggageItem(key: string): string | undefined;
}

type SpanShimClass = new (tracer: opentracing.Tracer, span: OtelSpan, baggage: Baggage) => ShimSpan;
type SpanContextShimClass = new (spanContext: OtelSpanContext, baggage: Baggage) => ShimSpanContext;

const SHIMS: [string, ShimClass][] = [
  ['@opentelemetry/shim-opentracing', OfficialTracerShim],
  ['opentracing-otel-shim', TracerShim],
];

interface Setup {
  sdk: TestSdk;
  tracer: opentracing.Tracer;
}

function setup(Shim: ShimClass, sdk = createTestSdk()): Setup {
  return { sdk, tracer: new Shim(sdk.provider.getTracer('app')) };
}

/** A span context of another OpenTracing tracer (jaeger-client's has these two methods). */
class ForeignSpanContext extends opentracing.SpanContext {
  override toTraceId(): string {
    return '0af7651916cd43dd8448eb211c80319c';
  }

  override toSpanId(): string {
    return 'b7ad6b7169203331';
  }
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

function linksOf(span: ReadableSpan): { spanId: string; attributes: unknown }[] {
  return span.links.map((link) => ({ spanId: link.context.spanId, attributes: link.attributes }));
}

/**
 * A small service written for the official shim: a server span with baggage, its context sent
 * through HTTP headers (W3C) and a text map (B3, so each format's propagator shows), a client
 * child span from the extracted context with tags, logs and a new name, an OpenTelemetry span
 * inside it, and the OpenTelemetry objects reached through `getSpan()`, `getSpanContext()` and
 * `getBaggage()`. Returns what it saw, without ids, so the two runs can be compared.
 */
function service(Shim: ShimClass): unknown {
  const sdk = createTestSdk();
  const otelTracer = sdk.provider.getTracer('app');
  const tracer = new Shim(otelTracer, {
    httpHeadersPropagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    textMapPropagator: new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  });

  const server = tracer.startSpan('server', { tags: { component: 'http' } }) as ShimSpan;
  server.setBaggageItem('user', 'alice');
  const headers: Record<string, string> = {};
  tracer.inject(server.context(), opentracing.FORMAT_HTTP_HEADERS, headers);
  const textMap: Record<string, string> = {};
  tracer.inject(server, opentracing.FORMAT_TEXT_MAP, textMap);

  const fromHeaders = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, headers) as ShimSpanContext;
  const fromTextMap = tracer.extract(opentracing.FORMAT_TEXT_MAP, textMap) as ShimSpanContext;
  const client = tracer.startSpan('client', { childOf: fromHeaders }) as ShimSpan;
  client.setTag('http.status_code', 200).addTags({ 'peer.service': 'billing' });
  client.log({ attempt: 2, reason: 'timeout' });
  client.logEvent('cache-miss', { key: 'cart' });
  client.setOperationName('client GET');
  context.with(trace.setSpan(context.active(), client.getSpan()), () => otelTracer.startSpan('otel inside').end());
  const failed = tracer.startSpan('failed', { childOf: client }) as ShimSpan;
  failed.setTag(opentracing.Tags.ERROR, true);
  failed.finish();
  const clientContext = client.context() as ShimSpanContext;
  const seen = {
    headers: Object.keys(headers).sort(),
    textMap: Object.keys(textMap).sort(),
    extractedRemote: [fromHeaders.getSpanContext().isRemote, fromTextMap.getSpanContext().isRemote],
    extractedIds: fromHeaders.toTraceId() === server.context().toTraceId() && fromTextMap.toSpanId() === server.context().toSpanId(),
    serverBaggage: (server.context() as ShimSpanContext).getBaggage().getEntry('user')?.value,
    extractedBaggage: fromHeaders.getBaggageItem('user'),
    clientBaggage: client.getBaggageItem('user'),
    clientIds: clientContext.getSpanContext().spanId === client.getSpan().spanContext().spanId,
    tracer: client.tracer() === tracer,
  };
  client.finish(Date.now());
  server.finish();

  const spans = Object.fromEntries(sdk.spans().map((span) => [span.spanContext().spanId, span.name]));
  return {
    ...seen,
    spans: sdk.spans().map((span) => ({
      name: span.name,
      parent: spans[parentOf(span) ?? ''] ?? parentOf(span),
      sameTrace: span.spanContext().traceId === server.context().toTraceId(),
      attributes: span.attributes,
      // Without the `event` attribute, which only ours adds for logEvent(); see "log fields" below.
      events: span.events.map((event) => [event.name, withoutEventKey(event.attributes)]),
      status: span.status.code,
    })),
  };
}

afterEach(() => resetGlobals());

describe('code written for @opentelemetry/shim-opentracing', () => {
  beforeEach(() => registerGlobals());

  it('should see the same spans, propagation and OpenTelemetry objects with either shim', () => {
    const official = service(OfficialTracerShim);
    expect(official).toEqual({
      headers: ['baggage', 'traceparent'],
      textMap: ['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid'],
      extractedRemote: [true, true],
      extractedIds: true,
      serverBaggage: 'alice',
      extractedBaggage: 'alice',
      clientBaggage: 'alice',
      clientIds: true,
      tracer: true,
      spans: [
        { name: 'otel inside', parent: 'client GET', sameTrace: true, attributes: {}, events: [], status: SpanStatusCode.UNSET },
        { name: 'failed', parent: 'client GET', sameTrace: true, attributes: {}, events: [], status: SpanStatusCode.ERROR },
        {
          name: 'client GET',
          parent: 'server',
          sameTrace: true,
          attributes: { 'http.status_code': 200, 'peer.service': 'billing' },
          events: [
            ['log', { attempt: 2, reason: 'timeout' }],
            ['cache-miss', { key: 'cart' }],
          ],
          status: SpanStatusCode.UNSET,
        },
        { name: 'server', parent: undefined, sameTrace: true, attributes: { component: 'http' }, events: [], status: SpanStatusCode.UNSET },
      ],
    });
    expect(service(TracerShim)).toEqual(official);
  });

  it.each(SHIMS)('should make a span started inside an active OpenTelemetry span its child (%s)', (_name, Shim) => {
    const { sdk, tracer } = setup(Shim);
    const otelParent = sdk.provider.getTracer('app').startSpan('otel parent');
    context.with(trace.setSpan(context.active(), otelParent), () => tracer.startSpan('ot child').finish());
    otelParent.end();
    expect(parentOf(sdk.span('ot child'))).toBe(otelParent.spanContext().spanId);
  });

  it.each<[string, ShimClass, SpanShimClass, SpanContextShimClass]>([
    // Its SpanShim types the tracer parameter as its own TracerShim, hence the cast.
    ['@opentelemetry/shim-opentracing', OfficialTracerShim, OfficialSpanShim as unknown as SpanShimClass, OfficialSpanContextShim],
    ['opentracing-otel-shim', TracerShim, SpanShim, SpanContextShim],
  ])('should wrap OpenTelemetry spans and span contexts with the SpanShim and SpanContextShim constructors (%s)', (_name, Tracer, Span, SpanContext) => {
    const sdk = createTestSdk();
    const tracer = new Tracer(sdk.provider.getTracer('app'));
    const otelSpan = sdk.provider.getTracer('app').startSpan('otel');
    const wrapped = new Span(tracer, otelSpan, propagation.createBaggage({ user: { value: 'alice' } }));
    wrapped.setTag('order', 7);
    expect(wrapped.getSpan()).toBe(otelSpan);
    expect(wrapped.getBaggageItem('user')).toBe('alice');
    const child = tracer.startSpan('child', { childOf: new SpanContext(otelSpan.spanContext(), propagation.createBaggage()) });
    child.finish();
    wrapped.finish();
    expect(sdk.span('otel').attributes).toEqual({ order: 7 });
    expect(parentOf(sdk.span('child'))).toBe(otelSpan.spanContext().spanId);
  });

  it('should accept the official shim\u2019s span contexts in this shim, for a gradual switch', () => {
    const sdk = createTestSdk();
    const official = new OfficialTracerShim(sdk.provider.getTracer('old'));
    const ours = new TracerShim(sdk.provider.getTracer('new'));
    const parent = official.startSpan('old code');
    parent.setBaggageItem('tenant', 'acme');
    const child = ours.startSpan('new code', { childOf: parent });
    expect(child.getBaggageItem('tenant')).toBe('acme');
    child.finish();
    parent.finish();
    expect(parentOf(sdk.span('new code'))).toBe(parent.context().toSpanId());
  });
});

describe('behaviour differences (official, then ours)', () => {
  let diag: DiagCapture;
  beforeEach(() => {
    registerGlobals();
    diag = captureDiag();
  });
  afterEach(() => diag.stop());

  it('references: the parent is the first ChildOf reference, else the first one; every reference is a link with opentracing.ref_type', () => {
    const run = (Shim: ShimClass) => {
      const { sdk, tracer } = setup(Shim);
      const a = tracer.startSpan('a');
      const b = tracer.startSpan('b');
      tracer.startSpan('follows', { references: [opentracing.followsFrom(a.context())] }).finish();
      tracer.startSpan('two parents', { references: [opentracing.childOf(a.context()), opentracing.childOf(b.context())] }).finish();
      tracer.startSpan('childOf', { childOf: a }).finish();
      tracer.startSpan('foreign', { references: [opentracing.childOf(new ForeignSpanContext())] }).finish();
      a.finish();
      b.finish();
      const [idA, idB] = [a.context().toSpanId(), b.context().toSpanId()];
      return ['follows', 'two parents', 'childOf', 'foreign'].map((name) => {
        const span = sdk.span(name);
        const parent = parentOf(span);
        return {
          name,
          parent: parent === idA ? 'a' : parent === idB ? 'b' : parent,
          links: linksOf(span).map((l) => [l.spanId === idA ? 'a' : l.spanId === idB ? 'b' : l.spanId, l.attributes]),
        };
      });
    };
    expect(run(OfficialTracerShim)).toEqual([
      { name: 'follows', parent: undefined, links: [['a', { 'span.kind': 'follows_from' }]] },
      {
        name: 'two parents',
        parent: undefined,
        links: [
          ['a', { 'span.kind': 'child_of' }],
          ['b', { 'span.kind': 'child_of' }],
        ],
      },
      { name: 'childOf', parent: 'a', links: [] },
      { name: 'foreign', parent: undefined, links: [] },
    ]);
    expect(run(TracerShim)).toEqual([
      { name: 'follows', parent: 'a', links: [['a', { [LINK_REF_TYPE_ATTRIBUTE]: 'follows_from' }]] },
      {
        name: 'two parents',
        parent: 'a',
        links: [
          ['a', { [LINK_REF_TYPE_ATTRIBUTE]: 'child_of' }],
          ['b', { [LINK_REF_TYPE_ATTRIBUTE]: 'child_of' }],
        ],
      },
      { name: 'childOf', parent: 'a', links: [['a', { [LINK_REF_TYPE_ATTRIBUTE]: 'child_of' }]] },
      { name: 'foreign', parent: 'b7ad6b7169203331', links: [['b7ad6b7169203331', { [LINK_REF_TYPE_ATTRIBUTE]: 'child_of' }]] },
    ]);
  });

  it('start tags: samplers see them; span.kind becomes the SpanKind; an error tag sets the status', () => {
    const run = (Shim: ShimClass) => {
      const sampler = new RecordingSampler();
      const { sdk, tracer } = setup(Shim, createTestSdk({ sampler }));
      tracer.startSpan('GET /cart', { tags: { 'span.kind': 'server', error: true, 'http.method': 'GET' } }).finish();
      const span = sdk.span('GET /cart');
      return {
        sampled: sampler.calls[0].attributes,
        samplerKind: sampler.calls[0].spanKind,
        kind: span.kind,
        status: span.status.code,
        attributes: span.attributes,
      };
    };
    expect(run(OfficialTracerShim)).toEqual({
      sampled: {},
      samplerKind: SpanKind.INTERNAL,
      kind: SpanKind.INTERNAL,
      status: SpanStatusCode.UNSET,
      attributes: { 'span.kind': 'server', error: true, 'http.method': 'GET' },
    });
    expect(run(TracerShim)).toEqual({
      sampled: { 'http.method': 'GET' },
      samplerKind: SpanKind.SERVER,
      kind: SpanKind.SERVER,
      status: SpanStatusCode.ERROR,
      attributes: { 'http.method': 'GET' },
    });
  });

  it('span.kind set after startSpan (express-opentracing does): the SpanKind too', () => {
    const run = (Shim: ShimClass) => {
      const { sdk, tracer } = setup(Shim);
      tracer.startSpan('handler').setTag(opentracing.Tags.SPAN_KIND, opentracing.Tags.SPAN_KIND_RPC_SERVER).finish();
      return sdk.span('handler').kind;
    };
    expect(run(OfficialTracerShim)).toBe(SpanKind.INTERNAL);
    expect(run(TracerShim)).toBe(SpanKind.SERVER);
  });

  it('an Error object in an error log: an exception event with its type, message and stack', () => {
    const run = (Shim: ShimClass) => {
      const { sdk, tracer } = setup(Shim);
      const span = tracer.startSpan('pay');
      span.log({ event: 'error', 'error.object': new TypeError('card declined') });
      span.finish();
      return sdk.span('pay').events.map((event) => ({ name: event.name, attributes: event.attributes }));
    };
    // The official shim passes the Error object as an attribute value, which the SDK drops.
    expect(run(OfficialTracerShim)).toEqual([{ name: 'exception', attributes: { event: 'error' } }]);
    expect(run(TracerShim)).toEqual([
      {
        name: 'exception',
        attributes: {
          'exception.type': 'TypeError',
          'exception.message': 'card declined',
          'exception.stacktrace': expect.stringContaining('TypeError: card declined'),
        },
      },
    ]);
  });

  it('log fields: the event key is an attribute of a log event (also from logEvent in ours), not of an exception event in ours', () => {
    const run = (Shim: ShimClass) => {
      const { sdk, tracer } = setup(Shim);
      const span = tracer.startSpan('fetch');
      span.log({ event: 'retry', attempt: 2 }).log({ event: 'error', message: 'timeout' });
      span.logEvent('cache-miss', { key: 'cart' });
      span.finish();
      return sdk.span('fetch').events.map((event) => [event.name, event.attributes]);
    };
    expect(run(OfficialTracerShim)).toEqual([
      ['retry', { event: 'retry', attempt: 2 }],
      ['exception', { event: 'error', 'exception.message': 'timeout' }],
      ['cache-miss', { key: 'cart' }],
    ]);
    expect(run(TracerShim)).toEqual([
      ['retry', { event: 'retry', attempt: 2 }],
      ['exception', { 'exception.message': 'timeout' }],
      ['cache-miss', { event: 'cache-miss', key: 'cart' }],
    ]);
  });

  it('object values in tags and logs: kept as JSON strings', () => {
    const run = (Shim: ShimClass) => {
      const { sdk, tracer } = setup(Shim);
      tracer
        .startSpan('order')
        .setTag('order', { id: 7 })
        .log({ event: 'stock', item: { sku: 'x1' } })
        .finish();
      const span = sdk.span('order');
      return { attributes: span.attributes, event: span.events[0].attributes };
    };
    // The official shim hands the object to the SDK as it is: 2.x drops it with a warning, 3.x (whose
    // span attributes take any value) keeps it as a map, which OTLP receivers may not display.
    expect(run(OfficialTracerShim)).toEqual({ attributes: SDK_LINE === 3 ? { order: { id: 7 } } : {}, event: { event: 'stock' } });
    expect(diag.matching('Invalid attribute value set for key: order')).toHaveLength(SDK_LINE === 3 ? 0 : 1);
    expect(run(TracerShim)).toEqual({ attributes: { order: '{"id":7}' }, event: { event: 'stock', item: '{"sku":"x1"}' } });
  });

  it('error false then error true: the last tag wins', () => {
    const run = (Shim: ShimClass) => {
      const { sdk, tracer } = setup(Shim);
      tracer.startSpan('retry').setTag('error', false).setTag('error', true).finish();
      return sdk.span('retry').status.code;
    };
    expect(run(OfficialTracerShim)).toBe(SpanStatusCode.OK); // the SDK keeps Ok once set
    expect(run(TracerShim)).toBe(SpanStatusCode.ERROR);
  });

  it('setBaggageItem: span contexts are immutable, and baggage passes through references too', () => {
    const run = (Shim: ShimClass) => {
      const { tracer } = setup(Shim);
      const span = tracer.startSpan('parent');
      const before = span.context();
      span.setBaggageItem('user', 'alice');
      const viaReference = tracer.startSpan('child', { references: [opentracing.childOf(span.context())] });
      return {
        before: (before as ShimSpanContext).getBaggage().getEntry('user')?.value,
        after: span.getBaggageItem('user'),
        viaReference: viaReference.getBaggageItem('user'),
      };
    };
    expect(run(OfficialTracerShim)).toEqual({ before: 'alice', after: 'alice', viaReference: undefined });
    expect(run(TracerShim)).toEqual({ before: undefined, after: 'alice', viaReference: 'alice' });
  });

  it('extract of a carrier with baggage and no trace context: a span context with the baggage', () => {
    const carrier = { baggage: 'user=alice' };
    expect(setup(OfficialTracerShim).tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier)).toBeNull();
    const { tracer } = setup(TracerShim);
    const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) as ShimSpanContext;
    expect(extracted.getBaggage().getEntry('user')?.value).toBe('alice');
    expect(tracer.startSpan('job', { childOf: extracted }).getBaggageItem('user')).toBe('alice');
  });

  it('FORMAT_BINARY: inject writes carrier.buffer and extract reads it back', () => {
    const run = (Shim: ShimClass) => {
      const { tracer } = setup(Shim);
      const span = tracer.startSpan('send');
      span.setBaggageItem('user', 'alice');
      const carrier = {} as opentracing.BinaryCarrier;
      tracer.inject(span.context(), opentracing.FORMAT_BINARY, carrier);
      const extracted = 'buffer' in carrier ? (tracer.extract(opentracing.FORMAT_BINARY, carrier) as ShimSpanContext | null) : null;
      return { written: 'buffer' in carrier, sameSpan: extracted?.toSpanId() === span.context().toSpanId(), baggage: extracted?.getBaggageItem('user') };
    };
    expect(run(OfficialTracerShim)).toEqual({ written: false, sameSpan: false, baggage: undefined });
    expect(diag.matching('does not support FORMAT_BINARY')).toHaveLength(1);
    expect(run(TracerShim)).toEqual({ written: true, sameSpan: true, baggage: 'alice' });
  });

  it('an unknown format: nothing injected, null extracted, and a diag warning', () => {
    const run = (Shim: ShimClass) => {
      const { tracer } = setup(Shim);
      const carrier = {};
      tracer.inject(tracer.startSpan('x').context(), 'amqp-headers', carrier);
      return { carrier, extracted: tracer.extract('amqp-headers', { traceparent: 'x' }) };
    };
    expect(run(OfficialTracerShim)).toEqual({ carrier: {}, extracted: null });
    expect(diag.messages).toEqual([]);
    expect(run(TracerShim)).toEqual({ carrier: {}, extracted: null });
    expect(diag.matching('unknown format amqp-headers')).toHaveLength(2);
  });

  it('inject of another tracer\u2019s span context: injected instead of a TypeError', () => {
    const run = (Shim: ShimClass) => {
      const { tracer } = setup(Shim);
      const carrier: Record<string, string> = {};
      tracer.inject(new ForeignSpanContext(), opentracing.FORMAT_HTTP_HEADERS, carrier);
      return carrier.traceparent;
    };
    expect(() => run(OfficialTracerShim)).toThrow(TypeError);
    expect(run(TracerShim)).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('getSpan() after finish(): a non-recording span with the same span context, not the ended span', () => {
    const run = (Shim: ShimClass) => {
      const { sdk, tracer } = setup(Shim);
      const span = tracer.startSpan('done') as ShimSpan;
      span.finish();
      const after = span.getSpan();
      return {
        exported: after === (sdk.span('done') as unknown),
        recording: after.isRecording(),
        sameIds: after.spanContext().spanId === span.context().toSpanId(),
      };
    };
    expect(run(OfficialTracerShim)).toEqual({ exported: true, recording: false, sameIds: true });
    expect(run(TracerShim)).toEqual({ exported: false, recording: false, sameIds: true });
  });

  it('timestamps are milliseconds since the epoch, whatever their value', () => {
    const run = (Shim: ShimClass) => {
      const { sdk, tracer } = setup(Shim);
      tracer.startSpan('replayed', { startTime: 1_000.5 }).finish(2_000);
      const span = sdk.span('replayed');
      return { start: span.startTime, end: span.endTime };
    };
    // The official shim hands the number to the SDK, which guesses: below half of
    // performance.timeOrigin (below all of it before opentelemetry-js#6773, so any time before
    // the process started: opentelemetry-js#5803) it reads milliseconds since process start.
    const official = run(OfficialTracerShim);
    expect(hrTimeToMilliseconds(official.start)).toBeCloseTo(performance.timeOrigin + 1_000.5, -1);
    expect(run(TracerShim)).toEqual({ start: [1, 500_000], end: [2, 0] });
  });

  it('a span started with no references: the active OpenTelemetry Baggage is its baggage', () => {
    const run = (Shim: ShimClass) => {
      const { tracer } = setup(Shim);
      const active = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'acme' } }));
      return context.with(active, () => tracer.startSpan('job').getBaggageItem('tenant'));
    };
    expect(run(OfficialTracerShim)).toBeUndefined();
    expect(run(TracerShim)).toBe('acme');
  });

  it('the OpenTelemetry span is created at first use, not at startSpan', () => {
    const run = (Shim: ShimClass) => {
      const started: string[] = [];
      const onStart: SpanProcessor = {
        onStart: (span) => started.push(span.name),
        onEnd: () => undefined,
        forceFlush: async () => undefined,
        shutdown: async () => undefined,
      };
      const { sdk, tracer } = setup(Shim, createTestSdk({ spanProcessors: [onStart] }));
      const span = tracer.startSpan('lazy', { startTime: Date.now() - 5 });
      const beforeUse = started.length;
      span.setTag('span.kind', 'consumer').finish();
      return { beforeUse, afterFinish: started.length, kind: sdk.span('lazy').kind };
    };
    expect(run(OfficialTracerShim)).toEqual({ beforeUse: 1, afterFinish: 1, kind: SpanKind.INTERNAL });
    expect(run(TracerShim)).toEqual({ beforeUse: 0, afterFinish: 1, kind: SpanKind.CONSUMER });
  });
});

function withoutEventKey(attributes: Attributes | undefined): Attributes {
  const { event: _event, ...rest } = attributes ?? {};
  return rest;
}
