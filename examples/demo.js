'use strict';
// `npm run demo`: OpenTracing instrumentation running on the OpenTelemetry SDK, on real HTTP
// traffic between services on 127.0.0.1. Each finished trace is drawn as a tree.
const { context, propagation } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const opentracing = require('opentracing');
const { createTracerShim } = require('opentracing-otel-shim');
const { BaggageSpanProcessor, TraceTreeExporter } = require('opentracing-otel-shim/sdk');

const httpServices = require('./http-services');
const jaegerMigration = require('./jaeger-migration/app');

async function main() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  const baggage = new BaggageSpanProcessor();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'opentracing-otel-shim-demo' }),
    spanProcessors: [baggage, new BatchSpanProcessor(new TraceTreeExporter({ baggage }))],
  });

  // The one line an OpenTracing application changes: which tracer it registers.
  opentracing.initGlobalTracer(createTracerShim(provider));

  console.log('== 1. OpenTracing services on OpenTelemetry ==');
  await httpServices.run();
  // Flushes the batch processor; the exporter draws every trace.
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
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
