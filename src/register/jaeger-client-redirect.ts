import type * as JaegerModule from '../jaeger';
import { logger } from '../logger';

/** The variable that turns the `jaeger-client` redirect off: `false` keeps the real jaeger-client. */
export const REDIRECT_JAEGER_CLIENT_VARIABLE = 'OPENTRACING_OTEL_SHIM_REDIRECT_JAEGER_CLIENT';

/**
 * Whether `require('jaeger-client')` / `import 'jaeger-client'` should give this package's
 * `./jaeger`: yes unless `OPENTRACING_OTEL_SHIM_REDIRECT_JAEGER_CLIENT` is `false` (any case,
 * blanks trimmed). Any other value but `true` or empty is reported through `diag` and counts as
 * `true`. The name is not in the `OTEL_` namespace, which the OpenTelemetry specification keeps
 * for its own variables.
 */
export function isJaegerClientRedirected(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = (env[REDIRECT_JAEGER_CLIENT_VARIABLE] ?? '').trim().toLowerCase();
  if (value === 'false') return false;
  if (value !== '' && value !== 'true') {
    logger.warn(`register: ${REDIRECT_JAEGER_CLIENT_VARIABLE}=${JSON.stringify(value)} is neither true nor false; jaeger-client is redirected`);
  }
  return true;
}

/** What the redirected module needs from `register`. */
export interface JaegerClientRedirectHooks {
  /** Run before each `initTracer` / `initTracerFromEnv` (register's set-up decision). */
  beforeInit(): void;
}

/**
 * The module `jaeger-client` is replaced with: every export of `./jaeger` as it is, except
 * `initTracer` and `initTracerFromEnv`, which run `hooks.beforeInit` first (the tracer's provider
 * joins the exit flush in `initTracer` itself, so spans jaeger-client applications leave to the
 * process' end are exported). A name jaeger-client exports and `./jaeger` does
 * not is `undefined` here too: the redirect never mixes jaeger-client's own classes in.
 */
export function createJaegerClientRedirect(hooks: JaegerClientRedirectHooks): typeof JaegerModule {
  // Loaded when jaeger-client is, not at start-up: an application without it does not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jaeger = require('../jaeger') as typeof JaegerModule;
  return {
    ...jaeger,
    initTracer(config, options) {
      hooks.beforeInit();
      return jaeger.initTracer(config, options);
    },
    initTracerFromEnv(config, options) {
      hooks.beforeInit();
      return jaeger.initTracerFromEnv(config, options);
    },
  };
}
