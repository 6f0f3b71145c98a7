import { createRequire } from 'node:module';
import { listVariable } from '../env';
import type { Environment } from '../env';
import { describeError, logger } from '../logger';
import { otlpExporterPackage } from '../otel-sdk/packages';
import type { OtlpExporterConfig } from '../otel-sdk/packages';
import { sdkLine } from '../otel-sdk/sdk-line';
import type { SpanExporter } from '../otel-sdk/types';

export type { OtlpExporterConfig } from '../otel-sdk/packages';

/** The `OTEL_TRACES_EXPORTER` values this package builds an exporter for. */
export type TracesExporterName = 'otlp' | 'console' | 'none';

/** The OTLP transports (OpenTelemetry spec, "OTLP Exporter Configuration", "Specify Protocol"). */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

const TRACES_EXPORTERS: readonly string[] = ['otlp', 'console', 'none'] satisfies TracesExporterName[];
/** The path OTLP/HTTP receivers take traces on, appended to `OTEL_EXPORTER_OTLP_ENDPOINT`. */
const TRACES_PATH = 'v1/traces';

/**
 * The OTLP exporter package of each transport, loaded only when OTLP is chosen: they are
 * optional peer dependencies, and an application exporting to the console or not at all
 * should not need them installed.
 */
const OTLP_PACKAGES: Readonly<Record<OtlpProtocol, string>> = {
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
};

/**
 * The exporters `OTEL_TRACES_EXPORTER` names, in order: a comma-separated list, read
 * case-insensitively with blanks and repeats skipped. Names this package cannot build (`zipkin`,
 * `jaeger`, typos) are dropped with a `diag` warning, and so is `none` when other names come
 * with it. Returns `[]` when the variable is unset, blank, or names nothing usable: the caller
 * then applies its own default. `['none']` means "export nothing".
 *
 * Rule: OpenTelemetry specification, "SDK environment variables", section "Exporter selection"
 * (unknown values are warned about and ignored; the values are case-insensitive enums).
 */
export function tracesExporterNames(env: Environment): TracesExporterName[] {
  const names: TracesExporterName[] = [];
  for (const name of listVariable(env, 'OTEL_TRACES_EXPORTER')) {
    if (TRACES_EXPORTERS.includes(name)) names.push(name as TracesExporterName);
    else logger.warn(`OTEL_TRACES_EXPORTER=${name} is not supported here (supported: otlp, console, none); ignored`);
  }
  if (names.length > 1 && names.includes('none')) {
    logger.warn(`OTEL_TRACES_EXPORTER lists "none" with other exporters; "none" is ignored`);
    return names.filter((name) => name !== 'none');
  }
  return names;
}

/**
 * Builds the exporter for one `OTEL_TRACES_EXPORTER` name: `console` -> the SDK's
 * `ConsoleSpanExporter`, `otlp` -> whatever `otlp()` builds (see `createOtlpTraceExporter`),
 * `none` -> `undefined`, meaning no exporter.
 */
export function createTracesExporter(name: TracesExporterName, otlp: () => SpanExporter | undefined): SpanExporter | undefined {
  switch (name) {
    case 'console':
      return sdkLine().createConsoleSpanExporter();
    case 'otlp':
      return otlp();
    case 'none':
      return undefined;
  }
}

/**
 * Whether an OTLP endpoint is configured: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set and not blank (whether or not it is a valid URL).
 */
