import { INVALID_SPAN_CONTEXT, TraceFlags, createTraceState, propagation } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { JAEGER_DEBUG_TRACE_STATE_KEY, JAEGER_FIREHOSE_TRACE_STATE_KEY } from '../../src/jaeger/constants';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { SpanContextShim } from '../../src/span-context-shim';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClientSpanContext {
  readonly traceIdStr: string;
  readonly spanIdStr: string;
  readonly parentIdStr: string | null | undefined;
  readonly flags: number;
  isSampled(): boolean;
  isDebug(): boolean;
  toString(): string;
}
interface JaegerClient {
  SpanContext: {
    withBinaryIds(traceId: Buffer, spanId: Buffer, parentId: Buffer | null, flags: number, baggage?: Record<string, string>): JaegerClientSpanContext;
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

/** One span context, described once and built for both libraries. */
interface Case {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | undefined;
  /** jaeger-client flags: 0x1 sampled, 0x2 debug, 0x8 firehose. */
  readonly flags: number;
}

const CASES: ReadonlyArray<[string, Case]> = [
  ['a sampled root', { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentId: undefined, flags: 1 }],
  ['an unsampled child', { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentId: 'a3ce929d0e0e4736', flags: 0 }],
  ['a sampled debug child', { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentId: 'a3ce929d0e0e4736', flags: 3 }],
  ['a sampled firehose child', { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentId: 'a3ce929d0e0e4736', flags: 9 }],
  [
    'a 64-bit trace id and ids with leading zeros',
    { traceId: '000000000000000000000000000000ab', spanId: '000000000000000c', parentId: '0000000000000d00', flags: 1 },
  ],
];

function otelSpanContext(c: Case): SpanContext {
  let traceState = createTraceState();
  if (c.flags & 0x2) traceState = traceState.set(JAEGER_DEBUG_TRACE_STATE_KEY, '1');
  if (c.flags & 0x8) traceState = traceState.set(JAEGER_FIREHOSE_TRACE_STATE_KEY, '1');
  return { traceId: c.traceId, spanId: c.spanId, traceFlags: c.flags & 0x1 ? TraceFlags.SAMPLED : TraceFlags.NONE, traceState };
}

function jaegerClientContext(c: Case): JaegerClientSpanContext {
  // A 32-hex id with a zero high half is what jaeger-client holds as a 64-bit id.
  const traceHex = c.traceId.startsWith('0000000000000000') ? c.traceId.slice(16) : c.traceId;
  const parent = c.parentId === undefined ? null : Buffer.from(c.parentId, 'hex');
  return jaeger.SpanContext.withBinaryIds(Buffer.from(traceHex, 'hex'), Buffer.from(c.spanId, 'hex'), parent, c.flags);
}

describe('JaegerSpanContext', () => {
  it('should be a SpanContextShim and an OpenTracing SpanContext', () => {
    const context = new JaegerSpanContext(otelSpanContext(CASES[0][1]));

    expect(context).toBeInstanceOf(SpanContextShim);
    expect(context).toBeInstanceOf(opentracing.SpanContext);
  });

  describe('parity with jaeger-client SpanContext', () => {
    it.each(CASES)('should answer like jaeger-client for %s', (_name, c) => {
      const ours = new JaegerSpanContext(otelSpanContext(c), undefined, c.parentId);
      const theirs = jaegerClientContext(c);

      expect({
        traceIdStr: ours.traceIdStr,
        spanIdStr: ours.spanIdStr,
        parentIdStr: ours.parentIdStr ?? null,
        flags: ours.flags,
        sampled: ours.isSampled(),
        debug: ours.isDebug(),
        string: ours.toString(),
      }).toEqual({
        traceIdStr: theirs.traceIdStr,
        spanIdStr: theirs.spanIdStr,
        parentIdStr: theirs.parentIdStr ?? null,
        flags: theirs.flags,
        sampled: theirs.isSampled(),
        debug: theirs.isDebug(),
        string: theirs.toString(),
      });
    });
  });

  describe('isSampled', () => {
    it('should follow the sampled trace flag', () => {
      const sampled = new JaegerSpanContext({ ...otelSpanContext(CASES[0][1]), traceFlags: TraceFlags.SAMPLED });
      const unsampled = new JaegerSpanContext({ ...otelSpanContext(CASES[0][1]), traceFlags: TraceFlags.NONE });

      expect([sampled.isSampled(), unsampled.isSampled()]).toEqual([true, false]);
    });
  });

  describe('isDebug', () => {
    it('should be true only for the trace state entry jaeger-debug=1', () => {
      const base = otelSpanContext(CASES[0][1]);
      const debugOf = (value: string | undefined): boolean =>
        new JaegerSpanContext({ ...base, traceState: value === undefined ? undefined : createTraceState().set(JAEGER_DEBUG_TRACE_STATE_KEY, value) }).isDebug();

      expect([debugOf('1'), debugOf('0'), debugOf('true'), debugOf(undefined)]).toEqual([true, false, false, false]);
    });

    it('should add the debug bit to flags and toString', () => {
      const context = new JaegerSpanContext(otelSpanContext({ ...CASES[0][1], flags: 3 }));

      expect(context.flags).toBe(3);
      expect(context.toString()).toMatch(/:3$/);
    });
  });

  describe('ids', () => {
    it('should strip leading zeros from every id, as jaeger-client writes them', () => {
      const context = new JaegerSpanContext(otelSpanContext(CASES[4][1]), undefined, '0000000000000d00');

      expect([context.traceIdStr, context.spanIdStr, context.parentIdStr]).toEqual(['ab', 'c', 'd00']);
      expect(context.getParentSpanId()).toBe('0000000000000d00');
    });

    it('should keep the OpenTelemetry form in toTraceId and toSpanId', () => {
      const context = new JaegerSpanContext(otelSpanContext(CASES[4][1]));

      expect([context.toTraceId(), context.toSpanId()]).toEqual(['000000000000000000000000000000ab', '000000000000000c']);
    });

    it('should have no parent id for a root and write 0 in its place', () => {
      const context = new JaegerSpanContext(otelSpanContext(CASES[0][1]));

      expect(context.parentIdStr).toBeUndefined();
      expect(context.toString()).toBe('4bf92f3577b34da6a3ce929d0e0e4736:f067aa0ba902b7:0:1');
    });

    it('should give 0 for the ids of an invalid context', () => {
      const context = new JaegerSpanContext(INVALID_SPAN_CONTEXT);

      expect([context.traceIdStr, context.spanIdStr]).toEqual(['0', '0']);
      expect(context.isSampled()).toBe(false);
    });
  });

  describe('baggage', () => {
    it('should give the baggage as a plain object', () => {
      const baggage = propagation.createBaggage({ 'user-id': { value: '42' }, tenant: { value: 'acme' } });
      const context = new JaegerSpanContext(otelSpanContext(CASES[0][1]), baggage);

      expect({ ...context.baggage }).toEqual({ 'user-id': '42', tenant: 'acme' });
      expect(context.getBaggageItem('tenant')).toBe('acme');
    });

    it('should give a copy, so changing it does not change the context', () => {
      const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
      const context = new JaegerSpanContext(otelSpanContext(CASES[0][1]), baggage);

      context.baggage.tenant = 'evil';

      expect(context.baggage.tenant).toBe('acme');
      expect(context.getBaggageItem('tenant')).toBe('acme');
    });

    it('should give an empty object when there is no baggage', () => {
      expect({ ...new JaegerSpanContext(otelSpanContext(CASES[0][1])).baggage }).toEqual({});
    });
  });

  describe('debugId', () => {
    it('should keep the jaeger-debug-id it was made with', () => {
      const context = new JaegerSpanContext(INVALID_SPAN_CONTEXT, undefined, undefined, 'correlation-1');

      expect(context.debugId).toBe('correlation-1');
    });

    it('should be undefined otherwise', () => {
      expect(new JaegerSpanContext(otelSpanContext(CASES[0][1])).debugId).toBeUndefined();
    });
  });
});
