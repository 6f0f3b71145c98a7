import fc from 'fast-check';
import * as opentracing from 'opentracing';
import { runInNewContext } from 'node:vm';

/**
 * Reusable fast-check arbitraries for the shim's property tests: the values, times, names,
 * formats, carriers and references that OpenTracing code passes, from ordinary to hostile.
 *
 * Values that only make sense next to live spans (a span of the tracer under test, a
 * jaeger-client span, ...) are generated as plain data (`ContextSpec`, `ReferenceSpec`,
 * `SpanOptionsSpec`, `SpanOp`) and turned into objects by `World` (world.ts), so that every
 * counterexample prints as readable data.
 *
 * Hostile objects (throwing getters, Proxies) carry a non-enumerable `fc.toStringMethod` so that
 * fast-check can print them: the shim never looks at that symbol, and it is the only key a
 * throwing Proxy answers.
 */

/** Gives `value` a printable name in fast-check reports, without an enumerable property. */
export function labelled<T extends object>(value: T, label: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => label, enumerable: false, configurable: true });
  return value;
}

const PROXY_TRAPS = [
  'apply',
  'construct',
  'defineProperty',
  'deleteProperty',
  'get',
  'getOwnPropertyDescriptor',
  'getPrototypeOf',
  'has',
  'isExtensible',
  'ownKeys',
  'preventExtensions',
  'set',
  'setPrototypeOf',
] as const;

/**
 * A Proxy that throws on every trap: `typeof`, identity and `Array.isArray` are all the shim can
 * learn from it without an exception. The only exception: it answers fast-check's own symbols
 * (`fc.toStringMethod` with its printable name, `fc.asyncToStringMethod` and `fc.cloneMethod`
 * with "absent"), which the shim never asks for.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- it stands in for an argument of any type
export function throwingProxy(label = 'throwingProxy()', target: object = {}): any {
  const handler: ProxyHandler<object> = {};
  for (const trap of PROXY_TRAPS) {
    (handler as Record<string, unknown>)[trap] = () => {
      throw new Error(`${label}: ${trap} trap`);
    };
  }
  handler.has = (_target, key) => {
    if (key === fc.toStringMethod) return true;
    if (key === fc.asyncToStringMethod || key === fc.cloneMethod) return false;
    throw new Error(`${label}: has trap`);
  };
  handler.get = (_target, key) => {
    if (key === fc.toStringMethod) return () => label;
    throw new Error(`${label}: get trap`);
  };
  return new Proxy(target, handler);
}

/** A Proxy throwing on every trap, around an object and around a function (`typeof` 'function'). */
export const hostileProxy: fc.Arbitrary<unknown> = fc.constantFrom(
  throwingProxy('throwingProxy({})'),
  throwingProxy('throwingProxy(function)', function target() {}),
  throwingProxy('throwingProxy([])', []),
);

const ONE_MIB = 1 << 20;

/** Strings that are valid but extreme: 1 MiB, astral characters, lone surrogates, control characters. */
export const extremeString: fc.Arbitrary<string> = fc.constantFrom(
  'x'.repeat(ONE_MIB),
  '\u{1F600}'.repeat(ONE_MIB / 4),
  '\uD800',
  'a\uDC00b',
  '\r\n\0\u2028',
  '',
  '__proto__',
);

export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: extremeString },
);

const symbolValue: fc.Arbitrary<symbol> = fc.oneof(
  fc.string({ maxLength: 8 }).map((description) => Symbol(description)),
  fc.constantFrom(Symbol(), Symbol.for('registered'), Symbol.iterator),
);

const numberValue: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2),
);

function namedFunction(): () => void {
  return function checkout() {};
}

function functionWithThrowingName(): () => void {
  const fn = (): void => undefined;
  Object.defineProperty(fn, 'name', {
    get() {
      throw new Error('name getter');
    },
  });
  return labelled(fn, 'function whose name getter throws');
}

const functionValue: fc.Arbitrary<unknown> = fc.constantFrom(
  namedFunction(),
  () => 1,
  class Payment {},
  async function pay() {},
  function* generate() {},
  namedFunction().bind(null),
  Object.assign(() => 2, { extra: 'field' }),
  functionWithThrowingName(),
);

function cyclicObject(): object {
  const order: Record<string, unknown> = { id: 'order-1' };
  order.self = order;
  order.items = [order, { parent: order }];
  return labelled(order, 'cyclic object');
}

function cyclicArray(): unknown[] {
  const list: unknown[] = [1, 'two'];
  list.push(list);
  return labelled(list, 'cyclic array');
}

