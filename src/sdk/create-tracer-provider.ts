import * as api from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { setAttributeOn, toAttributeValue } from '../attributes';
import { logger } from '../logger';
import { resources } from '../otel-sdk/packages';
import { sdkLine } from '../otel-sdk/sdk-line';
import { propagatorFromEnv } from '../propagators/propagator-from-env';
import type { BufferConfig, Resource, Sampler, SdkTracerProvider, SpanExporter, SpanProcessor, TracerConfig } from '../otel-sdk/types';
import { BaggageSpanProcessor } from './baggage-span-processor';
import { boundShutdown } from './bounded-shutdown';
import { flushOnExit } from './exit-flush';
import { reportOutages } from './outage-reporting-exporter';
import { batchConfig } from './batch-config';
import { createOtlpTraceExporter, createTracesExporter, hasOtlpEndpoint, tracesExporterNames } from './exporter-from-env';
import { SDK_DISABLED_VARIABLE, isSdkDisabled } from '../env';
import type { Environment } from '../env';
import { DisabledTracerProvider } from './sdk-disabled';
import { samplerFromEnv, spanLimitsFromEnv } from './sampling-from-env';
import { TraceTreeExporter } from './trace-tree-exporter';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { propagation } = api;

/** Resource attribute key of the service name (OpenTelemetry semantic conventions). */
const ATTR_SERVICE_NAME = 'service.name';

/** Configuration of `createTracerProvider` / `createTracerConfig`; every field is optional. */
export interface CreateTracerProviderOptions {
  /**
   * The resource's `service.name`. Wins over `resourceAttributes['service.name']`,
   * `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`. An empty string counts as not given;
   * a value that is not a string is ignored with a `diag` warning.
   */
  serviceName?: string;
  /**
   * More resource attributes; they win over the same keys in `OTEL_RESOURCE_ATTRIBUTES`.
   * Values are converted as OpenTracing tags are (see docs/mapping.md): `undefined`/`null` are
   * skipped, objects become JSON strings.
   */
  resourceAttributes?: Attributes;
  /**
   * The exporter to use, instead of the one the environment chooses: with it, `OTEL_TRACES_EXPORTER`
   * and the OTLP variables are not read. It gets its own `BatchSpanProcessor`.
   */
  exporter?: SpanExporter;
  /**
   * Span processors added before the exporting ones, in this order: a `BaggageSpanProcessor`,
   * processors that add attributes at start, a `SimpleSpanProcessor` for tests. If one of them
   * is a `BaggageSpanProcessor`, the default `TraceTreeExporter` draws baggage from it.
   */
  spanProcessors?: SpanProcessor[];
  /**
   * The sampler. Default: the one `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` in
   * `process.env` name (`samplerFromEnv`), else `parentbased_always_on`: every root span
   * sampled, children following the parent's decision.
   */
  sampler?: Sampler;
  /**
   * Configuration of each exporter's `BatchSpanProcessor` (`scheduledDelayMillis`,
   * `exportTimeoutMillis` in milliseconds; `maxQueueSize`, `maxExportBatchSize` in spans).
   * Fields left out come from `OTEL_BSP_*` in `env`, else the specification's defaults. Sizes must
   * be whole numbers from 1, delays at most 2^31 - 1 ms; anything else gets the default and a
   * `diag` warning, because the SDK's processor would loop forever on a batch size of 0
   * (`batchConfig`). The object is copied, never changed.
   */
  batch?: BufferConfig;
  /**
   * Where the variables that choose the exporter are read: `OTEL_TRACES_EXPORTER`,
   * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`,
   * `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`; also `OTEL_SDK_DISABLED`
   * and the four `OTEL_BSP_*` batch settings. Default `process.env`;
   * tests pass their own object to get the same choice on any machine. The SDK parts read
   * their own variables from `process.env` whatever this is (see `createTracerProvider`).
   */
  env?: Environment;
}

