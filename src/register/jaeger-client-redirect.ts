import type * as JaegerModule from '../jaeger';
import type { JaegerTracer } from '../jaeger';
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
  /** Given each tracer made, so that it is closed at exit. */
  track(tracer: JaegerTracer): void;
}

/**
 * The module `jaeger-client` is replaced with: every export of `./jaeger` as it is, except
 * `initTracer` and `initTracerFromEnv`, which call the same functions and then hand the tracer
 * to `hooks.track` (so that `register` closes it at exit, flushing its spans, which jaeger-client
 * applications often leave to the process' end). A name jaeger-client exports and `./jaeger` does
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
      const tracer = jaeger.initTracer(config, options);
      hooks.track(tracer);
      return tracer;
    },
    initTracerFromEnv(config, options) {
      hooks.beforeInit();
      const tracer = jaeger.initTracerFromEnv(config, options);
      hooks.track(tracer);
      return tracer;
    },
  };
}
