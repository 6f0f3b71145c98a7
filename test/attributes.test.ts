import * as vm from 'node:vm';
import type { Attributes } from '@opentelemetry/api';
import { describeErrorValue, isErrorLike, setAttributeOn, toAttributeValue } from '../src/attributes';
import { MAX_CONVERTED_VALUE_LENGTH, TRUNCATED } from '../src/constants';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';

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

    it('should describe an unreadable value instead of throwing', () => {
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      const throwing = {
        get boom(): never {
          throw new Error('getter');
        },
      };
      expect(toAttributeValue(revoked.proxy)).toMatch(/^\[unreadable value: /);
      expect(toAttributeValue(throwing)).toBe('[unreadable value: Error: getter]');
      expect(logs.messages).toHaveLength(2);
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