/**
 * An OpenTelemetry SDK tracer provider set up the way the OpenTelemetry SDK environment variables ask, for `createTracerShim(provider)` or
 * `trace.setGlobalTracerProvider(provider)`. It registers no tracer provider or context manager
 * globally; it registers the propagator `OTEL_PROPAGATORS` names (default W3C `traceparent` and
 * `baggage`) as the global propagator when none is registered yet, as NodeSDK does, so that the
 * shim's inject and extract work (see `propagatorFromEnv`). Call
 * `provider.shutdown()` before the process exits: that flushes the batch processors.
 *
 * The provider is the installed SDK line's: `TracerProvider` from `@opentelemetry/sdk-trace`
 * (OpenTelemetry JS 3.x, or 2.9+), else `BasicTracerProvider` from `@opentelemetry/sdk-trace-base`
 * (2.x). Throws an error naming the package to install when neither is installed (`sdkLine`).
 *
 * Precedence, per setting: `options` > `OTEL_*` variables > the default.
 *
 * - Resource: the SDK default (`service.name` `unknown_service:<argv0>`, `telemetry.sdk.*`),
 *   merged with `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_SERVICE_NAME` as the SDK's `envDetector`
 *   reads them from `process.env` (`OTEL_SERVICE_NAME` wins over a `service.name` in
 *   `OTEL_RESOURCE_ATTRIBUTES`; a malformed `OTEL_RESOURCE_ATTRIBUTES` is discarded whole),
 *   then `options.resourceAttributes`, then `options.serviceName`.
 * - Exporter: `options.exporter`; else `OTEL_TRACES_EXPORTER`, a comma-separated list of
 *   `otlp`, `console` (the SDK's `ConsoleSpanExporter`) and `none` (export nothing), each
 *   listed exporter getting its own batch processor (unknown names: `diag` warning, ignored);
 *   else OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set;
 *   else, with nothing configured, this package's `TraceTreeExporter`, which draws each trace
 *   on stdout, with a `BaggageSpanProcessor` so that it shows baggage.
 * - OTLP: over HTTP to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as it is, else
 *   `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else `http://localhost:4318/v1/traces`;
 *   protocol from `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`:
 *   `http/protobuf` (the default; `@opentelemetry/exporter-trace-otlp-proto`) or `http/json`
 *   (`@opentelemetry/exporter-trace-otlp-http`) or `grpc` (`@opentelemetry/exporter-trace-otlp-grpc`,
 *   to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT` as it is, default
 *   `http://localhost:4317`). The exporter reads its headers, timeout, compression and
 *   certificates (`OTEL_EXPORTER_OTLP_*HEADERS`, `*TIMEOUT`, ...) from `process.env` itself.
 * - The exporter packages are optional peer dependencies, loaded with `require()` only when
 *   OTLP is chosen. If the one needed is missing, a `diag` error names it and spans are not
 *   exported over OTLP; there is deliberately no fallback to the tree exporter, which would
 *   write every trace into the stdout of a production service.
 * - Sampler and span limits not given in `options` are read from `process.env`
 *   (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_SPAN_*_LIMIT`), as the 2.x SDK's
 *   provider did itself and the 3.x one no longer does (`samplerFromEnv`, `spanLimitsFromEnv`);
 *   batch settings from `OTEL_BSP_*` in `env` (`batchConfig`).
 * - `OTEL_SDK_DISABLED=true` (read from `options.env` too): a `DisabledTracerProvider`, whose
 *   tracers are the API's no-op tracer, whatever else is configured; no exporter is made.
 *   Propagation is not affected (the spec says so): a span started from an extracted context
 *   carries that context on unchanged.
 *
 * Never throws for bad options or variables: what cannot be used is reported through `diag`
 * (call `diag.setLogger` to see it) and left out.
 *
 * Rules: OpenTelemetry specification, "Environment Variable Specification" (sections "General
 * SDK Configuration" and "Exporter Selection") and "OpenTelemetry Protocol Exporter"
 * (sections "Endpoint URLs for OTLP/HTTP" and "Specify Protocol").
 *
 * ```js
 * const provider = createTracerProvider({ serviceName: 'checkout' });
 * opentracing.initGlobalTracer(createTracerShim(provider));
 * // OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 -> OTLP/HTTP protobuf; unset -> trees on stdout
 * ```
 */
export function createTracerProvider(options: CreateTracerProviderOptions = {}): SdkTracerProvider {
  const given = options ?? {};
  registerPropagator(given.env ?? process.env, 'createTracerProvider');
  if (isSdkDisabled(given.env ?? process.env)) {
    logger.info(`createTracerProvider: ${SDK_DISABLED_VARIABLE}=true, so spans are neither recorded nor exported`);
    return new DisabledTracerProvider();
  }
  const provider = boundShutdown(sdkLine().createProvider(enabledConfig(given)), 'createTracerProvider');
  flushOnExit(provider);
  return provider;
}

/**
 * The configuration `createTracerProvider` builds (resource, sampler, span processors), for an
 * SDK provider of your choice that takes the same configuration, such as `NodeTracerProvider`
 * from `@opentelemetry/sdk-trace-node` (2.x): `new NodeTracerProvider(createTracerConfig(options))`,
 * or 3.x `TracerProvider` from `@opentelemetry/sdk-trace`.
 * Same rules as `createTracerProvider`. The span processors belong to one provider: build a
 * new configuration for each provider.
 */
export function createTracerConfig(options: CreateTracerProviderOptions = {}): TracerConfig {
  const given = options ?? {};
  registerPropagator(given.env ?? process.env, 'createTracerConfig');
  return isSdkDisabled(given.env ?? process.env) ? disabledConfig(given) : enabledConfig(given);
}

