import { ROOT_CONTEXT, TraceFlags, createTraceState, defaultTextMapGetter, defaultTextMapSetter, diag, propagation, trace } from '@opentelemetry/api';
import type { Baggage, Context, SpanContext, TextMapGetter } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { JAEGER_DEBUG_ID_KEY, JAEGER_DEBUG_TRACE_STATE_KEY, JAEGER_FIREHOSE_TRACE_STATE_KEY, JAEGER_PARENT_SPAN_ID_KEY } from '../../src/jaeger/constants';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS, MAX_HEADER_VALUE_BYTES } from '../../src/limits';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { getJaegerParentSpanId, setJaegerParentSpanId } from '../../src/jaeger/parent-span-id';
import { captureDiag } from '../helpers/diag';

const TRACE_ID_64 = '0000000000000000a1b2c3d4e5f60718';
const TRACE_ID_128 = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const PARENT_ID = '0000000000000abc';

function spanContext(overrides: Partial<SpanContext> = {}): SpanContext {
  return { traceId: TRACE_ID_128, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, ...overrides };
}

function withSpan(context: Context, overrides: Partial<SpanContext> = {}): Context {
  return trace.setSpanContext(context, spanContext(overrides));
}

function withBaggage(context: Context, items: Record<string, string>): Context {
  const entries = Object.fromEntries(Object.entries(items).map(([key, value]) => [key, { value }]));
  return propagation.setBaggage(context, propagation.createBaggage(entries));
}

function inject(propagator: JaegerPropagator, context: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, defaultTextMapSetter);
  return carrier;
}