export function hasOtlpEndpoint(env: Environment): boolean {
  return variable(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined || variable(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined;
}

/**
 * The OTLP traces URL the environment asks for. For OTLP/HTTP: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
 * as it is, else `OTEL_EXPORTER_OTLP_ENDPOINT` with `v1/traces` appended after a `/`
 * (`http://collector:4318` -> `http://collector:4318/v1/traces`). For gRPC (`protocol` `grpc`):
 * either variable as it is, since gRPC has no path per signal (`http://collector:4317`).
 * `undefined` when neither is set; a value that is not a URL is skipped with a `diag` warning.
 *
 * Rule: OpenTelemetry specification, "OTLP Exporter Configuration", section "Endpoint URLs for
 * OTLP/HTTP"; the same resolution the OTLP exporter packages apply to `process.env`.
 */
export function otlpTracesUrl(env: Environment, protocol: OtlpProtocol = 'http/protobuf'): string | undefined {
  const signal = variable(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (signal !== undefined && parseUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', signal) !== undefined) return signal;
  const base = variable(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base === undefined || parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base) === undefined) return undefined;
  if (protocol === 'grpc') return base;
  return `${base.endsWith('/') ? base : `${base}/`}${TRACES_PATH}`;
}

/**
 * The OTLP transport: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`,
 * else `fallback`: `http/protobuf`, `http/json` or `grpc` (read case-insensitively). Unknown
 * values give `fallback` with a `diag` warning.
 *
 * Rule: OpenTelemetry specification, "OTLP Exporter Configuration", section "Specify Protocol"
 * (the specification's default is `http/protobuf`).
 */
export function otlpProtocol(env: Environment, fallback: OtlpProtocol): OtlpProtocol {
  const name = variable(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const value = variable(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (Object.hasOwn(OTLP_PACKAGES, value)) return value as OtlpProtocol;
  logger.warn(`${name}=${value} is not supported here (supported: ${Object.keys(OTLP_PACKAGES).join(', ')}); ${fallback} is used`);
  return fallback;
}

/**
 * An OTLP trace exporter for the environment's protocol (`defaultProtocol` when none is set) and
 * endpoint (`config.url` when none is set, else the exporter's default:
 * `http://localhost:4318/v1/traces`, or `http://localhost:4317` for gRPC). The package per
 * protocol: `http/protobuf` `@opentelemetry/exporter-trace-otlp-proto`, `http/json`
 * `@opentelemetry/exporter-trace-otlp-http`, `grpc` `@opentelemetry/exporter-trace-otlp-grpc`
 * (`config.headers` become gRPC metadata). The exporter reads its other settings (headers,
 * timeout, compression, certificates) from `process.env` itself where `config` leaves them out.
 *
 * The exporter package is loaded with `require()` now. If it is not installed, or fails to
 * load or construct, this returns `undefined` with a `diag` error naming the package: the
 * spans are then not exported over OTLP, and nothing is thrown. There is deliberately no
 * fallback to another transport: OTLP/HTTP sent to a gRPC-only port fails at every export.
 */
export function createOtlpTraceExporter(env: Environment, defaultProtocol: OtlpProtocol, config: OtlpExporterConfig = {}): SpanExporter | undefined {
  const protocol = otlpProtocol(env, defaultProtocol);
  const url = otlpTracesUrl(env, protocol) ?? config.url;
  const packageName = OTLP_PACKAGES[protocol];
  try {
    const loaded = otlpExporterPackage(packageName);
    if (loaded === undefined) throw new Error(`Cannot find module '${packageName}'`);
    const { headers, ...rest } = config;
    const options = { ...rest, ...(url === undefined ? {} : { url }) };
    if (headers === undefined) return new loaded.OTLPTraceExporter(options);
    if (protocol !== 'grpc') return new loaded.OTLPTraceExporter({ ...options, headers });
    return new loaded.OTLPTraceExporter({ ...options, metadata: grpcMetadata(packageName, headers) });
  } catch (error) {
    logger.error(
      `OTLP over ${protocol} needs ${packageName}, which could not be loaded (${describeError(error)}); ` +
        `spans are not exported over OTLP. Install it: npm install ${packageName}`,
    );
    return undefined;
  }
}

/**
 * `headers` as the gRPC `Metadata` the gRPC exporter takes, made with the `@grpc/grpc-js` that
 * exporter itself depends on (so the class is the one it checks for).
 */
function grpcMetadata(exporterPackage: string, headers: Record<string, string>): unknown {
  const fromExporter = createRequire(require.resolve(exporterPackage));
  const { Metadata } = fromExporter('@grpc/grpc-js') as { Metadata: new () => { set(key: string, value: string): void } };
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key.toLowerCase(), value);
  return metadata;
}

/** The variable's value, trimmed; `undefined` when unset or blank (as the SDK reads variables). */
function variable(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function parseUrl(name: string, value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    logger.warn(`${name}=${value} is not a URL; ignored`);
    return undefined;
  }
}