function objectWithThrowingGetter(): object {
  const value = { ok: 1 };
  Object.defineProperty(value, 'boom', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
  return labelled(value, '{ ok: 1, get boom() { throw } }');
}

function throwingConversions(): object {
  return labelled(
    {
      toJSON() {
        throw new Error('toJSON');
      },
      toString() {
        throw new Error('toString');
      },
      [Symbol.toPrimitive]() {
        throw new Error('toPrimitive');
      },
    },
    'object whose toJSON, toString and toPrimitive throw',
  );
}

function errorWithThrowingFields(): Error {
  const error = new Error('hidden');
  for (const key of ['stack', 'message', 'name']) {
    Object.defineProperty(error, key, {
      get() {
        throw new Error(`${key} getter`);
      },
    });
  }
  return labelled(error, 'Error whose message, name and stack getters throw');
}

function errorWithCauseCycle(): Error {
  const error = new Error('outer') as Error & { cause?: unknown };
  error.cause = error;
  return error;
}

function deepObject(depth: number): object {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { child: value };
  return labelled(value, `object nested ${depth} deep`);
}

const errorValue: fc.Arbitrary<unknown> = fc.oneof(
  anyString.map((message) => new Error(message)),
  fc.constantFrom(
    new TypeError('type'),
    new RangeError(''),
    errorWithCauseCycle(),
    errorWithThrowingFields(),
    runInNewContext('new Error("from another realm")'),
    { name: 'DuckError', message: 'looks like an error' },
    { message: 'only a message and a stack', stack: 'at nowhere' },
    Object.assign(new Error('with fields'), { code: 'E_FAIL', details: { retry: true } }),
  ),
);

const dateValue: fc.Arbitrary<Date> = fc.oneof(
  fc.date({ noInvalidDate: false }),
  fc.constantFrom(new Date(NaN), new Date(8.64e15), new Date(-8.64e15), new Date(0)),
);

/** Objects that are odd but harmless: boxed primitives, collections, typed arrays, RegExp, Promise, null prototype. */
const oddObject: fc.Arbitrary<unknown> = fc.constantFrom(
  new String('boxed'),
  new Number(42),
  new Boolean(false),
  new Map([['k', 'v']]),
  new Set([1, 2]),
  new Uint8Array([1, 2, 3]),
  Buffer.from('buffer'),
  new ArrayBuffer(4),
  /regexp/g,
  Promise.resolve(1),
  new WeakMap(),
  Object.create(null),
  Object.freeze({ frozen: true }),
  new (class Account {
    #secret = 1;
    visible = 2;
    get computed(): number {
      return this.#secret + this.visible;
    }
  })(),
  new Array(100_000).fill(7),
  [1, , 3], // eslint-disable-line no-sparse-arrays
  new Array(5),
);

const homogeneousArray: fc.Arbitrary<unknown[]> = fc.oneof(
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }),
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 5 }),
  fc.array(fc.boolean(), { maxLength: 5 }),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(null, undefined)), { maxLength: 5 }),
);

const primitiveValue: fc.Arbitrary<unknown> = fc.oneof(anyString, numberValue, fc.boolean(), fc.bigInt(), symbolValue, fc.constantFrom(undefined, null));

/**
 * Any tag or log-field value: primitives (NaN, Infinity, bigint, symbols, huge and broken
 * strings), functions, Errors (any realm, throwing fields), Dates (invalid, far future),
 * homogeneous and mixed arrays, cycles, throwing getters and conversions, deep nesting,
 * fast-check's `anything()` and Proxies that throw on every trap.
 */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: primitiveValue },
  { weight: 2, arbitrary: homogeneousArray },
  { weight: 2, arbitrary: fc.array(primitiveValue, { maxLength: 4 }) },
  { weight: 2, arbitrary: functionValue },
  { weight: 2, arbitrary: errorValue },
  { weight: 1, arbitrary: dateValue },
  { weight: 2, arbitrary: oddObject },
  {
    weight: 2,
    arbitrary: fc.anything({
      maxDepth: 3,
      maxKeys: 4,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(cyclicObject(), cyclicArray(), objectWithThrowingGetter(), throwingConversions(), deepObject(2000)),
  },
  { weight: 1, arbitrary: hostileProxy },
);

/** Keys with a meaning to OpenTracing, the shim or JavaScript objects, and arbitrary strings. */
export const tagKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'span.kind',
    'error',
    'sampling.priority',
    'http.status_code',
    'event',
    'message',
    'error.object',
    'error.kind',
    'stack',
    'payload',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    '',
  ),
  fc.string({ maxLength: 16 }),
);

/** A value for a special key, so that `span.kind` and `error` get values that mean something. */
const meaningfulTagValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('client', 'SERVER', 'Producer', 'consumer', 'internal', true, false, 'true', 'false', 0, 1, -1, '1'),
  anyValue,
);

