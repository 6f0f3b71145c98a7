import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { toTagEffect } from '../src/tags';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';

describe('tags', () => {
  let logs: DiagCapture;

  beforeEach(() => {
    logs = captureDiag();
  });

  afterEach(() => logs.stop());

  describe('toTagEffect', () => {
    it.each([
      ['client', SpanKind.CLIENT],
      ['server', SpanKind.SERVER],
      ['producer', SpanKind.PRODUCER],
      ['consumer', SpanKind.CONSUMER],
      ['SERVER', SpanKind.SERVER],
    ])('should make span.kind %p the SpanKind %p, keeping the value for a late tag', (value, kind) => {
      expect(toTagEffect('span.kind', value)).toEqual({ type: 'kind', kind, value });
    });

    it('should keep an unknown span.kind value as an attribute', () => {
      expect(toTagEffect('span.kind', 'internal')).toEqual({ type: 'attribute', value: 'internal' });
      expect(toTagEffect('span.kind', 3)).toEqual({ type: 'attribute', value: 3 });
    });

    it.each([
      [true, SpanStatusCode.ERROR],
      ['true', SpanStatusCode.ERROR],
      [false, SpanStatusCode.OK],
      ['false', SpanStatusCode.OK],
    ])('should make error %p the status %p', (value, code) => {
      expect(toTagEffect('error', value)).toEqual({ type: 'status', code });
    });

    it('should keep other error values as the attribute error', () => {
      expect(toTagEffect('error', 'timeout')).toEqual({ type: 'attribute', value: 'timeout' });
      expect(toTagEffect('error', 1)).toEqual({ type: 'attribute', value: 1 });
    });

    it('should convert any other tag with toAttributeValue', () => {
      expect(toTagEffect('http.status_code', 200)).toEqual({ type: 'attribute', value: 200 });
      expect(toTagEffect('obj', { a: 1 })).toEqual({ type: 'attribute', value: '{"a":1}' });
      expect(toTagEffect('n', NaN)).toEqual({ type: 'attribute', value: 'NaN' });
    });

    it('should copy an array value, so that a later change does not reach the span', () => {
      const value = ['a', 'b'];
      const effect = toTagEffect('list', value);
      value.push('c');
      expect(effect).toEqual({ type: 'attribute', value: ['a', 'b'] });
    });

    it.each([[undefined], [null]])('should do nothing for the value %p, without a warning', (value) => {
      expect(toTagEffect('k', value)).toBeUndefined();
      expect(toTagEffect('span.kind', value)).toBeUndefined();
      expect(toTagEffect('error', value)).toBeUndefined();
      expect(logs.messages).toEqual([]);
    });

    it('should refuse the key __proto__ with one warning', () => {
      expect(toTagEffect('__proto__', ['x'])).toBeUndefined();
      expect(logs.matching('"__proto__" is not allowed')).toHaveLength(1);
    });

    it('should never throw, even for a value whose reading throws', () => {
      const hostile = new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('trap');
          },
          getPrototypeOf() {
            throw new Error('trap');
          },
        },
      );
      expect(toTagEffect('k', hostile)).toEqual({ type: 'attribute', value: expect.stringContaining('unreadable value') });
    });
  });
});
