import { propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BaggageSpanProcessor } from '../../src/sdk';

function setup() {
  const processor = new BaggageSpanProcessor();
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory), processor] });
  return { processor, memory, tracer: provider.getTracer('t') };
}

function withBaggage(entries: Record<string, string>): Context {
  const baggage = propagation.createBaggage(Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, { value }])));
  return propagation.setBaggage(ROOT_CONTEXT, baggage);
}

describe('BaggageSpanProcessor', () => {
  describe('getBaggage', () => {
    it('should return the baggage the span started with', () => {
      const { processor, tracer } = setup();
      const span = tracer.startSpan('s', {}, withBaggage({ 'user.id': '42' }));
      expect(processor.getBaggage(span)?.getEntry('user.id')?.value).toBe('42');
    });

    it('should find the baggage from the exported ReadableSpan', () => {
      const { processor, memory, tracer } = setup();
      tracer.startSpan('s', {}, withBaggage({ tenant: 'acme' })).end();
      const [exported] = memory.getFinishedSpans();
      expect(processor.getBaggage(exported)?.getAllEntries()).toEqual([['tenant', { value: 'acme' }]]);
    });

    it('should keep what the span started with when a later context changes the baggage', () => {
      const { processor, tracer } = setup();
      const context = withBaggage({ step: 'one' });
      const parent = tracer.startSpan('parent', {}, context);
      const changed = propagation.setBaggage(trace.setSpan(context, parent), propagation.getBaggage(context)!.setEntry('step', { value: 'two' }));
      const child = tracer.startSpan('child', {}, changed);
      expect(processor.getBaggage(parent)?.getEntry('step')?.value).toBe('one');
      expect(processor.getBaggage(child)?.getEntry('step')?.value).toBe('two');
    });

    it('should return undefined for a span started without baggage or with empty baggage', () => {
      const { processor, tracer } = setup();
      const bare = tracer.startSpan('bare', {}, ROOT_CONTEXT);
      const emptyBaggage = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage());
      const empty = tracer.startSpan('empty', {}, emptyBaggage);
      expect(processor.getBaggage(bare)).toBeUndefined();
      expect(processor.getBaggage(empty)).toBeUndefined();
      expect(processor.getBaggage({})).toBeUndefined();
    });
  });

  describe('onStart', () => {
    it('should not write baggage into span attributes', () => {
      const { memory, tracer } = setup();
      tracer.startSpan('s', { attributes: { a: 1 } }, withBaggage({ secret: 'token' })).end();
      expect(memory.getFinishedSpans()[0].attributes).toEqual({ a: 1 });
    });

    it('should not throw when the SDK passes no context', () => {
      const processor = new BaggageSpanProcessor();
      const span = {};
      expect(() => processor.onStart(span, undefined)).not.toThrow();
      expect(processor.getBaggage(span)).toBeUndefined();
    });
  });
});
