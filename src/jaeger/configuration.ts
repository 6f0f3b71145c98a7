import type { TextMapPropagator } from '@opentelemetry/api';
import type { Environment } from '../env';
import type { SpanExporter } from '../otel-sdk/types';
import type { JaegerRemoteSamplerOptions, SamplingEndpoint } from './remote-sampler';

/**
 * jaeger-client's `config.sampler` (src/configuration.js). `param` must be a number. For
 * `remote`, the endpoint (`hostPort`, or `host` and `port`, jaeger-agent's 5778 by default;
 * `samplingPath`) and `refreshIntervalMs` are `JaegerRemoteSamplerOptions`' fields; as in
 * jaeger-client, an empty `hostPort` and a zero `port` count as unset.
 */
export interface JaegerSamplerConfig extends SamplingEndpoint, Pick<JaegerRemoteSamplerOptions, 'refreshIntervalMs'> {
  /** `const`, `probabilistic`, `ratelimiting` or `remote`. */
  type: string;
  /** const: 1 = sample all, else none; probabilistic: rate in [0, 1]; ratelimiting: traces per second; remote: initial probabilistic rate. */
  param: number;
}

/** jaeger-client's `config.reporter`; see docs/migrating-from-jaeger-client.md for what maps to what. */
export interface JaegerReporterConfig {
  /** Log every finished span through `options.logger.info` (jaeger-client's LoggingReporter). */
  logSpans?: boolean;
  /** Jaeger host; spans go to OTLP/HTTP on port 4318 of it. */
  agentHost?: string;
  /** UDP agent port: cannot be honoured (OpenTelemetry has no UDP Thrift exporter); warned about once. */
  agentPort?: number;
  /** UDP socket type (`udp4`, or `dgram` socket options): cannot be honoured; warned about once. */
  agentSocketType?: string | { readonly type: string; readonly [option: string]: unknown };
  /** Jaeger collector URL (`http://host:14268/api/traces`); spans go to OTLP/HTTP on port 4318 of the same host. */
  collectorEndpoint?: string;
  /** Basic authentication towards the collector. */
  username?: string;
  password?: string;
  /** Batch delay in ms (OpenTelemetry batch span processor's `scheduledDelayMillis`). */
  flushIntervalMs?: number;
  /** Export timeout in ms. */
  timeoutMs?: number;
}

/** jaeger-client's `config.throttler` (debug-id throttling by jaeger-agent): not supported, warned about once. */
export interface JaegerThrottlerConfig {
  host?: string;
  port?: number;
  refreshIntervalMs?: number;
}

/** The `config` argument of `initTracer` / `initTracerFromEnv`, as in jaeger-client 3.19. */
export interface JaegerConfig {
  /** Required (jaeger-client throws without it); becomes the resource's `service.name`. */
  serviceName?: string;
  /** `true`: a tracer that records and propagates nothing. */
  disable?: boolean;
  sampler?: JaegerSamplerConfig;
  reporter?: JaegerReporterConfig;
  throttler?: JaegerThrottlerConfig;
  /** Declared here by `@types/jaeger-client`; jaeger-client reads it from `options` only and so does this package. */
  traceId128bit?: boolean;
  /** Declared here by `@types/jaeger-client`; jaeger-client reads it from `options` only and so does this package. */
  shareRpcSpan?: boolean;
}

/** jaeger-client's logger shape: both methods take one message string. */
export interface JaegerLogger {
  info(message: string): void;
  error(message: string): void;
}

