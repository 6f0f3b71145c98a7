import { ROOT_CONTEXT, SpanKind, context, propagation, trace } from '@opentelemetry/api';
import type { Baggage, Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EventEmitter, once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as opentracing from 'opentracing';
import { activeSpan, contextWithSpan, withSpan } from '../src/context-interop';
import * as entry from '../src/index';
import { SpanShim } from '../src/span-shim';
import { TracerShim } from '../src/tracer-shim';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';
import { createTestSdk, registerGlobals, resetGlobals } from './helpers/sdk';
import type { TestSdk } from './helpers/sdk';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client');

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

function baggageItem(key: string, baggage: Baggage | undefined = propagation.getBaggage(context.active())): string | undefined {
  return baggage?.getEntry(key)?.value;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('context interop', () => {
  let sdk: TestSdk;
  let shim: TracerShim;
  let otel: Tracer;
  let logs: DiagCapture;

  beforeEach(() => {
    registerGlobals();
    sdk = createTestSdk();
    trace.setGlobalTracerProvider(sdk.provider);
    shim = new TracerShim(sdk.provider);
    otel = sdk.provider.getTracer('otel-code');
    logs = captureDiag();
  });

  afterEach(() => {
    logs.stop();
    resetGlobals();
  });

  it('should be exported from the package root', () => {
    expect(entry.withSpan).toBe(withSpan);
    expect(entry.contextWithSpan).toBe(contextWithSpan);
    expect(entry.activeSpan).toBe(activeSpan);
  });

  describe('withSpan', () => {
    it('should make OpenTelemetry spans started inside children of the OpenTracing span', () => {
      const outer = shim.startSpan('ot');
      withSpan(outer, () => otel.startSpan('otel').end());
      outer.finish();
      expect(parentOf(sdk.span('otel'))).toBe(sdk.span('ot').spanContext().spanId);
      expect(sdk.span('otel').spanContext().traceId).toBe(sdk.span('ot').spanContext().traceId);
    });

    it('should never let an OpenTelemetry child start before its OpenTracing parent, nor end after it', () => {
      const nanos = ([seconds, ns]: readonly [number, number]) => BigInt(seconds) * 1_000_000_000n + BigInt(ns);
      for (let i = 0; i < 2000; i++) {
        const outer = shim.startSpan(`ot${i}`);
        withSpan(outer, () => otel.startSpan(`otel${i}`).end());
        outer.finish();
        const parent = sdk.span(`ot${i}`);
        const child = sdk.span(`otel${i}`);
        expect(nanos(child.startTime) >= nanos(parent.startTime)).toBe(true);
        expect(nanos(child.endTime) <= nanos(parent.endTime) + 1_000_000n).toBe(true);
      }
    });

    it("should make the span's baggage the active OpenTelemetry Baggage", () => {
      const outer = shim.startSpan('ot');
      outer.setBaggageItem('tenant', 'acme');
      const seen = withSpan(outer, () => baggageItem('tenant'));
      expect(seen).toBe('acme');
    });

    it('should pass thisArg and arguments and return what fn returns', () => {
      const outer = shim.startSpan('ot');
      const receiver = { base: 40 };
      const result = withSpan(
        outer,
        function (this: { base: number }, a: number, b: number) {
          return this.base + a + b;
        },
        receiver,
        1,
        1,
      );
      expect(result).toBe(42);
    });

    it('should rethrow what fn throws', () => {
      const outer = shim.startSpan('ot');
      expect(() =>
        withSpan(outer, () => {
          throw new Error('from the application');
        }),
      ).toThrow('from the application');
    });

    it('should fix the SpanKind of a deferred span: a later span.kind stays an attribute', () => {
      const outer = shim.startSpan('ot');
      withSpan(outer, () => undefined);
      outer.setTag('span.kind', 'server');
      outer.finish();
      expect(sdk.span('ot').kind).toBe(SpanKind.INTERNAL);
      expect(sdk.span('ot').attributes['span.kind']).toBe('server');
    });

    it('should run fn in the current context, with a warning, for a value that is not a span', () => {
      const outerOtel = otel.startSpan('outer');
      const ctx = trace.setSpan(context.active(), outerOtel);
      const seen = context.with(ctx, () => withSpan(42 as unknown as opentracing.Span, () => trace.getSpan(context.active())));
      expect(seen).toBe(outerOtel);
      expect(logs.matching('not a span context')).toHaveLength(1);
    });

    it('should accept a span context of another OpenTracing tracer as a remote parent', () => {
      const jaegerTracer = jaeger.initTracer(
        { serviceName: 'legacy', sampler: { type: 'const', param: 1 }, reporter: {} },
        {
          reporter: new jaeger.InMemoryReporter(),
        },
      );
      const legacy = jaegerTracer.startSpan('legacy');
      legacy.setBaggageItem('origin', 'jaeger');
      const { child, origin } = withSpan(legacy, () => {
        const span = otel.startSpan('otel');
        span.end();
        return { child: span, origin: baggageItem('origin') };
      });
      const traceId = legacy.context().toTraceId().padStart(32, '0');
      expect(sdk.span('otel').spanContext().traceId).toBe(traceId);
      expect(parentOf(sdk.span('otel'))).toBe(legacy.context().toSpanId().padStart(16, '0'));
      expect(child).toBeDefined();
      expect(origin).toBe('jaeger');
      jaegerTracer.close();
    });
  });

  describe('contextWithSpan', () => {
    it('should return a context holding the span and its baggage, leaving the given one alone', () => {
      const outer = shim.startSpan('ot');
      outer.setBaggageItem('k', 'v');
      const ctx = contextWithSpan(ROOT_CONTEXT, outer);
      expect(trace.getSpan(ctx)).toBe((outer as SpanShim).getSpan());
      expect(baggageItem('k', propagation.getBaggage(ctx))).toBe('v');
      expect(trace.getSpan(ROOT_CONTEXT)).toBeUndefined();
    });

    it('should keep the context baggage when the span has none', () => {
      const withBaggage = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ k: { value: 'outer' } }));
      const ctx = contextWithSpan(withBaggage, shim.startSpan('ot'));
      expect(baggageItem('k', propagation.getBaggage(ctx))).toBe('outer');
    });

    it('should accept a span context shim', () => {
      const outer = shim.startSpan('ot');
      const ctx = contextWithSpan(ROOT_CONTEXT, outer.context());
      expect(trace.getSpanContext(ctx)?.spanId).toBe(outer.context().toSpanId());
    });

    it('should return the context unchanged for a span context without ids (baggage-only extract)', () => {
      const extracted = shim.extract(opentracing.FORMAT_HTTP_HEADERS, { baggage: 'k=v' });
      expect(extracted).not.toBeNull();
      const ctx = contextWithSpan(ROOT_CONTEXT, extracted as opentracing.SpanContext);
      expect(ctx).toBe(ROOT_CONTEXT);
      expect(logs.matching('no valid trace id')).toHaveLength(1);
    });

    it('should never throw, whatever it is given', () => {
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error('hostile');
          },
        },
      );
      for (const value of [null, undefined, 'span', 1, {}, [], hostile]) {
        expect(contextWithSpan(ROOT_CONTEXT, value as unknown as opentracing.Span)).toBe(ROOT_CONTEXT);
      }
    });
  });

  describe('activeSpan', () => {
    it('should return null when no OpenTelemetry span is active', () => {
      expect(activeSpan(shim)).toBeNull();
    });

    it('should wrap the active OpenTelemetry span, with the active baggage', () => {
      const span = otel.startSpan('otel');
      const ctx = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, span), propagation.createBaggage({ tenant: { value: 'acme' } }));
      const wrapped = context.with(ctx, () => activeSpan(shim));
      expect(wrapped).toBeInstanceOf(SpanShim);
      expect(wrapped?.getSpan()).toBe(span);
      expect(wrapped?.getBaggageItem('tenant')).toBe('acme');
      expect(wrapped?.tracer()).toBe(shim);
      expect(wrapped?.context().toSpanId()).toBe(span.spanContext().spanId);
    });

    it("should default the wrapper's tracer to the global OpenTracing tracer", () => {
      opentracing.initGlobalTracer(shim);
      const span = otel.startSpan('otel');
      const wrapped = context.with(trace.setSpan(ROOT_CONTEXT, span), () => activeSpan());
      expect(wrapped?.tracer()).toBe(opentracing.globalTracer());
      opentracing.initGlobalTracer(new opentracing.Tracer());
    });

    it('should give OpenTracing code a parent with childOf: activeSpan(), carrying the baggage', () => {
      const span = otel.startSpan('otel');
      const ctx = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, span), propagation.createBaggage({ tenant: { value: 'acme' } }));
      const child = context.with(ctx, () => shim.startSpan('ot', { childOf: activeSpan(shim) ?? undefined }));
      expect(child.getBaggageItem('tenant')).toBe('acme');
      child.finish();
      span.end();
      expect(parentOf(sdk.span('ot'))).toBe(span.spanContext().spanId);
    });

    it('should return the span activated by withSpan itself, also after finish', () => {
      const outer = shim.startSpan('ot');
      const [during, afterFinish] = withSpan(outer, () => {
        const seen = activeSpan(shim);
        outer.finish();
        return [seen, activeSpan(shim)];
      });
      expect(during).toBe(outer);
      expect(afterFinish).toBe(outer);
    });

    it('should return null for an active span context that is invalid', () => {
      const ctx = trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }));
      expect(context.with(ctx, () => activeSpan(shim))).toBeNull();
    });
  });

  describe('implicit parent', () => {
    it('should make OpenTracing spans started while an OpenTelemetry span is active its children', () => {
      otel.startActiveSpan('otel', (span) => {
        shim.startSpan('ot').finish();
        span.end();
      });
      expect(parentOf(sdk.span('ot'))).toBe(sdk.span('otel').spanContext().spanId);
    });

    it('should not when implicitParent is false', () => {
      const rootsOnly = new TracerShim(sdk.provider, { implicitParent: false });
      otel.startActiveSpan('otel', (span) => {
        rootsOnly.startSpan('ot').finish();
        span.end();
      });
      expect(parentOf(sdk.span('ot'))).toBeUndefined();
      expect(sdk.span('ot').spanContext().traceId).not.toBe(sdk.span('otel').spanContext().traceId);
    });
  });

  // The rule: every direction, with an AsyncLocalStorage context manager, across await,
  // timers and event emitters, checking parent ids and baggage at each level.
  describe('across asynchronous boundaries (AsyncLocalStorage)', () => {
    it('OTel -> OT -> OTel: parents and baggage hold across await, timers and event emitters', async () => {
      const seen: Record<string, string | undefined> = {};
      const root = otel.startSpan('otel-root');
      const rootContext = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, root), propagation.createBaggage({ level: { value: 'otel' } }));
      await context.with(rootContext, async () => {
        await nextTurn();
        const ot = shim.startSpan('ot-middle');
        seen.otSees = ot.getBaggageItem('level');
        ot.setBaggageItem('level', 'ot');
        ot.setBaggageItem('only-ot', 'yes');
        await withSpan(ot, async () => {
          await sleep(1);
          const emitter = new EventEmitter();
          const done = once(emitter, 'go');
          setTimeout(() => emitter.emit('go'), 1);
          await done;
          const leaf = otel.startSpan('otel-leaf');
          seen.leafSees = baggageItem('level');
          seen.leafSeesOnlyOt = baggageItem('only-ot');
          leaf.end();
        });
        ot.finish();
        seen.afterWithSpan = baggageItem('level');
      });
      root.end();
      expect(seen).toEqual({ otSees: 'otel', leafSees: 'ot', leafSeesOnlyOt: 'yes', afterWithSpan: 'otel' });
      const traceId = sdk.span('otel-root').spanContext().traceId;
      expect(parentOf(sdk.span('ot-middle'))).toBe(sdk.span('otel-root').spanContext().spanId);
      expect(parentOf(sdk.span('otel-leaf'))).toBe(sdk.span('ot-middle').spanContext().spanId);
      for (const span of sdk.spans()) expect(span.spanContext().traceId).toBe(traceId);
    });

    it('OT -> OTel -> OT: parents and baggage hold across await, timers and event emitters', async () => {
      const seen: Record<string, string | undefined> = {};
      const root = shim.startSpan('ot-root');
      root.setBaggageItem('level', 'ot-root');
      await withSpan(root, async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await otel.startActiveSpan('otel-middle', async (middle) => {
          seen.middleSees = baggageItem('level');
          const ctx = propagation.setBaggage(context.active(), propagation.createBaggage({ level: { value: 'otel' } }));
          await context.with(ctx, async () => {
            const emitter = new EventEmitter();
            const leafDone = new Promise<void>((resolve) => {
              emitter.on('request', async () => {
                await sleep(1);
                const leaf = shim.startSpan('ot-leaf');
                seen.leafSees = leaf.getBaggageItem('level');
                const grandChild = shim.startSpan('ot-grandchild', { childOf: leaf });
                seen.grandChildSees = grandChild.getBaggageItem('level');
                grandChild.finish();
                leaf.finish();
                resolve();
              });
            });
            setTimeout(() => emitter.emit('request'), 1);
            await leafDone;
          });
          middle.end();
        });
      });
      root.finish();
      expect(seen).toEqual({ middleSees: 'ot-root', leafSees: 'otel', grandChildSees: 'otel' });
      expect(parentOf(sdk.span('otel-middle'))).toBe(sdk.span('ot-root').spanContext().spanId);
      expect(parentOf(sdk.span('ot-leaf'))).toBe(sdk.span('otel-middle').spanContext().spanId);
      expect(parentOf(sdk.span('ot-grandchild'))).toBe(sdk.span('ot-leaf').spanContext().spanId);
      const traceId = sdk.span('ot-root').spanContext().traceId;
      for (const span of sdk.spans()) expect(span.spanContext().traceId).toBe(traceId);
    });

    it('should keep concurrent requests apart', async () => {
      const requests = Array.from({ length: 50 }, (_, i) => i);
      const seen = await Promise.all(
        requests.map(async (i) => {
          const root = shim.startSpan(`root-${i}`);
          root.setBaggageItem('request', String(i));
          return withSpan(root, async () => {
            await sleep(i % 3);
            const child = otel.startSpan(`otel-${i}`);
            await nextTurn();
            const ot = shim.startSpan(`ot-${i}`);
            const result = { otel: baggageItem('request'), ot: ot.getBaggageItem('request') };
            ot.finish();
            child.end();
            root.finish();
            return result;
          });
        }),
      );
      requests.forEach((i) => {
        expect(seen[i]).toEqual({ otel: String(i), ot: String(i) });
        expect(parentOf(sdk.span(`otel-${i}`))).toBe(sdk.span(`root-${i}`).spanContext().spanId);
        expect(parentOf(sdk.span(`ot-${i}`))).toBe(sdk.span(`root-${i}`).spanContext().spanId);
      });
    });
  });
});
