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

/** The OpenTelemetry span methods whose failure `reportSpanFailure` has reported. */
const failedSpanCalls = new Set<string>();

/**
 * Reports, once per method and process, that a call on an OpenTelemetry span threw: the tag, log,
 * name or end is lost, the caller is not told (no call throws into instrumented code).
 */
export function reportSpanFailure(method: string, error: unknown): void {
  if (failedSpanCalls.has(method)) return;
  failedSpanCalls.add(method);
  logger.warn(`an OpenTelemetry span's ${method}() threw; what it was given is lost (further failures not reported): ${describeError(error)}`);
}