/**
 * Registers the propagator `OTEL_PROPAGATORS` names (default W3C trace context and baggage) as the
 * global propagator, unless one is registered already: the shim's inject and extract use the
 * global propagator, and without one they would write and read nothing. NodeSDK registers the
 * same at `start()`; an application's own `propagation.setGlobalPropagator` made earlier wins.
 */
function registerPropagator(env: Environment, caller: string): void {
  if (propagation.fields().length > 0) return;
  if (propagation.setGlobalPropagator(propagatorFromEnv(env))) {
    logger.info(`${caller}: registered the global propagator OTEL_PROPAGATORS names (${propagation.fields().join(', ') || 'none'})`);
  }
}

/** `createTracerConfig` with the SDK enabled; `OTEL_SDK_DISABLED` was read by the caller. */
function enabledConfig(given: CreateTracerProviderOptions): TracerConfig {
  const env = given.env ?? process.env;
  const spanProcessors = spanProcessorsFrom(given.spanProcessors);
  const exporters = chosenExporters(given.exporter, env) ?? [new TraceTreeExporter({ baggage: baggageProcessorIn(spanProcessors) })];
  for (const built of exporters) {
    const exporter = built === given.exporter ? built : reportOutages(built, 'createTracerProvider')!;
    spanProcessors.push(sdkLine().createBatchSpanProcessor(exporter, batchConfig(given.batch, env, 'createTracerProvider')));
  }
  return { resource: createResource(given), sampler: given.sampler ?? samplerFromEnv(process.env), spanLimits: spanLimitsFromEnv(process.env), spanProcessors };
}

/**
 * `createTracerConfig` under `OTEL_SDK_DISABLED=true`: the resource and sampler, no span
 * processor (the given ones included) and no exporter, so nothing is processed or exported and
 * no connection is opened. A provider built from it still makes SDK spans and propagates their
 * ids; `createTracerProvider` returns the true no-op one (`DisabledTracerProvider`).
 */
function disabledConfig(options: CreateTracerProviderOptions): TracerConfig {
  logger.info(`createTracerConfig: ${SDK_DISABLED_VARIABLE}=true, so no span processor or exporter is configured`);
  return {
    resource: createResource(options),
    sampler: options.sampler ?? samplerFromEnv(process.env),
    spanLimits: spanLimitsFromEnv(process.env),
    spanProcessors: [],
  };
}

/**
 * The exporters `exporter` or the environment ask for (`[]`: export nothing), or `undefined`
 * when nothing is configured: no `exporter`, no usable `OTEL_TRACES_EXPORTER` entry and no OTLP
 * endpoint variable. Exported for tests; not part of the package's API.
 */
export function chosenExporters(exporter: SpanExporter | undefined, env: Environment): SpanExporter[] | undefined {
  if (exporter !== undefined) return [exporter];
  const names = tracesExporterNames(env);
  if (names.length === 0 && !hasOtlpEndpoint(env)) return undefined;
  const exporters: SpanExporter[] = [];
  for (const name of names.length === 0 ? (['otlp'] as const) : names) {
    const created = createTracesExporter(name, () => createOtlpTraceExporter(env, 'http/protobuf'));
    if (created !== undefined) exporters.push(created);
  }
  return exporters;
}

function spanProcessorsFrom(spanProcessors: SpanProcessor[] | undefined): SpanProcessor[] {
  if (Array.isArray(spanProcessors)) return [...spanProcessors];
  if (spanProcessors !== undefined) logger.warn('createTracerProvider: spanProcessors must be an array; ignored');
  return [];
}

/** The caller's `BaggageSpanProcessor` among `spanProcessors`, else a new one appended to them. */
function baggageProcessorIn(spanProcessors: SpanProcessor[]): BaggageSpanProcessor {
  const found = spanProcessors.find((processor): processor is BaggageSpanProcessor => processor instanceof BaggageSpanProcessor);
  if (found !== undefined) return found;
  const created = new BaggageSpanProcessor();
  spanProcessors.push(created);
  return created;
}

/** SDK default < `OTEL_RESOURCE_ATTRIBUTES` < `OTEL_SERVICE_NAME` < `resourceAttributes` < `serviceName`. */
function createResource(options: CreateTracerProviderOptions): Resource {
  const attributes: Attributes = {};
  for (const [key, raw] of Object.entries(options.resourceAttributes ?? {})) {
    const value = toAttributeValue(raw);
    if (value !== undefined) setAttributeOn(attributes, key, value);
  }
  const { serviceName } = options;
  if (typeof serviceName === 'string') {
    if (serviceName !== '') attributes[ATTR_SERVICE_NAME] = serviceName;
  } else if (serviceName !== undefined) {
    logger.warn(`createTracerProvider: serviceName must be a string, got ${typeof serviceName}; ignored`);
  }
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = resources();
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(attributes));
}
