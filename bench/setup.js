'use strict';
// The tracers every benchmark compares, built once per process on the same OpenTelemetry SDK:
// one BasicTracerProvider whose SimpleSpanProcessor hands each ended span to an exporter that
// reports success at once. So every OpenTelemetry variant pays the real SDK cost of a span
// (creation, attributes, events, ending, the processor's export bookkeeping) and nothing else,
// and the differences between variants are the cost of the API layer each one adds.
const { context, propagation } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { CompositePropagator, ExportResultCode, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const OfficialShim = require('@opentelemetry/shim-opentracing');
const jaegerClient = require('jaeger-client');

// The package under test, as published: `npm run bench` builds dist/ first.
const shim = require('../dist/cjs/index.js');
const shimJaeger = require('../dist/cjs/jaeger/index.js');

/**
 * A span exporter that drops the spans and reports success synchronously: the cheapest exporter
 * the SDK's processor contract allows, so the figures show tracing cost, not export cost.
 */
class NoopSpanExporter {
  constructor() {
    this.exported = 0;
    /** Set by the runner's checks to look at spans; unset while timing, so no span is kept. */
    this.inspect = undefined;
  }

  export(spans, resultCallback) {
    this.exported += spans.length;
    if (this.inspect !== undefined) this.inspect(spans);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown() {
    return Promise.resolve();
  }

  forceFlush() {
    return Promise.resolve();
  }
}

const silentLogger = { info() {}, error() {} };

/**
 * Registers what a Node application using the OpenTelemetry SDK has (an AsyncLocalStorage
 * context manager; W3C trace context + baggage as the global propagator) and builds the tracers.
 * Call once per process: the registrations are global.
 */
function createEnvironment() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));

  const exporter = new NoopSpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  return {
    exporter,
    provider,
    /** The floor: the OpenTelemetry API used directly. */
    native: provider.getTracer('bench-native'),
    /** This package, as an application gets it: `createTracerShim(provider)`, global propagator. */
    shim: shim.createTracerShim(provider),
    /** `@opentelemetry/shim-opentracing` 2.x, as documented: `new TracerShim(tracer)`. */
    official: new OfficialShim.TracerShim(provider.getTracer('bench-official')),
    /** jaeger-client 3.19 with its own spans: const sampler, a reporter that drops spans (no UDP). */
    jaegerClient: jaegerClient.initTracer(
      { serviceName: 'bench', sampler: { type: 'const', param: 1 } },
      { reporter: new jaegerClient.NoopReporter(), logger: silentLogger },
    ),
    /**
     * This package's jaeger-client replacement as `initTracer` builds it (const sampler, its
     * default propagation: W3C trace context + baggage + Jaeger `uber-trace-id`/`uberctx-*`),
     * with a no-op exporter instead of OTLP. Used for propagation only: no span it starts is timed.
     */
    shimJaeger: shimJaeger.initTracer({ serviceName: 'bench', sampler: { type: 'const', param: 1 } }, { exporter: new NoopSpanExporter() }),
    /** The same with the Jaeger format alone for HTTP headers, the format jaeger-client writes. */
    shimJaegerOnly: shimJaeger.initTracer(
      { serviceName: 'bench', sampler: { type: 'const', param: 1 } },
      { exporter: new NoopSpanExporter(), httpHeadersPropagator: new shimJaeger.JaegerPropagator({ urlEncoding: true }) },
    ),
    JaegerPropagator: shimJaeger.JaegerPropagator,
  };
}

/** Releases what the environment holds (timers of the Jaeger tracers' batch processors). */
async function closeEnvironment(env) {
  await Promise.all([env.shimJaeger.close(), env.shimJaegerOnly.close(), env.provider.shutdown()]);
  await new Promise((resolve) => env.jaegerClient.close(resolve));
}

module.exports = { NoopSpanExporter, createEnvironment, closeEnvironment };
