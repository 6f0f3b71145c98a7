import { carrierGetter, isTextMapCarrier, textMapGetter, textMapSetter } from '../src/carrier';
import { MAX_HEADER_VALUE_BYTES } from '../src/limits';
import { captureDiag } from './helpers/diag';

describe('carrier', () => {
  describe('textMapSetter', () => {
    it('should write each field as a property', () => {
      const carrier: Record<string, unknown> = {};
      textMapSetter.set(carrier, 'traceparent', 'value');
      expect(carrier).toEqual({ traceparent: 'value' });
    });

    it('should write into a prototype-less object', () => {
      const carrier = Object.create(null);
      textMapSetter.set(carrier, 'k', 'v');
      expect(carrier.k).toBe('v');
    });

    it.each([
      ['a CR in the value', 'k', 'a\rb'],
      ['an LF in the value', 'k', 'a\nSet-Cookie: x=1'],
      ['a NUL in the value', 'k', 'a\u0000b'],
      ['an LF in the name', 'k\nx', 'v'],
    ])('should not write a field with %s, and say so through diag', (_, key, value) => {
      const logs = captureDiag();
      const carrier: Record<string, unknown> = {};
      textMapSetter.set(carrier, key, value);
      logs.stop();
      expect(carrier).toEqual({});
      expect(logs.matching('CR, LF or NUL')).toHaveLength(1);
    });

    it('should keep checking names after it has remembered 256 clean ones, and never remember a bad one', () => {
      const carrier: Record<string, unknown> = {};
      for (let i = 0; i < 300; i++) textMapSetter.set(carrier, `name-${i}`, 'v');
      const logs = captureDiag();
      for (const name of ['k\rx', 'k\nx', 'k\u0000x', 'k\nx']) textMapSetter.set(carrier, name, 'v');
      textMapSetter.set(carrier, 'name-299', 'a\nb');
      logs.stop();
      expect(Object.keys(carrier)).toHaveLength(300);
      expect(carrier['name-299']).toBe('v');
      // Every bad field is refused; the warning is given once per process, not per field.
      expect(logs.matching('CR, LF or NUL')).toHaveLength(1);
    });
  });

  describe('textMapGetter', () => {
    it('should list the own keys', () => {
      expect(textMapGetter.keys({ a: '1', b: '2' })).toEqual(['a', 'b']);
    });

    it('should read a string value', () => {
      expect(textMapGetter.get({ traceparent: 'tp' }, 'traceparent')).toBe('tp');
    });

    it('should match a name in any case when there is no exact match', () => {
      expect(textMapGetter.get({ TraceParent: 'tp' }, 'traceparent')).toBe('tp');
      expect(textMapGetter.get({ traceparent: 'exact', TRACEPARENT: 'upper' }, 'traceparent')).toBe('exact');
    });

    it('should read a finite number as its decimal string', () => {
      expect(textMapGetter.get({ 'x-b3-sampled': 1 }, 'x-b3-sampled')).toBe('1');
      expect(textMapGetter.get({ n: NaN }, 'n')).toBeUndefined();
    });

    it('should keep the string elements of an array', () => {
      expect(textMapGetter.get({ baggage: ['a=1', 2, 'b=2'] }, 'baggage')).toEqual(['a=1', 'b=2']);
      expect(textMapGetter.get({ baggage: [1, {}] }, 'baggage')).toBeUndefined();
    });

    it('should read other values as absent', () => {
      expect(textMapGetter.get({ k: { toString: () => 'v' } }, 'k')).toBeUndefined();
      expect(textMapGetter.get({ k: null }, 'k')).toBeUndefined();
      expect(textMapGetter.get({}, 'k')).toBeUndefined();
    });

    it("should never read a prototype's properties", () => {
      expect(textMapGetter.get({}, 'constructor')).toBeUndefined();
      expect(textMapGetter.get({}, '__proto__')).toBeUndefined();
      expect(textMapGetter.get({}, 'toString')).toBeUndefined();
    });

    it('should read a prototype-less object', () => {
      const carrier = Object.create(null);
      carrier.Traceparent = 'tp';
      expect(textMapGetter.get(carrier, 'traceparent')).toBe('tp');
      expect(textMapGetter.keys(carrier)).toEqual(['Traceparent']);
    });
  });

  describe('textMapGetter limits', () => {
    it(`should read a value of exactly ${MAX_HEADER_VALUE_BYTES} UTF-8 bytes`, () => {
      const value = 'é'.repeat(MAX_HEADER_VALUE_BYTES / 2);
      expect(textMapGetter.get({ baggage: value }, 'baggage')).toBe(value);
    });

    it.each([
      ['an ASCII value', 'a'.repeat(MAX_HEADER_VALUE_BYTES + 1)],
      ['a value whose UTF-8 is over the limit though its length is not', '€'.repeat(MAX_HEADER_VALUE_BYTES / 3 + 1)],
      ['an array whose elements together are over the limit', ['a'.repeat(5000), 'b'.repeat(5000)]],
      ['a 1 MB value', 'x'.repeat(1024 * 1024)],
    ])(`should read %s over ${MAX_HEADER_VALUE_BYTES} bytes as absent, with a warning`, (_, value) => {
      const logs = captureDiag();
      expect(textMapGetter.get({ baggage: value }, 'baggage')).toBeUndefined();
      logs.stop();
      expect(logs.matching('over 8192 bytes')).toHaveLength(1);
    });
  });

  describe('carriers of real transports', () => {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    it('should read and write a WHATWG Headers, whose names are case-insensitive', () => {
      const headers = new Headers({ TraceParent: tp });
      expect(textMapGetter.get(headers as never, 'traceparent')).toBe(tp);
      expect(textMapGetter.keys(headers as never)).toEqual(['traceparent']);
      textMapSetter.set(headers as never, 'baggage', 'k=v');
      expect(headers.get('baggage')).toBe('k=v');
    });

    it('should read and write a Map, exactly and then case-insensitively', () => {
      const map = new Map<unknown, unknown>([
        ['Traceparent', tp],
        [5, 'not a name'],
      ]);
      expect(textMapGetter.get(map as never, 'traceparent')).toBe(tp);
      expect(carrierGetter().get(map as never, 'traceparent')).toBe(tp);
      expect(textMapGetter.keys(map as never)).toEqual(['Traceparent']);
      textMapSetter.set(map as never, 'baggage', 'k=v');
      expect(map.get('baggage')).toBe('k=v');
    });

    it("should read Node's IncomingHttpHeaders, repeated headers as arrays", () => {
      const headers = { traceparent: tp, baggage: ['a=1', 'b=2'], 'set-cookie': ['x'] };
      expect(textMapGetter.get(headers, 'baggage')).toEqual(['a=1', 'b=2']);
    });

    it('should read kafkajs headers: Buffer values and arrays of Buffers, as UTF-8', () => {
      const headers = { traceparent: Buffer.from(tp), baggage: [Buffer.from('k=€'), Buffer.from('b=2')], other: new Uint8Array([0x68, 0x69]) };
      expect(textMapGetter.get(headers, 'traceparent')).toBe(tp);
      expect(textMapGetter.get(headers, 'baggage')).toEqual(['k=€', 'b=2']);
      expect(textMapGetter.get(headers, 'other')).toBe('hi');
      textMapSetter.set(headers, 'traceparent', 'written');
      expect(headers.traceparent).toBe('written');
    });

    it(`should read a Buffer over ${MAX_HEADER_VALUE_BYTES} bytes as absent without decoding it`, () => {
      const logs = captureDiag();
      expect(textMapGetter.get({ baggage: Buffer.alloc(MAX_HEADER_VALUE_BYTES + 1, 0x61) }, 'baggage')).toBeUndefined();
      expect(textMapGetter.get({ baggage: [Buffer.alloc(5000, 0x61), Buffer.alloc(5000, 0x62)] }, 'baggage')).toBeUndefined();
      expect(textMapGetter.get({ baggage: Buffer.alloc(MAX_HEADER_VALUE_BYTES, 0x61) }, 'baggage')).toHaveLength(MAX_HEADER_VALUE_BYTES);
      for (let i = 0; i < 100; i++) textMapGetter.get({ baggage: Buffer.alloc(MAX_HEADER_VALUE_BYTES + 1, 0x61) }, 'baggage');
      logs.stop();
      // Once per process: a client sending the oversized header with every request cannot flood the log.
      expect(logs.matching('over 8192 bytes')).toHaveLength(1);
    });

    it('should leave out a field the carrier refuses and still write the others, with one warning per reason', () => {
      const logs = captureDiag();
      const headers = new Headers();
      textMapSetter.set(headers as never, 'uberctx-k', 'Ā');
      textMapSetter.set(headers as never, 'uberctx-j', 'Ā');
      textMapSetter.set(headers as never, 'traceparent', tp);
      const frozen = Object.freeze({}) as Record<string, unknown>;
      expect(() => textMapSetter.set(frozen, 'traceparent', tp)).not.toThrow();
      logs.stop();
      expect([...headers.keys()]).toEqual(['traceparent']);
      expect(logs.matching('the carrier refused a field')).toHaveLength(2);
    });

    it('should not mistake an object with a get property for a Map', () => {
      expect(textMapGetter.get({ get: 'x', traceparent: tp }, 'traceparent')).toBe(tp);
    });
  });

  describe('carrierGetter', () => {
    it('should read as textMapGetter reads, the lower-case name first', () => {
      const getter = carrierGetter();
      const carrier = { TRACEPARENT: 'upper', TraceParent: 'mixed', 'x-b3-traceid': 'lower' };
      expect(getter.get(carrier, 'traceparent')).toBe('upper');
      expect(getter.get(carrier, 'X-B3-TraceId')).toBe('lower');
      expect(getter.get(carrier, 'tracestate')).toBeUndefined();
      expect(getter.keys(carrier)).toEqual(Object.keys(carrier));
    });

    it('should walk the carrier at most once, however many absent fields are asked for', () => {
      let walks = 0;
      const target: Record<string, string> = { traceparent: 'tp' };
      for (let i = 0; i < 100; i++) target[`X-Header-${i}`] = 'v';
      const carrier = new Proxy(target, {
        ownKeys(object) {
          walks++;
          return Reflect.ownKeys(object);
        },
      });
      const getter = carrierGetter();
      for (const field of ['tracestate', 'baggage', 'uber-trace-id', 'jaeger-debug-id', 'x-b3-traceid', 'X-Header-7']) getter.get(carrier, field);
      expect(getter.get(carrier, 'x-header-7')).toBe('v');
      expect(walks).toBe(1);
    });
  });

  describe('isTextMapCarrier', () => {
    it('should accept objects, prototype-less objects and functions', () => {
      expect(isTextMapCarrier({})).toBe(true);
      expect(isTextMapCarrier(Object.create(null))).toBe(true);
      expect(isTextMapCarrier(Object.freeze({}))).toBe(true);
      expect(isTextMapCarrier(() => undefined)).toBe(true);
    });

    it.each([[null], [undefined], [5], ['text'], [[]], [true]])('should refuse %p', (value) => {
      expect(isTextMapCarrier(value)).toBe(false);
    });
  });
});
