import { ROOT_CONTEXT, TraceFlags, createTraceState, defaultTextMapGetter, defaultTextMapSetter, propagation, trace } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import { JAEGER_DEBUG_ID_KEY, JAEGER_DEBUG_TRACE_STATE_KEY, JAEGER_FIREHOSE_TRACE_STATE_KEY } from '../../src/jaeger/constants';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { getJaegerParentSpanId, setJaegerParentSpanId } from '../../src/jaeger/parent-span-id';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerSpanContext {
  readonly isValid: boolean;
  readonly traceId: Buffer | null;
  readonly spanId: Buffer | null;
  readonly parentId: Buffer | null;
  readonly parentIdStr: string | null | undefined;
  readonly baggage: Record<string, unknown>;
  readonly debugId: string;
  toTraceId(): string;
  toSpanId(): string;
  isSampled(): boolean;
  isDebug(): boolean;
  isFirehose(): boolean;
}
interface JaegerTracer {
  inject(context: JaegerSpanContext, format: string, carrier: unknown): void;
  extract(format: string, carrier: unknown): JaegerSpanContext;
  close(callback?: () => void): void;
}
interface JaegerClient {
  initTracer(config: object, options: object): JaegerTracer;
  SpanContext: {
    withBinaryIds(traceId: Buffer, spanId: Buffer, parentId: Buffer | null, flags: number, baggage?: Record<string, string>): JaegerSpanContext;
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

const noopLogger = { info: (): void => undefined, error: (): void => undefined };
const config = { serviceName: 'x', sampler: { type: 'const', param: 1 }, reporter: { logSpans: false } };

let jaegerTracer: JaegerTracer;
let customTracer: JaegerTracer;

beforeAll(() => {
  jaegerTracer = jaeger.initTracer(config, { logger: noopLogger });
  customTracer = jaeger.initTracer(config, {
    logger: noopLogger,
    contextKey: 'X-Trace-Id',
    baggagePrefix: 'X-Ctx-',
  });
});

afterAll(async () => {
  const close = (tracer: JaegerTracer): Promise<void> => new Promise((resolve) => tracer.close(resolve));
  await Promise.all([close(jaegerTracer), close(customTracer)]);
});

/** One span context, described once and built for both libraries. */
interface WireCase {
  /** 16 or 32 hex digits: the length picks jaeger-client's 64- or 128-bit trace id. */
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | null;
  /** jaeger-client flags: 0x1 sampled, 0x2 debug, 0x8 firehose. */
  readonly flags: number;
  readonly baggage: Record<string, string>;
}

const SPECIAL_BAGGAGE = {
  space: 'Leela vs. Bender',
  slash: 'a/b',
  comma: 'a,b',
  equals: 'a=b',
  semicolon: 'a;b',
  'non-ascii': 'Grüße, 東京 🎉',
  percent: '100% %41',
  mixed: ' /,=;:?&#+"\'<>',
};

function wire(traceId: string, spanId: string, parentId: string | null, flags: number, baggage: Record<string, string> = {}): WireCase {
  return { traceId, spanId, parentId, flags, baggage };
}

const BAGGAGE_CASE = wire('1234567890abcdef', 'fedcba0987654321', null, 1, SPECIAL_BAGGAGE);

const CASES: ReadonlyArray<[string, WireCase]> = [
  ['a sampled 64-bit root', wire('a1b2c3d4e5f60718', 'a1b2c3d4e5f60718', null, 1)],
  ['an unsampled 64-bit child', wire('1234567890abcdef', 'fedcba0987654321', 'a1b2c3d4e5f60718', 0)],
  ['a sampled debug child', wire('1234567890abcdef', 'fedcba0987654321', 'a1b2c3d4e5f60718', 3)],
  ['a sampled firehose child', wire('1234567890abcdef', 'fedcba0987654321', 'a1b2c3d4e5f60718', 9)],
  ['a 128-bit trace', wire('4bf92f3577b34da6a3ce929d0e0e4736', 'a3ce929d0e0e4736', null, 1)],
  ['a 128-bit trace id whose high half is nearly zero', wire('0000000000000001a3ce929d0e0e4736', '00f067aa0ba902b7', '0000000000000001', 1)],
  ['64-bit ids with leading zeros', wire('00000000000000ab', '000000000000000c', '0000000000000d00', 1)],
  ['the largest 64-bit ids', wire('ffffffffffffffff', 'ffffffffffffffff', 'ffffffffffffffff', 0)],
  ['baggage with spaces, /, comma, =, ; and non-ASCII', BAGGAGE_CASE],
  ['mixed-case baggage keys (jaeger-client test vector)', wire('1', '2', '3', 1, { keyOne: 'leela', keyTwo: 'bender' })],
];

const MODES: ReadonlyArray<[string, string, JaegerPropagator]> = [
  ['text map', FORMAT_TEXT_MAP, new JaegerPropagator()],
  ['HTTP headers', FORMAT_HTTP_HEADERS, new JaegerPropagator({ urlEncoding: true })],
];

const TABLE = MODES.flatMap(([mode, format, propagator]) => CASES.map(([name, wireCase]) => [mode, name, format, propagator, wireCase] as const));

function hexBuffer(hex: string): Buffer {
  return Buffer.from(hex.padStart(hex.length > 16 ? 32 : 16, '0'), 'hex');
}

function jaegerContext(c: WireCase): JaegerSpanContext {
  const parent = c.parentId === null ? null : hexBuffer(c.parentId);
  const baggage = { ...c.baggage };
  return jaeger.SpanContext.withBinaryIds(hexBuffer(c.traceId), hexBuffer(c.spanId), parent, c.flags, baggage);
}

function otelContext(c: WireCase): Context {
  let traceState = createTraceState();
  if (c.flags & 0x2) traceState = traceState.set(JAEGER_DEBUG_TRACE_STATE_KEY, '1');
  if (c.flags & 0x8) traceState = traceState.set(JAEGER_FIREHOSE_TRACE_STATE_KEY, '1');
  const spanId = c.spanId.padStart(16, '0');
  let context = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: c.traceId.padStart(32, '0'),
    spanId,
    traceFlags: c.flags & 0x1 ? TraceFlags.SAMPLED : TraceFlags.NONE,
    traceState,
  });
  if (c.parentId !== null) context = setJaegerParentSpanId(context, spanId, c.parentId.padStart(16, '0'));
  const entries = Object.fromEntries(Object.entries(c.baggage).map(([key, value]) => [key, { value }]));
  return propagation.setBaggage(context, propagation.createBaggage(entries));
}

