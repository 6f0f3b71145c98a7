import { diag } from '@opentelemetry/api';
import { AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import type { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { InMemoryReporter } from '../../src/jaeger/reporters';
import type { Reporter } from '../../src/jaeger/reporters';
import { ConstSampler, ProbabilisticSampler } from '../../src/jaeger/samplers';
import { Configuration, Tracer } from '../../src/jaeger/tracer';
import { captureDiag } from '../helpers/diag';

describe('Tracer', () => {
  it('should be a JaegerTracer and an OpenTracing tracer', () => {
    const tracer = new Tracer('checkout');
    expect(tracer).toBeInstanceOf(JaegerTracer);
    expect(tracer).toBeInstanceOf(opentracing.Tracer);
  });

  it("should propagate in jaeger-client's format only, URL-encoding baggage in HTTP headers", () => {
    const tracer = new Tracer('checkout', new InMemoryReporter(), new ConstSampler(true), { contextKey: 'x-trace', baggagePrefix: 'x-ctx-' });
    const span = tracer.startSpan('op');
    span.setBaggageItem('user', 'a b');
    const headers: Record<string, string> = {};
    tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, headers);
    expect(headers).toEqual({ 'x-trace': span.context().toString(), 'x-ctx-user': 'a%20b' });
  });

  it('should take an OpenTelemetry sampler, under jaeger-client parent rules', () => {
    const reporter = new InMemoryReporter();
    const tracer = new Tracer('checkout', reporter, new AlwaysOnSampler());
    const remote = tracer.extract(opentracing.FORMAT_TEXT_MAP, { 'uber-trace-id': 'abc:def:0:0' });
    tracer.startSpan('follows-unsampled-parent', { childOf: remote ?? undefined }).finish();
    tracer.startSpan('root').finish();
    expect(reporter.spans.map((span) => span.operationName)).toEqual(['root']);
  });

  it('should close the reporter and the sampler', async () => {
    const closed: string[] = [];
    const reporter: Reporter = { report: () => undefined, close: (callback) => (closed.push('reporter'), callback?.()) };
    const sampler = new ProbabilisticSampler(1);
    sampler.close = (callback) => (closed.push('sampler'), callback?.());
    const tracer = new Tracer('checkout', reporter, sampler);
    await tracer.close();
    // Both are closed; close() runs its steps side by side, each bounded (docs: the close deadline),
    // where jaeger-client closes the sampler after the reporter.
    expect(closed.sort()).toEqual(['reporter', 'sampler']);
  });

  it('should replace what is not a sampler or a reporter, warning once each, and warn about options it cannot honour', () => {
    const capture = captureDiag();
    try {
      const tracer = new Tracer('checkout', 'reporter' as unknown as Reporter, 'sampler', { traceId128bit: false, shareRpcSpan: true, debugThrottler: {} });
      expect((tracer.startSpan('op').context() as JaegerSpanContext).isSampled()).toBe(false);
      expect(capture.messages).toHaveLength(5);
    } finally {
      capture.stop();
    }
  });
});

describe('Tracer options.logger', () => {
  afterEach(() => diag.disable());

  it("should receive the package's warnings, as initTracer's logger does (as info lines)", () => {
    const lines: string[] = [];
    const tracer = new Tracer('checkout', new InMemoryReporter(), new ConstSampler(true), {
      logger: { info: (message) => lines.push(message), error: (message) => lines.push(`error: ${message}`) },
    });
    tracer.inject(tracer.startSpan('op').context(), 'no-such-format', {});
    expect(lines.filter((message) => message.includes('no-such-format'))).toEqual([expect.not.stringMatching(/^error: /)]);
  });
});

describe('Configuration', () => {
  it('should make the tracer initTracer makes', async () => {
    const reporter = new InMemoryReporter();
    const tracer = Configuration.initTracer({ serviceName: 'checkout', sampler: { type: 'const', param: 1 } }, { reporter });
    tracer.startSpan('op').finish();
    expect(reporter.spans).toHaveLength(1);
    await tracer.close();
  });
});
