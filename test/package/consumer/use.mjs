// Run by test/package/package.test.ts inside a temporary project where the packed tarball and
// every peer dependency are installed: an ES module consumer with static named imports from all
// the entry points, tracing one request through the real SDK. A span made by CommonJS code
// (require) is used as the parent of one made by ES module code (import): with a single copy of
// each class the parent link survives the crossing. Prints what it saw as JSON.
import { createRequire } from 'node:module';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { SpanShim, TracerShim, withSpan } from 'opentracing-otel-shim';
import { JaegerPropagator, initTracer } from 'opentracing-otel-shim/jaeger';
import { BaggageSpanProcessor, TraceTreeExporter, createTracerProvider } from 'opentracing-otel-shim/sdk';

const require = createRequire(import.meta.url);
// The SDK line the project has: 2.x sdk-trace-base, else 3.x sdk-trace (whose processors take { exporter }).
const base = await import('@opentelemetry/sdk-trace-base').catch(() => undefined);
const sdk = base ?? (await import('@opentelemetry/sdk-trace'));
const exporter = new sdk.InMemorySpanExporter();
const processor = base ? new base.SimpleSpanProcessor(exporter) : new sdk.SimpleSpanProcessor({ exporter });
const provider = new (base ? base.BasicTracerProvider : sdk.TracerProvider)({ spanProcessors: [processor] });

const requiredShim = require('opentracing-otel-shim');
const cjsTracer = new requiredShim.TracerShim(provider);
const esmTracer = new TracerShim(provider, { httpHeadersPropagator: new JaegerPropagator() });

const parent = cjsTracer.startSpan('parent', { tags: { 'span.kind': 'server' } });
const child = esmTracer.startSpan('child', { childOf: parent });
const headers = {};
esmTracer.inject(child, FORMAT_HTTP_HEADERS, headers);
const seen = withSpan(child, () => 'ran');
child.finish();
parent.finish();

const [childSpan, parentSpan] = exporter.getFinishedSpans();
process.stdout.write(
  JSON.stringify({
    names: [childSpan.name, parentSpan.name],
    parentKind: parentSpan.kind,
    childParentIsParent: childSpan.parentSpanContext?.spanId === parentSpan.spanContext().spanId,
    childIsSpanShim: child instanceof SpanShim && child instanceof requiredShim.SpanShim,
    headers: Object.keys(headers),
    withSpan: seen,
    functions: [typeof initTracer, typeof TraceTreeExporter, typeof BaggageSpanProcessor, typeof createTracerProvider],
  }),
);
