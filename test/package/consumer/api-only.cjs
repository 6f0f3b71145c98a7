// Run by test/package/package.test.ts inside a temporary project where only the packed tarball,
// @opentelemetry/api and opentracing are installed (no SDK, no @opentelemetry/core): every entry
// point must load, its api-only parts must work, and what needs an SDK must say which package to
// install. Prints what it saw as JSON.
'use strict';
const { ROOT_CONTEXT, propagation, trace } = require('@opentelemetry/api');
const { TraceTreeExporter, BaggageSpanProcessor, createTracerProvider } = require('opentracing-otel-shim/sdk');
const { JaegerSpanContext, initTracer } = require('opentracing-otel-shim/jaeger');
const { JaegerPropagator, propagatorFromEnv } = require('opentracing-otel-shim/propagators');

const spanContext = { traceId: '00000000000000000000000000000001', spanId: '0000000000000002', traceFlags: 1 };
const exported = [];

// A finished span as an SDK hands it to exporters; there is no SDK here to make one.
let drawn = '';
const tree = new TraceTreeExporter({ write: (text) => (drawn += text) });
const span = {
  name: 'root',
  kind: 0,
  spanContext: () => spanContext,
  startTime: [1, 0],
  endTime: [1, 1000],
  duration: [0, 1000],
  status: { code: 0 },
  attributes: {},
  links: [],
  events: [],
};
tree.export([span], () => {});
exported.push(`a TraceTreeExporter drew ${drawn.split('\n').filter((line) => line.startsWith('trace ')).length} trace`);

const carrier = {};
new JaegerPropagator().inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, { set: (c, k, v) => (c[k] = v) });
exported.push(Object.keys(carrier).join(','));

const baggage = new BaggageSpanProcessor();
baggage.onStart(span, propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ user: { value: 'alice' } })));
exported.push(`baggage kept: ${baggage.getBaggage(span).getAllEntries().length}`);
exported.push(`JaegerSpanContext ${new JaegerSpanContext(spanContext).toString()}`);

const thrown = (fn) => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return `${error.name}: ${error.message}`;
  }
};
process.stdout.write(
  JSON.stringify({
    exported,
    initTracer: thrown(() => initTracer({ serviceName: 'checkout', sampler: { type: 'const', param: 1 } })),
    createTracerProvider: thrown(() => createTracerProvider({ serviceName: 'checkout' })),
    propagatorFromEnv: propagatorFromEnv({ OTEL_PROPAGATORS: 'jaeger' }).fields().join(','),
  }),
);
