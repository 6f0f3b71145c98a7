'use strict';
// The benchmark scenarios. Each one is the same piece of work written once per API: the
// OpenTracing variants (this shim, the official shim, jaeger-client) run the very same
// OpenTracing code against different tracers; the native variant does with the OpenTelemetry
// API what the shim should hand to OpenTelemetry for it. `make(env)` prepares what is kept
// outside the loop (parent spans, carriers) and returns one operation, which the runner calls
// `batch` times per sample.
const { ROOT_CONTEXT, context, defaultTextMapGetter, defaultTextMapSetter, propagation, trace } = require('@opentelemetry/api');
const opentracing = require('opentracing');

/**
 * Results are stored here so that no engine can drop a call whose result is unused; the runner
 * also reads them to check, before timing, that each variant did the work (bench/index.js).
 */
const sink = { value: undefined, carrier: undefined };

const BAGGAGE = { tenant: 'acme', 'user-id': '42' };

/** The same OpenTracing code for every OpenTracing tracer. */
const ot = {
  lifecycle(tracer) {
    const parent = tracer.startSpan('parent');
    return () => {
      const span = tracer.startSpan('GET /users/:id', {
        childOf: parent,
        tags: { component: 'bench', 'http.method': 'GET', 'http.url': '/users/42' },
      });
      span.setTag('http.status_code', 200);
      span.setTag('peer.service', 'users-db');
      span.log({ event: 'cache.miss', key: 'user:42', 'latency.ms': 3 });
      span.finish();
    };
  },
  rootSpan(tracer) {
    return () => {
      tracer.startSpan('root').finish();
    };
  },
  injectExtract(tracer) {
    const parent = tracer.startSpan('parent');
    for (const [key, value] of Object.entries(BAGGAGE)) parent.setBaggageItem(key, value);
    return () => {
      const carrier = {};
      tracer.inject(parent.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);
      sink.value = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier);
      sink.carrier = carrier;
    };
  },
  baggageChild(tracer) {
    return () => {
      const parent = tracer.startSpan('parent');
      parent.setBaggageItem('tenant', 'acme');
      const child = tracer.startSpan('child', { childOf: parent });
      sink.value = child.getBaggageItem('tenant');
      child.finish();
      parent.finish();
    };
  },
};

/** What the OpenTelemetry API does for the same work: the floor. */
const native = {
  lifecycle(tracer) {
    const parentContext = trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent'));
    return () => {
      const span = tracer.startSpan('GET /users/:id', { attributes: { component: 'bench', 'http.method': 'GET', 'http.url': '/users/42' } }, parentContext);
      span.setAttribute('http.status_code', 200);
      span.setAttribute('peer.service', 'users-db');
      span.addEvent('cache.miss', { key: 'user:42', 'latency.ms': 3 });
      span.end();
    };
  },
  /**
   * The lifecycle plus what the OpenTelemetry specification asks a shim to add for a ChildOf
   * reference: the parent also becomes a Link with `opentracing.ref_type` (docs/mapping.md).
   * The floor for a spec-following shim; shown for information.
   */
  lifecycleWithLink(tracer) {
    const parent = tracer.startSpan('parent');
    const parentContext = trace.setSpan(ROOT_CONTEXT, parent);
    const links = [{ context: parent.spanContext(), attributes: { 'opentracing.ref_type': 'child_of' } }];
    return () => {
      const span = tracer.startSpan(
        'GET /users/:id',
        { attributes: { component: 'bench', 'http.method': 'GET', 'http.url': '/users/42' }, links },
        parentContext,
      );
      span.setAttribute('http.status_code', 200);
      span.setAttribute('peer.service', 'users-db');
      span.addEvent('cache.miss', { key: 'user:42', 'latency.ms': 3 });
      span.end();
    };
  },
  rootSpan(tracer) {
    return () => {
      tracer.startSpan('root').end();
    };
  },
  injectExtract(tracer, propagator = propagation) {
    const baggage = propagation.createBaggage(Object.fromEntries(Object.entries(BAGGAGE).map(([k, v]) => [k, { value: v }])));
    const spanContext = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent')), baggage);
    return () => {
      const carrier = {};
      propagator.inject(spanContext, carrier, defaultTextMapSetter);
      sink.value = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
      sink.carrier = carrier;
    };
  },
  baggageChild(tracer) {
    return () => {
      const parent = tracer.startSpan('parent');
      const active = context.active();
      const baggage = (propagation.getBaggage(active) ?? propagation.createBaggage()).setEntry('tenant', { value: 'acme' });
      const parentContext = propagation.setBaggage(trace.setSpan(active, parent), baggage);
      const child = tracer.startSpan('child', undefined, parentContext);
      sink.value = propagation.getBaggage(parentContext).getEntry('tenant').value;
      child.end();
      parent.end();
    };
  },
};

