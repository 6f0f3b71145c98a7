import type { Attributes, TextMapPropagator } from '@opentelemetry/api';
import { hostname } from 'node:os';
import { describeValue, readEntries, setAttributeOn, toAttributeValue } from '../attributes';
import { logger } from '../logger';
import { core, resources } from '../otel-sdk/packages';
import { sdkLine } from '../otel-sdk/sdk-line';
import { NOOP_PROPAGATOR, propagatorsFromEnv } from '../propagators/propagator-from-env';
import type { Sampler, SdkTracerProvider, SpanExporter, SpanProcessor } from '../otel-sdk/types';
import { MAX_TIMER_DELAY_MS } from '../time';
import { batchConfig } from '../sdk/batch-config';
import { createOtlpTraceExporter, createTracesExporter, hasOtlpEndpoint, otlpProtocol, tracesExporterNames } from '../sdk/exporter-from-env';
import type { OtlpExporterConfig } from '../sdk/exporter-from-env';
import { flushOnExit } from '../sdk/exit-flush';
import { reportOutages } from '../sdk/outage-reporting-exporter';
import { SDK_DISABLED_VARIABLE, isSdkDisabled } from '../env';
import type { Environment } from '../env';
import { DisabledTracerProvider } from '../sdk/sdk-disabled';
import { DEPRECATED_ENV, mergeEnv } from './configuration';
import type { JaegerConfig, JaegerOptions, JaegerReporterConfig } from './configuration';
import { JaegerPropagator } from './jaeger-propagator';
import { useJaegerLogger } from './logger-bridge';
import { JaegerTracer } from './jaeger-tracer';
import { LoggingSpanProcessor } from './logging-span-processor';
import { createSampler } from './sampler-config';
import { MetricsExporter, MetricsSampler, MetricsSpanProcessor, jaegerMetricsFrom } from './metrics';
import { ReporterSpanProcessor, isReporter } from './reporters';

/** OTLP/HTTP and OTLP/gRPC ports of a Jaeger (1.35+) or OpenTelemetry Collector host. */
const OTLP_HTTP_PORT = 4318;
const OTLP_GRPC_PORT = 4317;
/** jaeger-client's default `reporter.flushIntervalMs` (the OpenTelemetry default is 5000). */
const FLUSH_INTERVAL_MS = 1000;

/**
 * jaeger-client 3.19's `initTracer(config, options)`, on OpenTelemetry: returns a
 * `JaegerTracer` backed by an OpenTelemetry SDK provider (of whichever SDK line is installed:
 * `@opentelemetry/sdk-trace` 3.x, or 2.x `@opentelemetry/sdk-trace-base`) built from the same config: `serviceName` -> resource `service.name` (with `host.name` and
 * `options.tags`), `sampler` -> an OpenTelemetry sampler with jaeger-client's rules, `reporter`
 * -> a batch span processor and an OTLP/HTTP exporter aimed at the same Jaeger host (port 4318,
 * `/v1/traces`), `logSpans` -> jaeger-client's log line per span. Propagation: Jaeger
 * `uber-trace-id` plus W3C `traceparent`/`baggage`, unless `OTEL_PROPAGATORS` names others
 * (`propagatorsFromEnv`) or the options give a propagator per format (these win). The whole
 * mapping, and every field that cannot be honoured, is in docs/migrating-from-jaeger-client.md.
 *
 * Throws, like jaeger-client, only for set-up mistakes: `config.serviceName must be provided`,
 * and `Expecting sampler.param to be a number. Received X`; the samplers also refuse numbers out
 * of their range (`maxTracesPerSecond must be ...`, `maxDebugIdsPerSecond must be ...`). Other
 * settings of the wrong type (a `contextKey` that is not a string, `tags` that cannot be read)
 * are reported through `diag` and replaced by the default. When it throws, nothing is left
 * running. `config.disable` gives a tracer that records and propagates nothing (and, unlike
 * jaeger-client's, still has `close()`). `OTEL_SDK_DISABLED=true` (OpenTelemetry spec, "General
 * SDK Configuration") gives a tracer over the API's no-op tracer (`DisabledTracerProvider`):
 * no sampler, exporter or connection, but propagation as configured, so a span started from
 * an extracted context carries that context on unchanged.
 */
export function initTracer(config: JaegerConfig, options: JaegerOptions = {}): JaegerTracer {
  useJaegerLogger(options?.logger);
  return buildTracer(config ?? {}, options ?? {}, process.env);
}

