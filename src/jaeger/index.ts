export { initTracer, initTracerFromEnv } from './init-tracer';
export type { JaegerConfig, JaegerLogger, JaegerOptions, JaegerReporterConfig, JaegerSamplerConfig, JaegerThrottlerConfig } from './configuration';
export { JaegerTracer } from './jaeger-tracer';
export type { ClosableTracerProvider, JaegerExtractor, JaegerInjector, JaegerTracerOptions } from './jaeger-tracer';
export { JaegerSpan } from './jaeger-span';
export { JaegerSpanContext } from './jaeger-span-context';
export { JaegerPropagator } from './jaeger-propagator';
export type { JaegerPropagatorOptions } from './jaeger-propagator';
export { JAEGER_BAGGAGE_HEADER, JAEGER_BAGGAGE_HEADER_PREFIX, JAEGER_DEBUG_ID_HEADER, JAEGER_DEBUG_TRACE_STATE_KEY, JAEGER_TRACE_HEADER } from './constants';
