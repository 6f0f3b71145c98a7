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
/**
 * Most distinct warnings `warnOnce` gives in a process, so that varied reasons cannot flood the
 * log or grow the set. The keys are fixed strings, one per place that can warn (about 80 in the
 * package, the jaeger surface included), so in practice the bound is never reached.
 */
const MAX_WARNED_KEYS = 256;

/**
 * One `diag` message, `message`, the first time `key` is seen in the process; nothing after, nor
 * for a new key once `MAX_WARNED_KEYS` were reported. Every problem a per-call path can meet (bad
 * input to a span or tracer method, a carrier or Baggage that misbehaves, a span whose methods
 * throw) is reported this way: once, never per call (project rule), so that an application
 * repeating a mistake, or a client sending the same hostile header with every request, cannot
 * flood the log. `key` names the place and the kind of problem, never the value; `message`
 * describes the first case. `level`: `warn` (default) or `error`.
 */
export function warnOnce(key: string, message: string, level: 'warn' | 'error' = 'warn'): void {
  if (warnedKeys.has(key) || warnedKeys.size >= MAX_WARNED_KEYS) return;
  warnedKeys.add(key);
  if (level === 'error') logger.error(message);
  else logger.warn(message);
}

/**
 * Forgets which keys `warnOnce` has reported, so that the next occurrence of each is reported
 * again. For tests, which check each case's warning on its own. @internal
 */
export function resetWarnOnce(): void {
  warnedKeys.clear();
}

/**
 * Reports, once per method and process (`warnOnce`), that a call on an OpenTelemetry span threw:
 * the tag, log, name, status or end is lost, the caller is not told (no call throws into
 * instrumented code).
 */
export function reportSpanFailure(method: string, error: unknown): void {
  warnOnce(`span.${method}`, `an OpenTelemetry span's ${method}() threw; what it was given is lost (further failures not reported): ${describeError(error)}`);
}
