import { isInRange, requireInRange, requireNonNegative } from '../../src/jaeger/number-range';

describe('isInRange', () => {
  it.each([0, 0.5, 1])('should accept %p in 0..1, both ends included', (value) => {
    expect(isInRange(value, 0, 1)).toBe(true);
  });

  it.each([-0.001, 1.001, NaN, '0.5', null, undefined, Infinity])('should refuse %p for 0..1', (value) => {
    expect(isInRange(value, 0, 1)).toBe(false);
  });

  it('should leave Infinity out under Number.MAX_VALUE and let it in under Infinity', () => {
    expect(isInRange(Infinity, 0, Number.MAX_VALUE)).toBe(false);
    expect(isInRange(Infinity, 0, Infinity)).toBe(true);
  });
});

describe('requireInRange', () => {
  it('should return a number in range', () => {
    expect(requireInRange('port', 80, 1, 65535, 'an integer 1..65535')).toBe(80);
  });

  it('should throw a RangeError naming the setting, the range and the value', () => {
    expect(() => requireInRange('samplingRate', 2, 0, 1, 'a number between 0 and 1')).toThrow(
      new RangeError('samplingRate must be a number between 0 and 1, got 2'),
    );
  });

  it.each([-1, NaN, Infinity])('should refuse %p as a finite number >= 0', (value) => {
    expect(() => requireNonNegative('maxBalance', value)).toThrow(/^maxBalance must be a finite number >= 0, got /);
  });
});
