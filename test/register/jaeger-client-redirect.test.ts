import * as jaeger from '../../src/jaeger';
import type { JaegerTracer } from '../../src/jaeger';
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
  it('should offer every export of ./jaeger, and hand each tracer from initTracer and initTracerFromEnv to track, after beforeInit', async () => {
    const calls: string[] = [];
    const tracked: JaegerTracer[] = [];
    const redirect = createJaegerClientRedirect({ beforeInit: () => calls.push('beforeInit'), track: (tracer) => (calls.push('track'), tracked.push(tracer)) });

    expect(Object.keys(redirect).sort()).toEqual(Object.keys(jaeger).sort());
    expect(redirect.JaegerTracer).toBe(jaeger.JaegerTracer);
    const first = redirect.initTracer({ serviceName: 'a', sampler: { type: 'const', param: 1 } }, { exporter: undefined });
    const second = redirect.initTracerFromEnv({ serviceName: 'b', sampler: { type: 'const', param: 1 } });

    expect(calls).toEqual(['beforeInit', 'track', 'beforeInit', 'track']);
    expect(tracked).toEqual([first, second]);
    expect(first).toBeInstanceOf(jaeger.JaegerTracer);
    await Promise.all([first.close(), second.close()]);
  });
});
