import { diag } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import * as opentracing from 'opentracing';
import type { JaegerOptions } from '../../src/jaeger/configuration';
import { initTracer, initTracerFromEnv } from '../../src/jaeger/init-tracer';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import type { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { NOOP_PROPAGATOR, propagatorsFromEnv } from '../../src/propagators/propagator-from-env';
import { captureDiag } from '../helpers/diag';
import { KeepingExporter } from '../helpers/sdk';

const CONFIG = { serviceName: 'checkout', sampler: { type: 'const', param: 1 } };
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

/** Tracers a test made; closed after it. */
const tracers: JaegerTracer[] = [];

afterEach(async () => {
  await Promise.all(tracers.splice(0).map((tracer) => tracer.close()));
  delete process.env.OTEL_PROPAGATORS;
  diag.disable();
});

/** `initTracer` (or `initTracerFromEnv`) with `OTEL_PROPAGATORS` set to `value` (unset for `undefined`). */
function tracerWith(value: string | undefined, options: JaegerOptions = {}, init = initTracer): JaegerTracer {
  if (value === undefined) delete process.env.OTEL_PROPAGATORS;
  else process.env.OTEL_PROPAGATORS = value;
  const tracer = init(CONFIG, { exporter: new KeepingExporter(), ...options });
  tracers.push(tracer);
  return tracer;
}

/** What the tracer injects in `format` for a span with the baggage item `tenant=a b`. */
function injected(tracer: JaegerTracer, format: string = opentracing.FORMAT_HTTP_HEADERS): Record<string, string> {
  const span = tracer.startSpan('GET /cart');
  span.setBaggageItem('tenant', 'a b');
  const carrier: Record<string, string> = {};
  tracer.inject(span.context(), format, carrier);
  span.finish();
  return carrier;
}

describe('propagatorsFromEnv', () => {
  it.each([[{}], [{ OTEL_PROPAGATORS: '' }], [{ OTEL_PROPAGATORS: ' , ' }]])('should leave the choice to the caller for %j', (env) => {
    expect(propagatorsFromEnv(env, {})).toBeUndefined();
  });

  it('should give a JaegerPropagator alone, not a composite, for "jaeger" alone', () => {
    const formats = propagatorsFromEnv({ OTEL_PROPAGATORS: 'jaeger' }, {});
    expect(formats?.httpHeaders).toBeInstanceOf(JaegerPropagator);
    expect(formats?.textMap).toBeInstanceOf(JaegerPropagator);
  });

  it('should give the no-op propagator for "none", without a warning', () => {
    const diagnostics = captureDiag();
    expect(propagatorsFromEnv({ OTEL_PROPAGATORS: 'none' }, {})).toEqual({ textMap: NOOP_PROPAGATOR, httpHeaders: NOOP_PROPAGATOR });
    expect(diagnostics.messages).toEqual([]);
  });
});

describe('initTracer with OTEL_PROPAGATORS', () => {
  it('should write W3C and Jaeger headers both when the variable is unset', () => {
    expect(Object.keys(injected(tracerWith(undefined))).sort()).toEqual(['baggage', 'traceparent', 'uber-trace-id', 'uberctx-tenant']);
  });

  it('should write exactly jaeger-client headers for "jaeger": URL-encoded in HTTP headers, raw in a text map', () => {
    const tracer = tracerWith('jaeger');
    const headers = injected(tracer);
    expect(Object.keys(headers).sort()).toEqual(['uber-trace-id', 'uberctx-tenant']);
    expect(headers['uberctx-tenant']).toBe('a%20b');
    expect(injected(tracer, opentracing.FORMAT_TEXT_MAP)['uberctx-tenant']).toBe('a b');

    const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, headers) ?? undefined;
    const child = tracer.startSpan('child', { childOf: extracted });
    expect(child.context().toTraceId()).toBe(headers['uber-trace-id'].split(':')[0].padStart(32, '0'));
    expect(child.getBaggageItem('tenant')).toBe('a b');
    child.finish();
  });

  it('should apply contextKey and baggagePrefix to the Jaeger propagator it builds', () => {
    const headers = injected(tracerWith('jaeger', { contextKey: 'x-trace', baggagePrefix: 'x-ctx-' }));
    expect(Object.keys(headers).sort()).toEqual(['x-ctx-tenant', 'x-trace']);
  });

  it('should write only W3C headers for "tracecontext,baggage", the OpenTelemetry default', () => {
    const tracer = tracerWith('tracecontext,baggage');
    expect(injected(tracer)).toEqual({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/), baggage: 'tenant=a%20b' });
    // A jaeger-client peer's header is no longer read.
    expect(String(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:1` }))).toBe('0:0:0:0');
  });

  it('should read the list case-insensitively, skip blanks and repeats, and keep its order', () => {
    const headers = injected(tracerWith(' Jaeger ,, JAEGER,tracecontext '));
    expect(Object.keys(headers)).toEqual(['uber-trace-id', 'uberctx-tenant', 'traceparent']);
  });

  it.each([
    ['b3', ['b3']],
    ['b3multi', ['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid']],
  ])('should write B3 headers with @opentelemetry/propagator-b3 for "%s"', (value, keys) => {
    const tracer = tracerWith(value);
    const headers = injected(tracer);
    expect(Object.keys(headers).sort()).toEqual(keys);
    const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, headers) ?? undefined;
    const span = tracer.startSpan('child', { childOf: extracted });
    expect(extracted?.toTraceId()).toBe(headers.b3?.split('-')[0] ?? headers['x-b3-traceid']);
    expect(span.context().toTraceId()).toBe(extracted?.toTraceId());
    span.finish();
  });

  it('should propagate nothing for "none"', () => {
    const tracer = tracerWith('none');
    expect(injected(tracer)).toEqual({});
    expect(String(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }))).toBe('0:0:0:0');
  });

  it('should ignore "none" listed with other propagators, with a warning', () => {
    const diagnostics = captureDiag();
    expect(Object.keys(injected(tracerWith('none,jaeger'))).sort()).toEqual(['uber-trace-id', 'uberctx-tenant']);
    expect(diagnostics.matching('"none" is ignored')).toHaveLength(1);
  });

  it('should warn once about each unsupported name and propagate nothing when no name is usable', () => {
    const diagnostics = captureDiag();
    expect(injected(tracerWith('xray,ottrace'))).toEqual({});
    expect(diagnostics.matching('OTEL_PROPAGATORS=xray is not supported here')).toHaveLength(1);
    expect(diagnostics.matching('OTEL_PROPAGATORS=ottrace is not supported here')).toHaveLength(1);
    expect(diagnostics.matching('inject and extract do nothing')).toHaveLength(1);
  });

  it('should let the options win, format by format', () => {
    const tracer = tracerWith('b3', { httpHeadersPropagator: new W3CTraceContextPropagator() });
    expect(Object.keys(injected(tracer))).toEqual(['traceparent']);
    expect(Object.keys(injected(tracer, opentracing.FORMAT_TEXT_MAP))).toEqual(['b3']);
  });

  it('should not read the variable when the options give both propagators', () => {
    const diagnostics = captureDiag();
    const tracer = tracerWith('xray', { httpHeadersPropagator: new JaegerPropagator({ urlEncoding: true }), textMapPropagator: new JaegerPropagator() });
    expect(Object.keys(injected(tracer)).sort()).toEqual(['uber-trace-id', 'uberctx-tenant']);
    expect(diagnostics.messages).toEqual([]);
  });

  it('should be read by initTracerFromEnv too', () => {
    expect(Object.keys(injected(tracerWith('b3', {}, initTracerFromEnv)))).toEqual(['b3']);
  });

  it('should report a missing @opentelemetry/propagator-b3 and still use the other names', async () => {
    const diagnostics = captureDiag();
    process.env.OTEL_PROPAGATORS = 'b3,tracecontext';
    let tracer: JaegerTracer | undefined;
    jest.isolateModules(() => {
      jest.doMock('@opentelemetry/propagator-b3', () => {
        throw Object.assign(new Error("Cannot find module '@opentelemetry/propagator-b3'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../src/jaeger/init-tracer') as typeof import('../../src/jaeger/init-tracer');
      tracer = isolated.initTracer(CONFIG, { exporter: new KeepingExporter() });
    });
    jest.dontMock('@opentelemetry/propagator-b3');

    const span = tracer!.startSpan('GET /cart');
    const carrier: Record<string, string> = {};
    tracer!.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);
    span.finish();
    await tracer!.close();

    expect(Object.keys(carrier)).toEqual(['traceparent']);
    expect(diagnostics.matching('npm install @opentelemetry/propagator-b3')).toHaveLength(1);
    expect(diagnostics.messages[0]).toMatch(/^error .*Cannot find module/);
  });
});