/** The `options` argument of `initTracer`: jaeger-client 3.19's fields plus this project's own. */
export interface JaegerOptions {
  /** Receives the shim's warnings and `logSpans` output, as jaeger-client's logger does. */
  logger?: JaegerLogger;
  /** Process tags; become resource attributes. */
  tags?: Record<string, unknown>;
  /** Name of the trace header, default `uber-trace-id`. */
  contextKey?: string;
  /** Prefix of baggage headers, default `uberctx-`. */
  baggagePrefix?: string;
  /**
   * A jaeger-client reporter (`report(span)`, e.g. `InMemoryReporter`): receives each finished,
   * sampled span as a `ReportedSpan`, and replaces the exporter `config.reporter` describes, as in
   * jaeger-client (`options.exporter` still exports).
   */
  reporter?: unknown;
  /**
   * A jaeger-client metrics factory (`PrometheusMetricsFactory`, or any with `createCounter` and
   * `createGauge`): receives jaeger-client's tracer metrics (see `JaegerMetrics`).
   */
  metrics?: unknown;
  /** jaeger-client throttler: not supported; warned about once. */
  throttler?: unknown;
  /** 128-bit trace ids: OpenTelemetry always makes them; `false` cannot be honoured and is warned about. */
  traceId128bit?: boolean;
  /** Zipkin-style shared RPC spans: OpenTelemetry gives each side its own span; warned about once. */
  shareRpcSpan?: boolean;
  /** Any OpenTelemetry SpanExporter; overrides every reporter setting. */
  exporter?: SpanExporter;
  /**
   * Honour `jaeger-debug-id` from extracted carriers (force-sample a new trace, tagged with the
   * id). Default `true`, as jaeger-client; set `false` for services exposed to untrusted callers.
   */
  debugIdSampling?: boolean;
  /** Most `jaeger-debug-id` forced traces per second; default 10 (rate-limited: see docs/security.md). */
  maxDebugIdsPerSecond?: number;
  /**
   * Propagator for FORMAT_TEXT_MAP. Default: what `OTEL_PROPAGATORS` names (`propagatorsFromEnv`),
   * else Jaeger (no URL encoding) + W3C trace context and baggage.
   */
  textMapPropagator?: TextMapPropagator;
  /**
   * Propagator for FORMAT_HTTP_HEADERS. Default: what `OTEL_PROPAGATORS` names, else Jaeger
   * (URL-encoded) + W3C trace context and baggage.
   */
  httpHeadersPropagator?: TextMapPropagator;
}

/** Deprecated jaeger-client variables and the ones that replace them (src/configuration_env.js). */
export const DEPRECATED_ENV: Readonly<Record<string, string>> = {
  JAEGER_SAMPLER_HOST: 'JAEGER_SAMPLER_MANAGER_HOST_PORT',
  JAEGER_SAMPLER_PORT: 'JAEGER_SAMPLER_MANAGER_HOST_PORT',
  JAEGER_REPORTER_ENDPOINT: 'JAEGER_ENDPOINT',
  JAEGER_REPORTER_USER: 'JAEGER_USER',
  JAEGER_REPORTER_PASSWORD: 'JAEGER_PASSWORD',
  JAEGER_REPORTER_AGENT_HOST: 'JAEGER_AGENT_HOST',
  JAEGER_REPORTER_AGENT_PORT: 'JAEGER_AGENT_PORT',
  JAEGER_DISABLE: 'JAEGER_DISABLED',
};

/**
 * Merges JAEGER_* variables into `config` and `options` the way jaeger-client 3.19's
 * `initTracerFromEnv` does (src/configuration_env.js): per key, a value in `config` wins over
 * the variable. Differences, all fixes of jaeger-client bugs (docs/migrating-from-jaeger-client.md):
 * the caller's objects are not changed (jaeger-client writes into them);
 * `JAEGER_REPORTER_LOG_SPANS=false` does not enable logging (jaeger-client reads it with
 * `Boolean('false')`); a JAEGER_TAGS entry without `=` is skipped (jaeger-client throws).
 * Returns new objects plus the deprecated variable names that were used, for the caller to warn.
 */
export function mergeEnv(
  config: JaegerConfig,
  options: JaegerOptions,
  env: Environment,
): { config: JaegerConfig; options: JaegerOptions; deprecated: string[] } {
  const merged: JaegerConfig = { ...config };
  merged.disable = config.disable || env.JAEGER_DISABLED === 'true' || env.JAEGER_DISABLE === 'true';
  merged.serviceName = config.serviceName || env.JAEGER_SERVICE_NAME;

  const sampler = samplerFromEnv(config.sampler, env);
  if (Object.keys(sampler).length > 0) merged.sampler = sampler as JaegerSamplerConfig;
  const mergedOptions: JaegerOptions = { ...options, tags: options.tags ?? tagsFromEnv(env) };
  if (options.reporter === undefined) {
    const reporter = reporterFromEnv(config.reporter, env);
    if (Object.keys(reporter).length > 0) merged.reporter = reporter;
  }
  return { config: merged, options: mergedOptions, deprecated: Object.keys(DEPRECATED_ENV).filter((name) => env[name]) };
}

/**
 * jaeger-client's `_getConfigValue`: the config's own key wins, even when its value is falsy. A
 * section that is not an object (`sampler: 'const'`) has no keys, so the variable is used.
 */
function pick<T extends object>(section: T | undefined, key: keyof T, envValue: string | undefined): unknown {
  return typeof section === 'object' && section !== null && key in section ? section[key] : envValue;
}

/**
 * jaeger-client's `if (!isNaN(value)) param = parseFloat(value)`. A value that cannot be
 * converted to a number at all (a Symbol, a Proxy) counts as not a number.
 */