function extract(propagator: JaegerPropagator, carrier: unknown): Context {
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

function baggageOf(context: Context): Record<string, string> {
  const baggage: Baggage | undefined = propagation.getBaggage(context);
  return Object.fromEntries((baggage?.getAllEntries() ?? []).map(([key, entry]) => [key, entry.value]));
}

afterEach(() => {
  diag.disable();
});

describe('JaegerPropagator', () => {
  const textMap = new JaegerPropagator();
  const http = new JaegerPropagator({ urlEncoding: true });

  describe('constructor', () => {
    it('should default to uber-trace-id and uberctx- without URL encoding', () => {
      const carrier = inject(textMap, withBaggage(withSpan(ROOT_CONTEXT), { k: 'a b' }));
      expect(carrier).toEqual({
        'uber-trace-id': '4bf92f3577b34da6a3ce929d0e0e4736:f067aa0ba902b7:0:1',
        'uberctx-k': 'a b',
      });
    });

    it('should lower-case a custom context key and baggage prefix like jaeger-client', () => {
      const propagator = new JaegerPropagator({ contextKey: 'My-Trace-ID', baggagePrefix: 'My-Ctx-' });
      const carrier = inject(propagator, withBaggage(withSpan(ROOT_CONTEXT), { k: 'v' }));
      expect(Object.keys(carrier)).toEqual(['my-trace-id', 'my-ctx-k']);
      const context = extract(propagator, { 'MY-TRACE-ID': 'abc:def:0:1', 'MY-CTX-Key': 'v' });
      expect(trace.getSpanContext(context)?.spanId).toBe('0000000000000def');
      expect(baggageOf(context)).toEqual({ Key: 'v' });
    });

    it('should fall back to the defaults for empty option strings like jaeger-client', () => {
      const propagator = new JaegerPropagator({ contextKey: '', baggagePrefix: '' });
      expect(Object.keys(inject(propagator, withBaggage(withSpan(ROOT_CONTEXT), { k: 'v' })))).toEqual(['uber-trace-id', 'uberctx-k']);
    });

    it('should fall back to the defaults, with a warning, for options that are not strings, where jaeger-client throws', () => {
      const diagnostics = captureDiag();
      const proxy = new Proxy(
        {},
        {
          get() {
            throw new Error('proxy trap');
          },
        },
      );

      const propagator = new JaegerPropagator({ contextKey: 42 as unknown as string, baggagePrefix: proxy as string });

      expect(Object.keys(inject(propagator, withBaggage(withSpan(ROOT_CONTEXT), { k: 'v' })))).toEqual(['uber-trace-id', 'uberctx-k']);
      expect(diagnostics.matching('JaegerPropagator: contextKey must be a string, got 42; "uber-trace-id" is used')).toHaveLength(1);
      expect(diagnostics.matching('JaegerPropagator: baggagePrefix must be a string')).toHaveLength(1);
    });
  });

  describe('fields', () => {
    it('should list the context key', () => {
      expect(textMap.fields()).toEqual(['uber-trace-id']);
      expect(new JaegerPropagator({ contextKey: 'X-Trace' }).fields()).toEqual(['x-trace']);
    });
  });

  describe('inject', () => {
    it.each([
      ['a 128-bit trace id', TRACE_ID_128, SPAN_ID, '4bf92f3577b34da6a3ce929d0e0e4736:f067aa0ba902b7:0:1'],
      ['a 64-bit trace id', TRACE_ID_64, SPAN_ID, 'a1b2c3d4e5f60718:f067aa0ba902b7:0:1'],
      ['ids that are mostly zeros', '00000000000000000000000000000001', '0000000000000002', '1:2:0:1'],
      ['upper-case ids', TRACE_ID_128.toUpperCase(), 'ABCDEF0123456789', `${TRACE_ID_128}:abcdef0123456789:0:1`],
    ])('should write %s in lower-case hex without leading zeros', (_name, traceId, spanId, expected) => {
      expect(inject(textMap, withSpan(ROOT_CONTEXT, { traceId, spanId }))['uber-trace-id']).toBe(expected);
    });

    it.each([
      ['0 when not sampled', TraceFlags.NONE, undefined, '0'],
      ['1 when sampled', TraceFlags.SAMPLED, undefined, '1'],
      ['3 when sampled and debug', TraceFlags.SAMPLED, 'jaeger-debug=1', '3'],
      ['2 when debug but not sampled', TraceFlags.NONE, 'jaeger-debug=1', '2'],
      ['9 when sampled and firehose', TraceFlags.SAMPLED, 'jaeger-firehose=1', '9'],
      ['b when sampled, debug and firehose', TraceFlags.SAMPLED, 'jaeger-firehose=1,jaeger-debug=1', 'b'],
      ['1 when the debug entry is not 1', TraceFlags.SAMPLED, 'jaeger-debug=0', '1'],
      ['1 when other vendors share the trace state', TraceFlags.SAMPLED, 'rojo=00f067aa0ba902b7', '1'],
    ])('should write flags %s', (_name, traceFlags, rawTraceState, flags) => {
      const traceState = rawTraceState === undefined ? undefined : createTraceState(rawTraceState);
      const header = inject(textMap, withSpan(ROOT_CONTEXT, { traceFlags, traceState }))['uber-trace-id'];
      expect(header?.split(':')[3]).toBe(flags);
    });

    it('should ignore W3C trace flag bits other than sampled', () => {
      const header = inject(textMap, withSpan(ROOT_CONTEXT, { traceFlags: 0x03 }))['uber-trace-id'];
      expect(header?.split(':')[3]).toBe('1');
    });

    it('should write the parent span id recorded for the injected span', () => {
      const context = setJaegerParentSpanId(withSpan(ROOT_CONTEXT), SPAN_ID, PARENT_ID);
      expect(inject(textMap, context)['uber-trace-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736:f067aa0ba902b7:abc:1');
    });

    it('should write parent 0 when no parent span id is recorded', () => {
      expect(inject(textMap, withSpan(ROOT_CONTEXT))['uber-trace-id']).toMatch(/:0:1$/);
    });

    it('should write parent 0 when the recorded parent belongs to another span', () => {
      // A span started by other OpenTelemetry code inside an extracted context.
      const context = withSpan(setJaegerParentSpanId(ROOT_CONTEXT, '1111111111111111', PARENT_ID));
      expect(inject(textMap, context)['uber-trace-id']).toMatch(/:f067aa0ba902b7:0:1$/);
    });

    it.each([
      ['a string', 'abc'],
      ['a non-hex parent', { spanId: SPAN_ID, parentSpanId: 'xyz' }],
      ['a zero parent', { spanId: SPAN_ID, parentSpanId: '0000000000000000' }],
      ['a parent over 16 digits', { spanId: SPAN_ID, parentSpanId: '10000000000000000' }],
      ['null', null],
    ])('should write parent 0 when the context key holds %s', (_name, value) => {
      const context = withSpan(ROOT_CONTEXT).setValue(JAEGER_PARENT_SPAN_ID_KEY, value);
      expect(inject(textMap, context)['uber-trace-id']).toMatch(/:0:1$/);
    });

    it('should not write uber-trace-id when there is no span context', () => {
      expect(inject(textMap, ROOT_CONTEXT)).toEqual({});
    });

    it('should not write uber-trace-id when the span context is invalid', () => {
      expect(inject(textMap, withSpan(ROOT_CONTEXT, { traceId: '0'.repeat(32) }))).toEqual({});
      expect(inject(textMap, withSpan(ROOT_CONTEXT, { spanId: 'not-hex' }))).toEqual({});
    });

    it('should write baggage without a span context', () => {
      expect(inject(textMap, withBaggage(ROOT_CONTEXT, { k: 'v' }))).toEqual({ 'uberctx-k': 'v' });
    });

    it('should write one uberctx- entry per baggage item with the key as given', () => {
      const carrier = inject(textMap, withBaggage(ROOT_CONTEXT, { a: '1', User_ID: '2', 'x.y': '3' }));
      expect(carrier).toEqual({ 'uberctx-a': '1', 'uberctx-User_ID': '2', 'uberctx-x.y': '3' });
    });

    it.each([
      ['spaces', 'a b', 'a%20b'],
      ['slash, comma, equals, semicolon', '/,=;', '%2F%2C%3D%3B'],
      ['non-ASCII', 'Grüße 東京', 'Gr%C3%BC%C3%9Fe%20%E6%9D%B1%E4%BA%AC'],
      ['a percent sign', '100%', '100%25'],
      ['characters encodeURIComponent keeps', "-_.!~*'()", "-_.!~*'()"],
      ['CR and LF', 'a\r\nInjected: 1', 'a%0D%0AInjected%3A%201'],
      ['NUL', 'a\0b', 'a%00b'],
    ])('should encodeURIComponent a value with %s in HTTP-header mode', (_name, value, encoded) => {
      expect(inject(http, withBaggage(ROOT_CONTEXT, { k: value }))).toEqual({ 'uberctx-k': encoded });
    });

    it.each([
      ['spaces', 'a b'],
      ['slash, comma, equals, semicolon', '/,=;'],
      ['non-ASCII', 'Grüße 東京'],
      ['a percent sign', '100%'],
    ])('should write a value with %s raw in text-map mode', (_name, value) => {
      expect(inject(textMap, withBaggage(ROOT_CONTEXT, { k: value }))).toEqual({ 'uberctx-k': value });
    });

    it.each([
      ['CR', 'a\rb'],
      ['LF', 'a\nb'],
      ['CR LF', 'a\r\nSet-Cookie: x=1'],
      ['NUL', 'a\0b'],
    ])('should drop, with a warning, a text-map baggage value containing %s', (_name, value) => {
      const logged = captureDiag();
      const carrier = inject(textMap, withBaggage(ROOT_CONTEXT, { bad: value, good: 'v' }));
      expect(carrier).toEqual({ 'uberctx-good': 'v' });
      expect(logged.messages.join('\n')).toMatch(/dropped baggage item "bad": CR, LF or NUL/);
      expect(logged.messages.join('\n')).not.toContain(value);
    });

    it('should drop, with a warning, a text-map baggage key containing CR, LF or NUL', () => {
      const logged = captureDiag();
      expect(inject(textMap, withBaggage(ROOT_CONTEXT, { 'a\nb': 'v', 'c\0': 'v', 'd\r': 'v' }))).toEqual({});
      // All three dropped; one warning for the process.
      expect(logged.messages).toHaveLength(1);
    });

    it.each([
      ['a space', 'a b'],
      ['a colon', 'a:b'],
      ['a slash', 'a/b'],
      ['non-ASCII', 'grüße'],
      ['CR LF', 'a\r\nb'],
    ])('should drop, with a warning, a baggage key with %s in HTTP-header mode', (_name, key) => {
      const logged = captureDiag();
      expect(inject(http, withBaggage(ROOT_CONTEXT, { [key]: 'v', ok: 'v' }))).toEqual({ 'uberctx-ok': 'v' });
      expect(logged.messages.join('\n')).toMatch(/not a valid HTTP header name/);
    });

    it('should keep header-name punctuation in a baggage key in HTTP-header mode', () => {
      const key = "a!#$%&'*+-.^_`|~Z9";
      expect(inject(http, withBaggage(ROOT_CONTEXT, { [key]: 'v' }))).toEqual({ [`uberctx-${key}`]: 'v' });
    });

    it('should drop, with a warning, a value that is not well-formed UTF-16 in HTTP-header mode', () => {
      const logged = captureDiag();
      expect(inject(http, withBaggage(ROOT_CONTEXT, { k: 'a\ud800b' }))).toEqual({});
      expect(logged.messages.join('\n')).toMatch(/not valid UTF-16/);
    });

    it('should drop, with a warning, an item with an empty key', () => {
      const logged = captureDiag();
      expect(inject(textMap, withBaggage(ROOT_CONTEXT, { '': 'v' }))).toEqual({});
      expect(logged.messages).toHaveLength(1);
    });

    it('should write a number baggage value as its string and drop an object value', () => {
      const baggage = propagation.createBaggage({
        n: { value: 5 as unknown as string },
        o: { value: {} as unknown as string },
      });
      expect(inject(http, propagation.setBaggage(ROOT_CONTEXT, baggage))).toEqual({ 'uberctx-n': '5' });
    });

    it('should write a __proto__ baggage key as an ordinary carrier key', () => {
      const carrier = inject(textMap, withBaggage(ROOT_CONTEXT, Object.fromEntries([['__proto__', 'v']])));
      expect(Object.getPrototypeOf(carrier)).toBe(Object.prototype);
      expect(carrier['uberctx-__proto__']).toBe('v');
    });

    it.each([
      ['null', null],
      ['undefined', undefined],
      ['a string', 'carrier'],
      ['a number', 42],
      ['a frozen object', Object.freeze({})],
    ])('should not throw for a carrier that is %s', (_name, carrier) => {
      const context = withBaggage(withSpan(ROOT_CONTEXT), { k: 'v' });
      expect(() => textMap.inject(context, carrier, defaultTextMapSetter)).not.toThrow();
    });

    it('should report a throwing setter through diag and not throw', () => {
      const logged = captureDiag();
      const setter = {
        set: () => {
          throw new Error('read-only headers');
        },
      };
      expect(() => textMap.inject(withSpan(ROOT_CONTEXT), {}, setter)).not.toThrow();
      expect(logged.messages.join('\n')).toMatch(/jaeger inject stopped: Error: read-only headers/);
    });

    it('should write into a prototype-less carrier', () => {
      const carrier = Object.create(null) as Record<string, string>;
      textMap.inject(withSpan(ROOT_CONTEXT), carrier, defaultTextMapSetter);
      expect(carrier['uber-trace-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736:f067aa0ba902b7:0:1');
    });
  });

  describe('extract', () => {
    it('should extract a remote span context with padded lower-case ids', () => {
      const context = extract(textMap, { 'uber-trace-id': 'A1B2C3D4E5F60718:F067AA0BA902B7:0:1' });
      expect(trace.getSpanContext(context)).toEqual({
        traceId: TRACE_ID_64,
        spanId: SPAN_ID,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    });

    it('should extract a 128-bit trace id', () => {
      const context = extract(textMap, { 'uber-trace-id': `${TRACE_ID_128}:1:0:0` });
      expect(trace.getSpanContext(context)).toMatchObject({ traceId: TRACE_ID_128, spanId: '0000000000000001' });
    });

    it('should accept ids sent with leading zeros', () => {
      const context = extract(textMap, { 'uber-trace-id': `${TRACE_ID_64}:${SPAN_ID}:${PARENT_ID}:01` });
      expect(trace.getSpanContext(context)).toMatchObject({ traceId: TRACE_ID_64, spanId: SPAN_ID, traceFlags: 1 });
      expect(getJaegerParentSpanId(context, SPAN_ID)).toBe(PARENT_ID);
    });

    it.each([['Uber-Trace-Id'], ['UBER-TRACE-ID'], ['uber-trace-id']])('should match the header name %s case-insensitively', (name) => {
      expect(trace.getSpanContext(extract(textMap, { [name]: 'abc:def:0:1' }))?.traceId).toBe(`${'0'.repeat(29)}abc`);
    });

    it.each([
      ['0', TraceFlags.NONE, undefined],
      ['1', TraceFlags.SAMPLED, undefined],
      ['01', TraceFlags.SAMPLED, undefined],
      ['3', TraceFlags.SAMPLED, 'jaeger-debug=1'],
      ['2', TraceFlags.SAMPLED, 'jaeger-debug=1'],
      ['8', TraceFlags.NONE, 'jaeger-firehose=1'],
      ['9', TraceFlags.SAMPLED, 'jaeger-firehose=1'],
      ['B', TraceFlags.SAMPLED, 'jaeger-firehose=1,jaeger-debug=1'],
      ['4', TraceFlags.NONE, 'jaeger-flags=4'],
      ['ff', TraceFlags.SAMPLED, 'jaeger-flags=f4,jaeger-firehose=1,jaeger-debug=1'],
    ])('should map flags %s to trace flags %i and trace state %s', (flags, traceFlags, traceState) => {
      const extracted = trace.getSpanContext(extract(textMap, { 'uber-trace-id': `abc:def:0:${flags}` }));
      expect(extracted?.traceFlags).toBe(traceFlags);
      expect(extracted?.traceState?.serialize()).toBe(traceState);
    });

    it('should store the received parent span id for the received span only', () => {
      const context = extract(textMap, { 'uber-trace-id': 'abc:def:123:1' });
      expect(context.getValue(JAEGER_PARENT_SPAN_ID_KEY)).toEqual({
        spanId: '0000000000000def',
        parentSpanId: '0000000000000123',
      });
      expect(getJaegerParentSpanId(context, '0000000000000def')).toBe('0000000000000123');
      expect(getJaegerParentSpanId(context, '0000000000000aaa')).toBeUndefined();
    });

    it('should store no parent span id for parent 0', () => {
      const context = extract(textMap, { 'uber-trace-id': 'abc:def:0:1' });
      expect(context.getValue(JAEGER_PARENT_SPAN_ID_KEY)).toBeUndefined();
    });

    it.each([
      ['three parts', 'abc:def:1'],
      ['five parts', 'abc:def:0:1:2'],
      ['an empty value', ''],
      ['an empty trace id', ':def:0:1'],
      ['an empty flags field', 'abc:def:0:'],
      ['a non-hex trace id', 'xyz:def:0:1'],
      ['a trace id with a hex prefix only (parseInt accepts it)', 'abcxyz:def:0:1'],
      ['a 0x prefix (parseInt accepts it)', '0xabc:def:0:1'],
      ['a negative span id (parseInt accepts it)', 'abc:-1:0:1'],
      ['a non-hex parent', 'abc:def:xyz:1'],
      ['non-hex flags', 'abc:def:0:z'],
      ['a trace id over 32 digits', `1${TRACE_ID_128}:def:0:1`],
      ['a span id over 16 digits', 'abc:10000000000000000:0:1'],
      ['a parent over 16 digits', 'abc:def:10000000000000000:1'],
      ['flags over 2 digits', 'abc:def:0:001'],
      ['a zero trace id', '0:def:0:1'],
      ['a zero 128-bit trace id', `${'0'.repeat(32)}:def:0:1`],
      ['a zero span id', 'abc:0:0:1'],
      ['spaces inside', 'abc: def:0:1'],
    ])('should set no span context for %s', (_name, value) => {
      const context = extract(textMap, { 'uber-trace-id': value, 'uberctx-k': 'v', 'jaeger-debug-id': 'd' });
      expect(trace.getSpanContext(context)).toBeUndefined();
      expect(baggageOf(context)).toEqual({ k: 'v' });
      expect(context.getValue(JAEGER_DEBUG_ID_KEY)).toBe('d');
    });

    it('should trim optional whitespace around the value', () => {
      expect(trace.getSpanContext(extract(textMap, { 'uber-trace-id': ' abc:def:0:1 ' }))).toBeDefined();
    });

    it('should keep a span context the context already has when uber-trace-id is invalid', () => {
      const context = textMap.extract(withSpan(ROOT_CONTEXT), { 'uber-trace-id': 'bad' }, defaultTextMapGetter);
      expect(trace.getSpanContext(context)?.traceId).toBe(TRACE_ID_128);
    });

    it('should let a later valid uber-trace-id win over an earlier one, and ignore invalid ones', () => {
      const context = extract(textMap, {
        'Uber-Trace-Id': 'abc:def:0:1',
        'uber-trace-id': 'abc:fed:0:1',
        'UBER-TRACE-ID': 'bad',
      });
      expect(trace.getSpanContext(context)?.spanId).toBe('0000000000000fed');
    });

    it.each([
      ['an encoded value', '%61bc%3Adef%3A0%3A1', '0000000000000def'],
      ['a bad escape', 'abc:def:0:1%EA', undefined],
    ])('should URL-decode uber-trace-id only in HTTP-header mode (%s)', (_name, value, spanId) => {
      expect(trace.getSpanContext(extract(http, { 'uber-trace-id': value }))?.spanId).toBe(spanId);
      expect(trace.getSpanContext(extract(textMap, { 'uber-trace-id': value }))).toBeUndefined();
    });

    it('should store the jaeger-debug-id value', () => {
      const context = extract(textMap, { 'Jaeger-Debug-Id': 'my-correlation id' });
      expect(context.getValue(JAEGER_DEBUG_ID_KEY)).toBe('my-correlation id');
      expect(trace.getSpanContext(context)).toBeUndefined();
    });

    it('should store the jaeger-debug-id value next to a valid span context', () => {
      const context = extract(textMap, { 'uber-trace-id': 'abc:def:0:1', 'jaeger-debug-id': 'x' });
      expect(context.getValue(JAEGER_DEBUG_ID_KEY)).toBe('x');
    });

    it('should URL-decode jaeger-debug-id in HTTP-header mode only', () => {
      expect(extract(http, { 'jaeger-debug-id': 'a%20b' }).getValue(JAEGER_DEBUG_ID_KEY)).toBe('a b');
      expect(extract(textMap, { 'jaeger-debug-id': 'a%20b' }).getValue(JAEGER_DEBUG_ID_KEY)).toBe('a%20b');
    });

    it('should store nothing for an empty jaeger-debug-id', () => {
      expect(extract(textMap, { 'jaeger-debug-id': '' }).getValue(JAEGER_DEBUG_ID_KEY)).toBeUndefined();
    });

    it('should extract uberctx- items with the carrier key case minus the prefix', () => {
      const context = extract(textMap, { 'uberctx-a': '1', 'UberCtx-UserId': '2', 'UBERCTX-X_Y': '3', other: '4' });
      expect(baggageOf(context)).toEqual({ a: '1', UserId: '2', X_Y: '3' });
    });

    it.each([
      ['an encoded value', 'a%20b%2F%2C%3D%3B%20Gr%C3%BC%C3%9Fe', 'a b/,=; Grüße', 'a%20b%2F%2C%3D%3B%20Gr%C3%BC%C3%9Fe'],
      ['a bad escape', '%EA', '%EA', '%EA'],
      ['a lone percent sign', '100%', '100%', '100%'],
      ['a plus sign', 'a+b', 'a+b', 'a+b'],
    ])('should URL-decode a baggage value only in HTTP-header mode (%s)', (_name, value, fromHttp, fromTextMap) => {
      expect(baggageOf(extract(http, { 'uberctx-k': value }))).toEqual({ k: fromHttp });
      expect(baggageOf(extract(textMap, { 'uberctx-k': value }))).toEqual({ k: fromTextMap });
    });

    it('should read jaeger-baggage pairs like jaeger-client', () => {
      const context = extract(textMap, { 'Jaeger-Baggage': 'k1=v1, k2=v2,,bad, a=b=c,  b = 2 , =x,e=' });
      expect(baggageOf(context)).toEqual({ k1: 'v1', k2: 'v2', 'b ': ' 2', e: '' });
    });

    it('should URL-decode jaeger-baggage before splitting it in HTTP-header mode', () => {
      expect(baggageOf(extract(http, { 'jaeger-baggage': 'k1=v%201%2Ck2%3Dv2' }))).toEqual({ k1: 'v 1', k2: 'v2' });
      expect(baggageOf(extract(textMap, { 'jaeger-baggage': 'k1=v%201' }))).toEqual({ k1: 'v%201' });
    });

    it('should combine uberctx- items and jaeger-baggage, the later carrier key winning', () => {
      const context = extract(textMap, { 'uberctx-a': '1', 'jaeger-baggage': 'a=2, b=3', 'uberctx-b': '4' });
      expect(baggageOf(context)).toEqual({ a: '2', b: '4' });
    });

    it('should drop a uberctx- item with an empty key', () => {
      expect(propagation.getBaggage(extract(textMap, { 'uberctx-': 'v' }))).toBeUndefined();
    });

    it('should merge extracted baggage over baggage the context already has', () => {
      const before = withBaggage(ROOT_CONTEXT, { a: '0', b: '0' });
      const context = textMap.extract(before, { 'uberctx-b': '1' }, defaultTextMapGetter);
      expect(baggageOf(context)).toEqual({ a: '0', b: '1' });
    });

    it('should set no baggage when the carrier has none', () => {
      expect(propagation.getBaggage(extract(textMap, { 'uber-trace-id': 'abc:def:0:1' }))).toBeUndefined();
    });

    it('should keep __proto__ and constructor as ordinary baggage keys', () => {
      const carrier = JSON.parse('{"uberctx-__proto__":"p","uberctx-constructor":"c","jaeger-baggage":"toString=t"}');
      const context = extract(textMap, carrier);
      expect(propagation.getBaggage(context)?.getEntry('__proto__')?.value).toBe('p');
      expect(baggageOf(context)).toEqual(JSON.parse('{"__proto__":"p","constructor":"c","toString":"t"}'));
      expect(({} as Record<string, unknown>)['p']).toBeUndefined();
    });

    it.each([
      ['an array', ['abc:def:0:1', 'abc:fed:0:1'], '0000000000000def'],
      ['an array starting with a non-string', [null, 'abc:def:0:1'], undefined],
      ['an empty array', [], undefined],
      ['a number', 42, undefined],
      ['an object', { toString: () => 'abc:def:0:1' }, undefined],
    ])('should read uber-trace-id given as %s without throwing', (_name, value, spanId) => {
      const context = extract(http, { 'uber-trace-id': value });
      expect(trace.getSpanContext(context)?.spanId).toBe(spanId);
    });

    it('should take the first element of an array baggage value', () => {
      expect(baggageOf(extract(http, { 'uberctx-k': ['a%20b', 'c'] }))).toEqual({ k: 'a b' });
    });

    it('should join the elements of an array jaeger-baggage value with commas', () => {
      expect(baggageOf(extract(http, { 'jaeger-baggage': ['a=1, b=2', 'c=3'] }))).toEqual({ a: '1', b: '2', c: '3' });
    });

    it('should read numbers and booleans as their string', () => {
      const carrier = { 'uberctx-n': 5, 'uberctx-b': true, 'uberctx-o': {} };
      expect(baggageOf(extract(http, carrier))).toEqual({ n: '5', b: 'true' });
    });

    it.each([
      ['null', null],
      ['undefined', undefined],
      ['a string', 'uber-trace-id'],
      ['a number', 7],
    ])('should return the context unchanged for a carrier that is %s', (_name, carrier) => {
      const context = withSpan(ROOT_CONTEXT);
      expect(textMap.extract(context, carrier, defaultTextMapGetter)).toBe(context);
    });

    it('should read a prototype-less carrier', () => {
      const carrier = Object.assign(Object.create(null) as object, {
        'uber-trace-id': 'abc:def:0:1',
        'uberctx-k': 'v',
      });
      const context = extract(textMap, carrier);
      expect(trace.getSpanContext(context)?.spanId).toBe('0000000000000def');
      expect(baggageOf(context)).toEqual({ k: 'v' });
    });

    it('should return the context unchanged, with a warning, when the getter keys() throws', () => {
      const logged = captureDiag();
      const getter: TextMapGetter = {
        keys: () => {
          throw new Error('no keys');
        },
        get: () => 'abc:def:0:1',
      };
      expect(textMap.extract(ROOT_CONTEXT, {}, getter)).toBe(ROOT_CONTEXT);
      expect(logged.messages.join('\n')).toMatch(/Error: no keys/);
    });

    it('should return the context unchanged, with a warning, when keys() returns no array', () => {
      const logged = captureDiag();
      const getter = { keys: () => 'uber-trace-id', get: () => 'abc:def:0:1' } as unknown as TextMapGetter;
      expect(textMap.extract(ROOT_CONTEXT, {}, getter)).toBe(ROOT_CONTEXT);
      expect(logged.messages).toHaveLength(1);
    });

    it('should skip, with a warning, a key whose get() throws and read the others', () => {
      const logged = captureDiag();
      const carrier = {
        get 'uberctx-bad'(): string {
          throw new Error('getter');
        },
        'uber-trace-id': 'abc:def:0:1',
      };
      const context = extract(textMap, carrier);
      expect(trace.getSpanContext(context)?.spanId).toBe('0000000000000def');
      expect(logged.messages.join('\n')).toMatch(/could not be read: Error: getter/);
    });

    it('should skip non-string keys returned by a getter', () => {
      const getter = { keys: () => [1, null, 'uber-trace-id'], get: () => 'abc:def:0:1' } as unknown as TextMapGetter;
      expect(trace.getSpanContext(textMap.extract(ROOT_CONTEXT, {}, getter))?.spanId).toBe('0000000000000def');
    });

    it('should not warn about a malformed uber-trace-id, which any client can send', () => {
      const logged = captureDiag();
      extract(textMap, { 'uber-trace-id': 'bad' });
      expect(logged.messages).toEqual([]);
    });

    describe('limits', () => {
      it(`should keep at most ${MAX_BAGGAGE_ITEMS} baggage items and warn about the rest`, () => {
        const logged = captureDiag();
        const carrier: Record<string, string> = {};
        for (let i = 0; i < MAX_BAGGAGE_ITEMS + 5; i++) carrier[`uberctx-k${i}`] = 'v';
        const baggage = baggageOf(extract(textMap, carrier));
        expect(Object.keys(baggage)).toHaveLength(MAX_BAGGAGE_ITEMS);
        expect(baggage[`k${MAX_BAGGAGE_ITEMS - 1}`]).toBe('v');
        expect(baggage[`k${MAX_BAGGAGE_ITEMS}`]).toBeUndefined();
        expect(logged.messages.join('\n')).toMatch(/dropped 5 baggage items over the limits/);
      });

      it('should count uberctx- items and jaeger-baggage pairs together', () => {
        const carrier: Record<string, string> = {};
        for (let i = 0; i < MAX_BAGGAGE_ITEMS; i++) carrier[`uberctx-k${i}`] = 'v';
        carrier['jaeger-baggage'] = 'x=1, y=2';
        expect(Object.keys(baggageOf(extract(textMap, carrier)))).toHaveLength(MAX_BAGGAGE_ITEMS);
      });

      it(`should keep at most ${MAX_BAGGAGE_BYTES} UTF-8 bytes of baggage keys and values`, () => {
        const logged = captureDiag();
        // Each item is 1 + 4093 bytes: two fit, the third does not, the small fourth still does.
        const value = 'é'.repeat(2046) + 'x';
        const carrier = { 'uberctx-a': value, 'uberctx-b': value, 'uberctx-c': value, 'uberctx-d': 'v' };
        const context = extract(textMap, carrier);
        expect(Object.keys(baggageOf(context))).toEqual(['a', 'b', 'd']);
        expect(logged.messages.join('\n')).toMatch(/dropped 1 baggage items/);
      });

      it('should count the decoded size in HTTP-header mode', () => {
        // 8100 bytes each on the wire, 2700 once decoded.
        const encoded = '%41'.repeat(2700);
        const context = extract(http, { 'uberctx-a': encoded, 'uberctx-b': encoded });
        expect(baggageOf(context)).toEqual({ a: 'A'.repeat(2700), b: 'A'.repeat(2700) });
      });

      it.each([['uberctx-k'], ['jaeger-baggage'], ['uber-trace-id'], ['jaeger-debug-id']])(
        `should ignore a %s value over ${MAX_HEADER_VALUE_BYTES} bytes with a warning`,
        (key) => {
          const logged = captureDiag();
          // Valid but for its length: trailing spaces would be trimmed, `k=` makes a baggage pair.
          const long = key === 'uber-trace-id' ? `abc:def:0:1${' '.repeat(MAX_HEADER_VALUE_BYTES)}` : `k=${'v'.repeat(MAX_HEADER_VALUE_BYTES)}`;
          const context = extract(textMap, { [key]: long });
          expect(trace.getSpanContext(context)).toBeUndefined();
          expect(propagation.getBaggage(context)).toBeUndefined();
          expect(context.getValue(JAEGER_DEBUG_ID_KEY)).toBeUndefined();
          expect(logged.messages.join('\n')).toMatch(/over 8192 bytes/);
        },
      );

      it(`should accept a value of exactly ${MAX_HEADER_VALUE_BYTES} bytes`, () => {
        const value = 'é'.repeat(MAX_HEADER_VALUE_BYTES / 2);
        expect(extract(textMap, { 'jaeger-debug-id': value }).getValue(JAEGER_DEBUG_ID_KEY)).toBe(value);
      });
    });
  });

  describe('round trip', () => {
    it.each([
      ['text-map', textMap],
      ['HTTP-header', http],
    ])('should give back what it injected in %s mode', (_mode, propagator) => {
      const items = { a: 'a b/c,d=e;f Grüße 東京 100%', 'User-Id': '42' };
      const sent = setJaegerParentSpanId(withBaggage(withSpan(ROOT_CONTEXT, { traceState: createTraceState('jaeger-debug=1') }), items), SPAN_ID, PARENT_ID);
      const received = extract(propagator, inject(propagator, sent));
      expect(trace.getSpanContext(received)).toEqual({
        traceId: TRACE_ID_128,
        spanId: SPAN_ID,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
        traceState: expect.anything(),
      });
      expect(trace.getSpanContext(received)?.traceState?.get(JAEGER_DEBUG_TRACE_STATE_KEY)).toBe('1');
      expect(trace.getSpanContext(received)?.traceState?.get(JAEGER_FIREHOSE_TRACE_STATE_KEY)).toBeUndefined();
      expect(getJaegerParentSpanId(received, SPAN_ID)).toBe(PARENT_ID);
      expect(baggageOf(received)).toEqual(items);
    });

    it('should re-inject an extracted context unchanged apart from id normalisation', () => {
      const carrier = { 'uber-trace-id': '00ABC:0def:00123:3', 'uberctx-k': 'v' };
      expect(inject(textMap, extract(textMap, carrier))).toEqual({ 'uber-trace-id': 'abc:def:123:3', 'uberctx-k': 'v' });
    });
  });

  describe('setJaegerParentSpanId', () => {
    it('should store lower-case ids', () => {
      const context = setJaegerParentSpanId(ROOT_CONTEXT, SPAN_ID.toUpperCase(), 'ABC');
      expect(context.getValue(JAEGER_PARENT_SPAN_ID_KEY)).toEqual({ spanId: SPAN_ID, parentSpanId: 'abc' });
      expect(getJaegerParentSpanId(context, SPAN_ID)).toBe(PARENT_ID);
    });
  });
});

describe('JaegerPropagator with hostile input (issue 14)', () => {
  const textMap = new JaegerPropagator();
  const http = new JaegerPropagator({ urlEncoding: true });
  const w3cThenJaeger = new CompositePropagator({ propagators: [new W3CBaggagePropagator(), http] });

  /** Baggage of `count` items `k{i}` whose values are `value`. */
  function items(count: number, value: string): Record<string, string> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value]));
  }

  function baggageKeys(carrier: Record<string, string>): string[] {
    return Object.keys(carrier).filter((key) => key.startsWith('uberctx-'));
  }

  describe('inject limits', () => {
    it('should write at most 180 baggage items, and the span context, with one warning', () => {
      const diagnostics = captureDiag();
      const context = withBaggage(withSpan(ROOT_CONTEXT), items(250, 'v'));

      const carrier = inject(http, context);
      inject(textMap, context);
      inject(http, context);

      expect(carrier['uber-trace-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736:f067aa0ba902b7:0:1');
      expect(baggageKeys(carrier)).toHaveLength(MAX_BAGGAGE_ITEMS);
      expect(carrier['uberctx-k179']).toBe('v');
      // Three injects through two propagators: one warning for the process.
      expect(diagnostics.matching('jaeger inject: dropped 70 baggage items over the limits')).toHaveLength(1);
    });

    it('should write at most 8192 bytes of keys and values as written, dropping whole items and keeping later ones that fit', () => {
      const context = withBaggage(withSpan(ROOT_CONTEXT), { ...items(7, 'x'.repeat(1000)), big: 'y'.repeat(2000), small: 'z' });

      const carrier = inject(http, context);

      expect(baggageKeys(carrier)).toEqual([...Object.keys(items(7, '')).map((key) => `uberctx-${key}`), 'uberctx-small']);
      expect(baggageKeys(carrier).reduce((bytes, key) => bytes + key.length - 'uberctx-'.length + carrier[key].length, 0)).toBeLessThanOrEqual(
        MAX_BAGGAGE_BYTES,
      );
    });

    it('should count the URL-encoded value in HTTP-header mode and the UTF-8 value in text-map mode (2048 x U+20AC)', () => {
      const context = withBaggage(withSpan(ROOT_CONTEXT), { euro: '€'.repeat(2048), tenant: 'acme' });

      // 18,432 characters URL-encoded, 6,144 bytes of UTF-8.
      expect(inject(http, context)).toEqual({ 'uber-trace-id': expect.any(String), 'uberctx-tenant': 'acme' });
      expect(inject(textMap, context)).toMatchObject({ 'uberctx-euro': '€'.repeat(2048), 'uberctx-tenant': 'acme' });
    });

    it('should write what the next extract keeps whole', () => {
      const context = withBaggage(withSpan(ROOT_CONTEXT), items(300, 'é'.repeat(20)));
      const carrier = inject(http, context);

      expect(baggageOf(extract(http, carrier))).toEqual(Object.fromEntries(baggageKeys(carrier).map((key) => [key.slice(8), 'é'.repeat(20)])));
    });
  });

  describe('carrier key options', () => {
    it.each([['x-trace\r\nSet-Cookie: a=b'], ['x trace'], ['x-trace:'], ['x\0']])('should refuse %j, which is no header name, with a warning', (value) => {
      const diagnostics = captureDiag();
      const propagator = new JaegerPropagator({ contextKey: value, baggagePrefix: value });

      expect(Object.keys(inject(propagator, withBaggage(withSpan(ROOT_CONTEXT), { k: 'v' })))).toEqual(['uber-trace-id', 'uberctx-k']);
      expect(diagnostics.matching(`contextKey must be an HTTP header name`)).toHaveLength(1);
      expect(diagnostics.matching(`baggagePrefix must be an HTTP header name`)).toHaveLength(1);
    });
  });

  describe('the baggage key rule', () => {
    it('should make a W3C key and the same key from an uberctx-* header one item, in the W3C spelling', () => {
      const context = w3cThenJaeger.extract(
        ROOT_CONTEXT,
        { baggage: 'UserId=42,Tenant_Id=a', 'uberctx-userid': '43', 'uberctx-tenant-id': 'a' },
        defaultTextMapGetter,
      );

      expect(baggageOf(context)).toEqual({ UserId: '43', Tenant_Id: 'a' });
    });

    it('should read uberctx-* headers that name one item as one, in the first spelling with the last value', () => {
      expect(baggageOf(extract(textMap, { 'uberctx-UserId': '1', 'uberctx-userid': '2', 'jaeger-baggage': 'USERID=3, other=4' }))).toEqual({
        UserId: '3',
        other: '4',
      });
    });

    it('should write one header per item when the baggage holds several spellings of it', () => {
      const carrier = inject(http, withBaggage(withSpan(ROOT_CONTEXT), { UserId: '42', userid: '42', USERID: '42', user_id: '1', 'user-id': '2' }));

      expect(baggageKeys(carrier)).toEqual(['uberctx-UserId', 'uberctx-user_id']);
    });
  });
});
