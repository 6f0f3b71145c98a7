import fc from 'fast-check';
import { TraceFlags } from '@opentelemetry/api';
import { formatUberTraceId, jaegerFlags, jaegerSpanContext, parseUberTraceId, stripLeadingZeros } from '../../src/jaeger/uber-trace-id';

// The one `uber-trace-id` codec (src/jaeger/uber-trace-id.ts). The propagator, the direct path,
// the span context and the codecs are tested through it elsewhere; these are its own rules.
describe('uber-trace-id', () => {
  // The shape as it was checked before the hand-written scan: one anchored expression, then widths.
  const SHAPE = /^[0-9a-f]+:[0-9a-f]+:[0-9a-f]+:[0-9a-f]{1,2}$/;
  function acceptedByExpression(value: string): boolean {
    const text = SHAPE.test(value) ? value : value.trim().toLowerCase();
    if (!SHAPE.test(text)) return false;
    const [trace, span, parent] = text.split(':');
    if (trace.length > 32 || span.length > 16 || parent.length > 16) return false;
    return !/^0+$/.test(trace) && !/^0+$/.test(span);
  }

  describe('parseUberTraceId', () => {
    it('should accept exactly the values the anchored expression and the widths accept', () => {
      const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 34 });
      const field = fc.oneof(hex, fc.string({ maxLength: 4 }), fc.constantFrom('', '0', ' 1', 'g'));
      const value = fc.oneof(
        fc.tuple(field, field, field, field).map((fields) => fields.join(':')),
        fc.tuple(field, field, field, field, field).map((fields) => fields.join(':')),
        fc
          .tuple(fc.constantFrom('', ' ', '\t'), hex, hex, hex, fc.constantFrom('1', '01', '3', 'ff', '100'))
          .map(([pad, a, b, c, d]) => `${pad}${a}:${b}:${c}:${d}${pad}`),
        fc.string({ maxLength: 40 }),
      );
      fc.assert(
        fc.property(value, (text) => {
          expect(parseUberTraceId(text) !== undefined).toBe(acceptedByExpression(text));
        }),
        { seed: 0x5eed1601, numRuns: 3000 },
      );
    });

    it('should read a root, a parent, padded ids and debug as sampled', () => {
      expect(parseUberTraceId('abc:def:0:1')).toEqual({
        spanContext: { traceId: '0'.repeat(29) + 'abc', spanId: '0'.repeat(13) + 'def', traceFlags: TraceFlags.SAMPLED, isRemote: true },
        parentSpanId: undefined,
      });
      expect(parseUberTraceId(' ABC:DEF:00A:2 ')?.parentSpanId).toBe('000000000000000a');
      const debug = parseUberTraceId('abc:def:0:2')?.spanContext;
      expect(debug?.traceFlags).toBe(TraceFlags.SAMPLED);
      expect(debug === undefined ? undefined : jaegerFlags(debug)).toBe(3);
      expect(parseUberTraceId('abc:def:0000:1')?.parentSpanId).toBeUndefined();
      expect(parseUberTraceId('0:def:0:1')).toBeUndefined();
      expect(parseUberTraceId('abc::0:1')).toBeUndefined();
    });

    it('should read every {flags} value of one or two hex digits as parseInt(flags, 16) does', () => {
      for (let flags = 0; flags <= 0xff; flags++) {
        const spellings = [flags.toString(16).padStart(2, '0'), ...(flags < 0x10 ? [flags.toString(16)] : [])];
        for (const spelling of spellings) {
          for (const text of [`abc:def:0:${spelling}`, ` ABC:DEF:0:${spelling.toUpperCase()} `]) {
            expect(parseUberTraceId(text)?.spanContext).toEqual(jaegerSpanContext('0'.repeat(29) + 'abc', '0'.repeat(13) + 'def', parseInt(spelling, 16)));
          }
        }
      }
    });
  });

  describe('formatUberTraceId', () => {
    it('should write what parseUberTraceId reads, as jaeger-client writes it', () => {
      const spanContext = jaegerSpanContext('0'.repeat(16) + '00000000000abcde', '00000000000000ff', 0x1 | 0x8 | 0x40);
      const written = formatUberTraceId(spanContext, '0000000000000001');
      expect(written).toBe('abcde:ff:1:49');
      expect(parseUberTraceId(written)).toEqual({ spanContext, parentSpanId: '0000000000000001' });
      expect(stripLeadingZeros('0000')).toBe('0');
    });
  });
});
