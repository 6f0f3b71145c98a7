import * as jaeger from '../../src/jaeger';
import { createJaegerClientRedirect, isJaegerClientRedirected } from '../../src/register/jaeger-client-redirect';
import { captureDiag } from '../helpers/diag';

describe('isJaegerClientRedirected', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['true', true],
    [' TRUE ', true],
    ['false', false],
    [' False ', false],
  ])('should read OPENTRACING_OTEL_SHIM_REDIRECT_JAEGER_CLIENT=%j as %s', (value, expected) => {
    expect(isJaegerClientRedirected({ OPENTRACING_OTEL_SHIM_REDIRECT_JAEGER_CLIENT: value })).toBe(expected);
  });

  it('should warn about another value and redirect', () => {
    const diagnostics = captureDiag();
    expect(isJaegerClientRedirected({ OPENTRACING_OTEL_SHIM_REDIRECT_JAEGER_CLIENT: 'off' })).toBe(true);
    expect(diagnostics.matching('neither true nor false')).toHaveLength(1);
    diagnostics.stop();
  });
});

describe('createJaegerClientRedirect', () => {
  it('should offer every export of ./jaeger, and run beforeInit before each initTracer and initTracerFromEnv', async () => {
    const calls: string[] = [];
    const redirect = createJaegerClientRedirect({ beforeInit: () => calls.push('beforeInit') });

    expect(Object.keys(redirect).sort()).toEqual(Object.keys(jaeger).sort());
    expect(redirect.JaegerTracer).toBe(jaeger.JaegerTracer);
    const first = redirect.initTracer({ serviceName: 'a', sampler: { type: 'const', param: 1 } }, { exporter: undefined });
    const second = redirect.initTracerFromEnv({ serviceName: 'b', sampler: { type: 'const', param: 1 } });

    expect(calls).toEqual(['beforeInit', 'beforeInit']);
    expect(first).toBeInstanceOf(jaeger.JaegerTracer);
    expect(second).toBeInstanceOf(jaeger.JaegerTracer);
    await Promise.all([first.close(), second.close()]);
  });
});
