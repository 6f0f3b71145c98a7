import type { Attributes, ContextManager, DiagLogLevel, TextMapPropagator } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { loadPackage } from './load-package';
import type { SpanExporter } from './types';

// The OpenTelemetry packages besides the trace SDK, each loaded on first use (see
// load-package.ts). All are optional peer dependencies with the same API on the 2.x and 3.x lines.

/** The part of `@opentelemetry/core` that is used: the W3C propagators and their composite, `OTEL_LOG_LEVEL`'s reader. */
export interface CoreModule {
  W3CTraceContextPropagator: new () => TextMapPropagator;
  W3CBaggagePropagator: new () => TextMapPropagator;
  CompositePropagator: new (config: { propagators: TextMapPropagator[] }) => TextMapPropagator;
  diagLogLevelFromString(value: string | undefined): DiagLogLevel | undefined;
}

/** The part of `@opentelemetry/context-async-hooks` that is used. */
export interface ContextAsyncHooksModule {
  AsyncLocalStorageContextManager: new () => ContextManager & { enable(): ContextManager };
}

/** The part of `@opentelemetry/resources` that is used. */
export interface ResourcesModule {
  defaultResource(): Resource;
  resourceFromAttributes(attributes: Attributes): Resource;
  detectResources(config: { detectors: unknown[] }): Resource;
  envDetector: unknown;
}

/** The part of `@opentelemetry/propagator-b3` that is used. */
export interface B3Module {
  B3Propagator: new (config?: { injectEncoding?: number }) => TextMapPropagator;
  B3InjectEncoding: { SINGLE_HEADER: number; MULTI_HEADER: number };
}

/**
 * What a caller adds to an OTLP exporter's own configuration, in the shape the `-proto`, `-http`
 * and `-grpc` trace exporters all take. `url` is used only when no `OTEL_EXPORTER_OTLP_*ENDPOINT`
 * variable is set; `timeoutMillis` is in milliseconds; `headers` become HTTP headers (gRPC
 * metadata for `-grpc`, which takes them as `metadata`; see `createOtlpTraceExporter`).
 */
export interface OtlpExporterConfig {
  url?: string;
  headers?: Record<string, string>;
  timeoutMillis?: number;
}

/** The part of the OTLP trace exporter packages that is used: the Node `OTLPTraceExporter` class. */
export interface OtlpExporterModule {
  OTLPTraceExporter: new (config?: OtlpExporterConfig & { metadata?: unknown }) => SpanExporter;
}

export const CORE = '@opentelemetry/core';
export const RESOURCES = '@opentelemetry/resources';
export const B3 = '@opentelemetry/propagator-b3';
export const CONTEXT_ASYNC_HOOKS = '@opentelemetry/context-async-hooks';

/**
 * `@opentelemetry/core`, or throws an error naming the package to install. Needed for the W3C
 * propagators (`tracecontext`, `baggage`), which every OpenTelemetry SDK install has.
 */
export function core(): CoreModule {
  return required<CoreModule>(CORE, 'the W3C trace context and baggage propagators');
}

/** `@opentelemetry/resources`, or throws an error naming the package to install. */
export function resources(): ResourcesModule {
  return required<ResourcesModule>(RESOURCES, 'the resource (service.name) of the provider');
}

/** `@opentelemetry/context-async-hooks`, or throws an error naming the package to install. */
export function contextAsyncHooks(): ContextAsyncHooksModule {
  return required<ContextAsyncHooksModule>(CONTEXT_ASYNC_HOOKS, 'the AsyncLocalStorage context manager');
}

/** `@opentelemetry/propagator-b3`, or `undefined` when it is not installed. */
export function b3(): B3Module | undefined {
  return loadPackage<B3Module>(B3);
}

/** An OTLP trace exporter package (`@opentelemetry/exporter-trace-otlp-proto`, `-http`, `-grpc`), or `undefined`. */
export function otlpExporterPackage(name: string): OtlpExporterModule | undefined {
  return loadPackage<OtlpExporterModule>(name);
}

function required<T>(name: string, what: string): T {
  const loaded = loadPackage<T>(name);
  if (loaded === undefined) throw new Error(`opentracing-otel-shim needs ${name} for ${what}: install it (npm install ${name})`);
  return loaded;
}