/**
 * jaeger-client 3.19's `initTracerFromEnv(config, options)`: the same as `initTracer` with
 * JAEGER_* environment variables filling what `config` leaves out (config wins per key). The
 * variables and what each maps to are in docs/migrating-from-jaeger-client.md; differences from
 * jaeger-client are fixes of its bugs (see `mergeEnv`).
 */
export function initTracerFromEnv(config: JaegerConfig = {}, options: JaegerOptions = {}): JaegerTracer {
  // Before the deprecation warnings, so that they reach the application's logger too.
  useJaegerLogger(options?.logger);
  const merged = mergeEnv(config ?? {}, options ?? {}, process.env);
  for (const name of merged.deprecated) {
    logger.warn(`the environment variable ${name} is deprecated (jaeger-client); use ${DEPRECATED_ENV[name]}`);
  }
  return buildTracer(merged.config, merged.options, process.env);
}

function buildTracer(config: JaegerConfig, options: JaegerOptions, env: Environment): JaegerTracer {
  if (config.disable) return disabledTracer();
  const serviceName = readServiceName(config.serviceName);
  warnUnsupported(config, options);
  if (isSdkDisabled(env)) {
    // OpenTelemetry spec: a no-op SDK, and propagation as configured. No sampler (a remote one
    // would poll), no exporter, no connection.
    logger.info(`initTracer: ${SDK_DISABLED_VARIABLE}=true, so spans are neither sampled, recorded nor exported; propagation still works`);
    return new JaegerTracer(new DisabledTracerProvider(), propagators(options, env));
  }

  const sampling = createSampler({ ...config, serviceName }, options);
  try {
    const processors: SpanProcessor[] = [];
    if (config.reporter?.logSpans && options.logger !== undefined) processors.push(new LoggingSpanProcessor(options.logger));
    // jaeger-client: options.reporter replaces the reporter config.reporter describes.
    const reporter = isReporter(options.reporter) ? options.reporter : undefined;
    if (reporter !== undefined) processors.push(new ReporterSpanProcessor(reporter, serviceName, options.tags));
    const metrics = jaegerMetricsFrom(options.metrics);
    if (metrics !== undefined) processors.push(new MetricsSpanProcessor(metrics));
    const configured = options.exporter ?? (reporter === undefined ? reportOutages(createExporter(config.reporter ?? {}, env), 'initTracer') : undefined);
    const exporter = configured !== undefined && metrics !== undefined ? (new MetricsExporter(configured, metrics) as SpanExporter) : configured;
    if (exporter !== undefined) {
      processors.push(
        sdkLine().createBatchSpanProcessor(
          exporter,
          batchConfig(
            {
              scheduledDelayMillis:
                timerDelay(config.reporter?.flushIntervalMs, 'reporter.flushIntervalMs') ??
                (env.OTEL_BSP_SCHEDULE_DELAY?.trim() ? undefined : FLUSH_INTERVAL_MS),
              // Also bounds how long close() waits for an exporter that never answers.
              exportTimeoutMillis: timerDelay(config.reporter?.timeoutMs, 'reporter.timeoutMs'),
            },
            env,
            'initTracer',
          ),
        ),
      );
    }
    const sampler = metrics === undefined ? sampling.sampler : (new MetricsSampler(sampling.sampler, metrics) as Sampler);
    const provider = createJaegerProvider(serviceName, options.tags, sampler, processors);
    if (exporter !== undefined || reporter !== undefined) flushOnExit(provider);
    return new JaegerTracer(provider, { ...propagators(options, env), onClose: sampling.close === undefined ? [] : [sampling.close] });
  } catch (error) {
    // A remote sampler polls from the start; with no tracer returned, nothing else could stop it.
    void sampling.close?.();
    throw error;
  }
}

/**
 * The provider of a jaeger-client tracer: resource `service.name`, `host.name` and `tags`, the
 * sampler and span processors. Used by `initTracer` and by `Tracer`'s constructor.
 * @internal
 */
export function createJaegerProvider(serviceName: string, tags: unknown, sampler: Sampler, spanProcessors: SpanProcessor[]): SdkTracerProvider {
  return sdkLine().createProvider({ resource: resources().resourceFromAttributes(resourceAttributes(serviceName, tags)), sampler, spanProcessors });
}

