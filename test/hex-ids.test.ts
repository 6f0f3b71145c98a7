import { toOtelSpanId, toOtelTraceId } from '../src/hex-ids';

describe('toOtelTraceId', () => {
  it.each([
    ['abc', '00000000000000000000000000000abc'],
    ['4BF92F3577B34DA6A3CE929D0E0E4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['00f067aa0ba902b7', '000000000000000000f067aa0ba902b7'],
  ])('should left-pad and lower-case %s', (hex, expected) => {
    expect(toOtelTraceId(hex)).toBe(expected);
  });

  it.each([['0'], ['00000000000000000000000000000000'], [''], ['xyz'], ['0x1'], ['1'.repeat(33)], [42], [undefined], [null]])('should refuse %p', (value) => {
    expect(toOtelTraceId(value)).toBeUndefined();
  });
});

describe('toOtelSpanId', () => {
  it('should left-pad and lower-case a short id', () => {
    expect(toOtelSpanId('A1')).toBe('00000000000000a1');
  });

  it.each([['0'], ['0000000000000000'], ['1'.repeat(17)], ['-1'], [{}], [undefined]])('should refuse %p', (value) => {
    expect(toOtelSpanId(value)).toBeUndefined();
  });
});
