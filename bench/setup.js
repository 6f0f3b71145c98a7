'use strict';
// The tracers every benchmark compares, built once per process on the same OpenTelemetry SDK:
// one BasicTracerProvider whose SimpleSpanProcessor hands each ended span to an exporter that
// reports success at once. So every OpenTelemetry variant pays the real SDK cost of a span
// (creation, attributes, events, ending, the processor's export bookkeeping) and nothing else,
// and the differences between variants are the cost of the API layer each one adds.
const { TraceFlags, context, propagation, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { CompositePropagator, ExportResultCode, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler } = require('@opentelemetry/sdk-trace-base');
const OfficialShim = require('@opentelemetry/shim-opentracing');
// Its SpanShim and SpanContextShim are not exported from the package's index; the package has no
// `exports` map, so the module that defines them can be loaded directly (OfficialShimWithLink).
const { SpanContextShim: OfficialSpanContextShim, SpanShim: OfficialSpanShim } = require('@opentelemetry/shim-opentracing/build/src/shim');
const jaegerClient = require('jaeger-client');

// The package under test, as published: `npm run bench` builds dist/ first.
const shim = require('../dist/cjs/index.js');
const shimJaeger = require('../dist/cjs/jaeger/index.js');
const shimCarrier = require('../dist/cjs/carrier.js');

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

/** The attributes of the Link a conforming shim adds for a ChildOf reference (docs/mapping.md). */
const CHILD_OF_LINK_ATTRIBUTES = Object.freeze({ 'opentracing.ref_type': 'child_of' });

/**
 * `@opentelemetry/shim-opentracing`'s tracer plus the one thing the OpenTelemetry specification
 * asks of a shim that it leaves out: a Link, with `opentracing.ref_type=child_of`, to the
 * ChildOf parent. `startSpan` is the official one line for line (its helpers are module-private)
 * with the Link added, so this is the thinnest conforming shim: the floor for (a) and (e).
 */
class OfficialShimWithLink extends OfficialShim.TracerShim {
  startSpan(name, options = {}) {
    const { childOf } = options;
    const parentIsSpan = childOf instanceof OfficialSpanShim;
    const parent = parentIsSpan ? childOf.context() : childOf instanceof OfficialSpanContextShim ? childOf : undefined;
    const otelOptions = { startTime: options.startTime };
    if (parent !== undefined) otelOptions.links = [{ context: parent.getSpanContext(), attributes: CHILD_OF_LINK_ATTRIBUTES }];
    const active = context.active();
    const parentContext = parentIsSpan
      ? trace.setSpan(active, childOf.getSpan())
      : parent !== undefined
        ? trace.setSpanContext(active, parent.getSpanContext())
        : active;
    const span = this._tracer.startSpan(name, otelOptions, parentContext);
    const baggage = parent !== undefined ? parent.getBaggage() : propagation.createBaggage();
    if (options.tags) span.setAttributes(options.tags);
    return new OfficialSpanShim(this, span, baggage);
  }
}

/** 1,024 span ids, so that the no-op tracer makes an id with one array read. */
const SPAN_IDS = Array.from({ length: 1024 }, (_, i) => (i + 1).toString(16).padStart(16, '0'));
const ROOT_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/**
 * A span that says it records and keeps nothing: every method is the cheapest the Span
 * interface allows. `isRecording()` is true and the span context valid and sampled, so a shim
 * skips none of its work (tag conversion, log conversion, links) as it could for a
 * non-recording span. While the tracer's `inspect` is set (the runner's checks, never while
 * timing), the span writes down what it was given.
 */
class RecordingNoopSpan {
  constructor(spanContext, record) {
    this._spanContext = spanContext;
    this._record = record;
  }

  spanContext() {
    return this._spanContext;
  }

  setAttribute(key, value) {
    if (this._record !== undefined) this._record.attributes[key] = value;
    return this;
  }

  setAttributes(attributes) {
    if (this._record !== undefined) Object.assign(this._record.attributes, attributes);
    return this;
  }

  addEvent(name) {
    if (this._record !== undefined) this._record.events.push(name);
    return this;
  }

  addLink(link) {
    if (this._record !== undefined) this._record.links.push(link);
    return this;
  }

  addLinks(links) {
    if (this._record !== undefined) this._record.links.push(...links);
    return this;
  }

  setStatus() {
    return this;
  }

  updateName() {
    return this;
  }

  end() {
    if (this._record !== undefined) this._record.ended = true;
  }

  isRecording() {
    return true;
  }

  recordException() {}
}

/**
 * An OpenTelemetry tracer built from `@opentelemetry/api` alone that does no SDK work: its spans
 * are `RecordingNoopSpan`s in the parent's trace (or a fixed root trace id). What a shim costs on
 * it is the shim's own code, with little noise from the SDK (the "shim overhead" table).
 */
class RecordingNoopTracer {
  constructor() {
    /** Set by the runner's checks to an array that receives one record per span started. */
    this.inspect = undefined;
    this._next = 0;
  }

  startSpan(name, options, parentContext = context.active()) {
    const parent = trace.getSpanContext(parentContext);
    const spanContext = { traceId: parent?.traceId ?? ROOT_TRACE_ID, spanId: SPAN_IDS[this._next++ & 1023], traceFlags: TraceFlags.SAMPLED };
    let record;
    if (this.inspect !== undefined) {
      record = { name, parentSpanId: parent?.spanId, attributes: { ...options?.attributes }, links: [...(options?.links ?? [])], events: [], ended: false };
      this.inspect.push(record);
    }
    return new RecordingNoopSpan(spanContext, record);
  }

  startActiveSpan(name, ...args) {
    const fn = args.pop();
    const [options, parentContext = context.active()] = args;
    const span = this.startSpan(name, options, parentContext);
    return context.with(trace.setSpan(parentContext, span), fn, undefined, span);
  }
}

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
  // Sampling 1% of new traces, following the parent's decision otherwise: what production runs.
  const sampledExporter = new NoopSpanExporter();
  const sampledProvider = new BasicTracerProvider({
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.01) }),
    spanProcessors: [new SimpleSpanProcessor(sampledExporter)],
  });
  const noopTracer = new RecordingNoopTracer();

  return {
    exporter,
    provider,
    /** The floor: the OpenTelemetry API used directly. */
    native: provider.getTracer('bench-native'),
    /** This package, as an application gets it: `createTracerShim(provider)`, global propagator. */
    shim: shim.createTracerShim(provider),
    /** `@opentelemetry/shim-opentracing` 2.x, as documented: `new TracerShim(tracer)`. */
    official: new OfficialShim.TracerShim(provider.getTracer('bench-official')),
    /** The official shim plus the ChildOf Link: the thinnest shim that follows the specification. */
    officialWithLink: new OfficialShimWithLink(provider.getTracer('bench-official-link')),
    /** The exporter of `sampledProvider`: the 1% of (f)'s roots that are sampled reach it. */
    sampledExporter,
    sampledProvider,
    /** (f): the OpenTelemetry API and this package on a ParentBased(TraceIdRatioBased(0.01)) SDK. */
    sampledNative: sampledProvider.getTracer('bench-native-1pc'),
    sampledShim: shim.createTracerShim(sampledProvider),
    /** jaeger-client sampling 1% (probabilistic sampler): (f)'s reference. */
    jaegerClientSampled: jaegerClient.initTracer(
      { serviceName: 'bench', sampler: { type: 'probabilistic', param: 0.01 } },
      { reporter: new jaegerClient.NoopReporter(), logger: silentLogger },
    ),
    /** The shim overhead table: no SDK, the shim and the official wrapper on `noopTracer`. */
    noopTracer,
    noopShim: shim.createTracerShim({ getTracer: () => noopTracer }),
    noopOfficial: new OfficialShim.TracerShim(noopTracer),
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
    /**
     * The shim's own carrier setter and getter (an internal module of the build, not the public
     * API): what every shim inject and extract writes and reads with, so that (c) can time the
     * native code with the same carrier checks (CR/LF/NUL, size limits, own properties).
     */
    carrierAccessors: { setter: shimCarrier.textMapSetter, getter: shimCarrier.carrierGetter },
  };
}

/** Releases what the environment holds (timers of the Jaeger tracers' batch processors). */
async function closeEnvironment(env) {
  await Promise.all([env.shimJaeger.close(), env.shimJaegerOnly.close(), env.provider.shutdown(), env.sampledProvider.shutdown()]);
  await new Promise((resolve) => env.jaegerClient.close(resolve));
  await new Promise((resolve) => env.jaegerClientSampled.close(resolve));
}

module.exports = { CHILD_OF_LINK_ATTRIBUTES, NoopSpanExporter, OfficialShimWithLink, RecordingNoopTracer, createEnvironment, closeEnvironment };
