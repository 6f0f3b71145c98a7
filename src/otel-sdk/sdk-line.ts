import type { BufferConfig, Sampler, SdkTracerProvider, SpanExporter, SpanProcessor, TracerConfig } from './types';
import { loadPackage } from './load-package';

/**
 * The classes this package uses from an OpenTelemetry trace SDK, behind one shape whichever line
 * is installed. The two lines differ in names and constructor shapes only:
 *
 * | | `@opentelemetry/sdk-trace` (3.x, and 2.9+) | `@opentelemetry/sdk-trace-base` (2.x) |
 * | --- | --- | --- |
 * | provider | `new TracerProvider(config)` | `new BasicTracerProvider(config)` |
 * | processors | `new BatchSpanProcessor({ exporter, ...config })` | `new BatchSpanProcessor(exporter, config)` |
 *
 * Samplers and the console exporter have the same names and constructors on both.
 */
export interface SdkLine {
  /** The package the classes come from, for messages. */
  readonly packageName: string;
  createProvider(config: TracerConfig): SdkTracerProvider;
  /** A batch span processor; `config` in milliseconds and spans (see `batchConfig`). */
  createBatchSpanProcessor(exporter: SpanExporter, config: BufferConfig): SpanProcessor;
  createSimpleSpanProcessor(exporter: SpanExporter): SpanProcessor;
  createAlwaysOnSampler(): Sampler;
  createAlwaysOffSampler(): Sampler;
  /** `ratio` from 0 to 1; the SDK clamps anything else (a non-number counts as 0). */
  createTraceIdRatioBasedSampler(ratio: number): Sampler;
  /** The SDK's `ParentBasedSampler`: follows a parent's sampled flag, `root` decides for root spans. */
  createParentBasedSampler(root: Sampler): Sampler;
  createConsoleSpanExporter(): SpanExporter;
}

/** The exports of `@opentelemetry/sdk-trace` (2.9+, 3.x) that {@link SdkLine} uses. */
interface SdkTraceModule {
  TracerProvider: new (config: TracerConfig) => SdkTracerProvider;
  BatchSpanProcessor: new (options: BufferConfig & { exporter: SpanExporter }) => SpanProcessor;
  SimpleSpanProcessor: new (options: { exporter: SpanExporter }) => SpanProcessor;
  AlwaysOnSampler: new () => Sampler;
  AlwaysOffSampler: new () => Sampler;
  TraceIdRatioBasedSampler: new (ratio?: number) => Sampler;
  ParentBasedSampler: new (config: { root: Sampler }) => Sampler;
  ConsoleSpanExporter: new () => SpanExporter;
}

/** The exports of `@opentelemetry/sdk-trace-base` 2.x that {@link SdkLine} uses. */
interface SdkTraceBaseModule extends Omit<SdkTraceModule, 'TracerProvider' | 'BatchSpanProcessor' | 'SimpleSpanProcessor'> {
  BasicTracerProvider: new (config: TracerConfig) => SdkTracerProvider;
  BatchSpanProcessor: new (exporter: SpanExporter, config?: BufferConfig) => SpanProcessor;
  SimpleSpanProcessor: new (exporter: SpanExporter) => SpanProcessor;
}

/** The 3.x package (also published on the 2.x line from 2.9, where `sdk-trace-base` is built on it). */
export const SDK_TRACE = '@opentelemetry/sdk-trace';
/** The 2.x package. */
export const SDK_TRACE_BASE = '@opentelemetry/sdk-trace-base';

let loaded: SdkLine | undefined;

