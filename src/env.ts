import { logger } from './logger';

/**
 * Environment variables as `process.env` holds them: the one environment type of `./sdk`,
 * `./jaeger`, `./propagators` and `./register`. The entry points read only the `OTEL_*` and
 * `JAEGER_*` names they document, from `process.env` by default; tests pass their own object
 * for the same result anywhere.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

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

/** The variable that disables the SDK for every signal (OpenTelemetry spec, "General SDK Configuration"). */
export const SDK_DISABLED_VARIABLE = 'OTEL_SDK_DISABLED';

/**
 * Whether `OTEL_SDK_DISABLED` is `true` in `env` (case-insensitive, surrounding blanks ignored).
 * Unset, blank and `false` leave the SDK enabled; any other value too, with a `diag` warning,
 * as `getBooleanFromEnv` in `@opentelemetry/core` reads it. Written here because that one reads
 * `process.env` only, and `createTracerProvider` and `initTracer` take the environment as an
 * argument.
 */
export function isSdkDisabled(env: Environment): boolean {
  const raw = env[SDK_DISABLED_VARIABLE]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  logger.warn(`${SDK_DISABLED_VARIABLE}: unknown value ${JSON.stringify(raw)}, expected 'true' or 'false'; the SDK stays enabled`);
  return false;
}
