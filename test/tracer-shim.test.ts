import {
  INVALID_SPANID,
  INVALID_TRACEID,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  createContextKey,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { Baggage, Context, TextMapPropagator } from '@opentelemetry/api';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { validateHeaderValue } from 'node:http';
import * as opentracing from 'opentracing';
import { LINK_REF_TYPE_ATTRIBUTE, SHIM_TRACER_NAME } from '../src/constants';
import * as entry from '../src/index';
import { SpanContextShim } from '../src/span-context-shim';
import { SpanShim } from '../src/span-shim';
import { TracerShim, createTracerShim } from '../src/tracer-shim';
import { VERSION } from '../src/version';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS, w3cMemberLength } from '../src/limits';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';
import { growthFrom } from './helpers/growth';
import { RecordingSampler } from './helpers/recording-sampler';
import { createTestSdk, registerGlobals, resetGlobals } from './helpers/sdk';
import type { TestSdk } from './helpers/sdk';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client');

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/**
 * What `jaeger-debug-id` does for jaeger-client: a span context with no ids whose sampled flag
 * is set. A real TextMapPropagator, written here because no installed propagator produces one.
 */
const debugIdPropagator: TextMapPropagator = {
  inject() {},
  extract(ctx, carrier, getter) {
    if (getter.get(carrier, 'jaeger-debug-id') === undefined) return ctx;
    return trace.setSpanContext(ctx, { traceId: INVALID_TRACEID, spanId: INVALID_SPANID, traceFlags: TraceFlags.SAMPLED });
  },
  fields: () => ['jaeger-debug-id'],
};

type ShimContext = SpanContextShim;