/**
 * Scenarios, in run order. `baseline` is the variant every ratio divides by; `target` is the
 * goal of issue 5 (`variant`'s median ratio must reach `min`, or exceed it when `strict`).
 */
const SCENARIOS = [
  {
    id: 'a',
    title: 'span lifecycle',
    description: 'childOf a kept parent + 3 tags, 2 setTag, 1 log (event + 2 fields), finish',
    batch: 200,
    baseline: 'native',
    target: { variant: 'shim', min: 0.95 },
    variants: {
      native: (env) => native.lifecycle(env.native),
      'native+link': (env) => native.lifecycleWithLink(env.native),
      shim: (env) => ot.lifecycle(env.shim),
      official: (env) => ot.lifecycle(env.official),
      'jaeger-client': (env) => ot.lifecycle(env.jaegerClient),
    },
  },
  {
    id: 'b',
    title: 'root span',
    description: 'startSpan(name) + finish(), no options',
    batch: 500,
    baseline: 'native',
    target: { variant: 'shim', min: 0.95 },
    variants: {
      native: (env) => native.rootSpan(env.native),
      shim: (env) => ot.rootSpan(env.shim),
      official: (env) => ot.rootSpan(env.official),
      'jaeger-client': (env) => ot.rootSpan(env.jaegerClient),
    },
  },
  {
    id: 'c',
    title: 'inject+extract, W3C',
    description: 'FORMAT_HTTP_HEADERS inject into {} then extract from it: traceparent + baggage (2 items)',
    batch: 300,
    baseline: 'native',
    target: { variant: 'shim', min: 0.9 },
    variants: {
      native: (env) => native.injectExtract(env.native),
      shim: (env) => ot.injectExtract(env.shim),
      official: (env) => ot.injectExtract(env.official),
    },
  },
  {
    id: 'd',
    title: 'inject+extract, Jaeger',
    description: 'FORMAT_HTTP_HEADERS inject into {} then extract from it: uber-trace-id + uberctx-* (2 items)',
    batch: 300,
    baseline: 'jaeger-client',
    target: { variant: 'shim', min: 1, strict: true },
    variants: {
      'jaeger-client': (env) => ot.injectExtract(env.jaegerClient),
      // The Jaeger format, as the scenario asks: initTracer with a JaegerPropagator for HTTP headers,
      // which writes exactly jaeger-client's headers (uber-trace-id, uberctx-*).
      shim: (env) => ot.injectExtract(env.shimJaegerOnly),
      // initTracer's default propagation: W3C trace context + baggage AND Jaeger, both written.
      'shim W3C+Jaeger': (env) => ot.injectExtract(env.shimJaeger),
      // The OpenTelemetry API with this package's JaegerPropagator: the propagator's own cost.
      'native jaeger-only': (env) => native.injectExtract(env.native, new env.JaegerPropagator({ urlEncoding: true })),
    },
  },
  {
    id: 'e',
    title: 'baggage to child',
    description: 'start parent, setBaggageItem, child of it reads the item, finish both (2 spans)',
    batch: 100,
    baseline: 'native',
    target: undefined,
    variants: {
      native: (env) => native.baggageChild(env.native),
      shim: (env) => ot.baggageChild(env.shim),
      official: (env) => ot.baggageChild(env.official),
      'jaeger-client': (env) => ot.baggageChild(env.jaegerClient),
    },
  },
];

module.exports = { SCENARIOS, BAGGAGE, ot, native, sink };