/** An object of own data properties, `__proto__` included as an own key (as JSON.parse makes it). */
function objectFromEntries(entries: Array<[string, unknown]>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Plain tag maps, and hostile ones: frozen, null-prototype, with throwing getters, Proxies, non-objects. */
export const tagMap: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(tagKey, meaningfulTagValue), { maxLength: 6 }).map(objectFromEntries) },
  { weight: 1, arbitrary: fc.array(fc.tuple(tagKey, meaningfulTagValue), { maxLength: 4 }).map((entries) => Object.freeze(objectFromEntries(entries))) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(tagKey, meaningfulTagValue), { maxLength: 4 })
      .map((entries) =>
        labelled(Object.assign(Object.create(null), objectFromEntries(entries)), `null-prototype ${JSON.stringify(entries.map(([key]) => key))}`),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(objectWithThrowingGetter(), undefined, null, 'tags as a string', 7, ['a', 'b']) },
  { weight: 1, arbitrary: hostileProxy },
);

/** `log()` fields: ordinary, OpenTracing's error convention (with Errors and without), and hostile. */
export const logFields: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(tagKey, anyValue), { maxLength: 5 }).map(objectFromEntries) },
  {
    weight: 3,
    arbitrary: fc
      .record(
        {
          event: fc.oneof(fc.constant('error'), anyValue),
          'error.object': anyValue,
          'error.kind': anyValue,
          message: anyValue,
          stack: anyValue,
          extra: anyValue,
        },
        { requiredKeys: ['event'] },
      )
      .map((fields) => objectFromEntries(Object.entries(fields))),
  },
  { weight: 1, arbitrary: anyValue },
);

/**
 * OpenTracing times (ms since the epoch): ordinary ones, negative, NaN, infinities, beyond the
 * Date range, strings, Dates (valid, invalid, far future), other types and Proxies.
 */
export const timestamp: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: 1_600_000_000_000, max: 1_800_000_000_000, noNaN: true }) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 8.64e15, noNaN: true }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(0, -1, -0, NaN, Infinity, -Infinity, 8.64e15, 8.64e15 + 1, Number.MAX_VALUE, 1e300, 1_700_000_000_000.123),
  },
  { weight: 1, arbitrary: dateValue },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('1700000000000', '2024-01-01T00:00:00Z')) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, {}, [], 1n, Symbol('time')) },
  { weight: 1, arbitrary: hostileProxy },
);

/** Span and operation names: strings of every kind, and whatever else callers pass. */
export const spanName: fc.Arbitrary<unknown> = fc.oneof({ weight: 6, arbitrary: anyString }, { weight: 2, arbitrary: anyValue });

/** Format names: the three OpenTracing formats, custom and unknown names, and non-strings. */
export const format: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(opentracing.FORMAT_TEXT_MAP, opentracing.FORMAT_HTTP_HEADERS, opentracing.FORMAT_BINARY) },
  { weight: 2, arbitrary: fc.constantFrom('uber', 'zipkin-b3', 'TEXT_MAP', 'text_map ', 'binary', '', '__proto__', 'constructor', 'hasOwnProperty') },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 0, {}, [], Symbol('format'), Symbol.for('text_map')) },
  { weight: 1, arbitrary: hostileProxy },
);

const HEX = '0123456789abcdef';
const HEX_MIXED_CASE = '0123456789abcdefABCDEF';

/** A hex string, lower case, of exactly `length` digits. */
export function hex(length: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });
}

/** Hex-ish strings of any length in a range, mixed case, sometimes with non-hex characters. */
function hexish(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...HEX_MIXED_CASE), minLength, maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...HEX, 'x', 'g', '-', '+', ' ', ':', '\u0660'), minLength, maxLength }) },
  );
}

/** `traceparent` values: valid ones and ones with wrong lengths, versions, flags and characters. */
export const traceparent: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(hex(32), hex(16), fc.constantFrom('00', '01', '03', 'ff')).map(([traceId, spanId, flags]) => `00-${traceId}-${spanId}-${flags}`),
  fc
    .tuple(hexish(0, 3), hexish(0, 34), hexish(0, 18), hexish(0, 3), fc.constantFrom('', '-extra', ' '))
    .map(([version, traceId, spanId, flags, tail]) => `${version}-${traceId}-${spanId}-${flags}${tail}`),
  fc.constantFrom('00-00000000000000000000000000000000-0000000000000000-01', 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'),
);

/** `uber-trace-id` values: valid ones (64- and 128-bit, leading zeros stripped) and malformed ones. */
export const uberTraceId: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(hexish(1, 32), hexish(1, 16), hexish(1, 16), fc.constantFrom('0', '1', '2', '3', 'f', '8', '10'))
    .map(([traceId, spanId, parentId, flags]) => `${traceId}:${spanId}:${parentId}:${flags}`),
  fc
    .tuple(hexish(0, 34), hexish(0, 18), hexish(0, 18), hexish(0, 3), fc.constantFrom('', ':extra', '%3A'))
    .map(([traceId, spanId, parentId, flags, tail]) => `${traceId}:${spanId}:${parentId}:${flags}${tail}`),
  fc.constantFrom('0:0:0:0', '1:0:0:1', '-1:1:0:1', '0x1:0x2:0:1', 'abcxyz:1:0:1', ':::', 'a%3Ab%3A0%3A1'),
);