/** The propagator of each format: the options', else `OTEL_PROPAGATORS`', else W3C + Jaeger. */
function propagators(options: JaegerOptions, env: Environment): { textMapPropagator: TextMapPropagator; httpHeadersPropagator: TextMapPropagator } {
  const fromEnv =
    options.textMapPropagator !== undefined && options.httpHeadersPropagator !== undefined
      ? undefined
      : propagatorsFromEnv(env, { contextKey: options.contextKey, baggagePrefix: options.baggagePrefix });
  return {
    textMapPropagator: options.textMapPropagator ?? fromEnv?.textMap ?? defaultPropagator(false, options),
    httpHeadersPropagator: options.httpHeadersPropagator ?? fromEnv?.httpHeaders ?? defaultPropagator(true, options),
  };
}

/**
 * `config.serviceName` as the string `service.name` must be. jaeger-client only checks that it
 * is truthy; a value of another type is described (`[Function checkout]`) with a `diag` warning.
 */
function readServiceName(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  const name = value ? describeValue(value) : '';
  if (name === '') throw new Error('config.serviceName must be provided');
  logger.warn(`initTracer: config.serviceName should be a string; ${JSON.stringify(name)} is used`);
  return name;
}

/**
 * Jaeger's format plus W3C trace context and baggage, so a fleet mixing jaeger-client and
 * OpenTelemetry services joins one trace: inject writes both, extract reads whichever is there.
 * The default when neither the options nor `OTEL_PROPAGATORS` choose.
 */
function defaultPropagator(urlEncoding: boolean, options: JaegerOptions): TextMapPropagator {
  const { CompositePropagator, W3CTraceContextPropagator, W3CBaggagePropagator } = core();
  return new CompositePropagator({
    propagators: [
      new W3CTraceContextPropagator(),
      new W3CBaggagePropagator(),
      new JaegerPropagator({ urlEncoding, contextKey: options.contextKey, baggagePrefix: options.baggagePrefix }),
    ],
  });
}

/**
 * The exporter when `options.exporter` is not given. `OTEL_TRACES_EXPORTER` wins when set, as
 * every `OTEL_*` variable does: the first name it lists that this package supports, `none` (no
 * exporter), `console` (the SDK's ConsoleSpanExporter) or `otlp`; otherwise OTLP as below. The
 * list is read as `createTracerProvider` reads it (src/sdk/exporter-from-env.ts).
 */
export function createExporter(reporter: JaegerReporterConfig, env: Environment): SpanExporter | undefined {
  const [name = 'otlp'] = tracesExporterNames(env);
  return createTracesExporter(name, () => createOtlpExporter(reporter, env));
}

/**
 * The OTLP/HTTP exporter for jaeger-client's reporter settings. `OTEL_EXPORTER_OTLP_*`
 * variables win when set (the endpoint and protocol are read as `createTracerProvider` reads
 * them; headers and timeout by the exporter itself when none are passed here); otherwise
 * `collectorEndpoint`, else `agentHost`, names the Jaeger host, and spans go to port 4318 of it
 * with basic authentication from username/password. The protocol defaults to `http/json`
 * (`@opentelemetry/exporter-trace-otlp-http`, the one exporter package this entry point has
 * always needed); `undefined`, with a `diag` error, when that package cannot be loaded.
 */
export function createOtlpExporter(reporter: JaegerReporterConfig, env: Environment): SpanExporter | undefined {
  const config: OtlpExporterConfig = {};
  const url = hasOtlpEndpoint(env) ? undefined : otlpUrlFor(reporter, otlpProtocol(env, 'http/json') === 'grpc');
  if (url !== undefined) config.url = url;
  if ((reporter.username || reporter.password) && !env.OTEL_EXPORTER_OTLP_TRACES_HEADERS && !env.OTEL_EXPORTER_OTLP_HEADERS) {
    config.headers = { Authorization: `Basic ${Buffer.from(`${reporter.username ?? ''}:${reporter.password ?? ''}`).toString('base64')}` };
  }
  const timeout = timerDelay(reporter.timeoutMs, 'reporter.timeoutMs');
  if (timeout !== undefined && !env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT && !env.OTEL_EXPORTER_OTLP_TIMEOUT) config.timeoutMillis = timeout;
  return createOtlpTraceExporter(env, 'http/json', config);
}

