import type { Attributes, Context, HrTime, Link, SpanContext, SpanKind, SpanStatus, TraceState, TracerProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';

export type { Resource };

// The shapes this package takes from and gives to an OpenTelemetry SDK, written structurally so
// that the classes of both SDK lines fit them: 2.x `@opentelemetry/sdk-trace-base` /
// `@opentelemetry/sdk-trace` 2.9+, and 3.x `@opentelemetry/sdk-trace`. Nothing here loads an
// SDK package; `Resource` is a type only, from `@opentelemetry/resources`, which both lines share.

/**
 * The SDK's `SamplingDecision` values, which both lines define the same (0, 1, 2). Written out so
 * that the samplers load with only `@opentelemetry/api` installed; test/otel-sdk checks them
 * against the installed SDK's enum.
 */
export const SamplingDecision = { NOT_RECORD: 0, RECORD: 1, RECORD_AND_SAMPLED: 2 } as const;

/** One of {@link SamplingDecision}'s values. */
export type SamplingDecision = (typeof SamplingDecision)[keyof typeof SamplingDecision];

/** What a sampler returns (OpenTelemetry spec, "Sampler", "ShouldSample"). */
export interface SamplingResult {
  decision: SamplingDecision;
  attributes?: Readonly<Attributes>;
  traceState?: TraceState;
}

/**
 * An SDK sampler of either line (OpenTelemetry spec, "Sampler"). The SDK always passes every
 * argument; the ones after `traceId` are optional here because the SDK's `TraceIdRatioBasedSampler`
 * reads only the first two, and this package calls it so.
 */
export interface Sampler {
  shouldSample(context: Context, traceId: string, spanName?: string, spanKind?: SpanKind, attributes?: Attributes, links?: Link[]): SamplingResult;
  toString(): string;
}

/** The part of an SDK `TimedEvent` (a span's event) this package reads; `time` is an `HrTime`. */
export interface TimedEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes?: Attributes;
}

/**
 * A finished span: the part of an SDK `ReadableSpan` this package reads, the one shape of every
 * exporter, span processor and reporter here (`TraceTreeSpan`, `FinishedSpanLike`). SDK 1.x
 * spans fit it too: they name the parent `parentSpanId`, 2.x and 3.x `parentSpanContext`;
 * whichever is present is used. Times are `HrTime` (`[seconds, nanoseconds]`) since the epoch;
 * `duration` since `startTime`.
 */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): SpanContext;
  /** SDK 2.x and 3.x: the parent's context, absent for a root span. */
  readonly parentSpanContext?: SpanContext;
  /** SDK 1.x: the parent's span id (16 hex digits), absent for a root span. */
  readonly parentSpanId?: string;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: readonly Link[];
  readonly events: readonly TimedEvent[];
  /** The tracer provider's resource (`service.name`, ...). */
  readonly resource?: { readonly attributes: Attributes };
}

/**
 * `@opentelemetry/core`'s `ExportResultCode` values, the same in 1.x, 2.x and 3.x, written out so
 * that exporters load with only `@opentelemetry/api` installed.
 */
export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;

/** What an exporter reports for one `export()` call (`@opentelemetry/core`'s `ExportResult`). */
export interface ExportResult {
  code: (typeof ExportResultCode)[keyof typeof ExportResultCode];
  error?: Error;
}

/** An SDK span exporter of either line (OpenTelemetry spec, "Span Exporter"). */
export interface SpanExporter {
  // Method syntax on purpose: parameters are then compared both ways, so either line's exporter fits.
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** An SDK span processor of either line (OpenTelemetry spec, "Span processor"). */
export interface SpanProcessor {
  onStart(span: object, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The batch span processor's settings (OpenTelemetry spec, "Batching processor"), the same names
 * on both lines: times in milliseconds, sizes in spans.
 */
export interface BufferConfig {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

/** Span limits (OpenTelemetry spec, "Span Limits"), the same names on both lines. */
export interface SpanLimits {
  attributeValueLengthLimit?: number;
  attributeCountLimit?: number;
  linkCountLimit?: number;
  eventCountLimit?: number;
  attributePerEventCountLimit?: number;
  attributePerLinkCountLimit?: number;
}

/**
 * The configuration both lines' providers take (2.x `BasicTracerProvider`, 3.x
 * `TracerProvider`, 2.x `NodeTracerProvider`).
 */
export interface TracerConfig {
  resource?: Resource;
  sampler?: Sampler;
  spanProcessors?: SpanProcessor[];
  spanLimits?: SpanLimits;
}

/** An SDK tracer provider of either line: the API's `TracerProvider` plus flush and shut down. */
export interface SdkTracerProvider extends TracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