/**
 * The trace SDK the application has installed, loaded on first use:
 *
 * - `@opentelemetry/sdk-trace-base` (2.x) when it is installed and is the same line as
 *   `@opentelemetry/sdk-trace` (from 2.9 its `BasicTracerProvider` extends that package's
 *   `TracerProvider`), or `@opentelemetry/sdk-trace` is not installed: 2.x applications keep
 *   getting `BasicTracerProvider` and its processors, as before;
 * - else `@opentelemetry/sdk-trace` (the 3.x line). A 2.x `sdk-trace-base` that some dependency
 *   left in a 3.x application is built on its own copy of 2.x `sdk-trace`, so it is passed over.
 *
 * Nothing is loaded before the first call, so modules that only need `@opentelemetry/api` load
 * without an SDK. Throws, naming the package to install, when neither is installed: the callers
 * (`createTracerProvider`, `initTracer`) are set-up calls, and a service that asked for an SDK
 * and has none must hear it at start-up rather than trace nothing in silence.
 */
export function sdkLine(): SdkLine {
  if (loaded !== undefined) return loaded;
  const sdkTrace = loadPackage<SdkTraceModule>(SDK_TRACE);
  const sdkTraceBase = loadPackage<SdkTraceBaseModule>(SDK_TRACE_BASE);
  const hasSdkTrace = typeof sdkTrace?.TracerProvider === 'function';
  const hasBase = typeof sdkTraceBase?.BasicTracerProvider === 'function';
  if (sdkTraceBase !== undefined && hasBase && (!hasSdkTrace || sdkTraceBase.BasicTracerProvider.prototype instanceof sdkTrace!.TracerProvider)) {
    return (loaded = fromSdkTraceBase(sdkTraceBase, SDK_TRACE_BASE));
  }
  if (sdkTrace !== undefined && hasSdkTrace) return (loaded = fromSdkTrace(sdkTrace, SDK_TRACE));
  throw new Error(
    `opentracing-otel-shim needs an OpenTelemetry trace SDK and found none: install ${suggestedSdk()} ` +
      `(${SDK_TRACE} for OpenTelemetry JS 3.x on Node 22.15 or later, ${SDK_TRACE_BASE} for 2.x)`,
  );
}

/** The package a user of this Node version can install: 3.x needs Node 22.15 or later. */
function suggestedSdk(): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 15) ? SDK_TRACE : SDK_TRACE_BASE;
}

/** {@link SdkLine} over `@opentelemetry/sdk-trace`'s exports. Exported for tests. */
export function fromSdkTrace(sdk: SdkTraceModule, packageName: string): SdkLine {
  return {
    packageName,
    createProvider: (config) => new sdk.TracerProvider(config),
    createBatchSpanProcessor: (exporter, config) => new sdk.BatchSpanProcessor({ ...config, exporter }),
    createSimpleSpanProcessor: (exporter) => new sdk.SimpleSpanProcessor({ exporter }),
    ...samplersAndConsole(sdk),
  };
}

/** {@link SdkLine} over `@opentelemetry/sdk-trace-base` 2.x's exports. Exported for tests. */
export function fromSdkTraceBase(sdk: SdkTraceBaseModule, packageName: string): SdkLine {
  return {
    packageName,
    createProvider: (config) => new sdk.BasicTracerProvider(config),
    createBatchSpanProcessor: (exporter, config) => new sdk.BatchSpanProcessor(exporter, config),
    createSimpleSpanProcessor: (exporter) => new sdk.SimpleSpanProcessor(exporter),
    ...samplersAndConsole(sdk),
  };
}

function samplersAndConsole(sdk: Omit<SdkTraceModule, 'TracerProvider' | 'BatchSpanProcessor' | 'SimpleSpanProcessor'>) {
  return {
    createAlwaysOnSampler: () => new sdk.AlwaysOnSampler(),
    createAlwaysOffSampler: () => new sdk.AlwaysOffSampler(),
    createTraceIdRatioBasedSampler: (ratio: number) => new sdk.TraceIdRatioBasedSampler(ratio),
    createParentBasedSampler: (root: Sampler) => new sdk.ParentBasedSampler({ root }),
    createConsoleSpanExporter: () => new sdk.ConsoleSpanExporter(),
  };
}
