import { INVALID_SPANID, INVALID_SPAN_CONTEXT, TraceFlags, propagation, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { EMPTY_BAGGAGE, SpanContextShim } from '../src/span-context-shim';
import { TracerShim } from '../src/tracer-shim';
import { createTestSdk } from './helpers/sdk';

const OTEL_CONTEXT: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
};

describe('SpanContextShim', () => {
  it('should extend opentracing.SpanContext', () => {
    expect(new SpanContextShim(OTEL_CONTEXT)).toBeInstanceOf(opentracing.SpanContext);
  });

  describe('getSpanContext', () => {
    it('should return the OpenTelemetry span context it holds', () => {
      expect(new SpanContextShim(OTEL_CONTEXT).getSpanContext()).toBe(OTEL_CONTEXT);
    });
  });

  describe('toTraceId and toSpanId', () => {
    it('should return the OpenTelemetry hex ids', () => {
      const shim = new SpanContextShim(OTEL_CONTEXT);
      expect(shim.toTraceId()).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(shim.toSpanId()).toBe('b7ad6b7169203331');
    });

    it("should return the ids of the span's exported OpenTelemetry span", () => {
      const sdk = createTestSdk();
      const span = new TracerShim(sdk.provider).startSpan('op');
      const spanContext = span.context();
      span.finish();
      expect(spanContext.toTraceId()).toBe(sdk.span('op').spanContext().traceId);
      expect(spanContext.toSpanId()).toBe(sdk.span('op').spanContext().spanId);
      expect(spanContext.toTraceId()).toMatch(/^[0-9a-f]{32}$/);
      expect(spanContext.toSpanId()).toMatch(/^[0-9a-f]{16}$/);
    });

    it('should keep the ids once read', () => {
      const sdk = createTestSdk();
      const span = new TracerShim(sdk.provider).startSpan('op');
      const first = span.context().toSpanId();
      span.setTag('k', 'v');
      span.finish();
      expect(span.context().toSpanId()).toBe(first);
      expect(sdk.span('op').spanContext().spanId).toBe(first);
    });
  });

  describe('baggage', () => {
    it('should have empty baggage when none is given', () => {
      const shim = new SpanContextShim(OTEL_CONTEXT);
      expect(shim.getBaggage().getAllEntries()).toEqual([]);
      expect(shim.getBaggage()).toBe(EMPTY_BAGGAGE);
      expect(shim.getBaggageItem('k')).toBeUndefined();
    });

    it('should return the OpenTelemetry Baggage and its items', () => {
      const baggage = propagation.createBaggage({ user: { value: 'alice' } });
      const shim = new SpanContextShim(OTEL_CONTEXT, baggage);
      expect(shim.getBaggage()).toBe(baggage);
      expect(shim.getBaggageItem('user')).toBe('alice');
      expect(shim.getBaggageItem('other')).toBeUndefined();
    });

    it('should not change when the Baggage it returned is added to', () => {
      const shim = new SpanContextShim(OTEL_CONTEXT, propagation.createBaggage({ user: { value: 'alice' } }));
      shim.getBaggage().setEntry('user', { value: 'mallory' }).setEntry('extra', { value: 'x' });
      expect(shim.getBaggageItem('user')).toBe('alice');
      expect(shim.getBaggageItem('extra')).toBeUndefined();
    });
  });

  describe('immutability', () => {
    it('should have no method that changes it', () => {
      const methods = Object.getOwnPropertyNames(SpanContextShim.prototype).filter((name) => !name.startsWith('_') && name !== 'constructor');
      expect(methods.sort()).toEqual(['getBaggage', 'getBaggageItem', 'getSpanContext', 'isValid', 'toSpanId', 'toTraceId']);
    });

    it('should say whether its span context is valid, and keep saying it', () => {
      expect(new SpanContextShim({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }).isValid()).toBe(true);
      expect(new SpanContextShim({ traceId: '0'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }).isValid()).toBe(false);
    });

    it('should tell a valid context of a span it started from the invalid ones a tracer without an SDK gives', () => {
      const ofSource = (spanContext: { traceId: string; spanId: string; traceFlags: number }) =>
        SpanContextShim._fromSource({ _otelSpanContext: () => spanContext }, EMPTY_BAGGAGE).isValid();
      expect(ofSource({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 })).toBe(true);
      expect(ofSource(INVALID_SPAN_CONTEXT)).toBe(false);
      expect(ofSource({ traceId: 'a'.repeat(32), spanId: INVALID_SPANID, traceFlags: 1 })).toBe(false);
      expect(ofSource({ traceId: 'a'.repeat(31), spanId: 'b'.repeat(16), traceFlags: 1 })).toBe(false);
      expect(ofSource({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(15), traceFlags: 1 })).toBe(false);
      // A started span of the api's no-op tracer (no SDK registered): the all-zero context.
      const noSdk = new TracerShim(trace.getTracerProvider()).startSpan('op');
      expect((noSdk.context() as SpanContextShim).isValid()).toBe(false);
    });

    it("should be replaced, not changed, by the span's setBaggageItem", () => {
      const sdk = createTestSdk();
      const span = new TracerShim(sdk.provider).startSpan('op');
      span.setBaggageItem('a', '1');
      const before = span.context() as SpanContextShim;
      const beforeBaggage = before.getBaggage();
      span.setBaggageItem('b', '2');
      const after = span.context() as SpanContextShim;
      expect(after).not.toBe(before);
      expect(before.getBaggage()).toBe(beforeBaggage);
      expect(before.getBaggageItem('b')).toBeUndefined();
      expect(after.getBaggageItem('a')).toBe('1');
      expect(after.getBaggageItem('b')).toBe('2');
      expect(after.getSpanContext()).toEqual(before.getSpanContext());
    });

    it('should return the same context while the baggage does not change', () => {
      const span = new TracerShim(createTestSdk().provider).startSpan('op');
      expect(span.context()).toBe(span.context());
    });
  });

  it('should hold an invalid span context without failing', () => {
    const shim = new SpanContextShim(INVALID_SPAN_CONTEXT);
    expect(shim.toTraceId()).toBe('00000000000000000000000000000000');
    expect(shim.toSpanId()).toBe('0000000000000000');
  });
});
