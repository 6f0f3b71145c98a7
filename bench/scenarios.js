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
  /** `parent`: what `childOf` gets (default: a span of `tracer`, started once). */
  lifecycle(tracer, parent = tracer.startSpan('parent')) {
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
  /**
   * `lifecycle` plus what a shim that creates its span after `startSpan` must do on top of a
   * thin wrapper, done here around the wrapper: read the clocks at start (`Date.now()` and
   * `performance.now()`), at the log and at the finish, and copy the tags and log fields (see
   * `copyFields`). The floor of the shim's design in the overhead table.
   */
  lifecycleDeferred(tracer, parent = tracer.startSpan('parent')) {
    const tags = { component: 'bench', 'http.method': 'GET', 'http.url': '/users/42' };
    return () => {
      const start = Date.now();
      const monotonic = performance.now();
      const span = tracer.startSpan('GET /users/:id', { childOf: parent, tags: copyFields(tags), startTime: start });
      span.setTag('http.status_code', 200);
      span.setTag('peer.service', 'users-db');
      span.log(copyFields(LOG_FIELDS), start + (performance.now() - monotonic));
      span.finish(start + (performance.now() - monotonic));
    };
  },
  /** `rootSpan` plus the clock reads of a deferred span (see `lifecycleDeferred`). */
  rootSpanDeferred(tracer) {
    return () => {
      const start = Date.now();
      const monotonic = performance.now();
      tracer.startSpan('root', { startTime: start }).finish(start + (performance.now() - monotonic));
    };
  },
  /**
   * `baggageChild` plus what a shim that creates its spans after `startSpan` must do on top of a
   * thin wrapper (see `lifecycleDeferred`): read the clocks at each start, and hand over the start
   * and end times. The floor of the shim's design in (e).
   */
  baggageChildDeferred(tracer) {
    return () => {
      const start = Date.now();
      const monotonic = performance.now();
      const parent = tracer.startSpan('parent', { startTime: start });
      parent.setBaggageItem('tenant', 'acme');
      const childStart = Date.now();
      const childMonotonic = performance.now();
      const child = tracer.startSpan('child', { childOf: parent, startTime: childStart });
      sink.value = child.getBaggageItem('tenant');
      child.finish(childStart + (performance.now() - childMonotonic));
      parent.finish(start + (performance.now() - monotonic));
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
  /** `parentContext`: the Context the span starts in (default: one holding a span of `tracer`). */
  lifecycle(tracer, parentContext = trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent'))) {
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
  lifecycleWithLink(tracer, parentContext = trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent'))) {
    const links = [{ context: trace.getSpanContext(parentContext), attributes: { 'opentracing.ref_type': 'child_of' } }];
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
  /**
   * `lifecycle` as a span created after `startSpan` must do it with the OpenTelemetry API when
   * the sampler's decision is not known at start (the shim's design, see `ot.lifecycleDeferred`):
   * read the clocks at start, copy the tags and the log fields as they come, keep the log's time,
   * and create the span at the end with the start time, the attributes and the event. The floor
   * of (f2), for information.
   */
  lifecycleDeferred(tracer, parentContext) {
    const tags = { component: 'bench', 'http.method': 'GET', 'http.url': '/users/42' };
    return () => {
      const start = Date.now();
      const monotonic = performance.now();
      const attributes = copyFields(tags);
      attributes['http.status_code'] = 200;
      attributes['peer.service'] = 'users-db';
      const logFields = copyFields(LOG_FIELDS);
      const logTime = toHrTime(start + (performance.now() - monotonic));
      const span = tracer.startSpan('GET /users/:id', { attributes, startTime: toHrTime(start) }, parentContext);
      span.addEvent(LOG_FIELDS.event, logFields, logTime);
      span.end(toHrTime(start + (performance.now() - monotonic)));
    };
  },
  rootSpan(tracer) {
    return () => {
      tracer.startSpan('root').end();
    };
  },
  /** `rootSpan` created at the end, as a span created after `startSpan` is: the floor of (b). */
  rootSpanDeferred(tracer) {
    return () => {
      const start = Date.now();
      const monotonic = performance.now();
      tracer.startSpan('root', { startTime: toHrTime(start) }).end(toHrTime(start + (performance.now() - monotonic)));
    };
  },
  /**
   * `accessors`: the carrier setter, and a function making the getter for one extract (default:
   * the API's plain ones; `native+checks` in (c) passes the shim's own, which check what they
   * write and read).
   */
  injectExtract(tracer, propagator = propagation, accessors = { setter: defaultTextMapSetter, getter: () => defaultTextMapGetter }) {
    const baggage = propagation.createBaggage(Object.fromEntries(Object.entries(BAGGAGE).map(([k, v]) => [k, { value: v }])));
    const spanContext = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent')), baggage);
    const { setter, getter } = accessors;
    return () => {
      const carrier = {};
      propagator.inject(spanContext, carrier, setter);
      sink.value = propagator.extract(ROOT_CONTEXT, carrier, getter());
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

/** A copy of tags or log fields with the type check a conversion needs (the `native+copy` and deferred floors). */
function copyFields(fields) {
  const copy = {};
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') copy[key] = value;
  }
  return copy;
}

/** Milliseconds since the epoch as an OpenTelemetry HrTime, as the shim hands its times over. */
function toHrTime(epochMillis) {
  const seconds = Math.floor(epochMillis / 1000);
  return [seconds, Math.round((epochMillis - seconds * 1000) * 1e6)];
}

/** Keys for the growth scenarios, made once so that no variant builds strings in the loop. */
const KEYS = Array.from({ length: 100 }, (_, i) => `key.${i}`);
/** `n` tags or attributes: strings and numbers alternately. */
const entries = (n) => Object.fromEntries(KEYS.slice(0, n).map((key, i) => [key, i % 2 === 0 ? 'value' : i]));
const LOG_FIELDS = { event: 'cache.miss', key: 'user:42', 'latency.ms': 3 };

/** (g): the same span with more of one thing; `n` is how many. */
const growth = {
  tags: {
    ot: (tracer, n) => {
      const tags = entries(n);
      return () => tracer.startSpan('tags', { tags }).finish();
    },
    native: (tracer, n) => {
      const attributes = entries(n);
      return () => tracer.startSpan('tags', { attributes }).end();
    },
    /**
     * The floor for a shim that creates the span after `startSpan` (so that a late `span.kind`
     * still counts): the caller's tags are copied at start, since the caller may change its
     * object before the span is created, with the per-value type check a conversion needs.
     */
    copy: (tracer, n) => {
      const tags = entries(n);
      return () => {
        tracer.startSpan('tags', { attributes: copyFields(tags) }).end();
      };
    },
  },
  logs: {
    ot: (tracer, n) => () => {
      const span = tracer.startSpan('logs');
      for (let i = 0; i < n; i++) span.log(LOG_FIELDS);
      span.finish();
    },
    native: (tracer, n) => () => {
      const span = tracer.startSpan('logs');
      for (let i = 0; i < n; i++) span.addEvent(LOG_FIELDS.event, { key: LOG_FIELDS.key, 'latency.ms': LOG_FIELDS['latency.ms'] });
      span.end();
    },
    /**
     * The floor for a shim that creates the span after `startSpan`: each log's fields copied
     * (with the type check a conversion needs) and kept with the time read for it, then handed
     * over at the end, as a deferred span must; the `event` field is kept as an attribute too.
     */
    copy: (tracer, n) => () => {
      const events = [];
      for (let i = 0; i < n; i++) events.push({ name: LOG_FIELDS.event, attributes: copyFields(LOG_FIELDS), time: performance.now() });
      const span = tracer.startSpan('logs');
      for (const event of events) span.addEvent(event.name, event.attributes, event.time);
      span.end();
    },
  },
  /** `n` references: ChildOf the first of `n` kept spans, FollowsFrom the others. */
  references: {
    ot: (tracer, n) => {
      const parents = Array.from({ length: n }, () => tracer.startSpan('parent').context());
      const references = parents.map((parent, i) => (i === 0 ? opentracing.childOf(parent) : opentracing.followsFrom(parent)));
      return () => tracer.startSpan('references', { references }).finish();
    },
    /** native+link: the first parent as the parent, and one Link per reference, as the shim adds. */
    native: (tracer, n) => {
      const parents = Array.from({ length: n }, () => tracer.startSpan('parent'));
      const parentContext = trace.setSpan(ROOT_CONTEXT, parents[0]);
      const links = parents.map((parent, i) => ({
        context: parent.spanContext(),
        attributes: { 'opentracing.ref_type': i === 0 ? 'child_of' : 'follows_from' },
      }));
      return () => tracer.startSpan('references', { links }, parentContext).end();
    },
  },
  /** A parent with `n` baggage items set one by one, and a child of it that reads the last. */
  baggage: {
    ot: (tracer, n) => () => {
      const parent = tracer.startSpan('parent');
      for (let i = 0; i < n; i++) parent.setBaggageItem(KEYS[i], 'value');
      const child = tracer.startSpan('child', { childOf: parent });
      sink.value = n === 0 ? undefined : child.getBaggageItem(KEYS[n - 1]);
      child.finish();
      parent.finish();
    },
    native: (tracer, n) => () => {
      const parent = tracer.startSpan('parent');
      const active = context.active();
      let parentContext = trace.setSpan(active, parent);
      for (let i = 0; i < n; i++) {
        const baggage = (propagation.getBaggage(parentContext) ?? propagation.createBaggage()).setEntry(KEYS[i], { value: 'value' });
        parentContext = propagation.setBaggage(parentContext, baggage);
      }
      const child = tracer.startSpan('child', undefined, parentContext);
      sink.value = n === 0 ? undefined : propagation.getBaggage(parentContext).getEntry(KEYS[n - 1]).value;
      child.end();
      parent.end();
    },
  },
};

/** A scenario of (g): one variant per family and count, named `${family} ${count}`. */
function growthScenario(id, title, dimension, counts, description) {
  const nativeFamily = dimension === 'references' ? 'native+link' : 'native';
  const variants = {};
  for (const n of counts) variants[`${nativeFamily} ${n}`] = (env) => growth[dimension].native(env.native, n);
  const families = [nativeFamily, 'shim'];
  if (growth[dimension].copy !== undefined) {
    for (const n of counts) variants[`native+copy ${n}`] = (env) => growth[dimension].copy(env.native, n);
    families.push('native+copy');
  }
  for (const n of counts) variants[`shim ${n}`] = (env) => growth[dimension].ot(env.shim, n);
  return {
    id,
    group: 'g',
    title,
    description,
    batch: 50,
    // Half the time per round and warm-up: 26 variants, and their differences are large.
    timeScale: 0.5,
    baseline: `${nativeFamily} ${counts[0]}`,
    growth: { dimension, counts, families },
    targets: [{ kind: 'slope', variant: 'shim', of: nativeFamily, max: 1.2 }],
    variants,
  };
}

/** An unsampled W3C parent, as a request from a service that samples 1% brings it. */
const UNSAMPLED_CARRIER = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' };
/** The same parent in jaeger-client's format (flags 0: not sampled). */
const UNSAMPLED_JAEGER_CARRIER = { 'uber-trace-id': '4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:0' };

/**
 * Scenarios, in run order. `baseline` is the variant the table's ratios divide by; `group`
 * (if any) also selects the scenario in BENCH_SCENARIOS; `targets` are the goals of issue 17,
 * each judged on the median of per-round figures:
 * - `ratio`: `variant`'s ops/s over `of`'s must reach `min` (exceed it when `strict`);
 * - `cost`: `variant`'s time per operation over `of`'s must be at most `max`;
 * - `slope` (growth scenarios): `variant`'s extra time per added item over `of`'s, at most `max`.
 */
const SCENARIOS = [
  {
    id: 'a',
    title: 'span lifecycle',
    description: 'childOf a kept parent + 3 tags, 2 setTag, 1 log (event + 2 fields), finish',
    batch: 200,
    baseline: 'native',
    targets: [{ kind: 'ratio', variant: 'shim', of: 'official+link', min: 0.97 }],
    variants: {
      native: (env) => native.lifecycle(env.native),
      'native+link': (env) => native.lifecycleWithLink(env.native),
      shim: (env) => ot.lifecycle(env.shim),
      official: (env) => ot.lifecycle(env.official),
      'official+link': (env) => ot.lifecycle(env.officialWithLink),
      // The floor of a conforming shim that creates its span after startSpan, as this one does.
      'official+link+deferred': (env) => ot.lifecycleDeferred(env.officialWithLink),
      'jaeger-client': (env) => ot.lifecycle(env.jaegerClient),
    },
  },
  {
    id: 'b',
    title: 'root span',
    description: 'startSpan(name) + finish(), no options',
    batch: 500,
    baseline: 'native',
    targets: [{ kind: 'ratio', variant: 'shim', of: 'native', min: 0.95 }],
    variants: {
      native: (env) => native.rootSpan(env.native),
      // The floor of a span created after startSpan: its clocks read at start, the span made at the end.
      'native+deferred': (env) => native.rootSpanDeferred(env.native),
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
    targets: [{ kind: 'ratio', variant: 'shim', of: 'native', min: 0.95 }],
    variants: {
      native: (env) => native.injectExtract(env.native),
      // The native code with the shim's carrier setter and getter: the carrier checks every shim
      // inject and extract makes (docs/security.md), without the OpenTracing layer. For information.
      'native+checks': (env) => native.injectExtract(env.native, propagation, env.carrierAccessors),
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
    targets: [{ kind: 'ratio', variant: 'shim', of: 'jaeger-client', min: 1.2 }],
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
    targets: [{ kind: 'ratio', variant: 'shim', of: 'official+link', min: 0.97 }],
    variants: {
      native: (env) => native.baggageChild(env.native),
      shim: (env) => ot.baggageChild(env.shim),
      official: (env) => ot.baggageChild(env.official),
      'official+link': (env) => ot.baggageChild(env.officialWithLink),
      'official+link+deferred': (env) => ot.baggageChildDeferred(env.officialWithLink),
      'jaeger-client': (env) => ot.baggageChild(env.jaegerClient),
    },
  },
  {
    id: 'f1',
    group: 'f',
    title: 'unsampled child',
    description: "(a)'s work under an extracted parent whose flags say not sampled",
    batch: 200,
    baseline: 'native',
    targets: [{ kind: 'cost', variant: 'shim', of: 'native', max: 1.5 }],
    variants: {
      native: (env) => native.lifecycle(env.native, propagation.extract(ROOT_CONTEXT, UNSAMPLED_CARRIER, defaultTextMapGetter)),
      // The floor for a conforming shim, as in (a): the SDK's sampler is handed the ChildOf Link.
      'native+link': (env) => native.lifecycleWithLink(env.native, propagation.extract(ROOT_CONTEXT, UNSAMPLED_CARRIER, defaultTextMapGetter)),
      shim: (env) => ot.lifecycle(env.shim, env.shim.extract(opentracing.FORMAT_HTTP_HEADERS, UNSAMPLED_CARRIER)),
      'jaeger-client': (env) =>
        ot.lifecycle(env.jaegerClientSampled, env.jaegerClientSampled.extract(opentracing.FORMAT_HTTP_HEADERS, UNSAMPLED_JAEGER_CARRIER)),
    },
  },
  {
    id: 'f2',
    group: 'f',
    title: 'roots, 1% sampled',
    description: "(a)'s work on root spans; ParentBased(TraceIdRatioBased(0.01)); jaeger-client: probabilistic 0.01",
    batch: 200,
    baseline: 'native',
    targets: [{ kind: 'cost', variant: 'shim', of: 'native', max: 1.5 }],
    variants: {
      native: (env) => native.lifecycle(env.sampledNative, ROOT_CONTEXT),
      // The floor of a span created after startSpan, which the sampler decides only then.
      'native+deferred': (env) => native.lifecycleDeferred(env.sampledNative, ROOT_CONTEXT),
      shim: (env) => ot.lifecycle(env.sampledShim, null),
      'jaeger-client': (env) => ot.lifecycle(env.jaegerClientSampled, null),
    },
  },
  growthScenario('g-tags', 'growth: tags', 'tags', [0, 5, 20, 100], 'startSpan(name, { tags: {n} }) + finish(); native: attributes'),
  growthScenario('g-logs', 'growth: logs', 'logs', [0, 5, 20], 'startSpan + n x log({ event, 2 fields }) + finish(); native: addEvent'),
  growthScenario('g-refs', 'growth: references', 'references', [1, 5, 20], 'startSpan with n references (1 ChildOf, n-1 FollowsFrom); native+link: n Links'),
  growthScenario('g-baggage', 'growth: baggage', 'baggage', [0, 5, 50], 'parent + n x setBaggageItem, a child reads one, finish both'),
  // The shim overhead table: no SDK under the shims (bench/setup.js, RecordingNoopTracer).
  ...[
    ['oa', '(a) span lifecycle', 200, ot.lifecycle, ot.lifecycleDeferred],
    ['ob', '(b) root span', 500, ot.rootSpan, ot.rootSpanDeferred],
    ['oc', '(c) inject+extract, W3C', 300, ot.injectExtract],
    ['oe', '(e) baggage to child', 100, ot.baggageChild, ot.baggageChildDeferred],
  ].map(([id, title, batch, make, makeDeferred]) => ({
    id,
    group: 'o',
    overhead: true,
    // Half the time per round and warm-up: no SDK work, so little noise.
    timeScale: 0.5,
    title: `overhead ${title}`,
    description: `${title} on an OpenTelemetry tracer that does no work`,
    batch,
    baseline: 'official',
    targets: [{ kind: 'cost', variant: 'shim', of: 'official', max: 1.3 }],
    variants: {
      official: (env) => make(env.noopOfficial),
      // The floor of a shim that creates its span after startSpan: for information, no target.
      ...(makeDeferred === undefined ? {} : { 'official+deferred': (env) => makeDeferred(env.noopOfficial) }),
      shim: (env) => make(env.noopShim),
    },
  })),
];

module.exports = { SCENARIOS, BAGGAGE, LOG_FIELDS, ot, native, growth, sink };
