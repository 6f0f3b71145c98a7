import { InMemoryReporter } from '../../src/jaeger/reporters';
import { ConstSampler } from '../../src/jaeger/samplers';
import { TestUtils } from '../../src/jaeger/test-utils';
import { Tracer } from '../../src/jaeger/tracer';

describe('TestUtils', () => {
  it('should read the tags of a reported span, the last duplicate winning', () => {
    const span = {
      _tags: [
        { key: 'a', value: 1 },
        { key: 'b', value: 'x' },
        { key: 'a', value: 2 },
      ],
    };
    expect(TestUtils.getTags(span)).toEqual({ a: 2, b: 'x' });
    expect(TestUtils.getTags(span, ['b', 'missing'])).toEqual({ b: 'x' });
    expect(TestUtils.hasTags(span, { a: 2 })).toBe(true);
    expect(TestUtils.hasTags(span, { a: 1 })).toBe(false);
    expect(TestUtils.hasTags(span, { missing: undefined })).toBe(false);
  });

  it('should read the tags of a live span of this package from its OpenTelemetry span', () => {
    const tracer = new Tracer('checkout', new InMemoryReporter(), new ConstSampler(true));
    const span = tracer.startSpan('op', { tags: { component: 'db' } });
    span.setTag('rows', 3);
    expect(TestUtils.hasTags(span, { component: 'db', rows: 3, 'sampler.type': 'const' })).toBe(true);
  });

  it('should find no tags on what is not a span, and never throw', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('hostile');
        },
      },
    );
    for (const value of [undefined, null, 'span', {}, { _tags: 'no' }, hostile]) expect(TestUtils.getTags(value)).toEqual({});
    expect(TestUtils.getTags({ _tags: [{ key: 'a', value: 1 }] }, 7 as unknown as string[])).toEqual({ a: 1 });
    expect(TestUtils.hasTags(hostile, null as unknown as Record<string, unknown>)).toBe(true);
  });
});
