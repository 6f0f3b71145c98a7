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

  console.log('== OpenTracing services on OpenTelemetry ==');
  await httpServices.run();

  // Flushes the batch processor; the exporter draws every trace.
  await provider.shutdown();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
