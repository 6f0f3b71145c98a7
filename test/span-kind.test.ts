import { SpanKind } from '@opentelemetry/api';
import { toSpanKind } from '../src/span-kind';

describe('span-kind', () => {
  describe('toSpanKind', () => {
    it.each([
      ['client', SpanKind.CLIENT],
      ['server', SpanKind.SERVER],
      ['producer', SpanKind.PRODUCER],
      ['consumer', SpanKind.CONSUMER],
      ['CLIENT', SpanKind.CLIENT],
      ['Server', SpanKind.SERVER],
      ['pRoDuCeR', SpanKind.PRODUCER],
    ])('should map %p to its SpanKind', (value, kind) => {
      expect(toSpanKind(value)).toBe(kind);
    });

    it.each([['internal'], ['rpc'], [''], [' server'], [1], [null], [undefined], [{ toString: () => 'server' }]])('should give undefined for %p', (value) => {
      expect(toSpanKind(value)).toBeUndefined();
    });
  });
});