function prototypeLess(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, entries);
}

function strip(hex: string): string {
  return hex.replace(/^0+(?=.)/, '');
}

function baggageOf(context: Context): Record<string, string> {
  const entries = propagation.getBaggage(context)?.getAllEntries() ?? [];
  return Object.fromEntries(entries.map(([key, entry]) => [key, entry.value]));
}

/** What jaeger-client makes of a carrier, in terms both libraries share. */
function summarizeJaeger(context: JaegerSpanContext): object {
  return {
    traceId: context.toTraceId(),
    spanId: context.toSpanId(),
    parentId: context.parentIdStr ?? null,
    sampled: context.isSampled(),
    debug: context.isDebug(),
    firehose: context.isFirehose(),
    baggage: context.baggage,
  };
}

function expectedSummary(c: WireCase): object {
  return {
    traceId: strip(c.traceId),
    spanId: strip(c.spanId),
    parentId: c.parentId === null ? null : strip(c.parentId),
    sampled: (c.flags & 0x1) !== 0,
    debug: (c.flags & 0x2) !== 0,
    firehose: (c.flags & 0x8) !== 0,
    baggage: c.baggage,
  };
}

describe('JaegerPropagator wire parity with jaeger-client 3.19', () => {
  describe('jaeger-client injects, JaegerPropagator extracts', () => {
    it.each(TABLE)('should keep every field in %s mode for %s', (_mode, _name, format, propagator, c) => {
      const carrier: Record<string, string> = {};
      jaegerTracer.inject(jaegerContext(c), format, carrier);

      const context = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);

      const spanContext = trace.getSpanContext(context);
      expect(spanContext).toMatchObject<Partial<SpanContext>>({
        traceId: c.traceId.padStart(32, '0'),
        spanId: c.spanId.padStart(16, '0'),
        traceFlags: c.flags & 0x1 ? TraceFlags.SAMPLED : TraceFlags.NONE,
        isRemote: true,
      });
      const traceState = spanContext?.traceState;
      expect(traceState?.get(JAEGER_DEBUG_TRACE_STATE_KEY)).toBe(c.flags & 0x2 ? '1' : undefined);
      expect(traceState?.get(JAEGER_FIREHOSE_TRACE_STATE_KEY)).toBe(c.flags & 0x8 ? '1' : undefined);
      expect(getJaegerParentSpanId(context, c.spanId.padStart(16, '0'))).toBe(c.parentId?.padStart(16, '0'));
      expect(baggageOf(context)).toEqual(c.baggage);
    });
  });

  describe('JaegerPropagator injects, jaeger-client extracts', () => {
    it.each(TABLE)('should keep every field in %s mode for %s', (_mode, _name, format, propagator, c) => {
      const carrier: Record<string, string> = {};
      propagator.inject(otelContext(c), carrier, defaultTextMapSetter);

      expect(summarizeJaeger(jaegerTracer.extract(format, carrier))).toEqual(expectedSummary(c));
    });
  });

  describe('header strings', () => {
    it.each(TABLE)('should be byte-identical to jaeger-client in %s mode for %s', (...row) => {
      const [, , format, propagator, c] = row;
      const fromJaeger: Record<string, string> = {};
      jaegerTracer.inject(jaegerContext(c), format, fromJaeger);
      const fromPropagator: Record<string, string> = {};
      propagator.inject(otelContext(c), fromPropagator, defaultTextMapSetter);

      expect(fromPropagator).toEqual(fromJaeger);
    });

    it.each(MODES)('should be byte-identical with a custom key and prefix in %s mode', (_mode, format, propagator) => {
      const custom = new JaegerPropagator({
        contextKey: 'X-Trace-Id',
        baggagePrefix: 'X-Ctx-',
        urlEncoding: format === FORMAT_HTTP_HEADERS,
      });
      const c = BAGGAGE_CASE;
      const fromJaeger: Record<string, string> = {};
      customTracer.inject(jaegerContext(c), format, fromJaeger);
      const fromPropagator: Record<string, string> = {};
      custom.inject(otelContext(c), fromPropagator, defaultTextMapSetter);

      expect(fromPropagator).toEqual(fromJaeger);
      expect(Object.keys(fromPropagator)).toContain('x-trace-id');
      expect(baggageOf(custom.extract(ROOT_CONTEXT, fromJaeger, defaultTextMapGetter))).toEqual(c.baggage);
      expect(propagator.extract(ROOT_CONTEXT, fromJaeger, defaultTextMapGetter)).toBe(ROOT_CONTEXT);
    });
  });

  describe('documented differences', () => {
    it.each(MODES)('should normalise received ids that jaeger-client re-emits verbatim (%s)', (_mode, format, propagator) => {
      const received = { 'uber-trace-id': '00AB:00CD:0EF:1' };
      const fromJaeger: Record<string, string> = {};
      jaegerTracer.inject(jaegerTracer.extract(format, received), format, fromJaeger);
      const fromPropagator: Record<string, string> = {};
      const context = propagator.extract(ROOT_CONTEXT, received, defaultTextMapGetter);
      propagator.inject(context, fromPropagator, defaultTextMapSetter);

      expect(fromJaeger['uber-trace-id']).toBe('00AB:00CD:0EF:1');
      expect(fromPropagator['uber-trace-id']).toBe('ab:cd:ef:1');
      // Both mean the same ids to jaeger-client.
      const a = jaegerTracer.extract(format, fromJaeger);
      const b = jaegerTracer.extract(format, fromPropagator);
      expect(b.traceId?.toString('hex')).toBe(a.traceId?.toString('hex'));
      expect(b.spanId?.toString('hex')).toBe(a.spanId?.toString('hex'));
      expect(b.parentId?.toString('hex')).toBe(a.parentId?.toString('hex'));
    });

    it.each(MODES)('should treat debug without sampled (flags 2) as sampled and debug (%s)', (_mode, format, propagator) => {
      const carrier = { 'uber-trace-id': 'abc:def:0:2' };
      const jaegerContextOf = jaegerTracer.extract(format, carrier);
      expect([jaegerContextOf.isSampled(), jaegerContextOf.isDebug()]).toEqual([false, true]);

      const context = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
      expect(trace.getSpanContext(context)?.traceFlags).toBe(TraceFlags.SAMPLED);
      const out: Record<string, string> = {};
      propagator.inject(context, out, defaultTextMapSetter);
      expect(out['uber-trace-id']).toBe('abc:def:0:3');
    });
  });

  describe('debug id and jaeger-baggage', () => {
    it.each(MODES)('should read the jaeger-client test vectors like jaeger-client (%s)', (_mode, format, propagator) => {
      const carrier = {
        'uberctx-robot': 'Bender',
        'jaeger-baggage': 'male=Fry, female=Leela, Lord Nibbler',
        'jaeger-debug-id': encodeURIComponent('value 1'),
      };
      const fromJaeger = jaegerTracer.extract(format, carrier);
      const context = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);

      expect(baggageOf(context)).toEqual(fromJaeger.baggage);
      expect(baggageOf(context)).toEqual({ robot: 'Bender', male: 'Fry', female: 'Leela' });
      expect(context.getValue(JAEGER_DEBUG_ID_KEY)).toBe(fromJaeger.debugId);
      expect(trace.getSpanContext(context)).toBeUndefined();
      expect(fromJaeger.isValid).toBe(false);
    });
  });

  describe('malformed input', () => {
    /**
     * `same`: both read the same (or no) span context, baggage and debug id. `stricter`: jaeger-client
     * accepts a span context this propagator refuses; the rest is the same. `jaeger-throws`:
     * jaeger-client throws, this propagator does not.
     */
    type Outcome = 'same' | 'stricter' | 'jaeger-throws';
    const MALFORMED: ReadonlyArray<[string, Record<string, unknown> | null, Outcome, Outcome]> = [
      // jaeger-client-node test/span_context.js ("return null on malformed traces", "turn properly
      // formatted strings into correct span contexts") and test/text_map_codec.js.
      ['bad value', { 'uber-trace-id': 'bad value' }, 'same', 'same'],
      ['bad-value', { 'uber-trace-id': 'bad-value' }, 'same', 'same'],
      ['too many colons', { 'uber-trace-id': '1:1:1:1:1' }, 'same', 'same'],
      ['too few colons', { 'uber-trace-id': '1:1:1' }, 'same', 'same'],
      ['non-hex trace id', { 'uber-trace-id': 'x:1:1:1' }, 'same', 'same'],
      ['non-hex span id', { 'uber-trace-id': '1:x:1:1' }, 'same', 'same'],
      ['non-hex parent id', { 'uber-trace-id': '1:1:x:1' }, 'same', 'same'],
      ['non-hex flags', { 'uber-trace-id': '1:1:1:x' }, 'same', 'same'],
      ['zero trace id', { 'uber-trace-id': '0:1:1:1' }, 'same', 'same'],
      ['short ids', { 'uber-trace-id': '100:7f:0:1' }, 'same', 'same'],
      ['largest ids', { 'uber-trace-id': 'ffffffffffffffff:ffffffffffffffff:5:1' }, 'same', 'same'],
      // Further cases.
      ['upper-case header name and ids', { 'UBER-TRACE-ID': 'ABC:DEF:0:1', 'UBERCTX-Key': 'v' }, 'same', 'same'],
      ['an encoded trace header', { 'uber-trace-id': 'abc%3Adef%3A0%3A1' }, 'same', 'same'],
      ['a bad escape in baggage', { 'uberctx-k': '%EA', 'jaeger-debug-id': '%EA' }, 'same', 'same'],
      ['a bad escape in the trace header', { 'uber-trace-id': 'abc:def:0:1%EA' }, 'stricter', 'stricter'],
      ['hex with a garbage suffix', { 'uber-trace-id': 'abcxyz:1:0:1' }, 'stricter', 'stricter'],
      ['a 0x prefix', { 'uber-trace-id': '0x1:2:0:1' }, 'stricter', 'stricter'],
      ['a negative id', { 'uber-trace-id': '-1:2:0:1' }, 'stricter', 'stricter'],
      ['a zero span id', { 'uber-trace-id': 'abc:0:0:1', 'uberctx-k': 'v' }, 'stricter', 'stricter'],
      ['an array trace header', { 'uber-trace-id': ['abc:def:0:1'] }, 'jaeger-throws', 'jaeger-throws'],
      ['a number trace header', { 'uber-trace-id': 5 }, 'jaeger-throws', 'jaeger-throws'],
      ['a number baggage value', { 'uberctx-k': 5 }, 'same', 'jaeger-throws'],
      ['a null carrier', null, 'same', 'same'],
      ['a prototype-less carrier', prototypeLess({ 'uber-trace-id': 'abc:def:0:1' }), 'same', 'same'],
    ];
    const MALFORMED_TABLE = MALFORMED.flatMap(([name, carrier, textMapOutcome, httpOutcome]) => [
      ['text map', name, FORMAT_TEXT_MAP, MODES[0]![2], carrier, textMapOutcome] as const,
      ['HTTP headers', name, FORMAT_HTTP_HEADERS, MODES[1]![2], carrier, httpOutcome] as const,
    ]);

    it.each(MALFORMED_TABLE)('should read %s: %s like jaeger-client or better', (...row) => {
      const [, , format, propagator, carrier, outcome] = row;
      let fromJaeger: JaegerSpanContext | undefined;
      let jaegerError: unknown;
      try {
        fromJaeger = jaegerTracer.extract(format, carrier);
      } catch (error) {
        jaegerError = error;
      }
      let context: Context = ROOT_CONTEXT;
      expect(() => {
        context = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
      }).not.toThrow();

      if (outcome === 'jaeger-throws') {
        expect(jaegerError).toBeInstanceOf(TypeError);
        return;
      }
      expect(jaegerError).toBeUndefined();
      const jaegerResult = fromJaeger!;
      const spanContext = trace.getSpanContext(context);
      if (outcome === 'stricter') {
        expect(jaegerResult.isValid).toBe(true);
        expect(spanContext).toBeUndefined();
      } else if (jaegerResult.isValid) {
        expect(spanContext?.traceId).toBe(jaegerResult.traceId!.toString('hex').padStart(32, '0'));
        expect(spanContext?.spanId).toBe(jaegerResult.spanId!.toString('hex'));
        expect(spanContext?.traceFlags).toBe(jaegerResult.isSampled() ? TraceFlags.SAMPLED : TraceFlags.NONE);
      } else {
        expect(spanContext).toBeUndefined();
      }
      const jaegerBaggage = Object.fromEntries(Object.entries(jaegerResult.baggage).map(([key, value]) => [key, String(value)]));
      expect(baggageOf(context)).toEqual(jaegerBaggage);
      expect(context.getValue(JAEGER_DEBUG_ID_KEY) ?? '').toBe(jaegerResult.debugId);
    });
  });
});
