import type { JaegerConfig, JaegerLogger, JaegerOptions } from './configuration';
import { createJaegerProvider, initTracer } from './init-tracer';
import { useJaegerLogger } from './logger-bridge';
import { JaegerPropagator } from './jaeger-propagator';
import { JaegerSampler } from './jaeger-sampler';
import type { JaegerSamplerOptions } from './jaeger-sampler';
import { JaegerTracer } from './jaeger-tracer';
import type { JaegerTracerOptions } from './jaeger-tracer';
import { MetricsSampler, MetricsSpanProcessor, jaegerMetricsFrom } from './metrics';
import { NoopReporter, ReporterSpanProcessor, closeWithCallback, isReporter } from './reporters';
import type { Reporter } from './reporters';
import { ConstSampler, toSampler } from './samplers';
import type { Sampler } from '../otel-sdk/types';
import { warnOnce } from './warn-once';

/** The `options` of jaeger-client's `new Tracer(serviceName, reporter, sampler, options)` (src/tracer.js). */
export interface TracerOptions {
  /** Carrier key of the span context, default `uber-trace-id`. */
  contextKey?: string;
  /** Prefix of baggage keys, default `uberctx-`. */
  baggagePrefix?: string;
  /** A jaeger-client metrics factory (e.g. `PrometheusMetricsFactory`); see `JaegerMetrics`. */
  metrics?: unknown;
  /** Receives the package's warnings and errors (`diag`), as `initTracer`'s `options.logger` does. */
  logger?: JaegerLogger;
  /** Process tags; become resource attributes. */
  tags?: Record<string, unknown>;
  /** `false` cannot be honoured (OpenTelemetry makes 128-bit trace ids); warned once. */
  traceId128bit?: boolean;
  /** Cannot be honoured (OpenTelemetry gives client and server their own spans); warned once. */
  shareRpcSpan?: boolean;
  /** jaeger-client's debug throttler: accepted; debug ids are rate-limited locally; warned once. */
  debugThrottler?: unknown;
  /** jaeger-client's baggage restriction manager: accepted; jaeger-client's default rules apply; warned once. */
  baggageRestrictionManager?: unknown;
}

/**
 * jaeger-client's `Tracer` under its own constructor, `new Tracer(serviceName, reporter,
 * sampler, options)`, as tests written for jaeger-client build it
 * (`new Tracer('svc', new InMemoryReporter(), new ConstSampler(true))`): a `JaegerTracer` over an
 * OpenTelemetry SDK provider with the service name and `tags` as resource, `sampler` as root
 * sampler under jaeger-client's rules (`JaegerSampler`: parents, `sampling.priority`,
 * `jaeger-debug-id`), `reporter` receiving each finished sampled span (`ReporterSpanProcessor`),
 * and jaeger-client's propagation: the Jaeger format only, URL-encoded for HTTP headers. Nothing
 * is exported over the network: that is what `initTracer` sets up.
 *
 * `sampler` may be any sampler of this package, an OpenTelemetry sampler, or a jaeger-client
 * sampler (`isSampled(operationName, tags)`); defaults as jaeger-client: `NoopReporter`,
 * `ConstSampler(false)`. Anything else is reported through `diag` and replaced by the default.
 * `close()` closes the reporter and the sampler.
 */
export class Tracer extends JaegerTracer {
  constructor(serviceName: string, reporter: Reporter = new NoopReporter(), sampler: unknown = new ConstSampler(false), options: TracerOptions = {}) {
    super(...tracerParts(serviceName, reporter, sampler, options ?? {}));
  }
}

function tracerParts(serviceName: string, reporter: Reporter, sampler: unknown, options: TracerOptions): ConstructorParameters<typeof JaegerTracer> {
  useJaegerLogger(options.logger);
  const name = typeof serviceName === 'string' ? serviceName : String(serviceName ?? '');
  let root = toSampler(sampler);
  if (root === undefined) {
    warnOnce('Tracer: the sampler has neither shouldSample() nor isSampled(); ConstSampler(false) is used');
    root = new ConstSampler(false);
  }
  warnUnsupported(options);
  const jaegerMetrics = jaegerMetricsFrom(options.metrics);
  const jaegerSampler: Sampler = new JaegerSampler({ root: root as JaegerSamplerOptions['root'] });
  const processors: Parameters<typeof createJaegerProvider>[3] = [];
  if (isReporter(reporter)) processors.push(new ReporterSpanProcessor(reporter, name, options.tags));
  else if (reporter !== undefined) warnOnce('Tracer: the reporter has no report(span) method; spans are not reported');
  if (jaegerMetrics !== undefined) processors.push(new MetricsSpanProcessor(jaegerMetrics));
  const finalSampler = jaegerMetrics === undefined ? jaegerSampler : new MetricsSampler(jaegerSampler, jaegerMetrics);
  const provider = createJaegerProvider(name, options.tags, finalSampler as Parameters<typeof createJaegerProvider>[2], processors);
  const propagatorOptions = { contextKey: options.contextKey, baggagePrefix: options.baggagePrefix };
  const tracerOptions: JaegerTracerOptions = {
    textMapPropagator: new JaegerPropagator({ ...propagatorOptions, urlEncoding: false }),
    httpHeadersPropagator: new JaegerPropagator({ ...propagatorOptions, urlEncoding: true }),
    onClose: [() => closeWithCallback(sampler)],
  };
  return [provider, tracerOptions];
}

function warnUnsupported(options: TracerOptions): void {
  if (options.traceId128bit === false) warnOnce('Tracer: ignored traceId128bit: false (OpenTelemetry always makes 128-bit trace ids)');
  if (options.shareRpcSpan !== undefined) warnOnce('Tracer: ignored shareRpcSpan (OpenTelemetry gives client and server their own spans)');
  if (options.debugThrottler !== undefined) warnOnce('Tracer: ignored debugThrottler (jaeger-debug-id is rate-limited locally)');
  if (options.baggageRestrictionManager !== undefined) warnOnce("Tracer: ignored baggageRestrictionManager (jaeger-client's default baggage rules apply)");
}

/**
 * jaeger-client's `Configuration` (src/configuration.js), whose static `initTracer(config,
 * options)` is the package's `initTracer`.
 */
export class Configuration {
  /** The same as the package's `initTracer`. */
  static initTracer(config: JaegerConfig, options?: JaegerOptions): JaegerTracer {
    return initTracer(config, options);
  }
}
