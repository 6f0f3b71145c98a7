/**
 * The type names of `@types/jaeger-client`, so that TypeScript code written against them
 * compiles unchanged when its import changes to `opentracing-otel-shim/jaeger`. Each is this
 * package's type for the same thing.
 */
import type { JaegerConfig, JaegerLogger, JaegerOptions, JaegerReporterConfig, JaegerSamplerConfig } from './configuration';
import type { JaegerExtractor, JaegerInjector } from './jaeger-tracer';

/** `@types/jaeger-client`'s `TracingConfig`: the `config` of `initTracer`. */
export type TracingConfig = JaegerConfig;
/** `@types/jaeger-client`'s `TracingOptions`: the `options` of `initTracer`. */
export type TracingOptions = JaegerOptions;
/** `@types/jaeger-client`'s `ReporterConfig`: `config.reporter`. */
export type ReporterConfig = JaegerReporterConfig;
/** `@types/jaeger-client`'s `SamplerConfig`: `config.sampler`. */
export type SamplerConfig = JaegerSamplerConfig;
/** `@types/jaeger-client`'s `Logger`: `info(message)` and `error(message)`. */
export type Logger = JaegerLogger;
/** `@types/jaeger-client`'s `Injector`: `registerInjector`'s argument. */
export type Injector = JaegerInjector;
/** `@types/jaeger-client`'s `Extractor`: `registerExtractor`'s argument. */
export type Extractor = JaegerExtractor;