/** `baggage` (W3C) and `jaeger-baggage` values: well-formed lists and broken ones. */
const baggageList: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(',')),
  fc
    .array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v};prop`).join(' , ')),
  fc.string({ maxLength: 20 }),
);

/** Header names the propagators read, in several cases, plus arbitrary names. */
export const headerName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'traceparent',
    'Traceparent',
    'TRACEPARENT',
    'tracestate',
    'baggage',
    'Baggage',
    'uber-trace-id',
    'Uber-Trace-Id',
    'uberctx-user',
    'UBERCTX-Tenant',
    'uberctx-',
    'uberctx-__proto__',
    'jaeger-debug-id',
    'Jaeger-Debug-Id',
    'jaeger-baggage',
    'x-b3-traceid',
    'x-b3-spanid',
    'x-b3-parentspanid',
    'x-b3-sampled',
    'x-b3-flags',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 8 }).map((suffix) => `uberctx-${suffix}`),
);

/** Header values: the propagators' own syntaxes, arrays (repeated headers), numbers, 1 MiB, and non-strings. */
export const headerValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: traceparent },
  { weight: 3, arbitrary: uberTraceId },
  { weight: 2, arbitrary: baggageList },
  { weight: 2, arbitrary: hex(16) },
  { weight: 2, arbitrary: anyString },
  { weight: 2, arbitrary: fc.array(fc.oneof(traceparent, uberTraceId, baggageList, fc.constantFrom<unknown>(1, null, {})), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(0, 1, NaN, Infinity, 12345678901234567890n, true, undefined, null, {}, Symbol('header')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(`${'a'.repeat(ONE_MIB)}`, `00-${'0af7651916cd43dd8448eb211c80319c'}-${'b7ad6b7169203331'}-01${' '.repeat(ONE_MIB)}`),
  },
  { weight: 1, arbitrary: hostileProxy },
);

/**
 * How a header object is wrapped: plain, frozen, prototype-less, JSON round trip, with a
 * throwing getter, or as a real transport hands it over: a `Map`, a WHATWG `Headers` (the
 * entries it accepts), kafkajs headers (string values as `Buffer`s, arrays as arrays of them).
 */
export type CarrierShape = 'plain' | 'frozen' | 'null-prototype' | 'json' | 'with-throwing-getter' | 'map' | 'headers' | 'kafka';

function shapeCarrier(entries: Array<[string, unknown]>, shape: CarrierShape): object {
  const plain = objectFromEntries(entries);
  switch (shape) {
    case 'plain':
      return plain;
    case 'frozen':
      return Object.freeze(plain);
    case 'null-prototype':
      return labelled(Object.assign(Object.create(null), plain), `null-prototype carrier of ${entries.length} entries`);
    case 'json': {
      let text: string;
      try {
        text = JSON.stringify(plain) ?? '{}';
      } catch {
        text = '{}';
      }
      return JSON.parse(text);
    }
    case 'with-throwing-getter': {
      Object.defineProperty(plain, 'traceparent', {
        enumerable: true,
        get() {
          throw new Error('carrier getter');
        },
      });
      return labelled(plain, `carrier with a throwing traceparent getter and ${entries.length} entries`);
    }
    case 'map':
      return new Map(entries);
    case 'headers': {
      const headers = new Headers();
      for (const [name, value] of entries) {
        try {
          headers.append(name, String(value));
        } catch {
          // Headers refuses names and values that are not HTTP; a transport would never hand them over.
        }
      }
      return headers;
    }
    case 'kafka': {
      const bytes = (value: unknown): unknown => (typeof value === 'string' && value.length < 65536 ? Buffer.from(value) : value);
      return objectFromEntries(
        entries.map(([name, value]) => {
          try {
            return [name, Array.isArray(value) ? value.map(bytes) : bytes(value)];
          } catch {
            // A Proxy that throws stays as it is: the carrier must survive it too.
            return [name, value];
          }
        }),
      );
    }
  }
}

/** TEXT_MAP / HTTP_HEADERS carriers of every shape. */
export const textCarrier: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
    fc.constantFrom<CarrierShape>('plain', 'plain', 'plain', 'frozen', 'null-prototype', 'json', 'with-throwing-getter', 'map', 'headers', 'kafka'),
  )
  .map(([entries, shape]) => shapeCarrier(entries, shape));

/** FORMAT_BINARY buffers: random bytes, plausible layouts with corruptions, and non-buffers. */
export const binaryBuffer: fc.Arbitrary<unknown> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc
    .tuple(
      hex(32),
      hex(16),
      fc.integer({ min: 0, max: 255 }),
      fc.option(fc.jsonValue({ maxDepth: 2 })),
      fc.integer({ min: -1, max: 80 }),
      fc.integer({ min: 0, max: 255 }),
    )
    .map(([traceId, spanId, flags, baggage, corruptAt, corruptWith]) => {
      const json = baggage === null ? undefined : new TextEncoder().encode(JSON.stringify(baggage));
      const bytes = new Uint8Array(29 + (json === undefined ? 0 : 5 + json.length));
      bytes[1] = 0;
      bytes.set(Buffer.from(traceId, 'hex'), 2);
      bytes[18] = 1;
      bytes.set(Buffer.from(spanId, 'hex'), 19);
      bytes[27] = 2;
      bytes[28] = flags;
      if (json !== undefined) {
        bytes[29] = 3;
        new DataView(bytes.buffer).setUint32(30, json.length);
        bytes.set(json, 34);
      }
      if (corruptAt >= 0 && corruptAt < bytes.length) bytes[corruptAt] = corruptWith;
      return bytes;
    }),
  fc.array(fc.oneof(fc.integer({ min: -1, max: 300 }), fc.constantFrom<unknown>(NaN, '1', null)), { maxLength: 40 }),
  fc.constantFrom<unknown>(
    new ArrayBuffer(29),
    new DataView(new ArrayBuffer(40)),
    Buffer.alloc(29),
    new Array(ONE_MIB).fill(0),
    'not a buffer',
    29,
    undefined,
    null,
  ),
  hostileProxy,
);

/** BinaryCarrier-shaped objects (`{ buffer }`), frozen ones, and others. */
export const binaryCarrier: fc.Arbitrary<unknown> = fc.oneof(
  binaryBuffer.map((buffer) => ({ buffer })),
  binaryBuffer.map((buffer) => Object.freeze({ buffer })),
  fc.constantFrom<unknown>(new opentracing.BinaryCarrier([]), {}, Object.create(null)),
);

/** Any carrier: text maps, binary carriers, and null, numbers, strings, arrays, functions, Proxies. */
export const carrier: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: textCarrier },
  { weight: 2, arbitrary: binaryCarrier },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, undefined, 0, 42, 'carrier', true, 1n, Symbol('carrier'), [], ['traceparent'], () => ({})) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(Object.freeze({}), Object.create(null), new Map([['traceparent', 'x']])) },
  { weight: 1, arbitrary: hostileProxy },
);

/**
 * JSON texts whose parse gives objects with real own `__proto__`, `constructor` and `prototype`
 * keys holding objects: what an attacker sends to reach `Object.prototype`.
 */
export const pollutingJson: fc.Arbitrary<string> = fc
  .tuple(
    fc.subarray(['__proto__', 'constructor', 'prototype', 'uberctx-__proto__', 'uberctx-constructor', 'baggage', 'traceparent', 'uber-trace-id'], {
      minLength: 1,
    }),
    fc.constantFrom('{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '{"__proto__":{"polluted":"yes"}}', '"polluted=yes"', '["polluted"]'),
  )
  .map(([keys, value]) => `{${keys.map((key) => `${JSON.stringify(key)}:${value}`).join(',')}}`);

/**
 * What OpenTracing code passes where a span or span context is expected, as data: spans and
 * contexts of the tracer under test (fresh, used, finished, extracted), of another shim, of
 * jaeger-client (sampled or not), of opentracing's MockTracer and no-op tracer, duck-typed
 * foreign contexts with arbitrary ids, and anything at all.
 */
export type ContextSpec =
  | { readonly kind: 'own-span' | 'own-span-used' | 'own-span-finished' | 'own-context' | 'own-context-with-baggage' }
  | { readonly kind: 'extracted'; readonly carrier: unknown; readonly format: unknown }
  | { readonly kind: 'other-shim-span' | 'other-shim-context' }
  | { readonly kind: 'jaeger-client-span' | 'jaeger-client-context' | 'jaeger-client-unsampled-context' }
  | { readonly kind: 'mock-tracer-span' | 'mock-tracer-context' | 'noop-span' | 'noop-context' }
  | { readonly kind: 'foreign-ids'; readonly traceId: unknown; readonly spanId: unknown; readonly sampled: unknown; readonly baggage: unknown }
  | { readonly kind: 'otel-like'; readonly traceId: unknown; readonly spanId: unknown; readonly traceFlags: unknown }
  | { readonly kind: 'value'; readonly value: unknown };

export const contextSpec: fc.Arbitrary<ContextSpec> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<ContextSpec>(
      { kind: 'own-span' },
      { kind: 'own-span-used' },
      { kind: 'own-span-finished' },
      { kind: 'own-context' },
      { kind: 'own-context-with-baggage' },
      { kind: 'other-shim-span' },
      { kind: 'other-shim-context' },
      { kind: 'jaeger-client-span' },
      { kind: 'jaeger-client-context' },
      { kind: 'jaeger-client-unsampled-context' },
      { kind: 'mock-tracer-span' },
      { kind: 'mock-tracer-context' },
      { kind: 'noop-span' },
      { kind: 'noop-context' },
    ),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extracted' as const), carrier: textCarrier, format: format }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('foreign-ids' as const),
      traceId: fc.oneof(hexish(0, 34), anyValue),
      spanId: fc.oneof(hexish(0, 18), anyValue),
      sampled: fc.oneof(fc.boolean(), anyValue),
      baggage: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }), anyValue),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('otel-like' as const),
      traceId: fc.oneof(hex(32), anyValue),
      spanId: fc.oneof(hex(16), anyValue),
      traceFlags: fc.oneof(fc.integer({ min: -1, max: 256 }), anyValue),
    }),
  },
  { weight: 2, arbitrary: anyValue.map((value): ContextSpec => ({ kind: 'value', value })) },
  { weight: 1, arbitrary: hostileProxy.map((value): ContextSpec => ({ kind: 'value', value })) },
);

/** An OpenTracing reference, as data: a real Reference, a duck-typed one, a throwing one, or not a reference at all. */
export type ReferenceSpec =
  | { readonly kind: 'reference'; readonly type: unknown; readonly target: ContextSpec }
  | { readonly kind: 'duck-reference'; readonly type: unknown; readonly target: ContextSpec }
  | { readonly kind: 'throwing-reference' }
  | { readonly kind: 'bare'; readonly target: ContextSpec };

export const referenceSpec: fc.Arbitrary<ReferenceSpec> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('reference' as const),
      type: fc.constantFrom<unknown>(opentracing.REFERENCE_CHILD_OF, opentracing.REFERENCE_FOLLOWS_FROM),
      target: contextSpec,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('duck-reference' as const),
      type: fc.oneof(fc.constantFrom<unknown>(opentracing.REFERENCE_CHILD_OF, opentracing.REFERENCE_FOLLOWS_FROM), anyValue),
      target: contextSpec,
    }),
  },
  { weight: 1, arbitrary: fc.constant<ReferenceSpec>({ kind: 'throwing-reference' }) },
  { weight: 1, arbitrary: contextSpec.map((target): ReferenceSpec => ({ kind: 'bare', target })) },
);

/** `startSpan` options, as data: any combination of childOf, references, tags and startTime, or not an object. */
export type SpanOptionsSpec =
  | {
      readonly kind: 'options';
      readonly childOf?: ContextSpec;
      readonly references?: ReferenceSpec[] | ReferenceSpec;
      readonly tags?: unknown;
      readonly startTime?: unknown;
    }
  | { readonly kind: 'value'; readonly value: unknown };

export const spanOptionsSpec: fc.Arbitrary<SpanOptionsSpec> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        kind: fc.constant('options' as const),
        childOf: contextSpec,
        references: fc.oneof({ weight: 4, arbitrary: fc.array(referenceSpec, { maxLength: 3 }) }, { weight: 1, arbitrary: referenceSpec }),
        tags: tagMap,
        startTime: timestamp,
      },
      { requiredKeys: ['kind'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(undefined, null, 'options', 0, [], Object.freeze({})).map((value): SpanOptionsSpec => ({ kind: 'value', value })),
  },
  { weight: 1, arbitrary: hostileProxy.map((value): SpanOptionsSpec => ({ kind: 'value', value })) },
);

/** One call on a span, as data. */
export type SpanOp =
  | { readonly op: 'setTag'; readonly key: unknown; readonly value: unknown }
  | { readonly op: 'addTags'; readonly tags: unknown }
  | { readonly op: 'log'; readonly fields: unknown; readonly timestamp?: unknown }
  | { readonly op: 'logEvent'; readonly name: unknown; readonly payload: unknown }
  | { readonly op: 'setOperationName'; readonly name: unknown }
  | { readonly op: 'setBaggageItem'; readonly key: unknown; readonly value: unknown }
  | { readonly op: 'getBaggageItem'; readonly key: unknown }
  | { readonly op: 'context' | 'tracer' | 'getSpan' | 'ids' }
  | { readonly op: 'child'; readonly options: SpanOptionsSpec }
  | { readonly op: 'inject'; readonly format: unknown; readonly carrier: unknown }
  | { readonly op: 'finish'; readonly time?: unknown };

const baggageKey: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('user', 'User_ID', 'tenant', 'a', '__proto__', 'constructor', '') },
  { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: anyValue },
);

const baggageValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5000), 'a\r\nb', '%E0%A4%A', '\uD800') },
  { weight: 2, arbitrary: anyValue },
);

export const spanOp: fc.Arbitrary<SpanOp> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('setTag' as const),
      key: fc.oneof({ weight: 9, arbitrary: tagKey }, { weight: 1, arbitrary: anyValue }),
      value: meaningfulTagValue,
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('addTags' as const), tags: tagMap }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('log' as const), fields: logFields, timestamp }, { requiredKeys: ['op', 'fields'] }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('logEvent' as const), name: spanName, payload: fc.oneof(logFields, anyValue) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('setOperationName' as const), name: spanName }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('setBaggageItem' as const), key: baggageKey, value: baggageValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('getBaggageItem' as const), key: baggageKey }) },
  { weight: 2, arbitrary: fc.constantFrom<SpanOp>({ op: 'context' }, { op: 'tracer' }, { op: 'getSpan' }, { op: 'ids' }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('child' as const), options: spanOptionsSpec }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('inject' as const), format, carrier }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('finish' as const), time: timestamp }, { requiredKeys: ['op'] }) },
);

/** A sequence of calls on one span; the span is finished afterwards unless `leaveOpen`. */
export const spanProgram: fc.Arbitrary<{ ops: SpanOp[]; leaveOpen: boolean }> = fc.record({
  ops: fc.array(spanOp, { maxLength: 12 }),
  leaveOpen: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

/**
 * Addresses for the remote sampler that never leave the machine: closed ports on the loopback
 * address, and malformed ones. Arbitrary host names would make the properties wait for DNS.
 */
const localHostPort: fc.Arbitrary<unknown> = fc.constantFrom(
  undefined,
  '',
  '127.0.0.1:1',
  '[::1]:1',
  'http://127.0.0.1:1',
  '127.0.0.1:0',
  '127.0.0.1:99999',
  ':',
  'http://[',
  '127.0.0.1:abc',
  42,
);

/** Polling intervals that do not poll in a hot loop: off, long, and invalid. */
const refreshInterval: fc.Arbitrary<unknown> = fc.constantFrom(undefined, 0, 100_000, -1, 1e12, NaN, '100000', null);

/** jaeger-client's `config.sampler`, with every field ordinary or not, or not an object at all. */
export const jaegerSamplerConfig: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(undefined, null) },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        type: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom('const', 'probabilistic', 'ratelimiting', 'remote') },
          { weight: 1, arbitrary: fc.constantFrom('lowerbound', 'CONST', '') },
          { weight: 1, arbitrary: anyValue },
        ),
        param: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(0, 1, 0.5, 0.001, 10) },
          { weight: 2, arbitrary: fc.constantFrom(-1, 2, 1e9, NaN, Infinity, -0) },
          { weight: 1, arbitrary: fc.double() },
          { weight: 1, arbitrary: anyValue },
        ),
        hostPort: localHostPort,
        host: fc.constantFrom(undefined, '127.0.0.1', '', '::1'),
        port: fc.constantFrom(undefined, 1, 0, -1, 65536, 5778.5, NaN, '1', null),
        samplingPath: fc.oneof(fc.constantFrom('/sampling', '', 'no-slash', '/?x=1'), fc.string({ maxLength: 6 })),
        refreshIntervalMs: refreshInterval,
      },
      { requiredKeys: ['type', 'param'] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('const', 1, [], true) },
);

/** jaeger-client's `config.reporter`. Spans always go to the test's exporter, so endpoints are never dialled. */
export const jaegerReporterConfig: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'reporter') },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        logSpans: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 1, 0)),
        agentHost: fc.constantFrom('127.0.0.1', '', '::1', 'not a host'),
        agentPort: fc.constantFrom(6832, 0, -1, 'udp'),
        agentSocketType: fc.constantFrom('udp4', 'udp6', ''),
        collectorEndpoint: fc.constantFrom('http://127.0.0.1:14268/api/traces', 'not a url', '', 'http://[::1]:14268'),
        username: anyString,
        password: anyString,
        flushIntervalMs: fc.constantFrom(undefined, 1, 10, 0, -1, NaN, 2_000_000_000, '10'),
        // Not 1 ms: an exporter that answers on the next timer tick (1 ms in Node) then times out, as it should.
        timeoutMs: fc.constantFrom(undefined, 50, 100, 0, -1, NaN, 2_000_000_000, '10'),
      },
      { requiredKeys: [] },
    ),
  },
);

/** The `config` argument of `initTracer`. */
export const jaegerConfig: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        serviceName: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom('checkout', 'Service With Spaces', '\u{1F600}') },
          { weight: 1, arbitrary: fc.constantFrom('', undefined, null) },
          { weight: 1, arbitrary: anyString },
          { weight: 1, arbitrary: anyValue },
        ),
        disable: fc.oneof(
          { weight: 6, arbitrary: fc.constant(undefined) },
          { weight: 2, arbitrary: fc.boolean() },
          { weight: 1, arbitrary: fc.constantFrom('true', 'false', 0, 1) },
        ),
        sampler: jaegerSamplerConfig,
        reporter: jaegerReporterConfig,
        throttler: fc.constantFrom(undefined, { host: '127.0.0.1', port: 5778, refreshIntervalMs: 100_000 }),
      },
      { requiredKeys: ['serviceName'] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'checkout', 0, []) },
);

/** The `options` argument of `initTracer`, without `exporter` and `logger`, which the tests choose. */
export const jaegerOptions: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    tags: tagMap,
    contextKey: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(undefined, 'uber-trace-id', 'X-Trace', '', 'traceparent') },
      { weight: 1, arbitrary: anyString },
      { weight: 1, arbitrary: anyValue },
    ),
    baggagePrefix: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(undefined, 'uberctx-', 'X-Bag-', '') },
      { weight: 1, arbitrary: anyString },
      { weight: 1, arbitrary: anyValue },
    ),
    debugIdSampling: fc.oneof(fc.boolean(), anyValue),
    maxDebugIdsPerSecond: fc.oneof(fc.constantFrom(undefined, 0, 1, 10, Infinity, -1, NaN), anyValue),
    metrics: fc.constantFrom(undefined, {}),
    reporter: fc.constantFrom(undefined, {}),
    throttler: fc.constantFrom(undefined, {}),
    traceId128bit: fc.constantFrom(undefined, true, false),
    shareRpcSpan: fc.constantFrom(undefined, true, false),
  },
  { requiredKeys: [] },
);

/** JAEGER_* variables for `initTracerFromEnv`, local addresses only. */
export const jaegerEnvironment: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      JAEGER_SERVICE_NAME: fc.oneof(fc.constantFrom('env-service', ''), anyString),
      JAEGER_DISABLED: fc.constantFrom('true', 'false', 'TRUE', '1', ''),
      JAEGER_DISABLE: fc.constantFrom('true', 'false'),
      JAEGER_SAMPLER_TYPE: fc.oneof(fc.constantFrom('const', 'probabilistic', 'ratelimiting', 'remote', ''), fc.string({ maxLength: 6 })),
      JAEGER_SAMPLER_PARAM: fc.oneof(fc.constantFrom('1', '0', '0.5', '-1', 'NaN', 'Infinity', '1e400', ' 1 ', '0x1', ''), fc.string({ maxLength: 6 })),
      JAEGER_SAMPLER_MANAGER_HOST_PORT: fc.constantFrom('127.0.0.1:1', '[::1]:1', '', ':', 'http://['),
      JAEGER_SAMPLER_HOST: fc.constantFrom('127.0.0.1', ''),
      JAEGER_SAMPLER_PORT: fc.constantFrom('1', '0', '99999', 'abc', ''),
      JAEGER_SAMPLER_SAMPLING_PATH: fc.constantFrom('/sampling', '', 'x'),
      JAEGER_SAMPLER_REFRESH_INTERVAL: fc.constantFrom('0', '100000', '-1', 'abc', '', '1e12'),
      JAEGER_REPORTER_LOG_SPANS: fc.constantFrom('true', 'false', 'TRUE', ' true ', ''),
      JAEGER_REPORTER_FLUSH_INTERVAL: fc.constantFrom('1', '10', '0', '-1', 'abc', ''),
      JAEGER_ENDPOINT: fc.constantFrom('http://127.0.0.1:14268/api/traces', 'not a url', ''),
      JAEGER_AGENT_HOST: fc.constantFrom('127.0.0.1', '', '::1'),
      JAEGER_AGENT_PORT: fc.constantFrom('6832', 'abc', ''),
      JAEGER_USER: anyString,
      JAEGER_PASSWORD: anyString,
      JAEGER_REPORTER_TIMEOUT: fc.constantFrom('100', '0', '-5', 'abc', ''),
      JAEGER_TAGS: fc.oneof(
        fc
          .array(
            fc.tuple(
              fc.string({ maxLength: 6 }),
              fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('${HOME}', '${UNSET_VAR:fallback}', '${:}', '${', 'a=b')),
            ),
            { maxLength: 4 },
          )
          .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(',')),
        fc.constantFrom('__proto__=x,constructor=y', 'no-equals', ',,,', '=value', 'k='),
        fc.string({ maxLength: 20 }),
      ),
    },
    { requiredKeys: [] },
  )
  .map((env) => Object.fromEntries(Object.entries(env).filter(([, value]) => !value.includes('\0'))));
