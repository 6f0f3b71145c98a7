import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describeError, logger } from '../logger';

/**
 * Environment variables as `process.env` holds them. Only the `OTEL_*` names below are read.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The `OTEL_TRACES_EXPORTER` values this package builds an exporter for. */
export type TracesExporterName = 'otlp' | 'console' | 'none';

/** The OTLP transports this package can load; `grpc` is not one of them. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * What a caller adds to an OTLP exporter's own configuration, in the shape both
 * `@opentelemetry/exporter-trace-otlp-proto` and `-http` take. `url` is used only when no
 * `OTEL_EXPORTER_OTLP_*ENDPOINT` variable is set; `timeoutMillis` is in milliseconds.
 */
export interface OtlpExporterConfig {
  url?: string;
  headers?: Record<string, string>;
  timeoutMillis?: number;
}

const TRACES_EXPORTERS: readonly string[] = ['otlp', 'console', 'none'] satisfies TracesExporterName[];
/** The path OTLP/HTTP receivers take traces on, appended to `OTEL_EXPORTER_OTLP_ENDPOINT`. */
const TRACES_PATH = 'v1/traces';

/**
 * The OTLP exporter packages, loaded with `require()` only when OTLP is chosen: they are
 * optional peer dependencies, and an application exporting to the console or not at all
 * should not need them installed.
 */
const OTLP_PACKAGES: Readonly<Record<OtlpProtocol, { name: string; load: () => OtlpExporterModule }>> = {
  'http/protobuf': {
    name: '@opentelemetry/exporter-trace-otlp-proto',
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    load: () => require('@opentelemetry/exporter-trace-otlp-proto') as OtlpExporterModule,
  },
  'http/json': {
    name: '@opentelemetry/exporter-trace-otlp-http',
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    load: () => require('@opentelemetry/exporter-trace-otlp-http') as OtlpExporterModule,
  },
};

/** The part of both OTLP exporter packages that is used: the Node `OTLPTraceExporter` class. */
interface OtlpExporterModule {
  OTLPTraceExporter: new (config?: OtlpExporterConfig) => SpanExporter;
}

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
      return new ConsoleSpanExporter();
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
 * The OTLP/HTTP traces URL the environment asks for: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as
 * it is, else `OTEL_EXPORTER_OTLP_ENDPOINT` with `v1/traces` appended after a `/`
 * (`http://collector:4318` -> `http://collector:4318/v1/traces`). `undefined` when neither is
 * set; a value that is not a URL is skipped with a `diag` warning.
 *
 * Rule: OpenTelemetry specification, "OTLP Exporter Configuration", section "Endpoint URLs for
 * OTLP/HTTP"; the same resolution the OTLP exporter packages apply to `process.env`.
 */
export function otlpTracesUrl(env: Environment): string | undefined {
  const signal = variable(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (signal !== undefined && parseUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', signal) !== undefined) return signal;
  const base = variable(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base === undefined || parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base) === undefined) return undefined;
  return `${base.endsWith('/') ? base : `${base}/`}${TRACES_PATH}`;
}

/**
 * The OTLP transport: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`,
 * else `fallback`. `grpc` and unknown values give `fallback` with a `diag` warning.
 *
 * Rule: OpenTelemetry specification, "OTLP Exporter Configuration", section "Specify Protocol"
 * (the specification's default is `http/protobuf`).
 */
export function otlpProtocol(env: Environment, fallback: OtlpProtocol): OtlpProtocol {
  const name = variable(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const value = variable(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (Object.hasOwn(OTLP_PACKAGES, value)) return value as OtlpProtocol;
  logger.warn(`${name}=${value} is not supported here (supported: http/protobuf, http/json); ${fallback} is used`);
  return fallback;
}

/**
 * An OTLP/HTTP trace exporter for the environment's protocol (`defaultProtocol` when none is
 * set) and endpoint (`config.url` when none is set, else the exporter's default,
 * `http://localhost:4318/v1/traces`). The exporter reads its other settings (headers, timeout,
 * compression, certificates) from `process.env` itself where `config` leaves them out.
 *
 * The exporter package is loaded with `require()` now. If it is not installed, or fails to
 * load or construct, this returns `undefined` with a `diag` error naming the package: the
 * spans are then not exported over OTLP, and nothing is thrown.
 */
export function createOtlpTraceExporter(env: Environment, defaultProtocol: OtlpProtocol, config: OtlpExporterConfig = {}): SpanExporter | undefined {
  const protocol = otlpProtocol(env, defaultProtocol);
  const url = otlpTracesUrl(env) ?? config.url;
  const exporterPackage = OTLP_PACKAGES[protocol];
  try {
    const { OTLPTraceExporter } = exporterPackage.load();
    return new OTLPTraceExporter(url === undefined ? config : { ...config, url });
  } catch (error) {
    logger.error(
      `OTLP over ${protocol} needs ${exporterPackage.name}, which could not be loaded (${describeError(error)}); ` +
        `spans are not exported over OTLP. Install it: npm install ${exporterPackage.name}`,
    );
    return undefined;
  }
}

/**
 * A comma-separated list variable (`OTEL_TRACES_EXPORTER`, `OTEL_PROPAGATORS`) as the SDK reads
 * it: each name trimmed and lower-cased, blanks and repeats skipped, in order; `[]` when unset.
 */
export function listVariable(env: Environment, name: string): string[] {
  const names: string[] = [];
  for (const raw of (env[name] ?? '').split(',')) {
    const item = raw.trim().toLowerCase();
    if (item !== '' && !names.includes(item)) names.push(item);
  }
  return names;
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
