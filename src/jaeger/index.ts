import * as opentracing from 'opentracing';

export { initTracer, initTracerFromEnv } from './init-tracer';
export type { JaegerConfig, JaegerLogger, JaegerOptions, JaegerReporterConfig, JaegerSamplerConfig, JaegerThrottlerConfig } from './configuration';
export { JaegerTracer } from './jaeger-tracer';
export type { ClosableTracerProvider, JaegerExtractor, JaegerInjector, JaegerTracerOptions } from './jaeger-tracer';
export { JaegerSpan } from './jaeger-span';
export { JaegerSpanContext } from './jaeger-span-context';
export type { IdBuffer } from './jaeger-span-context';
export { JaegerPropagator } from './jaeger-propagator';
export type { JaegerPropagatorOptions } from './jaeger-propagator';
export { JAEGER_BAGGAGE_HEADER, JAEGER_BAGGAGE_HEADER_PREFIX, JAEGER_DEBUG_ID_HEADER, JAEGER_DEBUG_TRACE_STATE_KEY, JAEGER_TRACE_HEADER } from './constants';

// jaeger-client 3.19's exports (src/index.js), under the same names.
export { Configuration, Tracer } from './tracer';
export type { TracerOptions } from './tracer';
export { JaegerSpan as Span } from './jaeger-span';
export { JaegerSpanContext as SpanContext } from './jaeger-span-context';
export { ConstSampler, ProbabilisticSampler, RateLimitingSampler, RemoteSampler } from './samplers';
export type { LegacySampler, RemoteSamplerOptions, TagMatcher } from './samplers';
export type { Sampler, SamplingResult } from '../otel-sdk/types';
export { experimental } from './experimental';
export { CompositeReporter, InMemoryReporter, LoggingReporter, NoopReporter, RemoteReporter, ReportedSpan, ReporterSpanProcessor } from './reporters';
export type { FinishedSpanLike, Reporter, ReportedLog, ReportedTag } from './reporters';
export { TextMapCodec, ZipkinB3TextMapCodec } from './codecs';
export type { TextMapCodecOptions, ZipkinB3TextMapCodecOptions } from './codecs';
export { PrometheusMetricsFactory } from './metrics';
export type { Counter, Gauge, MetricsFactory, Timer } from './metrics';
export { TestUtils } from './test-utils';
export { TChannelBridge } from './tchannel-bridge';
export type { Extractor, Injector, Logger, ReporterConfig, SamplerConfig, TracingConfig, TracingOptions } from './types';
export { opentracing };
