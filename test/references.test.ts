import { TraceFlags, propagation } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS } from '../src/limits';
import { resolveReference, resolveSpanContext, selectParent, unionBaggage } from '../src/references';
import { SpanContextShim } from '../src/span-context-shim';
import { TracerShim } from '../src/tracer-shim';
import { captureDiag } from './helpers/diag';
import { growthFrom } from './helpers/growth';
import type { DiagCapture } from './helpers/diag';
import { createTestSdk } from './helpers/sdk';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client');

const OTEL_CONTEXT = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };

describe('references', () => {
  let logs: DiagCapture;

  beforeEach(() => {
    logs = captureDiag();
  });

  afterEach(() => logs.stop());

  describe('resolveSpanContext', () => {
    it('should return a SpanContextShim as it is', () => {
      const shim = new SpanContextShim(OTEL_CONTEXT);
      expect(resolveSpanContext(shim)).toBe(shim);
    });

    it("should return a Span's context", () => {
      const span = new TracerShim(createTestSdk().provider).startSpan('op');
      expect(resolveSpanContext(span)).toBe(span.context());
    });

    it('should read a Span of another opentracing copy through its context()', () => {
      const shim = new SpanContextShim(OTEL_CONTEXT);
      expect(resolveSpanContext({ context: () => shim })).toBe(shim);
    });

    it('should read a span context shim of another copy of this package through getSpanContext()', () => {
      const baggage = propagation.createBaggage({ k: { value: 'v' } });
      const foreign = { getSpanContext: () => OTEL_CONTEXT, getBaggage: () => baggage, toTraceId: () => 'zz', toSpanId: () => 'zz' };
      const resolved = resolveSpanContext(foreign);
      expect(resolved?.getSpanContext()).toEqual(OTEL_CONTEXT);
      expect(resolved?.getBaggageItem('k')).toBe('v');
    });

    it("should copy another copy's Baggage once, so that one whose methods throw costs only the baggage", () => {
      const boom = () => {
        throw new Error('boom');
      };
      const throwing = { getEntry: boom, getAllEntries: boom, setEntry: boom, removeEntry: boom, removeEntries: boom, clear: boom };
      const resolved = resolveSpanContext({ getSpanContext: () => OTEL_CONTEXT, getBaggage: () => throwing });
      expect(resolved?.getSpanContext()).toEqual(OTEL_CONTEXT);
      expect(() => resolved?.getBaggageItem('k')).not.toThrow();
      expect(resolved?._baggageEntries()).toEqual([]);
    });

    it('should make a jaeger-client span context a remote context, padding short ids', () => {
      const resolved = resolveSpanContext(jaeger.SpanContext.withStringIds('ABC', 'de', null, 1, { user: 'alice' }));
      expect(resolved?.getSpanContext()).toEqual({
        traceId: '00000000000000000000000000000abc',
        spanId: '00000000000000de',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      expect(resolved?.getBaggageItem('user')).toBe('alice');
    });

    it("should keep a jaeger-client context's unsampled flag", () => {
      expect(resolveSpanContext(jaeger.SpanContext.withStringIds('abc', 'de', null, 0))?.getSpanContext().traceFlags).toBe(TraceFlags.NONE);
    });

    it('should take a foreign context without isSampled() as sampled', () => {
      const resolved = resolveSpanContext({ toTraceId: () => '1234', toSpanId: () => '5678' });
      expect(resolved?.getSpanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    });

    describe('a foreign span context with a part that cannot be read keeps its ids and the rest', () => {
      const throwingProxy = (target: object): object =>
        new Proxy(target, {
          get: () => {
            throw new Error('get trap');
          },
          ownKeys: () => {
            throw new Error('ownKeys trap');
          },
          getOwnPropertyDescriptor: () => {
            throw new Error('getOwnPropertyDescriptor trap');
          },
        });
      const withThrowingItem = (): object =>
        Object.defineProperty({ kept: 'yes' }, 'boom', {
          enumerable: true,
          get() {
            throw new Error('getter');
          },
        });
      // Copies descriptors, so that a getter among `parts` is not run here.
      const jaegerLike = (parts: object): object =>
        Object.defineProperties({ toTraceId: () => 'b', toSpanId: () => '7' }, Object.getOwnPropertyDescriptors(parts));

      it.each([
        ['a baggage Proxy that throws', { baggage: throwingProxy({}) }, undefined],
        ['a baggage item whose getter throws', { baggage: withThrowingItem() }, 'yes'],
        [
          'a baggage property whose getter throws',
          Object.defineProperty({}, 'baggage', {
            enumerable: true,
            get() {
              throw new Error('getter');
            },
          }),
          undefined,
        ],
      ])('%s', (_name, parts, kept) => {
        const resolved = resolveSpanContext(jaegerLike(parts));
        expect(resolved?.getSpanContext()).toEqual({
          traceId: '0000000000000000000000000000000b',
          spanId: '0000000000000007',
          traceFlags: TraceFlags.SAMPLED,
          isRemote: true,
        });
        expect(resolved?.getBaggageItem('kept')).toBe(kept);
        expect(logs.matching('of a span context of another tracer')).toHaveLength(1);
      });

      it('an isSampled() that throws: taken as sampled, as a context without isSampled()', () => {
        const resolved = resolveSpanContext(
          jaegerLike({
            isSampled() {
              throw new Error('boom');
            },
          }),
        );
        expect(resolved?.getSpanContext().traceFlags).toBe(TraceFlags.SAMPLED);
        expect(logs.matching('sampled flag')).toHaveLength(1);
      });

      it('a getBaggage() that throws on a span context shim of another copy: no baggage', () => {
        const foreign = {
          getSpanContext: () => OTEL_CONTEXT,
          getBaggage() {
            throw new Error('boom');
          },
        };
        const resolved = resolveSpanContext(foreign);
        expect(resolved?.getSpanContext()).toEqual(OTEL_CONTEXT);
        expect(resolved?.getBaggage().getAllEntries()).toEqual([]);
        expect(logs.matching('of a span context of another tracer')).toHaveLength(1);
      });

      it('a child span started from it stays in its trace', () => {
        const sdk = createTestSdk();
        const tracer = new TracerShim(sdk.provider.getTracer('t'));
        tracer.startSpan('child', { childOf: jaegerLike({ baggage: throwingProxy({}) }) as opentracing.SpanContext }).finish();
        const [span] = sdk.spans();
        expect(span?.spanContext().traceId).toBe('0000000000000000000000000000000b');
        expect(span?.parentSpanContext?.spanId).toBe('0000000000000007');
      });
    });

    it.each([
      ['MockTracer (empty ids)', () => new opentracing.MockTracer().startSpan('m').context()],
      ['non-hex ids', () => ({ toTraceId: () => 'not-hex', toSpanId: () => '12' })],
      ['too long ids', () => ({ toTraceId: () => 'a'.repeat(33), toSpanId: () => '12' })],
      ['all-zero ids', () => ({ toTraceId: () => '0', toSpanId: () => '0' })],
      ['the no-op span context', () => new opentracing.Tracer().startSpan('noop').context()],
    ])('should ignore a context with %s, with a warning', (_name, make) => {
      expect(resolveSpanContext(make())).toBeUndefined();
      expect(logs.messages).toHaveLength(1);
    });

    it('should ignore, with a warning, values that are not span contexts and never throw', () => {
      const throwing = {
        toTraceId() {
          throw new Error('boom');
        },
        toSpanId: () => '1',
      };
      for (const value of [42, 'ctx', {}, [], throwing, { context: () => ({}) }, { context: () => ({ context: () => new SpanContextShim(OTEL_CONTEXT) }) }]) {
        expect(resolveSpanContext(value)).toBeUndefined();
      }
      // One warning per kind of problem, once per process: not a span context (42, 'ctx'), neither
      // a Span nor a SpanContext ({}, [], the span-likes), and one that throws.
      expect(logs.messages).toHaveLength(3);
      expect(logs.matching('is not a span context')).toHaveLength(1);
      expect(logs.matching('neither a Span nor a SpanContext')).toHaveLength(1);
      expect(logs.matching('could not be read')).toHaveLength(1);
    });

    it('should ignore null and undefined silently', () => {
      expect(resolveSpanContext(null)).toBeUndefined();
      expect(resolveSpanContext(undefined)).toBeUndefined();
      expect(logs.messages).toEqual([]);
    });
  });

  describe('resolveReference', () => {
    it('should give the type and context of an OpenTracing Reference', () => {
      const shim = new SpanContextShim(OTEL_CONTEXT);
      expect(resolveReference(opentracing.childOf(shim))).toEqual({ type: 'child_of', context: shim });
      expect(resolveReference(opentracing.followsFrom(shim))).toEqual({ type: 'follows_from', context: shim });
    });

    it('should read a reference of another opentracing copy by its methods', () => {
      const shim = new SpanContextShim(OTEL_CONTEXT);
      expect(resolveReference({ type: () => 'follows_from', referencedContext: () => ({ context: () => shim }) })).toEqual({
        type: 'follows_from',
        context: shim,
      });
    });

    it('should ignore null references and references to nothing silently', () => {
      expect(resolveReference(null)).toBeUndefined();
      expect(resolveReference(undefined)).toBeUndefined();
      expect(resolveReference(new opentracing.Reference(opentracing.REFERENCE_CHILD_OF, null as never))).toBeUndefined();
      expect(logs.messages).toEqual([]);
    });

    it('should ignore, with a warning, anything that is not a reference', () => {
      const throwing = {
        type() {
          throw new Error('boom');
        },
        referencedContext: () => null,
      };
      expect(resolveReference({})).toBeUndefined();
      expect(resolveReference(throwing)).toBeUndefined();
      expect(resolveReference(opentracing.childOf(new opentracing.MockTracer().startSpan('m').context()))).toBeUndefined();
      expect(logs.messages).toHaveLength(3);
    });
  });

  describe('selectParent', () => {
    const OTHER_CONTEXT = { ...OTEL_CONTEXT, spanId: '00f067aa0ba902b7' };
    const noWarn = () => undefined;
    const withBaggage = (spanContext: typeof OTEL_CONTEXT, items: Record<string, string>) =>
      new SpanContextShim(spanContext, propagation.createBaggage(Object.fromEntries(Object.entries(items).map(([k, v]) => [k, { value: v }]))));

    it('should select nothing without references', () => {
      expect(selectParent(undefined, undefined, noWarn)).toBeUndefined();
      expect(selectParent(null, null, noWarn)).toBeUndefined();
      expect(selectParent([], undefined, noWarn)).toBeUndefined();
    });

    it('should make childOf alone the parent, with one ChildOf link; from the second child on, one frozen list shared', () => {
      const parent = withBaggage(OTEL_CONTEXT, { tenant: 'acme' });
      const first = selectParent(undefined, parent, noWarn);
      expect(first?.parent).toBe(parent);
      expect(first?.baggage).toBe(parent.getBaggage());
      const link = { context: OTEL_CONTEXT, attributes: { 'opentracing.ref_type': 'child_of' } };
      expect(first?.links).toEqual([link]);
      const second = selectParent(undefined, parent, noWarn)?.links;
      expect(second).toEqual([link]);
      expect(second).not.toBe(first?.links);
      expect(Object.isFrozen(second)).toBe(true);
      expect(Object.isFrozen(second?.[0])).toBe(true);
      expect(selectParent(undefined, parent, noWarn)?.links).toBe(second);
    });

    it('should make the first ChildOf reference the parent, link every reference in order and unite the baggage', () => {
      const follows = withBaggage(OTHER_CONTEXT, { a: '1' });
      const child = withBaggage(OTEL_CONTEXT, { a: '2', b: '3' });
      const selected = selectParent([opentracing.followsFrom(follows), opentracing.childOf(child)], undefined, noWarn);
      expect(selected?.parent).toBe(child);
      expect(selected?.links?.map((link) => [link.context.spanId, link.attributes?.['opentracing.ref_type']])).toEqual([
        [OTHER_CONTEXT.spanId, 'follows_from'],
        [OTEL_CONTEXT.spanId, 'child_of'],
      ]);
      expect(Object.fromEntries(selected?.baggage.getAllEntries().map(([k, e]) => [k, e.value]) ?? [])).toEqual({ a: '2', b: '3' });
    });

    it('should count childOf as a ChildOf reference after the references', () => {
      const follows = new SpanContextShim(OTHER_CONTEXT);
      const child = new SpanContextShim(OTEL_CONTEXT);
      const selected = selectParent([opentracing.followsFrom(follows)], child, noWarn);
      expect(selected?.parent).toBe(child);
      expect(selected?.links).toHaveLength(2);
    });

    it('should make the first reference the parent when none is a ChildOf', () => {
      const first = new SpanContextShim(OTHER_CONTEXT);
      const selected = selectParent([opentracing.followsFrom(first), opentracing.followsFrom(new SpanContextShim(OTEL_CONTEXT))], undefined, noWarn);
      expect(selected?.parent).toBe(first);
    });

    it('should not link a context without valid ids, but still take its baggage', () => {
      const baggageOnly = withBaggage({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: TraceFlags.NONE }, { tenant: 'acme' });
      const selected = selectParent(undefined, baggageOnly, noWarn);
      expect(selected?.parent).toBe(baggageOnly);
      expect(selected?.links).toBeUndefined();
      expect(selected?.baggage.getEntry('tenant')?.value).toBe('acme');
    });

    it('should leave out unreadable references, with a warning, and never throw', () => {
      const parent = new SpanContextShim(OTEL_CONTEXT);
      const hostile = new Proxy([], {
        get() {
          throw new Error('trap');
        },
      });
      expect(() => selectParent(hostile, parent, noWarn)).not.toThrow();
      expect(selectParent(hostile, parent, noWarn)?.parent).toBe(parent);
      expect(logs.matching('the references could not be read').length).toBeGreaterThan(0);
    });
  });

  describe('unionBaggage', () => {
    const withItems = (prefix: string, count: number, value = 'v'): SpanContextShim =>
      new SpanContextShim(OTEL_CONTEXT, propagation.createBaggage(Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, { value }]))));
    const noWarning = (): void => undefined;

    it("should keep the parent's value for a duplicate key, then the others in reference order", () => {
      const parent = new SpanContextShim(OTEL_CONTEXT, propagation.createBaggage({ k: { value: 'parent' }, p: { value: '1' } }));
      const other = new SpanContextShim(OTEL_CONTEXT, propagation.createBaggage({ k: { value: 'other' }, o: { value: '2' } }));
      const union = unionBaggage(parent, [other, parent], noWarning);
      expect(union.getAllEntries().map(([key, entry]) => [key, entry.value])).toEqual([
        ['k', 'parent'],
        ['p', '1'],
        ['o', '2'],
      ]);
    });

    it("should return the parent's Baggage itself when the others add nothing", () => {
      const parent = withItems('k', 3);
      expect(unionBaggage(parent, [parent, withItems('k', 2), new SpanContextShim(OTEL_CONTEXT)], noWarning)).toBe(parent.getBaggage());
    });

    it(`should hold the union to ${MAX_BAGGAGE_ITEMS} items and ${MAX_BAGGAGE_BYTES} bytes, the parent's first, with a warning`, () => {
      const warnings: string[] = [];
      const references = Array.from({ length: 25 }, (_, r) => withItems(`r${r}-`, 180));
      const union = unionBaggage(references[0], references, (message) => warnings.push(message));
      expect(union.getAllEntries()).toHaveLength(MAX_BAGGAGE_ITEMS);
      expect(union.getEntry('r0-179')?.value).toBe('v');
      expect(warnings).toEqual([expect.stringContaining('dropped 4320 baggage items')]);
      expect(unionBaggage(references[0], [references[0], withItems('r0-', 180)], (message) => warnings.push(message))).toBe(references[0].getBaggage());
      expect(warnings).toHaveLength(1);
      const big = unionBaggage(withItems('a', 1, 'x'.repeat(5000)), [withItems('b', 2, 'y'.repeat(3000))], noWarning);
      expect(big.getAllEntries().map(([key]) => key)).toEqual(['a0', 'b0']);
    });

    it('should keep a __proto__ key as an item', () => {
      const other = new SpanContextShim(OTEL_CONTEXT, propagation.createBaggage(JSON.parse('{"__proto__":{"value":"x"}}')));
      expect(unionBaggage(withItems('k', 1), [other], noWarning).getEntry('__proto__')?.value).toBe('x');
      expect(({} as Record<string, unknown>).value).toBeUndefined();
    });

    it('should cost at most about linearly more for 4 times the references (a setEntry per item copied the map: quadratic)', () => {
      const growth = growthFrom(
        8,
        (count) => Array.from({ length: count }, (_, r) => withItems(`r${r}-`, 180)),
        (references) => unionBaggage(references[0], references, noWarning),
        10,
      );
      expect(growth).toBeLessThan(10);
    });
  });
});
