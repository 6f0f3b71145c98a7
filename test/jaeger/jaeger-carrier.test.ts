import { diag } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { TextMapCodec } from '../../src/jaeger/codecs';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';

// The Jaeger carrier writer (src/jaeger/jaeger-carrier.ts) as JaegerTracer's inject uses it. Its
// rules are tested through the propagator (jaeger-propagator.test.ts) and the direct path
// (direct-path.test.ts); here: what it keeps on a span context it wrote (`INJECTED_FIELDS`).
describe('JaegerCarrier', () => {
  let captured: DiagCapture;

  beforeEach(() => {
    captured = captureDiag();
  });

  afterAll(() => diag.disable());

  function tracer(urlEncoding = true): JaegerTracer {
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
    return new JaegerTracer(provider, {
      httpHeadersPropagator: new JaegerPropagator({ urlEncoding }),
      textMapPropagator: new JaegerPropagator({ urlEncoding }),
    });
  }

  function inject(into: JaegerTracer, context: opentracing.SpanContext, format = opentracing.FORMAT_HTTP_HEADERS): Record<string, unknown> {
    const carrier: Record<string, unknown> = {};
    into.inject(context, format, carrier);
    return carrier;
  }

  describe('writeContext', () => {
    it('should write the same fields, in the same order, each time the same context is injected', () => {
      const jaeger = tracer();
      const span = jaeger.startSpan('s');
      span.setBaggageItem('tenant', 'acme corp');
      span.setBaggageItem('User_ID', 'ü/42');
      const first = inject(jaeger, span.context());
      expect(Object.keys(first)).toEqual(['uber-trace-id', 'uberctx-tenant', 'uberctx-user-id']);
      expect(first['uberctx-tenant']).toBe('acme%20corp');
      expect(first['uberctx-user-id']).toBe('%C3%BC%2F42');
      for (let i = 0; i < 3; i++) expect(Object.entries(inject(jaeger, span.context()))).toEqual(Object.entries(first));
      // A Map carrier and the text-map format get the same fields too.
      const map = new Map<string, unknown>();
      jaeger.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, map);
      expect([...map.entries()]).toEqual(Object.entries(first));
      expect(Object.entries(inject(jaeger, span.context(), opentracing.FORMAT_TEXT_MAP))).toEqual(Object.entries(first));
      expect(captured.messages).toEqual([]);
      span.finish();
    });

    it('should write the baggage a later setBaggageItem gave, which is another context', () => {
      const jaeger = tracer();
      const span = jaeger.startSpan('s');
      span.setBaggageItem('tenant', 'acme');
      const before = span.context();
      expect(inject(jaeger, before)['uberctx-tenant']).toBe('acme');
      span.setBaggageItem('tenant', 'other');
      expect(inject(jaeger, span.context())['uberctx-tenant']).toBe('other');
      // The earlier context keeps its baggage, and what was written for it.
      expect(inject(jaeger, before)['uberctx-tenant']).toBe('acme');
      span.finish();
    });

    it("should write each writer's own form of one context: another tracer, another encoding, a TextMapCodec", () => {
      const encoding = tracer(true);
      const plain = tracer(false);
      const span = encoding.startSpan('s');
      span.setBaggageItem('tenant', 'a b');
      const context = span.context();
      expect(inject(encoding, context)['uberctx-tenant']).toBe('a%20b');
      expect(inject(plain, context)['uberctx-tenant']).toBe('a b');
      expect(inject(encoding, context)['uberctx-tenant']).toBe('a%20b');
      const codec = new TextMapCodec({ urlEncoding: false, baggagePrefix: 'ctx-' });
      const written: Record<string, unknown> = {};
      codec.inject(context as never, written);
      expect(written['ctx-tenant']).toBe('a b');
      expect(inject(encoding, context)['uberctx-tenant']).toBe('a%20b');
      span.finish();
    });

    it('should drop an item it cannot write on every inject of the context, not only the first, and report it once', () => {
      const jaeger = tracer();
      const span = jaeger.startSpan('s');
      span.setBaggageItem('tenant', 'acme');
      span.setBaggageItem('bad key', 'x');
      for (let i = 0; i < 3; i++) {
        const written = inject(jaeger, span.context());
        expect(written['uberctx-tenant']).toBe('acme');
        expect(Object.keys(written)).toHaveLength(2);
      }
      // Dropped at each inject (the keys above); reported once per process, not per inject.
      expect(captured.matching('dropped baggage item "bad key": not a valid HTTP header name')).toHaveLength(1);
      span.finish();
    });

    it('should add no enumerable or string-keyed member to the span context', () => {
      const jaeger = tracer();
      const span = jaeger.startSpan('s');
      span.setBaggageItem('tenant', 'acme');
      const context = span.context();
      const before = Object.getOwnPropertyNames(context);
      inject(jaeger, context);
      expect(Object.getOwnPropertyNames(context)).toEqual(before);
      expect(Object.keys(context).some((key) => key.includes('inject'))).toBe(false);
      span.finish();
    });
  });
});