/**
 * `http://jaeger:14268/api/traces` -> `http://jaeger:4318/v1/traces`; agent host `jaeger` -> the
 * same. With `grpc`, port 4317 and no path (`http://jaeger:4317`).
 */
export function otlpUrlFor(reporter: JaegerReporterConfig, grpc = false): string | undefined {
  const port = grpc ? OTLP_GRPC_PORT : OTLP_HTTP_PORT;
  const path = grpc ? '' : '/v1/traces';
  if (reporter.collectorEndpoint) {
    try {
      const url = new URL(reporter.collectorEndpoint);
      return `${url.protocol}//${url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname}:${port}${path}`;
    } catch {
      logger.warn(`reporter.collectorEndpoint ${describeValue(reporter.collectorEndpoint)} is not a URL; the OTLP default endpoint is used`);
    }
  }
  if (reporter.agentHost) {
    const host = reporter.agentHost.includes(':') && !reporter.agentHost.startsWith('[') ? `[${reporter.agentHost}]` : reporter.agentHost;
    return `http://${host}:${port}${path}`;
  }
  return undefined;
}

/** Resource of the provider: `service.name`, `host.name` and the process tags (jaeger-client's `tags`). */
function resourceAttributes(serviceName: string, tags: unknown): Attributes {
  const attributes: Attributes = { 'host.name': hostname() };
  for (const [key, raw] of readTags(tags)) {
    const value = toAttributeValue(raw);
    if (value !== undefined) setAttributeOn(attributes, key, value);
  }
  attributes['service.name'] = serviceName;
  return attributes;
}

/**
 * The entries of `options.tags`. What cannot be read (not an object, a throwing getter, a Proxy)
 * is left out with a `diag` warning, as a span's unreadable tags are.
 */
function readTags(tags: unknown): Array<[string, unknown]> {
  if (tags === undefined || tags === null) return [];
  if (typeof tags !== 'object') {
    logger.warn(`initTracer: options.tags must be an object, got ${typeof tags}; ignored`);
    return [];
  }
  return readEntries(tags, 'initTracer: options.tags');
}

/** jaeger-client settings OpenTelemetry cannot honour: each warned about once, when used. */
function warnUnsupported(config: JaegerConfig, options: JaegerOptions): void {
  const unsupported: Array<[boolean, string]> = [
    [config.reporter?.agentPort !== undefined, 'reporter.agentPort (UDP agent): spans go over OTLP/HTTP to port 4318 instead'],
    [config.reporter?.agentSocketType !== undefined, 'reporter.agentSocketType (UDP agent): spans go over OTLP/HTTP instead'],
    [config.throttler !== undefined || options.throttler !== undefined, 'throttler: jaeger-debug-id is rate-limited locally (options.maxDebugIdsPerSecond)'],
    [options.reporter !== undefined && !isReporter(options.reporter), 'options.reporter without a report(span) method'],
    [options.traceId128bit === false, 'traceId128bit: false (OpenTelemetry always makes 128-bit trace ids)'],
    [options.shareRpcSpan !== undefined, 'shareRpcSpan (OpenTelemetry gives client and server their own spans)'],
    [config.reporter?.logSpans === true && options.logger === undefined, 'reporter.logSpans without options.logger (nothing to log to, as in jaeger-client)'],
  ];
  for (const [used, what] of unsupported) {
    if (used) logger.warn(`initTracer: ignored ${what}. See docs/migrating-from-jaeger-client.md`);
  }
}

function disabledTracer(): JaegerTracer {
  return new JaegerTracer(sdkLine().createProvider({ sampler: sdkLine().createAlwaysOffSampler() }), {
    textMapPropagator: NOOP_PROPAGATOR,
    httpHeadersPropagator: NOOP_PROPAGATOR,
  });
}

/**
 * A reporter setting in milliseconds, or `undefined` for the default. jaeger-client reads zero,
 * and here anything that is not a positive number, as unset; a delay Node's timers cannot hold
 * is reported through `diag`, as it would otherwise become 1 ms.
 */
function timerDelay(value: unknown, name: string): number | undefined {
  if (typeof value !== 'number' || !(value > 0)) return undefined;
  if (value <= MAX_TIMER_DELAY_MS) return value;
  logger.warn(`initTracer: ${name} ${value} is longer than timers allow (${MAX_TIMER_DELAY_MS} ms); the default is used`);
  return undefined;
}
