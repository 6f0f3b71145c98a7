'use strict';
// `npm run demo`: OpenTracing instrumentation running on the OpenTelemetry SDK, on real HTTP
// traffic between services on 127.0.0.1. By default each finished trace is drawn as a tree;
// with OTEL_EXPORTER_OTLP_ENDPOINT set (e.g. http://127.0.0.1:4318, a Jaeger or an
// OpenTelemetry Collector) the traces go there over OTLP instead.
const { spawn } = require('node:child_process');
const { context, propagation } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const opentracing = require('opentracing');
const { createTracerShim } = require('opentracing-otel-shim');
const { createTracerProvider } = require('opentracing-otel-shim/sdk');

const httpServices = require('./http-services');
const jaegerMigration = require('./jaeger-migration/app');

async function main() {
  // Section 2 sets variables for the jaeger-client app; section 3 runs with the environment as given.
  const givenEnv = { ...process.env };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  // Exporter, protocol and resource from the OTEL_* variables; nothing set: TraceTreeExporter.
  const provider = createTracerProvider({ serviceName: 'opentracing-otel-shim-demo' });

  // The one line an OpenTracing application changes: which tracer it registers.
  opentracing.initGlobalTracer(createTracerShim(provider));

  console.log('== 1. OpenTracing services on OpenTelemetry ==');
  await httpServices.run();
  // Flushes the batch processor: the tree exporter draws every trace (or OTLP sends them).
  await provider.shutdown();

  // A jaeger-client app whose only change is its import line, configured from JAEGER_* variables
  // as it would be in production. Its spans are logged the jaeger-client way (logSpans).
  console.log('\n== 2. A jaeger-client app on OpenTelemetry (examples/jaeger-migration) ==');
  Object.assign(process.env, {
    JAEGER_SAMPLER_TYPE: 'const',
    JAEGER_SAMPLER_PARAM: '1',
    JAEGER_REPORTER_LOG_SPANS: 'true',
    OTEL_TRACES_EXPORTER: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
  });
  await jaegerMigration.main();

  // Its own process, because the http instrumentation must be registered before `http` loads.
  console.log('\n== 3. OpenTracing and OpenTelemetry code in one trace (examples/mixed-otel) ==');
  await runScript(require.resolve('./mixed-otel/app'), givenEnv);
}

/** Runs a Node script with `env`, its output going where the demo's goes; rejects if it fails. */
function runScript(file, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}`))));
  });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
