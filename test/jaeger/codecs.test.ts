import { TextMapCodec, ZipkinB3TextMapCodec } from '../../src/jaeger/codecs';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { MAX_BAGGAGE_ITEMS } from '../../src/limits';
import { captureDiag } from '../helpers/diag';

const HOSTILE_CARRIERS: unknown[] = [
  undefined,
  null,
  'uber-trace-id',
  42,
  new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error('hostile');
      },
    },
  ),
];

function contextWithBaggage(header: string, baggage: Record<string, string>): JaegerSpanContext {
  const base = JaegerSpanContext.fromString(header) as JaegerSpanContext;
  return JaegerSpanContext.withStringIds(base.traceIdStr, base.spanIdStr, base.parentIdStr ?? null, base.flags, baggage);
}

describe.each([
  ['TextMapCodec', (): TextMapCodec | ZipkinB3TextMapCodec => new TextMapCodec({ urlEncoding: true })],
  ['ZipkinB3TextMapCodec', (): TextMapCodec | ZipkinB3TextMapCodec => new ZipkinB3TextMapCodec({ urlEncoding: true })],
])('%s', (_name, makeCodec) => {
  it('should extract an empty context, never null, and never throw, from any carrier', () => {
    const capture = captureDiag();
    try {
      for (const carrier of HOSTILE_CARRIERS) {
        const extracted = makeCodec().extract(carrier);
        expect(extracted).toBeInstanceOf(JaegerSpanContext);
        expect(extracted.isValid()).toBe(false);
      }
    } finally {
      capture.stop();
    }
  });

  it('should inject nothing and throw nothing for what is not a span context or a carrier', () => {
    const carrier: Record<string, string> = {};
    expect(() => makeCodec().inject({ not: 'a context' }, carrier)).not.toThrow();
    expect(() => makeCodec().inject(JaegerSpanContext.fromString('abc:def:0:1'), Object.freeze({}))).not.toThrow();
    expect(carrier).toEqual({});
  });

  it('should keep at most MAX_BAGGAGE_ITEMS baggage items from a carrier', () => {
    const carrier: Record<string, string> = {};
    for (let i = 0; i < MAX_BAGGAGE_ITEMS + 20; i++) carrier[`uberctx-k${i}`] = 'v';
    const capture = captureDiag();
    try {
      expect(Object.keys(makeCodec().extract(carrier).baggage)).toHaveLength(MAX_BAGGAGE_ITEMS);
    } finally {
      capture.stop();
    }
  });

  it('should skip a baggage value that cannot be URL-encoded (a lone surrogate)', () => {
    const carrier: Record<string, string> = {};
    makeCodec().inject(contextWithBaggage('abc:def:0:1', { good: 'ok', bad: '\ud800' }), carrier);
    expect(carrier['uberctx-good']).toBe('ok');
    expect(carrier['uberctx-bad']).toBeUndefined();
  });
});

describe('ZipkinB3TextMapCodec', () => {
  it('should not write a baggage value with CR or LF in text-map mode', () => {
    const carrier: Record<string, string> = {};
    const capture = captureDiag();
    try {
      new ZipkinB3TextMapCodec().inject(contextWithBaggage('abc:def:0:1', { split: 'a\r\nSet-Cookie: x' }), carrier);
    } finally {
      capture.stop();
    }
    expect(Object.keys(carrier).sort()).toEqual(['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid']);
  });

  it('should refuse ids longer than their width, keeping baggage', () => {
    const extracted = new ZipkinB3TextMapCodec().extract({
      'x-b3-traceid': '1'.repeat(33),
      'x-b3-spanid': 'a2fb4a1d1a96d312',
      'uberctx-tenant': 'acme',
    });
    expect(extracted.isValid()).toBe(false);
    expect(extracted.baggage).toEqual({ tenant: 'acme' });
  });

  it('should write a 64-bit trace id at 16 digits and a 128-bit one at 32', () => {
    const short: Record<string, string> = {};
    const long: Record<string, string> = {};
    new ZipkinB3TextMapCodec().inject(JaegerSpanContext.fromString('abc:def:0:0'), short);
    new ZipkinB3TextMapCodec().inject(JaegerSpanContext.fromString('1000000000000000abc:def:0:0'), long);
    expect(short).toEqual({ 'x-b3-traceid': '0000000000000abc', 'x-b3-spanid': '0000000000000def', 'x-b3-sampled': '0' });
    expect(long['x-b3-traceid']).toBe('00000000000001000000000000000abc');
  });

  it('should use a custom baggage prefix case-insensitively, and the default for one that is not a string', () => {
    const extracted = new ZipkinB3TextMapCodec({ baggagePrefix: 'Baggage-' }).extract({ 'BAGGAGE-Tenant': 'acme', 'uberctx-other': 'x' });
    expect(extracted.baggage).toEqual({ Tenant: 'acme' });
    const fallback = new ZipkinB3TextMapCodec({ baggagePrefix: 7 as unknown as string }).extract({ 'uberctx-a': '1' });
    expect(fallback.baggage).toEqual({ a: '1' });
  });
});

describe('TextMapCodec', () => {
  it('should use the custom context key and prefix, as the JaegerPropagator does', () => {
    const codec = new TextMapCodec({ contextKey: 'X-Trace', baggagePrefix: 'X-Ctx-' });
    const carrier: Record<string, string> = {};
    codec.inject(contextWithBaggage('abc:def:12:1', { k: 'v' }), carrier);
    expect(carrier).toEqual({ 'x-trace': 'abc:def:12:1', 'x-ctx-k': 'v' });
    expect(codec.extract(carrier).toString()).toBe('abc:def:12:1');
  });
});
