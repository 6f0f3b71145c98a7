import { INVALID_SPAN_CONTEXT, TraceFlags, propagation } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { BINARY_FORMAT_VERSION, decodeBinary, encodeBinary } from '../src/binary-format';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';

const SPAN_CONTEXT: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
};

const TRACE_CONTEXT_BYTES = [
  0, 0, 0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c, 1, 0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31, 2, 1,
];

describe('binary-format', () => {
  let logs: DiagCapture;

  beforeEach(() => {
    logs = captureDiag();
  });

  afterEach(() => logs.stop());

  it('should be version 0', () => {
    expect(BINARY_FORMAT_VERSION).toBe(0);
  });

  describe('encodeBinary', () => {
    it('should write the trace context fields at their documented offsets', () => {
      expect(Array.from(encodeBinary(SPAN_CONTEXT, propagation.createBaggage()))).toEqual(TRACE_CONTEXT_BYTES);
    });

    it('should write the trace flags byte', () => {
      expect(encodeBinary({ ...SPAN_CONTEXT, traceFlags: TraceFlags.NONE }, propagation.createBaggage())[28]).toBe(0);
    });

    it('should append baggage as field 3 with a big-endian length and UTF-8 JSON', () => {
      const baggage = propagation.createBaggage({ user: { value: 'zoë' } });
      const json = Buffer.from('{"user":"zoë"}', 'utf8');
      const bytes = encodeBinary(SPAN_CONTEXT, baggage);
      expect(Array.from(bytes.subarray(0, 29))).toEqual(TRACE_CONTEXT_BYTES);
      expect(bytes[29]).toBe(3);
      expect(Array.from(bytes.subarray(30, 34))).toEqual([0, 0, 0, json.length]);
      expect(Buffer.from(bytes.subarray(34)).equals(json)).toBe(true);
      expect(bytes).toHaveLength(34 + json.length);
    });
  });

  describe('decodeBinary', () => {
    it('should read back what encodeBinary wrote, as a remote span context', () => {
      const baggage = propagation.createBaggage({ a: { value: '1' }, b: { value: 'two' } });
      const decoded = decodeBinary(encodeBinary(SPAN_CONTEXT, baggage));
      expect(decoded?.spanContext).toEqual({ ...SPAN_CONTEXT, isRemote: true });
      expect(decoded?.baggage.getAllEntries()).toEqual(baggage.getAllEntries());
    });

    it('should read an ArrayBuffer, a Buffer, a typed array view and an array of byte values', () => {
      const bytes = encodeBinary(SPAN_CONTEXT, propagation.createBaggage({ k: { value: 'v' } }));
      const padded = new Uint8Array(bytes.length + 4);
      padded.set(bytes, 4);
      for (const buffer of [bytes.slice().buffer, Buffer.from(bytes), new DataView(padded.buffer, 4), padded.subarray(4), Array.from(bytes)]) {
        const decoded = decodeBinary(buffer);
        expect(decoded?.spanContext.spanId).toBe(SPAN_CONTEXT.spanId);
        expect(decoded?.baggage.getEntry('k')?.value).toBe('v');
      }
    });

    it('should keep only the sampled bit of the flags', () => {
      const bytes = Uint8Array.from(TRACE_CONTEXT_BYTES);
      bytes[28] = 0xff;
      expect(decodeBinary(bytes)?.spanContext.traceFlags).toBe(TraceFlags.SAMPLED);
    });

    it('should decode all-zero ids as an invalid span context', () => {
      const decoded = decodeBinary(encodeBinary(INVALID_SPAN_CONTEXT, propagation.createBaggage()));
      expect(decoded?.spanContext.traceId).toBe(INVALID_SPAN_CONTEXT.traceId);
      expect(decoded?.spanContext.spanId).toBe(INVALID_SPAN_CONTEXT.spanId);
    });

    const broken: Array<[string, () => unknown]> = [
      ['no buffer', () => undefined],
      ['a string', () => 'buffer'],
      ['a short buffer', () => Uint8Array.from(TRACE_CONTEXT_BYTES.slice(0, 28))],
      ['another version', () => Uint8Array.from([1, ...TRACE_CONTEXT_BYTES.slice(1)])],
      ['a wrong field id', () => Uint8Array.from(TRACE_CONTEXT_BYTES.map((b, i) => (i === 18 ? 9 : b)))],
      ['an unknown trailing field', () => Uint8Array.from([...TRACE_CONTEXT_BYTES, 4, 0, 0, 0, 0])],
      ['a baggage length that does not match', () => Uint8Array.from([...TRACE_CONTEXT_BYTES, 3, 0, 0, 0, 9, 0x7b, 0x7d])],
      ['baggage that is not JSON', () => Uint8Array.from([...TRACE_CONTEXT_BYTES, 3, 0, 0, 0, 1, 0x7b])],
      ['baggage that is a JSON array', () => Uint8Array.from([...TRACE_CONTEXT_BYTES, 3, 0, 0, 0, 2, 0x5b, 0x5d])],
      ['baggage that is not UTF-8', () => Uint8Array.from([...TRACE_CONTEXT_BYTES, 3, 0, 0, 0, 3, 0x22, 0xff, 0x22])],
      ['an array with values that are not bytes', () => [...TRACE_CONTEXT_BYTES.slice(0, 28), 256]],
    ];

    it.each(broken)('should give undefined, with a warning, for %s', (_name, make) => {
      expect(decodeBinary(make())).toBeUndefined();
      expect(logs.messages).toHaveLength(1);
    });

    it('should keep only string baggage values', () => {
      const json = Buffer.from('{"a":"1","n":2,"o":{}}');
      const decoded = decodeBinary(Uint8Array.from([...TRACE_CONTEXT_BYTES, 3, 0, 0, 0, json.length, ...json]));
      expect(decoded?.baggage.getAllEntries()).toEqual([['a', { value: '1' }]]);
    });
  });
});
