import * as api from '@opentelemetry/api';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { diag } = api;

/**
 * Where the shim says what went wrong instead of throwing into instrumented code: OpenTelemetry's
 * global `diag` logger (silent until the application calls `diag.setLogger`), under the
 * namespace `opentracing-otel-shim`. The component logger looks the global logger up at each
 * call, so a logger registered after this module loaded is honoured.
 */
export const logger = diag.createComponentLogger({ namespace: 'opentracing-otel-shim' });

/** Describes a caught exception in one line for a log message. */
export function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'unprintable error';
  }
}

/** The keys `warnOnce` has warned about; at most `MAX_WARNED_KEYS`. */
const warnedKeys = new Set<string>();
/** Most distinct warnings `warnOnce` gives in a process, so that varied reasons cannot flood the log or grow the set. */
const MAX_WARNED_KEYS = 100;

/**
 * One `diag` warning, `message`, the first time `key` is seen in the process; nothing after, nor
 * for a new key once `MAX_WARNED_KEYS` were warned about. For problems a hot path may meet at
 * every call (a carrier that refuses a field, a span whose methods throw): reported once, never
 * per call (project rule).
 */
export function warnOnce(key: string, message: string): void {
  if (warnedKeys.has(key) || warnedKeys.size >= MAX_WARNED_KEYS) return;
  warnedKeys.add(key);
  logger.warn(message);
}

/**
 * Reports, once per method and process (`warnOnce`), that a call on an OpenTelemetry span threw:
 * the tag, log, name, status or end is lost, the caller is not told (no call throws into
 * instrumented code).
 */
export function reportSpanFailure(method: string, error: unknown): void {
  warnOnce(`span.${method}`, `an OpenTelemetry span's ${method}() threw; what it was given is lost (further failures not reported): ${describeError(error)}`);
}
