import { toLogEvent } from '../src/events';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';

describe('events', () => {
  let logs: DiagCapture;

  beforeEach(() => {
    logs = captureDiag();
  });

  afterEach(() => logs.stop());

  describe('toLogEvent', () => {
    it('should name the event by the event field and keep every field, event included, as attributes', () => {
      expect(toLogEvent({ event: 'cache_miss', key: 'k', n: 2, obj: { a: 1 } })).toEqual({
        name: 'cache_miss',
        attributes: { event: 'cache_miss', key: 'k', n: 2, obj: '{"a":1}' },
        exceptionMessage: undefined,
      });
    });

    it('should name an event without an event field "log"', () => {
      expect(toLogEvent({ a: 1 }).name).toBe('log');
      expect(toLogEvent({}).name).toBe('log');
    });

    it('should convert an event field that is not a string to a string', () => {
      expect(toLogEvent({ event: 42 }).name).toBe('42');
    });

    it('should skip undefined and null fields', () => {
      expect(toLogEvent({ event: 'e', u: undefined, n: null, k: 0 }).attributes).toEqual({ event: 'e', k: 0 });
    });

    it('should make an error log with an Error object an exception event with the other fields', () => {
      const error = new TypeError('bad input');
      expect(toLogEvent({ event: 'error', 'error.object': error, message: 'while parsing', component: 'parser' })).toEqual({
        name: 'exception',
        attributes: {
          'exception.type': 'TypeError',
          'exception.message': 'bad input',
          'exception.stacktrace': error.stack,
          message: 'while parsing',
          component: 'parser',
        },
        exceptionMessage: 'bad input',
      });
    });

    it('should accept an error-shaped object as the Error', () => {
      const event = toLogEvent({ event: 'error', 'error.object': { name: 'HttpError', message: 'not found', stack: 'at y' } });
      expect(event.attributes).toEqual({ 'exception.type': 'HttpError', 'exception.message': 'not found', 'exception.stacktrace': 'at y' });
    });

    it('should map error.kind, message and stack when there is no Error object', () => {
      expect(toLogEvent({ event: 'error', 'error.kind': 'Timeout', message: 'slow', stack: 'at z', 'error.object': 'text', extra: true })).toEqual({
        name: 'exception',
        attributes: {
          'exception.type': 'Timeout',
          'exception.message': 'slow',
          'exception.stacktrace': 'at z',
          'error.object': 'text',
          extra: true,
        },
        exceptionMessage: 'slow',
      });
    });

    it('should give no exception message for an error log without one', () => {
      expect(toLogEvent({ event: 'error' })).toEqual({ name: 'exception', attributes: {}, exceptionMessage: undefined });
    });

    it("should spread an object payload of logEvent's { event, payload } shape", () => {
      expect(toLogEvent({ event: 'request_received', payload: { path: '/a', user: undefined, event: 'ignored' } })).toEqual({
        name: 'request_received',
        attributes: { event: 'request_received', path: '/a' },
        exceptionMessage: undefined,
      });
      expect(toLogEvent({ event: 'request_received', payload: undefined }).attributes).toEqual({ event: 'request_received' });
      expect(toLogEvent({ event: 'note', payload: 'hello' }).attributes).toEqual({ event: 'note', payload: 'hello' });
    });

    it("should spread a payload under an event that has no value, ignoring the payload's own event field", () => {
      expect(toLogEvent({ event: undefined, payload: { event: 'x', a: 1 } })).toEqual({ name: 'log', attributes: { a: 1 }, exceptionMessage: undefined });
    });

    it('should make a spread payload with event error an exception event', () => {
      const error = new RangeError('too far');
      const event = toLogEvent({ payload: { 'error.object': error, where: 'map' }, event: 'error' });
      expect(event.name).toBe('exception');
      expect(event.attributes).toEqual({ 'exception.type': 'RangeError', 'exception.message': 'too far', 'exception.stacktrace': error.stack, where: 'map' });
      expect(event.exceptionMessage).toBe('too far');
    });

    it('should read each field once and skip, with a warning, one whose getter throws', () => {
      let reads = 0;
      const fields = {
        event: 'e',
        get counted() {
          reads++;
          return 1;
        },
        get broken(): unknown {
          throw new Error('getter');
        },
      };
      expect(toLogEvent(fields).attributes).toEqual({ event: 'e', counted: 1 });
      expect(reads).toBe(1);
      expect(logs.matching('log() fields "broken" could not be read')).toHaveLength(1);
    });

    it('should keep a payload field beside other fields as one attribute', () => {
      expect(toLogEvent({ event: 'e', payload: { a: 1 }, other: 2 }).attributes).toEqual({ event: 'e', payload: '{"a":1}', other: 2 });
    });

    it('should keep fields that are not an object as a message, with a warning', () => {
      expect(toLogEvent('plain text')).toEqual({ name: 'log', attributes: { message: 'plain text' }, exceptionMessage: undefined });
      expect(toLogEvent(null)).toEqual({ name: 'log', attributes: {}, exceptionMessage: undefined });
      for (let i = 0; i < 100; i++) toLogEvent(42);
      // Reported once per process, not per call: a hot path repeating the mistake cannot flood the log.
      expect(logs.messages).toHaveLength(1);
    });

    it('should skip a field whose getter throws, with a warning', () => {
      const fields = {
        kept: 1,
        get boom(): never {
          throw new Error('getter');
        },
      };
      expect(toLogEvent(fields).attributes).toEqual({ kept: 1 });
      expect(logs.matching('boom')).toHaveLength(1);
    });

    it('should refuse the field __proto__', () => {
      const fields = JSON.parse('{"__proto__": ["x"], "k": 1}');
      const attributes = toLogEvent(fields).attributes;
      expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
      expect(attributes).toEqual({ k: 1 });
    });
  });
});
