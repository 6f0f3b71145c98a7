import * as vm from 'node:vm';
import type { Attributes } from '@opentelemetry/api';
import * as fc from 'fast-check';
import { describeErrorValue, isErrorLike, setAttributeOn, toAttributeValue } from '../src/attributes';
import { MAX_CONVERTED_VALUE_LENGTH, TRUNCATED } from '../src/constants';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';
import { growthFrom } from './helpers/growth';

describe('attributes', () => {
  let logs: DiagCapture;

  beforeEach(() => {
    logs = captureDiag();
  });

  afterEach(() => logs.stop());

  describe('toAttributeValue', () => {
    it.each([['text'], [''], [0], [-1.5], [true], [false]])('should pass %p unchanged', (value) => {
      expect(toAttributeValue(value)).toBe(value);
    });

    it.each([[['a', 'b']], [[1, 2.5]], [[true, false]], [['a', null, undefined]], [[]]])('should pass the homogeneous array %p as a copy', (value) => {
      const converted = toAttributeValue(value);
      expect(converted).toEqual(value);
      expect(converted).not.toBe(value);
    });

    it.each([
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
      [12345678901234567890n, '12345678901234567890'],
      [Symbol('tag'), 'Symbol(tag)'],
      [function handler() {}, '[Function handler]'],
      [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), '2024-01-02T03:04:05.006Z'],
      [new Date(NaN), 'Invalid Date'],
      [new TypeError('bad input'), 'TypeError: bad input'],
      [{ name: 'CustomError', message: 'custom', stack: 'at x' }, 'CustomError: custom'],
      [{ user: { id: 7, tags: ['a'] } }, '{"user":{"id":7,"tags":["a"]}}'],
      [[1, 'a'], '[1,"a"]'],
      [[1, NaN], '[1,"NaN"]'],
      [[{ a: 1 }], '[{"a":1}]'],
      [{ n: 1n, f() {}, inf: Infinity, err: new RangeError('r') }, '{"n":"1","f":"[Function f]","inf":"Infinity","err":"RangeError: r"}'],
    ])('should convert %p to the string %p', (value, expected) => {
      expect(toAttributeValue(value)).toBe(expected);
    });

    it('should convert an Error of another realm by its shape', () => {
      expect(toAttributeValue(vm.runInNewContext('new SyntaxError("s")'))).toBe('SyntaxError: s');
    });

    it('should show cycles as [Circular]', () => {
      const a: Record<string, unknown> = { name: 'a' };
      a.self = a;
      a.list = [a, { back: a }];
      expect(toAttributeValue(a)).toBe('{"name":"a","self":"[Circular]","list":["[Circular]",{"back":"[Circular]"}]}');
    });

    it('should not take a value seen twice without a cycle for a cycle', () => {
      const shared = { id: 1 };
      expect(toAttributeValue({ a: shared, b: shared })).toBe('{"a":{"id":1},"b":{"id":1}}');
    });

    it('should cap converted strings and mark them truncated', () => {
      const converted = toAttributeValue({ text: 'x'.repeat(MAX_CONVERTED_VALUE_LENGTH) }) as string;
      expect(converted).toHaveLength(MAX_CONVERTED_VALUE_LENGTH);
      expect(converted.endsWith(TRUNCATED)).toBe(true);
    });

    it('should not cap plain strings', () => {
      const long = 'x'.repeat(MAX_CONVERTED_VALUE_LENGTH * 2);
      expect(toAttributeValue(long)).toBe(long);
    });

    it.each([[undefined], [null]])('should give undefined for %p', (value) => {
      expect(toAttributeValue(value)).toBeUndefined();
    });

    it('should describe an unreadable value instead of throwing, with one warning per process', () => {
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      const throwing = {
        get boom(): never {
          throw new Error('getter');
        },
      };
      expect(toAttributeValue(revoked.proxy)).toMatch(/^\[unreadable value: /);
      expect(toAttributeValue(throwing)).toBe('[unreadable value: Error: getter]');
      for (let i = 0; i < 100; i++) expect(toAttributeValue(throwing)).toBe('[unreadable value: Error: getter]');
      expect(logs.messages).toHaveLength(1);
      expect(logs.messages[0]).toContain('could not be read');
    });
  });

  describe('toAttributeValue of objects: work bounded by the 8192-character cap', () => {
    /**
     * What the shim wrote before the serialiser was bounded: JSON.stringify with its replacer,
     * then cut. The bounded one must write the same text.
     */
    function unboundedJson(value: object): string {
      const ancestors: unknown[] = [];
      const json = JSON.stringify(value, function replacer(this: unknown, _key: string, child: unknown): unknown {
        if (typeof child === 'bigint' || typeof child === 'symbol') return child.toString();
        if (typeof child === 'function') return child.name ? `[Function ${child.name}]` : '[Function]';
        if (typeof child === 'number') return Number.isFinite(child) ? child : String(child);
        if (typeof child !== 'object' || child === null) return child;
        while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
        if (ancestors.includes(child)) return '[Circular]';
        if (child !== value && isErrorLike(child)) return describeErrorValue(child);
        ancestors.push(child);
        return child;
      }) as string | undefined;
      const text = json ?? String(value);
      return text.length > MAX_CONVERTED_VALUE_LENGTH ? text.slice(0, MAX_CONVERTED_VALUE_LENGTH - TRUNCATED.length) + TRUNCATED : text;
    }

    /** A graph of `levels + 1` objects in which each level holds the next one twice: its JSON doubles per level. */
    function sharedChildren(levels: number, onRead?: () => void): object {
      let node: object = { leaf: 'value' };
      for (let level = 0; level < levels; level++) {
        const child = node;
        node =
          onRead === undefined
            ? { a: child, b: child }
            : {
                get a() {
                  onRead();
                  return child;
                },
                get b() {
                  onRead();
                  return child;
                },
              };
      }
      return node;
    }

    it('should write what JSON.stringify with the replacer wrote, cut the same way', () => {
      const long = { text: 'é'.repeat(9000), list: Array.from({ length: 3000 }, (_, i) => i) };
      const values: object[] = [
        long,
        sharedChildren(12),
        { a: 'x'.repeat(8170), b: '\u2028\ud83d\ude00"\\' },
        { d: new Date(0), m: new Map([[1, 2]]), n: [undefined, () => 1, Symbol('s')], b: Buffer.from('hi') },
      ];
      for (const value of values) expect(toAttributeValue(value)).toBe(unboundedJson(value));
      fc.assert(
        fc.property(fc.oneof(fc.object({ maxDepth: 4 }), fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 40 })), (value) => {
          // Homogeneous arrays stay arrays and error-shaped objects become `name: message`.
          if (Array.isArray(toAttributeValue(value)) || isErrorLike(value)) return;
          expect(toAttributeValue(value)).toBe(unboundedJson(value));
        }),
        { seed: 1414, numRuns: 300 },
      );
    });

    it('should stop reading an object once the cap is reached (200,000 keys: read all before)', () => {
      let reads = 0;
      const wide: Record<string, number> = {};
      for (let i = 0; i < 200_000; i++) Object.defineProperty(wide, `key${i}`, { enumerable: true, get: () => ++reads });
      const converted = toAttributeValue(wide) as string;
      expect(converted).toHaveLength(MAX_CONVERTED_VALUE_LENGTH);
      expect(converted.endsWith(TRUNCATED)).toBe(true);
      expect(reads).toBeLessThan(2_000);
    });

    it('should read a graph whose levels share children only up to the cap (its JSON doubles per level)', () => {
      let reads = 0;
      toAttributeValue(sharedChildren(20, () => reads++));
      expect(reads).toBeLessThan(2_000);
      const growth = growthFrom(
        256,
        (size) => sharedChildren(Math.log2(size)),
        (graph) => toAttributeValue(graph),
        5,
      );
      expect(growth).toBeLessThan(2.5);
    });

    it('should write a deep chain up to the cap instead of overflowing the stack', () => {
      const root: Record<string, unknown> = {};
      let node = root;
      for (let i = 0; i < 50_000; i++) node = node.d = {};
      const converted = toAttributeValue(root) as string;
      expect(converted.startsWith('{"d":{"d":')).toBe(true);
      expect(converted.endsWith(TRUNCATED)).toBe(true);
    });
  });

  describe('setAttributeOn', () => {
    it('should set the key', () => {
      const attributes = {};
      setAttributeOn(attributes, 'k', 'v');
      expect(attributes).toEqual({ k: 'v' });
    });

    it('should refuse __proto__ with a warning', () => {
      const attributes: Attributes = {};
      setAttributeOn(attributes, '__proto__', ['x']);
      expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
      expect(Object.keys(attributes)).toEqual([]);
      expect(logs.matching('__proto__')).toHaveLength(1);
    });
  });

  describe('isErrorLike', () => {
    it('should recognise Errors and error-shaped objects', () => {
      expect(isErrorLike(new Error('e'))).toBe(true);
      expect(isErrorLike({ message: 'm', name: 'N' })).toBe(true);
      expect(isErrorLike({ message: 'm', stack: 's' })).toBe(true);
    });

    it('should not take other values for errors', () => {
      for (const value of [null, 'Error: x', { message: 'm' }, { message: 1, name: 'N' }]) expect(isErrorLike(value)).toBe(false);
    });
  });

  describe('describeErrorValue', () => {
    it('should give name: message, with Error for an empty name', () => {
      expect(describeErrorValue(new TypeError('t'))).toBe('TypeError: t');
      expect(describeErrorValue({ name: '', message: 'm' } as Error)).toBe('Error: m');
    });
  });
});