function readParam(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return Number.isNaN(Number(value)) ? undefined : parseFloat(String(value));
  } catch {
    return undefined;
  }
}

/** jaeger-client's `parseInt(value)`; NaN for a value that cannot be converted to a string. */
function readInt(value: unknown): number {
  try {
    return parseInt(String(value), 10);
  } catch {
    return NaN;
  }
}

function samplerFromEnv(section: JaegerSamplerConfig | undefined, env: Environment): Partial<JaegerSamplerConfig> {
  const sampler: Partial<JaegerSamplerConfig> = {};
  const type = pick(section, 'type', env.JAEGER_SAMPLER_TYPE);
  if (type) sampler.type = type as string;
  const param = readParam(pick(section, 'param', env.JAEGER_SAMPLER_PARAM));
  if (param !== undefined) sampler.param = param;
  const hostPort = pick(section, 'hostPort', env.JAEGER_SAMPLER_MANAGER_HOST_PORT);
  if (hostPort) sampler.hostPort = hostPort as string;
  const host = pick(section, 'host', env.JAEGER_SAMPLER_HOST);
  if (host) sampler.host = host as string;
  const port = pick(section, 'port', env.JAEGER_SAMPLER_PORT);
  if (port) sampler.port = readInt(port);
  const samplingPath = pick(section, 'samplingPath', env.JAEGER_SAMPLER_SAMPLING_PATH);
  if (samplingPath) sampler.samplingPath = samplingPath as string;
  const refresh = pick(section, 'refreshIntervalMs', env.JAEGER_SAMPLER_REFRESH_INTERVAL);
  if (refresh) sampler.refreshIntervalMs = readInt(refresh);
  return sampler;
}

function reporterFromEnv(section: JaegerReporterConfig | undefined, env: Environment): JaegerReporterConfig {
  const reporter: JaegerReporterConfig = {};
  const logSpans = pick(section, 'logSpans', env.JAEGER_REPORTER_LOG_SPANS);
  if (logSpans) reporter.logSpans = typeof logSpans === 'string' ? logSpans.trim().toLowerCase() === 'true' : Boolean(logSpans);
  const flush = pick(section, 'flushIntervalMs', env.JAEGER_REPORTER_FLUSH_INTERVAL);
  if (flush) reporter.flushIntervalMs = readInt(flush);
  const endpoint = pick(section, 'collectorEndpoint', env.JAEGER_ENDPOINT || env.JAEGER_REPORTER_ENDPOINT);
  if (endpoint) reporter.collectorEndpoint = endpoint as string;
  const username = pick(section, 'username', env.JAEGER_USER || env.JAEGER_REPORTER_USER);
  if (username) reporter.username = username as string;
  const password = pick(section, 'password', env.JAEGER_PASSWORD || env.JAEGER_REPORTER_PASSWORD);
  if (password) reporter.password = password as string;
  const agentHost = pick(section, 'agentHost', env.JAEGER_AGENT_HOST || env.JAEGER_REPORTER_AGENT_HOST);
  if (agentHost) reporter.agentHost = agentHost as string;
  const timeout = pick(section, 'timeoutMs', env.JAEGER_REPORTER_TIMEOUT);
  if (timeout) reporter.timeoutMs = readInt(timeout);
  const agentPort = pick(section, 'agentPort', env.JAEGER_AGENT_PORT || env.JAEGER_REPORTER_AGENT_PORT);
  if (agentPort) reporter.agentPort = readInt(agentPort);
  const socketType = pick(section, 'agentSocketType', env.JAEGER_AGENT_SOCKET_TYPE);
  if (socketType) reporter.agentSocketType = socketType as string;
  return reporter;
}

/**
 * JAEGER_TAGS: `k=v,k2=${ENV_VAR:default}`; `${VAR}` reads the variable, falling back to the
 * default when it is unset or empty (jaeger-client's `_parseTagsFromEnv`).
 */
export function tagsFromEnv(env: Environment): Record<string, string> {
  const tags: Record<string, string> = {};
  const list = env.JAEGER_TAGS;
  if (!list) return tags;
  for (const item of list.split(',')) {
    const separator = item.indexOf('=');
    if (separator < 0) continue;
    const key = item.slice(0, separator).trim();
    let value: string | undefined = item.slice(separator + 1).trim();
    if (value.startsWith('${') && value.endsWith('}')) {
      const [name, fallback] = value.slice(2, -1).split(':');
      value = env[name];
      if (!value && fallback !== undefined && fallback !== '') value = fallback;
    }
    if (key !== '' && key !== '__proto__' && value !== undefined) tags[key] = value;
  }
  return tags;
}
