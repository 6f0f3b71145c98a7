import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { RegisterTracer } from '../../src/register/register-tracer';
import { registeredTracerProvider, setUpTracing } from '../../src/register/tracing-setup';
import { captureDiag } from '../helpers/diag';
import { createTestSdk } from '../helpers/sdk';

/** The registration `setUpTracing` decides on, with the real OpenTelemetry API and SDK. */
describe('setUpTracing', () => {
  afterEach(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('should find no registered provider before one is registered, and the registered one after', () => {
    expect(registeredTracerProvider()).toBeUndefined();
    const { provider } = createTestSdk();
    trace.setGlobalTracerProvider(provider);
    expect(registeredTracerProvider()).toBe(provider);
  });

  it('should use a provider registered before, and register nothing', () => {
    const diagnostics = captureDiag();
    const { provider } = createTestSdk();
    trace.setGlobalTracerProvider(provider);

    expect(setUpTracing({})).toEqual({ provider, own: false });
    expect(propagation.fields()).toEqual([]);
    expect(diagnostics.messages).toEqual([]);
    diagnostics.stop();
  });

  it('should otherwise register a provider from the environment, a context manager and OTEL_PROPAGATORS', async () => {
    const setup = setUpTracing({ OTEL_TRACES_EXPORTER: 'none', OTEL_PROPAGATORS: 'jaeger' });

    expect(setup?.own).toBe(true);
    expect(setup?.provider).toBeInstanceOf(BasicTracerProvider);
    expect(registeredTracerProvider()).toBe(setup?.provider);
    expect(propagation.fields()).toEqual(['uber-trace-id']);
    const span = trace.getTracer('test').startSpan('active');
    const seen = await context.with(trace.setSpan(ROOT_CONTEXT, span), () => Promise.resolve().then(() => trace.getActiveSpan()));
    expect(seen).toBe(span);
    await setup?.provider.shutdown?.();
  });

  it('should default to W3C trace context and baggage, as the OpenTelemetry SDK does', () => {
    setUpTracing({ OTEL_TRACES_EXPORTER: 'none' });
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
  });
});

describe('RegisterTracer', () => {
  afterEach(() => trace.disable());

  it('should run its first-use hook once, before the first span, whose provider is the one registered by then', () => {
    const { provider, spans } = createTestSdk();
    const calls: string[] = [];
    const tracer = new RegisterTracer(() => {
      calls.push('first use');
      trace.setGlobalTracerProvider(provider);
    });

    tracer.startSpan('first').finish();
    tracer.startSpan('second').finish();

    expect(calls).toEqual(['first use']);
    expect(spans().map((span) => span.name)).toEqual(['first', 'second']);
  });

  it.each([
    ['inject', (tracer: RegisterTracer) => tracer.inject(new opentracing.SpanContext(), opentracing.FORMAT_HTTP_HEADERS, {})],
    ['extract', (tracer: RegisterTracer) => tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {})],
  ])('should run its first-use hook before the first %s', (_, use) => {
    let calls = 0;
    const tracer = new RegisterTracer(() => (calls += 1));
    use(tracer);
    use(tracer);
    expect(calls).toBe(1);
  });
});
