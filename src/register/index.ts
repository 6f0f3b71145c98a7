/**
 * `opentracing-otel-shim/register`: `node --require opentracing-otel-shim/register app.js` or
 * `node --import opentracing-otel-shim/register app.mjs` runs OpenTracing and jaeger-client
 * instrumentation on OpenTelemetry without a code change. What it does is `register()`'s
 * documentation (src/register/register.ts) and docs/migrating-from-jaeger-client.md
 * ("Zero code"). This entry point exports nothing.
 */
import { register } from './register';

register();