describe('TracerShim', () => {
  let sdk: TestSdk;
  let tracer: TracerShim;
  let logs: DiagCapture;

  beforeEach(() => {
    sdk = createTestSdk();
    tracer = new TracerShim(sdk.provider);
    logs = captureDiag();
  });

  afterEach(() => {
    logs.stop();
    resetGlobals();
  });

  describe('constructor', () => {
    it('should extend opentracing.Tracer', () => {
      expect(tracer).toBeInstanceOf(opentracing.Tracer);
    });

    it('should obtain the tracer "opentracing-shim" with the package version from a TracerProvider', () => {
      tracer.startSpan('op').finish();
      const scope = sdk.span('op').instrumentationScope;
      expect(scope.name).toBe(SHIM_TRACER_NAME);
      expect(scope.name).toBe('opentracing-shim');
      expect(scope.version).toBe(VERSION);
    });

    it('should use a Tracer it is given', () => {
      new TracerShim(sdk.provider.getTracer('my-tracer', '9.9.9')).startSpan('op').finish();
      expect(sdk.span('op').instrumentationScope).toMatchObject({ name: 'my-tracer', version: '9.9.9' });
    });

    it('should use the global TracerProvider without an argument', () => {
      trace.setGlobalTracerProvider(sdk.provider);
      new TracerShim().startSpan('op').finish();
      expect(sdk.span('op').instrumentationScope.name).toBe('opentracing-shim');
    });

    it('should warn and use the global TracerProvider when given something else', () => {
      trace.setGlobalTracerProvider(sdk.provider);
      expect(() => new TracerShim({} as never).startSpan('op').finish()).not.toThrow();
      expect(sdk.spans()).toHaveLength(1);
      expect(logs.matching('TracerProvider')).toHaveLength(1);
    });

    it('should be exported from the package entry point with the rest of the public API', () => {
      expect(entry.TracerShim).toBe(TracerShim);
      expect(entry.createTracerShim).toBe(createTracerShim);
      expect(entry.SpanShim).toBe(SpanShim);
      expect(entry.SpanContextShim).toBe(SpanContextShim);
      expect(entry.LINK_REF_TYPE_ATTRIBUTE).toBe('opentracing.ref_type');
    });

    it('should implement the OpenTracing hooks rather than extract, overriding inject only to keep its instanceof check from throwing', () => {
      const own = Object.getOwnPropertyNames(TracerShim.prototype);
      expect(own).toContain('inject');
      expect(own).not.toContain('extract');
      expect(own).toEqual(expect.arrayContaining(['_startSpan', '_inject', '_extract']));
    });
  });

  describe('createTracerShim', () => {
    it('should create a TracerShim on the given provider with the given options', () => {
      const shim = createTracerShim(sdk.provider, { implicitParent: false });
      expect(shim).toBeInstanceOf(TracerShim);
      registerGlobals();
      const parent = sdk.provider.getTracer('native').startSpan('native');
      context.with(trace.setSpan(context.active(), parent), () => shim.startSpan('op').finish());
      expect(sdk.span('op').instrumentationScope.name).toBe('opentracing-shim');
      expect(sdk.span('op').parentSpanContext).toBeUndefined();
    });

    it('should use the global provider without an argument', () => {
      trace.setGlobalTracerProvider(sdk.provider);
      createTracerShim().startSpan('op').finish();
      expect(sdk.spans()).toHaveLength(1);
    });
  });

  describe('startSpan', () => {
    it("should not change the caller's options object or references array", () => {
      const parent = tracer.startSpan('parent');
      const other = tracer.startSpan('other');
      const references = [opentracing.followsFrom(other.context())];
      const tags = { a: 1 };
      const options: opentracing.SpanOptions = { childOf: parent, references, tags, startTime: 1_000 };
      tracer.startSpan('op', options).finish();
      expect(Object.keys(options)).toEqual(['childOf', 'references', 'tags', 'startTime']);
      expect(options.childOf).toBe(parent);
      expect(options.references).toBe(references);
      expect(references).toHaveLength(1);
      expect(options.tags).toEqual({ a: 1 });
    });

    it('should accept frozen options', () => {
      const parent = tracer.startSpan('parent');
      const options = Object.freeze({ childOf: parent, references: Object.freeze([]) as never });
      expect(() => tracer.startSpan('op', options).finish()).not.toThrow();
      expect(sdk.span('op').parentSpanContext?.spanId).toBe(parent.context().toSpanId());
    });

    describe('references', () => {
      it('should make the first ChildOf reference the parent', () => {
        const [a, b, c] = ['a', 'b', 'c'].map((name) => tracer.startSpan(name));
        tracer
          .startSpan('op', { references: [opentracing.followsFrom(a.context()), opentracing.childOf(b.context()), opentracing.childOf(c.context())] })
          .finish();
        const exported = sdk.span('op');
        expect(exported.parentSpanContext?.spanId).toBe(b.context().toSpanId());
        expect(exported.spanContext().traceId).toBe(b.context().toTraceId());
      });

      it('should make the first reference the parent when none is ChildOf', () => {
        const [a, b] = ['a', 'b'].map((name) => tracer.startSpan(name));
        tracer.startSpan('op', { references: [opentracing.followsFrom(a.context()), opentracing.followsFrom(b.context())] }).finish();
        expect(sdk.span('op').parentSpanContext?.spanId).toBe(a.context().toSpanId());
      });

      it('should turn every reference, the parent included, into a link with opentracing.ref_type', () => {
        const [a, b, c] = ['a', 'b', 'c'].map((name) => tracer.startSpan(name));
        tracer.startSpan('op', { references: [opentracing.followsFrom(a.context()), opentracing.childOf(b.context())], childOf: c }).finish();
        const links = sdk.span('op').links.map((link) => [link.context.spanId, link.attributes]);
        expect(links).toEqual([
          [a.context().toSpanId(), { [LINK_REF_TYPE_ATTRIBUTE]: 'follows_from' }],
          [b.context().toSpanId(), { [LINK_REF_TYPE_ATTRIBUTE]: 'child_of' }],
          [c.context().toSpanId(), { [LINK_REF_TYPE_ATTRIBUTE]: 'child_of' }],
        ]);
        expect(LINK_REF_TYPE_ATTRIBUTE).toBe('opentracing.ref_type');
      });

      it('should make childOf the parent and record it as a child_of link', () => {
        const parent = tracer.startSpan('parent');
        tracer.startSpan('op', { childOf: parent }).finish();
        const exported = sdk.span('op');
        expect(exported.parentSpanContext?.spanId).toBe(parent.context().toSpanId());
        expect(exported.links).toHaveLength(1);
        expect(exported.links[0].context.spanId).toBe(parent.context().toSpanId());
        expect(exported.links[0].attributes).toEqual({ 'opentracing.ref_type': 'child_of' });
      });

      it('should add childOf after the given references', () => {
        const [a, b] = ['a', 'b'].map((name) => tracer.startSpan(name));
        tracer.startSpan('op', { references: [opentracing.followsFrom(a.context())], childOf: b.context() }).finish();
        const exported = sdk.span('op');
        expect(exported.parentSpanContext?.spanId).toBe(b.context().toSpanId());
        expect(exported.links.map((link) => link.attributes?.[LINK_REF_TYPE_ATTRIBUTE])).toEqual(['follows_from', 'child_of']);
      });

      it('should ignore childOf null or undefined and null references', () => {
        tracer.startSpan('null', { childOf: null as never, references: [null as never, undefined as never] }).finish();
        tracer.startSpan('undefined', { childOf: undefined, references: null as never }).finish();
        for (const name of ['null', 'undefined']) {
          expect(sdk.span(name).parentSpanContext).toBeUndefined();
          expect(sdk.span(name).links).toEqual([]);
        }
        expect(logs.messages).toEqual([]);
      });
    });

    describe('spans and contexts from elsewhere', () => {
      it('should accept a Span where a SpanContext is expected', () => {
        const parent = tracer.startSpan('parent');
        tracer.startSpan('childOf', { childOf: parent }).finish();
        tracer.startSpan('reference', { references: [new opentracing.Reference(opentracing.REFERENCE_FOLLOWS_FROM, parent)] }).finish();
        expect(sdk.span('childOf').parentSpanContext?.spanId).toBe(parent.context().toSpanId());
        expect(sdk.span('reference').parentSpanContext?.spanId).toBe(parent.context().toSpanId());
      });

      it('should accept a Span of another copy of opentracing (an object with context())', () => {
        const parent = tracer.startSpan('parent');
        const foreignSpan = { context: () => parent.context() };
        tracer.startSpan('childOf', { childOf: foreignSpan as never }).finish();
        const foreignReference = { type: () => 'child_of', referencedContext: () => foreignSpan };
        tracer.startSpan('reference', { references: [foreignReference as never] }).finish();
        const carrier: Record<string, string> = {};
        tracer.inject(foreignSpan as never, opentracing.FORMAT_BINARY, carrier);
        expect(sdk.span('childOf').parentSpanContext?.spanId).toBe(parent.context().toSpanId());
        expect(sdk.span('reference').parentSpanContext?.spanId).toBe(parent.context().toSpanId());
        expect(carrier).toHaveProperty('buffer');
      });

      it('should accept spans and contexts of another loaded copy of opentracing and of this package', () => {
        let other: { TracerShim: typeof TracerShim; otOpentracing: typeof opentracing } | undefined;
        jest.isolateModules(() => {
          // A second copy of the modules needs require() inside isolateModules.
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          other = { TracerShim: require('../src/tracer-shim').TracerShim, otOpentracing: require('opentracing') };
        });
        const { TracerShim: OtherTracerShim, otOpentracing } = other!;
        expect(otOpentracing.Span).not.toBe(opentracing.Span);
        const otherTracer = new OtherTracerShim(sdk.provider);
        const foreignParent = otherTracer.startSpan('foreign-parent');
        expect(foreignParent).not.toBeInstanceOf(opentracing.Span);

        const ourParent = tracer.startSpan('our-parent');
        tracer.startSpan('ours', { childOf: foreignParent as never }).finish();
        otherTracer.startSpan('theirs', { childOf: ourParent as never }).finish();
        const carrier = {};
        tracer.inject(foreignParent as never, opentracing.FORMAT_BINARY, carrier);
        const extracted = tracer.extract(opentracing.FORMAT_BINARY, carrier);

        expect(sdk.span('ours').parentSpanContext?.spanId).toBe(foreignParent.context().toSpanId());
        expect(sdk.span('theirs').parentSpanContext?.spanId).toBe(ourParent.context().toSpanId());
        expect(extracted?.toSpanId()).toBe(foreignParent.context().toSpanId());
      });

      it('should use a jaeger-client span context as a remote parent, padding short ids', () => {
        const jaegerContext = jaeger.SpanContext.withStringIds('abc', 'de', null, 1, { user: 'alice' });
        const span = tracer.startSpan('op', { childOf: jaegerContext });
        expect(span.getBaggageItem('user')).toBe('alice');
        span.finish();
        const exported = sdk.span('op');
        expect(exported.spanContext().traceId).toBe('00000000000000000000000000000abc');
        expect(exported.parentSpanContext).toMatchObject({ traceId: '00000000000000000000000000000abc', spanId: '00000000000000de', isRemote: true });
        expect(exported.links[0].context.spanId).toBe('00000000000000de');
      });

      it("should follow a jaeger-client context's sampled flag", () => {
        const unsampled = jaeger.SpanContext.withStringIds('abc', 'de', null, 0);
        tracer.startSpan('op', { childOf: unsampled }).finish();
        expect(sdk.spans()).toEqual([]);
      });

      it('should use a span of a real jaeger-client tracer as the parent', () => {
        const jaegerTracer = new jaeger.Tracer('svc', new jaeger.NoopReporter(), new jaeger.ConstSampler(true), {
          logger: { info() {}, error() {} },
        });
        try {
          const jaegerSpan = jaegerTracer.startSpan('jaeger');
          tracer.startSpan('op', { childOf: jaegerSpan }).finish();
          const ids = jaegerSpan.context();
          expect(sdk.span('op').parentSpanContext).toMatchObject({
            traceId: ids.toTraceId().padStart(32, '0'),
            spanId: ids.toSpanId().padStart(16, '0'),
          });
          jaegerSpan.finish();
        } finally {
          jaegerTracer.close();
        }
      });

      it('should ignore, with a warning, a context of another tracer without hex ids (MockTracer)', () => {
        const mockSpan = new opentracing.MockTracer().startSpan('mock');
        tracer.startSpan('op', { childOf: mockSpan, references: [opentracing.followsFrom(mockSpan.context())] }).finish();
        const exported = sdk.span('op');
        expect(exported.parentSpanContext).toBeUndefined();
        expect(exported.links).toEqual([]);
        expect(logs.matching('hex')).not.toHaveLength(0);
      });

      it('should ignore, with a warning, references that are not references', () => {
        expect(() => tracer.startSpan('op', { childOf: 42 as never, references: [{} as never, 'x' as never] }).finish()).not.toThrow();
        expect(sdk.span('op').parentSpanContext).toBeUndefined();
        expect(logs.messages.length).toBeGreaterThan(0);
      });

      it('should ignore, with a warning, a references array that cannot be read, and keep the other options', () => {
        // An array for Array.isArray, whose every read throws: found by the property tests.
        const references = new Proxy([], {
          get: () => {
            throw new Error('get trap');
          },
        }) as unknown as opentracing.Reference[];
        expect(() => tracer.startSpan('op', { references, tags: { kept: 'yes' } }).finish()).not.toThrow();
        expect(sdk.spans()).toHaveLength(1);
        expect(sdk.span('op').attributes).toEqual({ kept: 'yes' });
        expect(logs.matching('the references could not be read')).toHaveLength(1);
      });
    });

    describe('implicit parent', () => {
      beforeEach(() => registerGlobals());

      it('should make the active OpenTelemetry span the parent when there are no references', () => {
        const active = sdk.provider.getTracer('native').startSpan('native');
        context.with(trace.setSpan(context.active(), active), () => tracer.startSpan('op').finish());
        expect(sdk.span('op').parentSpanContext?.spanId).toBe(active.spanContext().spanId);
        expect(sdk.span('op').links).toEqual([]);
      });

      it('should keep the span that was active at startSpan as the parent when the span is first used later', () => {
        const active = sdk.provider.getTracer('native').startSpan('native');
        const span = context.with(trace.setSpan(context.active(), active), () => tracer.startSpan('op'));
        span.setTag('span.kind', 'server');
        span.finish();
        expect(sdk.span('op').parentSpanContext?.spanId).toBe(active.spanContext().spanId);
        expect(sdk.span('op').kind).toBe(SpanKind.SERVER);
      });

      it('should prefer a reference to the active span', () => {
        const active = sdk.provider.getTracer('native').startSpan('native');
        const parent = tracer.startSpan('parent');
        context.with(trace.setSpan(context.active(), active), () => tracer.startSpan('op', { childOf: parent }).finish());
        expect(sdk.span('op').parentSpanContext?.spanId).toBe(parent.context().toSpanId());
      });

      it('should start a root span with implicitParent false', () => {
        const shim = new TracerShim(sdk.provider, { implicitParent: false });
        const active = sdk.provider.getTracer('native').startSpan('native');
        context.with(trace.setSpan(context.active(), active), () => shim.startSpan('op').finish());
        expect(sdk.span('op').parentSpanContext).toBeUndefined();
        expect(sdk.span('op').spanContext().traceId).not.toBe(active.spanContext().traceId);
      });

      it('should still use references with implicitParent false', () => {
        const shim = new TracerShim(sdk.provider, { implicitParent: false });
        const parent = shim.startSpan('parent');
        shim.startSpan('op', { childOf: parent }).finish();
        expect(sdk.span('op').parentSpanContext?.spanId).toBe(parent.context().toSpanId());
      });
    });

    describe('start tags', () => {
      it('should give the start tags, the SpanKind and the links to the sampler', () => {
        const sampler = new RecordingSampler();
        const sampled = createTestSdk({ sampler });
        const shim = new TracerShim(sampled.provider);
        const parent = shim.startSpan('parent');
        shim.startSpan('op', { childOf: parent, tags: { 'http.method': 'GET', 'span.kind': 'CLIENT', payload: { a: 1 } } }).finish();
        const call = sampler.calls.find((c) => c.spanName === 'op');
        expect(call?.attributes).toEqual({ 'http.method': 'GET', payload: '{"a":1}' });
        expect(call?.spanKind).toBe(SpanKind.CLIENT);
        expect(call?.links.map((link) => link.attributes)).toEqual([{ 'opentracing.ref_type': 'child_of' }]);
        expect(sampled.span('op').kind).toBe(SpanKind.CLIENT);
      });

      it('should treat an error start tag like setTag(error)', () => {
        tracer.startSpan('true', { tags: { error: true } }).finish();
        tracer.startSpan('false', { tags: { error: 'false' } }).finish();
        tracer.startSpan('other', { tags: { error: 'E42' } }).finish();
        expect(sdk.span('true').status.code).toBe(SpanStatusCode.ERROR);
        expect(sdk.span('false').status.code).toBe(SpanStatusCode.OK);
        expect(sdk.span('other').status.code).toBe(SpanStatusCode.UNSET);
        expect(sdk.span('other').attributes.error).toBe('E42');
      });
    });

    describe('startTime', () => {
      it('should convert milliseconds since the epoch with decimals exactly', () => {
        tracer.startSpan('op', { startTime: 1_700_000_000_123.456 }).finish(1_700_000_001_000);
        expect(sdk.span('op').startTime).toEqual([1_700_000_000, 123_456_000]);
      });

      it('should not read a small value as performance-relative', () => {
        tracer.startSpan('op', { startTime: 5 }).finish(6);
        expect(sdk.span('op').startTime).toEqual([0, 5_000_000]);
        expect(sdk.span('op').endTime).toEqual([0, 6_000_000]);
      });

      it('should use the current time, with a warning, for a startTime that is not a time', () => {
        const before = Date.now();
        tracer.startSpan('op', { startTime: 'yesterday' as never }).finish();
        const [seconds] = sdk.span('op').startTime;
        expect(seconds).toBeGreaterThanOrEqual(Math.floor(before / 1000));
        expect(logs.matching('startTime')).toHaveLength(1);
      });
    });

    describe('baggage', () => {
      function contextWithBaggage(entries: Record<string, string>): ShimContext {
        let baggage = propagation.createBaggage();
        for (const [key, value] of Object.entries(entries)) baggage = baggage.setEntry(key, { value });
        const span = tracer.startSpan('source');
        return new SpanContextShim((span.context() as ShimContext).getSpanContext(), baggage);
      }

      it("should inherit the union of the references' baggage, the parent's values winning", () => {
        const parent = contextWithBaggage({ shared: 'parent', a: '1' });
        const other = contextWithBaggage({ shared: 'other', b: '2' });
        const span = tracer.startSpan('op', { references: [opentracing.followsFrom(other), opentracing.childOf(parent)] });
        expect(span.getBaggageItem('shared')).toBe('parent');
        expect(span.getBaggageItem('a')).toBe('1');
        expect(span.getBaggageItem('b')).toBe('2');
      });

      it('should inherit the baggage of a parent span', () => {
        const parent = tracer.startSpan('parent');
        parent.setBaggageItem('user', 'alice');
        expect(tracer.startSpan('op', { childOf: parent }).getBaggageItem('user')).toBe('alice');
      });

      it('should start spans in a Context holding their parent and their baggage, also after the baggage changes', () => {
        const seen = new Map<string, { parent?: string; baggage: Record<string, string> }>();
        const recorder = {
          onStart(span: { name: string }, parentContext: Context) {
            const entries = propagation.getBaggage(parentContext)?.getAllEntries() ?? [];
            seen.set(span.name, {
              parent: trace.getSpanContext(parentContext)?.spanId,
              baggage: Object.fromEntries(entries.map(([key, entry]) => [key, entry.value])),
            });
          },
          onEnd() {},
          forceFlush: () => Promise.resolve(),
          shutdown: () => Promise.resolve(),
        };
        const shim = new TracerShim(createTestSdk({ spanProcessors: [recorder] }).provider);
        const parent = shim.startSpan('parent');
        parent.setBaggageItem('a', '1');
        shim.startSpan('child1', { childOf: parent }).finish();
        shim.startSpan('child2', { childOf: parent }).finish();
        parent.setBaggageItem('b', '2');
        shim.startSpan('child3', { childOf: parent }).finish();
        shim.startSpan('child4', { childOf: parent.context() }).finish();
        parent.finish();
        const parentId = parent.context().toSpanId();
        expect(seen.get('parent')).toEqual({ parent: undefined, baggage: { a: '1' } });
        expect(seen.get('child1')).toEqual({ parent: parentId, baggage: { a: '1' } });
        expect(seen.get('child2')).toEqual({ parent: parentId, baggage: { a: '1' } });
        expect(seen.get('child3')).toEqual({ parent: parentId, baggage: { a: '1', b: '2' } });
        expect(seen.get('child4')).toEqual({ parent: parentId, baggage: { a: '1', b: '2' } });
      });

      it('should take the active OpenTelemetry Baggage when there are no references', () => {
        registerGlobals();
        const active = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ tenant: { value: 'acme' } }));
        const span = context.with(active, () => tracer.startSpan('op'));
        expect(span.getBaggageItem('tenant')).toBe('acme');
      });

      it('should ignore, with one warning, an active baggage value that is not Baggage', () => {
        registerGlobals();
        const baggageKey = createContextKey('OpenTelemetry Baggage Key');
        const trap = new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
          },
        );
        for (const value of [5, 'x', trap]) {
          const active = ROOT_CONTEXT.setValue(baggageKey, value);
          expect(() =>
            context.with(active, () => {
              const span = tracer.startSpan('op');
              span.setBaggageItem('a', '1');
              expect(span.getBaggageItem('a')).toBe('1');
              tracer.startSpan('child', { childOf: span }).finish();
              span.finish();
            }),
          ).not.toThrow();
        }
        expect(logs.matching("the active Context's baggage is not OpenTelemetry Baggage")).toHaveLength(1);
      });

      it('should not take the active Baggage when there are references', () => {
        registerGlobals();
        const parent = tracer.startSpan('parent');
        const active = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ tenant: { value: 'acme' } }));
        const span = context.with(active, () => tracer.startSpan('op', { childOf: parent }));
        expect(span.getBaggageItem('tenant')).toBeUndefined();
      });

      it('should never let baggage leak from child to parent', () => {
        const parent = tracer.startSpan('parent');
        parent.setBaggageItem('a', '1');
        const parentContext = parent.context() as ShimContext;
        const child = tracer.startSpan('child', { childOf: parent });
        child.setBaggageItem('b', '2');
        child.setBaggageItem('a', 'changed');
        expect(parent.getBaggageItem('b')).toBeUndefined();
        expect(parent.getBaggageItem('a')).toBe('1');
        expect(parentContext.getBaggageItem('b')).toBeUndefined();
        expect((parent.context() as ShimContext).getBaggageItem('a')).toBe('1');
      });
    });

    it("should throw nothing when the tracer's spans cannot say their span context, and warn once", () => {
      const brokenSpanContexts: Array<() => unknown> = [
        () => {
          throw new Error('no context');
        },
        () => undefined,
        () => ({ traceId: 5, spanId: 6, traceFlags: 1 }),
      ];
      for (const spanContext of brokenSpanContexts) {
        const otelTracer = trace.getTracerProvider().getTracer('broken');
        const brokenTracer = {
          startSpan: (...args: Parameters<typeof otelTracer.startSpan>) => Object.assign(otelTracer.startSpan(...args), { spanContext }),
          startActiveSpan: otelTracer.startActiveSpan.bind(otelTracer),
        };
        const shim = new TracerShim(brokenTracer as never);
        expect(() => {
          const parent = shim.startSpan('parent');
          parent.setBaggageItem('a', '1');
          const child = shim.startSpan('child', { childOf: parent, references: [opentracing.followsFrom(parent.context())] });
          shim.inject(parent.context(), opentracing.FORMAT_HTTP_HEADERS, {});
          expect(parent.context().toTraceId()).toBe(INVALID_TRACEID);
          expect((parent.context() as ShimContext).isValid()).toBe(false);
          child.finish();
          parent.finish();
          expect(new SpanShim(shim, brokenTracer.startSpan('wrapped')).context().toSpanId()).toBe(INVALID_SPANID);
        }).not.toThrow();
      }
      expect(logs.matching("an OpenTelemetry span's spanContext()")).toHaveLength(1);
    });

    it("should throw nothing when the tracer's spans throw from their methods, and warn once per method", () => {
      const methods = ['setAttribute', 'addEvent', 'updateName', 'setStatus', 'end'];
      for (const method of methods) {
        const otelTracer = trace.getTracerProvider().getTracer('broken');
        const brokenTracer = {
          startSpan: (...args: Parameters<typeof otelTracer.startSpan>) =>
            Object.assign(otelTracer.startSpan(...args), {
              isRecording: () => true,
              [method]: () => {
                throw new Error(`${method} failed`);
              },
            }),
          startActiveSpan: otelTracer.startActiveSpan.bind(otelTracer),
        };
        const shim = new TracerShim(brokenTracer as never);
        expect(() => {
          for (let i = 0; i < 2; i++) {
            const pending = shim.startSpan('pending', { tags: { a: 1 } });
            pending.log({ event: 'kept before the span exists' });
            pending.finish();
            const live = shim.startSpan('live');
            live.context().toSpanId();
            live.setTag('k', 'v').addTags({ n: 1 }).setOperationName('renamed');
            live.log({ event: 'e', k: 1 });
            live.setTag('error', true);
            live.finish();
          }
        }).not.toThrow();
      }
      for (const method of ['setAttribute', 'addEvent', 'updateName', 'setStatus', 'end']) {
        expect(logs.matching(`an OpenTelemetry span's ${method}() threw`)).toHaveLength(1);
      }
    });

    it('should still end and export a span whose setStatus() throws', () => {
      const otelTracer = sdk.provider.getTracer('status');
      const brokenTracer = {
        startSpan: (...args: Parameters<typeof otelTracer.startSpan>) =>
          Object.assign(otelTracer.startSpan(...args), {
            setStatus: () => {
              throw new Error('no status');
            },
          }),
        startActiveSpan: otelTracer.startActiveSpan.bind(otelTracer),
      };
      const span = new TracerShim(brokenTracer as never).startSpan('failed');
      span.setTag('error', true);
      expect(() => span.finish()).not.toThrow();
      expect(sdk.span('failed').ended).toBe(true);
    });

    it('should return a span even when given nonsense, without throwing', () => {
      const throwingOptions = {
        get childOf(): never {
          throw new Error('getter');
        },
      };
      expect(() => {
        tracer.startSpan(42 as never).finish();
        tracer.startSpan('a', 'options' as never).finish();
        tracer.startSpan('b', throwingOptions as never).finish();
        tracer.startSpan('c', { tags: 5 as never, references: 'x' as never }).finish();
      }).not.toThrow();
      expect(sdk.spans().map((span) => span.name)).toEqual(['42', 'a', 'b', 'c']);
    });
  });

  describe('inject and extract (TEXT_MAP, HTTP_HEADERS)', () => {
    it('should use the global propagator registered after the shim was created', () => {
      const span = tracer.startSpan('op');
      registerGlobals();
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      expect(carrier.traceparent).toBe(`00-${span.context().toTraceId()}-${span.context().toSpanId()}-01`);
    });

    it('should warn once when no global propagator is registered, also into a carrier that already has fields', () => {
      // resetGlobals() in afterEach leaves no propagator: the API's no-op one writes nothing.
      const span = tracer.startSpan('op');
      const carrier: Record<string, string> = { 'x-request-id': 'r1' };
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, { 'x-request-id': 'r2' });
      expect(carrier).toEqual({ 'x-request-id': 'r1' });
      expect(logs.matching('no global propagator is registered')).toHaveLength(1);
    });

    it('should not warn about the global propagator when it wrote a field', () => {
      registerGlobals();
      tracer.inject(tracer.startSpan('op'), opentracing.FORMAT_HTTP_HEADERS, { 'x-request-id': 'r1' });
      expect(logs.matching('no global propagator')).toHaveLength(0);
    });

    it('should look the global propagator up at each call', () => {
      const span = tracer.startSpan('op');
      registerGlobals();
      propagation.disable();
      propagation.setGlobalPropagator(new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }));
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_TEXT_MAP, carrier);
      expect(carrier['x-b3-spanid']).toBe(span.context().toSpanId());
      expect(carrier).not.toHaveProperty('traceparent');
    });

    it('should use the configured propagator of each format', () => {
      registerGlobals();
      const shim = new TracerShim(sdk.provider, {
        textMapPropagator: new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
        httpHeadersPropagator: new B3Propagator(),
      });
      const span = shim.startSpan('op');
      const textMap: Record<string, string> = {};
      const headers: Record<string, string> = {};
      shim.inject(span, opentracing.FORMAT_TEXT_MAP, textMap);
      shim.inject(span, opentracing.FORMAT_HTTP_HEADERS, headers);
      expect(Object.keys(textMap).sort()).toEqual(['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid']);
      expect(Object.keys(headers)).toEqual(['b3']);
      expect(shim.extract(opentracing.FORMAT_TEXT_MAP, textMap)?.toSpanId()).toBe(span.context().toSpanId());
      expect(shim.extract(opentracing.FORMAT_HTTP_HEADERS, headers)?.toSpanId()).toBe(span.context().toSpanId());
      expect(shim.extract(opentracing.FORMAT_TEXT_MAP, { traceparent: TRACEPARENT })).toBeNull();
    });

    it('should use the global propagator for the format that has none configured', () => {
      registerGlobals();
      const shim = new TracerShim(sdk.provider, { textMapPropagator: new B3Propagator() });
      const headers: Record<string, string> = {};
      shim.inject(shim.startSpan('op'), opentracing.FORMAT_HTTP_HEADERS, headers);
      expect(headers).toHaveProperty('traceparent');
    });

    it('should warn once when the global propagator is the no-op one', () => {
      const span = tracer.startSpan('op');
      tracer.inject(span, opentracing.FORMAT_TEXT_MAP, {});
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, {});
      expect(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { traceparent: TRACEPARENT })).toBeNull();
      expect(logs.matching('propagator')).toHaveLength(1);
    });

    it('should not warn about the global propagator when each format has one configured', () => {
      const shim = new TracerShim(sdk.provider, { textMapPropagator: new W3CTraceContextPropagator(), httpHeadersPropagator: new W3CTraceContextPropagator() });
      shim.inject(shim.startSpan('op'), opentracing.FORMAT_TEXT_MAP, {});
      shim.extract(opentracing.FORMAT_HTTP_HEADERS, {});
      expect(logs.messages).toEqual([]);
    });

    describe('inject', () => {
      beforeEach(() => registerGlobals());

      it('should inject a span context and its baggage', () => {
        const span = tracer.startSpan('op');
        span.setBaggageItem('user', 'alice');
        const carrier: Record<string, string> = {};
        tracer.inject(span.context(), opentracing.FORMAT_TEXT_MAP, carrier);
        expect(carrier.traceparent).toBe(`00-${span.context().toTraceId()}-${span.context().toSpanId()}-01`);
        expect(carrier.baggage).toBe('user=alice');
      });

      it('should write the baggage even when the span context is invalid', () => {
        const baggageOnly = new SpanContextShim(
          trace.wrapSpanContext({ traceId: INVALID_TRACEID, spanId: INVALID_SPANID, traceFlags: 0 }).spanContext(),
          propagation.createBaggage({ k: { value: 'v' } }),
        );
        const carrier: Record<string, string> = {};
        tracer.inject(baggageOnly, opentracing.FORMAT_HTTP_HEADERS, carrier);
        expect(carrier).toEqual({ baggage: 'k=v' });
      });

      it('should write the given span context, not the active one', () => {
        const span = tracer.startSpan('op');
        const active = sdk.provider.getTracer('native').startSpan('native');
        const carrier: Record<string, string> = {};
        context.with(trace.setSpan(context.active(), active), () => tracer.inject(span, opentracing.FORMAT_TEXT_MAP, carrier));
        expect(carrier.traceparent).toBe(`00-${span.context().toTraceId()}-${span.context().toSpanId()}-01`);
      });
    });

    describe('extract', () => {
      beforeEach(() => registerGlobals());

      it('should extract a valid span context as a remote SpanContextShim', () => {
        const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { traceparent: TRACEPARENT, baggage: 'user=alice' });
        expect(extracted).toBeInstanceOf(SpanContextShim);
        const shim = extracted as ShimContext;
        expect(shim.toTraceId()).toBe('0af7651916cd43dd8448eb211c80319c');
        expect(shim.toSpanId()).toBe('b7ad6b7169203331');
        expect(shim.getSpanContext().isRemote).toBe(true);
        expect(shim.getBaggageItem('user')).toBe('alice');
        tracer.startSpan('op', { childOf: shim }).finish();
        expect(sdk.span('op').parentSpanContext).toMatchObject({ spanId: 'b7ad6b7169203331', isRemote: true });
      });

      it('should extract an unsampled valid span context', () => {
        const extracted = tracer.extract(opentracing.FORMAT_TEXT_MAP, { traceparent: TRACEPARENT.replace(/-01$/, '-00') });
        expect(extracted?.toSpanId()).toBe('b7ad6b7169203331');
        expect((extracted as ShimContext).getSpanContext().traceFlags).toBe(TraceFlags.NONE);
      });

      it('should extract a baggage-only carrier', () => {
        const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { baggage: 'user=alice' }) as ShimContext;
        expect(extracted).toBeInstanceOf(SpanContextShim);
        expect(extracted.getBaggageItem('user')).toBe('alice');
        const child = tracer.startSpan('op', { childOf: extracted });
        expect(child.getBaggageItem('user')).toBe('alice');
        const carrier: Record<string, string> = {};
        tracer.inject(extracted, opentracing.FORMAT_HTTP_HEADERS, carrier);
        expect(carrier).toEqual({ baggage: 'user=alice' });
        child.finish();
        expect(sdk.span('op').parentSpanContext).toBeUndefined();
      });

      it('should extract a sampled span context without ids (jaeger-debug-id)', () => {
        const shim = new TracerShim(sdk.provider, { httpHeadersPropagator: debugIdPropagator });
        const extracted = shim.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'abc' }) as ShimContext;
        expect(extracted).toBeInstanceOf(SpanContextShim);
        expect(extracted.getSpanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
        expect(extracted.getSpanContext().isRemote).toBe(true);
      });

      it('should return null when the carrier holds no span context and no baggage', () => {
        expect(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {})).toBeNull();
        expect(tracer.extract(opentracing.FORMAT_TEXT_MAP, { traceparent: 'garbage' })).toBeNull();
      });

      it('should read header values given as arrays, prototype-less objects and any-case names', () => {
        const asArrays = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { traceparent: [TRACEPARENT], baggage: ['a=1', 'b=2'] }) as ShimContext;
        expect(asArrays.toSpanId()).toBe('b7ad6b7169203331');
        expect(asArrays.getBaggageItem('b')).toBe('2');
        const bare = Object.create(null);
        bare.traceparent = TRACEPARENT;
        expect(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, bare)?.toSpanId()).toBe('b7ad6b7169203331');
        expect(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { Traceparent: TRACEPARENT })?.toSpanId()).toBe('b7ad6b7169203331');
      });
    });
  });

  // What comes in from the network: docs/security.md.
  describe('limits on what extract accepts and inject writes', () => {
    /** A propagator without limits of its own: every carrier key `b-<name>` is a baggage item. */
    const unboundedBaggagePropagator: TextMapPropagator = {
      inject(ctx, carrier, setter) {
        for (const [key, entry] of propagation.getBaggage(ctx)?.getAllEntries() ?? []) setter.set(carrier, `b-${key}`, entry.value);
      },
      extract(ctx, carrier, getter) {
        const entries: Record<string, { value: string }> = Object.create(null);
        for (const key of getter.keys(carrier)) {
          const value = getter.get(carrier, key);
          if (key.startsWith('b-') && typeof value === 'string') entries[key.slice(2)] = { value };
        }
        return propagation.setBaggage(ctx, propagation.createBaggage(entries));
      },
      fields: () => [],
    };

    it('should keep at most 180 baggage items from any propagator, with a warning', () => {
      const shim = new TracerShim(sdk.provider, { textMapPropagator: unboundedBaggagePropagator });
      const carrier: Record<string, string> = {};
      for (let i = 0; i < 300; i++) carrier[`b-k${i}`] = 'v';
      const extracted = shim.extract(opentracing.FORMAT_TEXT_MAP, carrier) as ShimContext;
      expect(extracted.getBaggage().getAllEntries()).toHaveLength(180);
      expect(logs.matching('extract: dropped 120 baggage items over the limits')).toHaveLength(1);
    });

    it('should list the Baggage of a kept context only when it is first read, then hold it to the limits there', () => {
      let listings = 0;
      const countingPropagator: TextMapPropagator = {
        ...unboundedBaggagePropagator,
        extract(ctx, carrier, getter) {
          const extracted = unboundedBaggagePropagator.extract(ctx, carrier, getter);
          const baggage = propagation.getBaggage(extracted) as Baggage;
          const counting = Object.create(baggage, {
            getAllEntries: {
              value: () => {
                listings++;
                return baggage.getAllEntries();
              },
            },
          }) as Baggage;
          const withSpan = trace.setSpanContext(extracted, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
          return propagation.setBaggage(withSpan, counting);
        },
      };
      const shim = new TracerShim(sdk.provider, { textMapPropagator: countingPropagator });
      const carrier: Record<string, string> = {};
      for (let i = 0; i < 300; i++) carrier[`b-k${i}`] = 'v';
      const extracted = shim.extract(opentracing.FORMAT_TEXT_MAP, carrier) as ShimContext;
      expect(extracted.toTraceId()).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(listings).toBe(0);
      expect(logs.matching('dropped')).toHaveLength(0);
      expect(extracted.getBaggageItem('k0')).toBe('v');
      expect(extracted.getBaggageItem('k299')).toBeUndefined();
      expect(extracted.getBaggage().getAllEntries()).toHaveLength(180);
      const child = shim.startSpan('child', { childOf: extracted });
      expect((child.context() as ShimContext).getBaggage().getAllEntries()).toHaveLength(180);
      expect(listings).toBe(1);
      expect(logs.matching('extract: dropped 120 baggage items over the limits')).toHaveLength(1);
    });

    it('should leave out, with a warning and without throwing, an extracted Baggage whose listing throws when it is first read', () => {
      const throwingPropagator: TextMapPropagator = {
        ...unboundedBaggagePropagator,
        extract(ctx) {
          const broken = Object.create(propagation.createBaggage({ a: { value: '1' } }), {
            getAllEntries: {
              value: () => {
                throw new Error('broken baggage');
              },
            },
          }) as Baggage;
          const withSpan = trace.setSpanContext(ctx, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
          return propagation.setBaggage(withSpan, broken);
        },
      };
      const shim = new TracerShim(sdk.provider, { textMapPropagator: throwingPropagator });
      const extracted = shim.extract(opentracing.FORMAT_TEXT_MAP, {}) as ShimContext;
      expect(extracted.toTraceId()).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(() => extracted.getBaggageItem('a')).not.toThrow();
      expect(extracted.getBaggageItem('a')).toBeUndefined();
      expect(extracted.getBaggage().getAllEntries()).toEqual([]);
      expect(() => shim.startSpan('child', { childOf: extracted }).finish()).not.toThrow();
      expect(logs.matching('extract: the extracted baggage could not be read')).toHaveLength(1);
    });

    it("should keep the propagator's own Baggage when it is within the limits, and make a new one when it is not", () => {
      const made: Baggage[] = [];
      const recordingPropagator: TextMapPropagator = {
        ...unboundedBaggagePropagator,
        extract(ctx, carrier, getter) {
          const extracted = unboundedBaggagePropagator.extract(ctx, carrier, getter);
          made.push(propagation.getBaggage(extracted) as Baggage);
          return extracted;
        },
      };
      const shim = new TracerShim(sdk.provider, { textMapPropagator: recordingPropagator });
      const small = shim.extract(opentracing.FORMAT_TEXT_MAP, { 'b-tenant': 'acme', 'b-user': '42' }) as ShimContext;
      expect(small.getBaggage()).toBe(made[0]);
      expect(small.getBaggageItem('user')).toBe('42');

      const carrier: Record<string, string> = {};
      for (let i = 0; i < 200; i++) carrier[`b-k${i}`] = 'v';
      const large = shim.extract(opentracing.FORMAT_TEXT_MAP, carrier) as ShimContext;
      expect(large.getBaggageItem('k179')).toBe('v');
      expect(large.getBaggageItem('k180')).toBeUndefined();
      expect(large.getBaggage()).not.toBe(made[1]);
      expect(large.getBaggage().getAllEntries()).toHaveLength(180);
    });

    it('should keep at most 8192 bytes of baggage from any propagator', () => {
      const shim = new TracerShim(sdk.provider, { textMapPropagator: unboundedBaggagePropagator });
      const carrier: Record<string, string> = {};
      for (let i = 0; i < 10; i++) carrier[`b-k${i}`] = 'x'.repeat(1000);
      const extracted = shim.extract(opentracing.FORMAT_TEXT_MAP, carrier) as ShimContext;
      expect(extracted.getBaggage().getAllEntries()).toHaveLength(8);
    });

    it('should ignore a W3C header value over 8 KiB and still read the others', () => {
      registerGlobals();
      const carrier = { traceparent: TRACEPARENT, baggage: `k=${'v'.repeat(9000)}` };
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) as ShimContext;
      expect(extracted.toTraceId()).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(extracted.getBaggage().getAllEntries()).toEqual([]);
      expect(logs.matching('over 8192 bytes')).toHaveLength(1);
    });

    it.each([
      ['a short trace id', '00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01'],
      ['a non-hex span id', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333g-01'],
      ['an all-zero trace id', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`],
    ])('should not accept %s', (_, traceparent) => {
      registerGlobals();
      expect(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { traceparent })).toBeNull();
    });

    it('should let no carrier key or baggage item reach Object.prototype', () => {
      registerGlobals();
      const carrier = JSON.parse(
        `{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "traceparent": "${TRACEPARENT}", "baggage": "__proto__=a,constructor=b,prototype=c,polluted=d"}`,
      );
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) as ShimContext;
      const span = tracer.startSpan('child', { childOf: extracted });
      expect(span.getBaggageItem('constructor')).toBe('b');
      expect(span.getBaggageItem('prototype')).toBe('c');
      const out: Record<string, unknown> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, out);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(String(out.baggage)).toContain('constructor=b');
    });

    it('should never write CR, LF or NUL into a carrier, whichever propagator writes it', () => {
      const shim = new TracerShim(sdk.provider, { textMapPropagator: unboundedBaggagePropagator });
      const span = shim.startSpan('op');
      span.setBaggageItem('split', 'a\r\nSet-Cookie: session=stolen');
      span.setBaggageItem('nul', 'a\u0000b');
      span.setBaggageItem('fine', 'value');
      const carrier: Record<string, string> = {};
      shim.inject(span, opentracing.FORMAT_TEXT_MAP, carrier);
      expect(carrier).toEqual({ 'b-fine': 'value' });
      // Both items refused; one warning for the process.
      expect(logs.matching('CR, LF or NUL')).toHaveLength(1);
    });

    it('should percent-encode hostile baggage in the W3C header, so res.setHeader accepts it', () => {
      registerGlobals();
      const span = tracer.startSpan('op');
      span.setBaggageItem('split', 'a\r\nSet-Cookie: session=stolen\u0000');
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      for (const [name, value] of Object.entries(carrier)) {
        expect(value).not.toMatch(/[\r\n\0]/);
        expect(() => validateHeaderValue(name, value)).not.toThrow();
      }
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) as ShimContext;
      expect(extracted.getBaggage().getEntry('split')?.value).toBe('a\r\nSet-Cookie: session=stolen\u0000');
    });
  });

  describe('FORMAT_BINARY', () => {
    it('should write the documented layout into carrier.buffer', () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('k', 'v');
      const carrier = new opentracing.BinaryCarrier([1, 2, 3]);
      tracer.inject(span.context(), opentracing.FORMAT_BINARY, carrier);
      const bytes = carrier.buffer as unknown as Uint8Array;
      const json = Buffer.from('{"k":"v"}');
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.length).toBe(34 + json.length);
      expect(bytes[0]).toBe(0);
      expect(bytes[1]).toBe(0);
      expect(Buffer.from(bytes.subarray(2, 18)).toString('hex')).toBe(span.context().toTraceId());
      expect(bytes[18]).toBe(1);
      expect(Buffer.from(bytes.subarray(19, 27)).toString('hex')).toBe(span.context().toSpanId());
      expect(bytes[27]).toBe(2);
      expect(bytes[28]).toBe(1);
      expect(bytes[29]).toBe(3);
      expect(Buffer.from(bytes.subarray(30, 34)).readUInt32BE(0)).toBe(json.length);
      expect(Buffer.from(bytes.subarray(34)).equals(json)).toBe(true);
    });

    it('should round-trip the span context and baggage through extract', () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('user', 'alice');
      const carrier: Partial<opentracing.BinaryCarrier> = {};
      tracer.inject(span, opentracing.FORMAT_BINARY, carrier);
      const extracted = tracer.extract(opentracing.FORMAT_BINARY, carrier) as ShimContext;
      expect(extracted).toBeInstanceOf(SpanContextShim);
      expect(extracted.getSpanContext()).toEqual({ ...(span.context() as ShimContext).getSpanContext(), isRemote: true });
      expect(extracted.getBaggageItem('user')).toBe('alice');
    });

    it('should extract a sampled context without ids when it carries the sampled flag', () => {
      const bytes = new Uint8Array(29);
      bytes.set([0, 0], 0);
      bytes[18] = 1;
      bytes[27] = 2;
      bytes[28] = 1;
      expect(tracer.extract(opentracing.FORMAT_BINARY, { buffer: bytes })).toBeInstanceOf(SpanContextShim);
      bytes[28] = 0;
      expect(tracer.extract(opentracing.FORMAT_BINARY, { buffer: bytes })).toBeNull();
    });

    it('should not throw on carriers it cannot use', () => {
      const span = tracer.startSpan('op');
      expect(() => {
        tracer.inject(span, opentracing.FORMAT_BINARY, null);
        tracer.inject(span, opentracing.FORMAT_BINARY, 5);
        tracer.inject(span, opentracing.FORMAT_BINARY, Object.freeze({}));
        tracer.extract(opentracing.FORMAT_BINARY, null);
        tracer.extract(opentracing.FORMAT_BINARY, {});
        tracer.extract(opentracing.FORMAT_BINARY, { buffer: null });
        tracer.extract(opentracing.FORMAT_BINARY, { buffer: 'text' });
        tracer.extract(opentracing.FORMAT_BINARY, new opentracing.BinaryCarrier([1, 2, 3]));
      }).not.toThrow();
      expect(tracer.extract(opentracing.FORMAT_BINARY, new opentracing.BinaryCarrier([1, 2, 3]))).toBeNull();
    });
  });

  describe('unknown formats', () => {
    it('should warn and inject nothing', () => {
      const carrier = {};
      tracer.inject(tracer.startSpan('op'), 'my_format', carrier);
      expect(carrier).toEqual({});
      expect(logs.matching('unknown format')).toHaveLength(1);
    });

    it('should warn and extract null', () => {
      expect(tracer.extract('my_format', { traceparent: TRACEPARENT })).toBeNull();
      expect(logs.matching('unknown format')).toHaveLength(1);
    });
  });

  describe('bad carriers and contexts', () => {
    beforeEach(() => registerGlobals());

    it('should inject the context of a finished span', () => {
      const span = tracer.startSpan('op');
      span.finish();
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      expect(carrier.traceparent).toBe(`00-${sdk.span('op').spanContext().traceId}-${sdk.span('op').spanContext().spanId}-01`);
    });

    it('should never throw on TEXT_MAP and HTTP_HEADERS carriers it cannot use', () => {
      const span = tracer.startSpan('op');
      const frozen = Object.freeze({});
      const bare = Object.create(null);
      expect(() => {
        for (const format of [opentracing.FORMAT_TEXT_MAP, opentracing.FORMAT_HTTP_HEADERS]) {
          for (const carrier of [null, undefined, 5, 'text', [], frozen, bare]) {
            tracer.inject(span, format, carrier);
            tracer.extract(format, carrier);
          }
          tracer.extract(format, { traceparent: 5, baggage: [1, {}] });
        }
      }).not.toThrow();
      expect(bare.traceparent).toBeDefined();
      expect(frozen).toEqual({});
    });

    it('should not throw when inject gets something that is not a span context', () => {
      expect(() => {
        tracer.inject(null as never, opentracing.FORMAT_TEXT_MAP, {});
        tracer.inject({} as never, opentracing.FORMAT_HTTP_HEADERS, {});
        tracer.inject(new opentracing.MockTracer().startSpan('mock'), opentracing.FORMAT_TEXT_MAP, {});
        tracer.inject(42 as never, opentracing.FORMAT_BINARY, {});
      }).not.toThrow();
    });

    it('should inject the context of a jaeger-client span context', () => {
      const carrier: Record<string, string> = {};
      tracer.inject(jaeger.SpanContext.withStringIds('abc', 'de', null, 1), opentracing.FORMAT_TEXT_MAP, carrier);
      expect(carrier.traceparent).toBe('00-00000000000000000000000000000abc-00000000000000de-01');
    });
  });

  it('should export every finished span exactly once', () => {
    registerGlobals();
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', { childOf: parent });
    tracer.inject(child, opentracing.FORMAT_HTTP_HEADERS, {});
    child.finish();
    child.finish();
    parent.finish();
    parent.finish();
    expect(sdk.spans().map((span) => span.name)).toEqual(['child', 'parent']);
  });

  describe('hostile input: work and output bounded by the input', () => {
    /** A span context with `count` baggage items `{prefix}{i}` = `value`. */
    const contextWith = (prefix: string, count: number, value = 'v'): opentracing.SpanContext => {
      const span = tracer.startSpan('message');
      for (let i = 0; i < count; i++) span.setBaggageItem(`${prefix}${i}`, value);
      return span.context();
    };

    /** A propagator without limits of its own: `x-trace` and one `x-bag-{key}` header per baggage item. */
    const limitlessPropagator: TextMapPropagator = {
      inject(ctx, carrier, setter) {
        const spanContext = trace.getSpanContext(ctx);
        if (spanContext !== undefined) setter.set(carrier, 'x-trace', `${spanContext.traceId}:${spanContext.spanId}`);
        for (const [key, entry] of propagation.getBaggage(ctx)?.getAllEntries() ?? []) setter.set(carrier, `x-bag-${key}`, entry.value);
      },
      extract: (ctx) => ctx,
      fields: () => ['x-trace'],
    };

    it('should union the baggage of many references in linear time, held to the extract limits', () => {
      const growth = growthFrom(
        5,
        (count) => Array.from({ length: count }, (_, r) => opentracing.followsFrom(contextWith(`r${r}-`, 180))),
        (references) => tracer.startSpan('batch', { references }),
        3,
      );
      expect(growth).toBeLessThan(10);
      const batch = tracer.startSpan('batch', { references: Array.from({ length: 25 }, (_, r) => opentracing.followsFrom(contextWith(`r${r}-`, 180))) });
      const baggage = (batch.context() as ShimContext).getBaggage();
      expect(baggage.getAllEntries()).toHaveLength(MAX_BAGGAGE_ITEMS);
      expect(baggage.getEntry('r0-179')?.value).toBe('v');
      expect(baggage.getEntry('r1-0')).toBeUndefined();
      expect(logs.matching('startSpan: dropped baggage items over the limits')).toHaveLength(1);
    });

    it('should read FORMAT_BINARY baggage in linear time, held to the extract limits', () => {
      const bufferWith = (keys: number): Uint8Array => {
        const json = Buffer.from(JSON.stringify(Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, 'v']))));
        const header = Buffer.alloc(34);
        header.fill(1, 2, 18);
        header.fill(2, 19, 27);
        Object.assign(header, { 18: 1, 27: 2, 28: 1, 29: 3 });
        header.writeUInt32BE(json.length, 30);
        return Buffer.concat([header, json]);
      };
      expect(bufferWith(1400).length).toBeLessThan(16 * 1024);
      // 100 against 400 keys: past about 1,000 keys V8 makes the parsed object a dictionary, which
      // JSON.parse itself pays for superlinearly; the 16 KiB cap on the field bounds that part.
      const growth = growthFrom(100, bufferWith, (buffer) => tracer.extract(opentracing.FORMAT_BINARY, { buffer }), 100);
      expect(growth).toBeLessThan(8);
      const extracted = tracer.extract(opentracing.FORMAT_BINARY, { buffer: bufferWith(1400) }) as ShimContext;
      expect(extracted.getBaggage().getAllEntries()).toHaveLength(MAX_BAGGAGE_ITEMS);
      expect(extracted.getBaggageItem('k179')).toBe('v');
    });

    it('should hand any propagator at most 180 items and 8192 bytes of W3C baggage, whole items, keeping the trace context, with one warning', () => {
      const shim = new TracerShim(sdk.provider, { httpHeadersPropagator: limitlessPropagator });
      const span = shim.startSpan('sender');
      for (let i = 0; i < 200; i++) span.setBaggageItem(`key${i}`, 'x'.repeat(60));
      const carrier: Record<string, string> = {};
      shim.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);
      const written = Object.keys(carrier).filter((key) => key.startsWith('x-bag-'));
      const bytes = written.reduce((sum, key) => sum + w3cMemberLength(key.slice(6), { value: carrier[key] }), written.length - 1);
      expect(carrier['x-trace']).toBe(`${span.context().toTraceId()}:${span.context().toSpanId()}`);
      expect(written.length).toBeGreaterThan(100);
      expect(written.length).toBeLessThan(200);
      expect(bytes).toBeLessThanOrEqual(MAX_BAGGAGE_BYTES);
      expect(carrier['x-bag-key0']).toBe('x'.repeat(60));
      const manyShort = shim.startSpan('many');
      for (let i = 0; i < 300; i++) manyShort.setBaggageItem(`k${i}`, '1');
      const second: Record<string, string> = {};
      shim.inject(manyShort.context(), opentracing.FORMAT_HTTP_HEADERS, second);
      expect(Object.keys(second).filter((key) => key.startsWith('x-bag-'))).toHaveLength(MAX_BAGGAGE_ITEMS);
      expect(logs.matching('inject: dropped baggage items over the limits')).toHaveLength(1);
    });

    it('should drop an item too long for W3C baggage with a warning rather than silently', () => {
      registerGlobals();
      const span = tracer.startSpan('sender');
      span.setBaggageItem('k', '€'.repeat(2048));
      span.setBaggageItem('small', 'kept');
      const carrier: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);
      expect(carrier.traceparent).toBeDefined();
      expect(carrier.baggage).toBe('small=kept');
      expect(logs.matching('inject: dropped baggage items')).toHaveLength(1);
    });

    it('should write FORMAT_BINARY baggage that the receiver reads back, dropping items rather than the trace', () => {
      const span = tracer.startSpan('sender');
      for (let i = 0; i < 150; i++) span.setBaggageItem(`c${i}`, '\u0001'.repeat(40));
      const carrier = {} as opentracing.BinaryCarrier;
      tracer.inject(span.context(), opentracing.FORMAT_BINARY, carrier);
      const received = tracer.extract(opentracing.FORMAT_BINARY, carrier) as ShimContext;
      expect(received).not.toBeNull();
      expect(received.toTraceId()).toBe(span.context().toTraceId());
      const items = received.getBaggage().getAllEntries().length;
      expect(items).toBeGreaterThan(10);
      expect(items).toBeLessThan(150);
      expect(received.getBaggageItem('c0')).toBe('\u0001'.repeat(40));
      expect(logs.matching('FORMAT_BINARY inject: dropped baggage items')).toHaveLength(1);
    });

    it('should walk a carrier once per extract, however many fields the propagators ask for', () => {
      let walks = 0;
      const headers: Record<string, string> = { traceparent: TRACEPARENT };
      for (let i = 0; i < 50; i++) headers[`X-Header-${i}`] = 'v';
      const carrier = new Proxy(headers, {
        ownKeys(target) {
          walks++;
          return Reflect.ownKeys(target);
        },
      });
      const shim = new TracerShim(sdk.provider, {
        httpHeadersPropagator: new CompositePropagator({
          propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER })],
        }),
      });
      expect((shim.extract(opentracing.FORMAT_HTTP_HEADERS, carrier) as ShimContext).toTraceId()).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(walks).toBe(1);
    });
  });

  describe('carriers of real transports', () => {
    const propagators: Array<[string, TextMapPropagator]> = [
      ['W3C', new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] })],
      [
        'B3 multi-header',
        new CompositePropagator({ propagators: [new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }), new W3CBaggagePropagator()] }),
      ],
      ['B3 single header', new CompositePropagator({ propagators: [new B3Propagator(), new W3CBaggagePropagator()] })],
    ];
    /** A carrier kind: an empty carrier to inject into, and what the transport delivers from it. */
    const carriers: Array<[string, () => unknown, (sent: unknown) => unknown]> = [
      ['a plain object', () => ({}), (sent) => ({ ...(sent as object) })],
      ['a Map', () => new Map(), (sent) => new Map(sent as Map<string, string>)],
      ['a WHATWG Headers', () => new Headers(), (sent) => new Headers(sent as Headers)],
      [
        "Node's IncomingHttpHeaders (lower-case names, repeated headers as arrays)",
        () => ({}),
        (sent) => Object.fromEntries(Object.entries(sent as object).map(([key, value]) => [key.toLowerCase(), key === 'baggage' ? [value] : value])),
      ],
      [
        'kafkajs headers (Buffer values; a repeated key as an array of Buffers)',
        () => ({}),
        (sent) =>
          Object.fromEntries(Object.entries(sent as object).map(([key, value]) => [key, key === 'baggage' ? [Buffer.from(value)] : Buffer.from(value)])),
      ],
    ];

    describe.each(propagators)('%s', (_, propagator) => {
      it.each(carriers)('should inject into and extract from %s', (__, make, deliver) => {
        const shim = new TracerShim(sdk.provider, { httpHeadersPropagator: propagator, textMapPropagator: propagator });
        const span = shim.startSpan('producer');
        span.setBaggageItem('tenant', 'acme €');
        for (const format of [opentracing.FORMAT_HTTP_HEADERS, opentracing.FORMAT_TEXT_MAP]) {
          const carrier = make();
          shim.inject(span.context(), format, carrier);
          const received = shim.extract(format, deliver(carrier)) as ShimContext;
          expect(received.toTraceId()).toBe(span.context().toTraceId());
          expect(received.toSpanId()).toBe(span.context().toSpanId());
          expect(received.getBaggageItem('tenant')).toBe('acme €');
        }
      });
    });
  });
});
