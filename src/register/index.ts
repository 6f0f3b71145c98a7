/**
 * `opentracing-otel-shim/register`: `node --require opentracing-otel-shim/register app.js` or
 * `node --import opentracing-otel-shim/register app.mjs` runs OpenTracing and jaeger-client
 * instrumentation on OpenTelemetry without a code change. What it does is `register()`'s
 * documentation (src/register/register.ts) and docs/migrating-from-jaeger-client.md
 * ("Zero code"). This entry point exports nothing.
 */
import { isMainThread } from 'node:worker_threads';
import { describeError, logger } from '../logger';
import type * as RegisterModule from './register';

// Node 20 runs --require modules in the module loader's thread too, where there is nothing to
// trace: checked before anything else loads, so that thread does not pay for it.
if (isMainThread) registerOnce();

function registerOnce(): void {
  try {
    // Loaded here rather than imported, so that a missing optional peer dependency (the SDK
    // packages, require-in-the-middle, import-in-the-middle) leaves the application untraced,
    // with a diag error naming it, instead of stopping it before it starts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('./register') as typeof RegisterModule).register();
  } catch (error) {
    logger.error(
      `register: OpenTracing was not redirected to OpenTelemetry; is every package docs/migrating-from-jaeger-client.md lists for it installed? ${describeError(error)}`,
    );
  }
}
