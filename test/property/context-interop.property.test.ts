import fc from 'fast-check';
import { ROOT_CONTEXT, context, createContextKey, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { activeSpan, contextWithSpan, withSpan } from '../../src/context-interop';
import { SpanContextShim } from '../../src/span-context-shim';
import { SpanShim } from '../../src/span-shim';
import { registerGlobals, resetGlobals } from '../helpers/sdk';
import { anyValue, contextSpec, throwingProxy } from './arbitraries';
import { TRACER_KINDS, World, isInstance, mustNotThrow } from './world';

// Properties of the context-interop helpers (withSpan, contextWithSpan, activeSpan) under an
// AsyncLocalStorage context manager: any argument, never a throw, and a valid span or context
// really becomes the active OpenTelemetry parent, with its baggage.
const SEED = 0x5eed_0200;
const RUNS = 200;

const MARK = createContextKey('property test mark');

interface Activation {
  readonly traceId: string;
  readonly spanId: string;
  readonly baggage: Map<string, string>;
}

/**
 * What a span or span context must make active, by docs/mapping.md, or undefined when the
 * argument must change nothing: this shim's spans and contexts (any copy); a Span's `context()`;
 * a foreign context whose `toTraceId()`/`toSpanId()` give non-zero hex ids (left-padded) or whose
 * `getSpanContext()` gives a valid OpenTelemetry span context.
 */
function expectedActivation(value: unknown, followSpan = true): Activation | undefined {
  try {
    if (isInstance(value, SpanShim)) return fromShim(value.context() as SpanContextShim);
    if (isInstance(value, SpanContextShim)) return fromShim(value);
    if (typeof value !== 'object' || value === null) return undefined;
    const candidate = value as Record<string, unknown>;
    if (typeof candidate.getSpanContext === 'function') {
      const spanContext = (candidate.getSpanContext as () => { traceId?: unknown; spanId?: unknown; traceFlags?: unknown })();
      if (typeof spanContext?.traceId === 'string' && typeof spanContext.spanId === 'string' && typeof spanContext.traceFlags === 'number') {
        const valid = isSpanContextValid(spanContext as never);
        return valid ? { traceId: spanContext.traceId, spanId: spanContext.spanId, baggage: new Map() } : undefined;
      }
    }
    if (typeof candidate.toTraceId === 'function' && typeof candidate.toSpanId === 'function') {
      const traceId = padHex((candidate.toTraceId as () => unknown)(), 32);
      const spanId = padHex((candidate.toSpanId as () => unknown)(), 16);
      return traceId === undefined || spanId === undefined ? undefined : { traceId, spanId, baggage: new Map() };
    }
    if (followSpan && typeof candidate.context === 'function') return expectedActivation((candidate.context as () => unknown)(), false);
  } catch {
    return undefined;
  }
  return undefined;
}

function fromShim(shim: SpanContextShim): Activation | undefined {
  const spanContext = shim.getSpanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return {
    spanId: spanContext.spanId,
    traceId: spanContext.traceId,
    baggage: new Map(
      shim
        .getBaggage()
        .getAllEntries()
        .map(([key, entry]) => [key, entry.value]),
    ),
  };
}

function padHex(value: unknown, length: number): string | undefined {
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-f]{1,${length}}$`, 'i').test(value)) return undefined;
  const id = value.toLowerCase().padStart(length, '0');
  return /^0+$/.test(id) ? undefined : id;
}

describe.each(TRACER_KINDS)('%s', (kind) => {
  let world: World;

  beforeAll(() => {
    registerGlobals();
    world = new World(kind);
  });

  afterAll(() => {
    world.diag.stop();
    resetGlobals();
  });

  it('withSpan calls fn once with thisArg and args, returns its result, and makes a valid span the parent of OpenTelemetry spans inside', () => {
    fc.assert(
      fc.property(contextSpec, anyValue, fc.array(anyValue, { maxLength: 3 }), (spec, thisArg, args) => {
        world.reset();
        const target = world.context(spec);
        const expected = expectedActivation(target);
        const outer = context.active().setValue(MARK, 'outer');
        const calls: Array<{ self: unknown; args: unknown[] }> = [];
        const result = context.with(outer, () =>
          mustNotThrow('withSpan', () =>
            withSpan(
              target as opentracing.Span,
              function inside(this: unknown, ...received: unknown[]) {
                calls.push({ self: this, args: received });
                const active = context.active();
                if (active.getValue(MARK) !== 'outer') throw new Error('withSpan dropped the values of the current context');
                const inner = world.sdk.provider.getTracer('otel').startSpan('otel inside');
                const parent = (inner as unknown as ReadableSpan).parentSpanContext?.spanId;
                inner.end();
                world.endedOtelSpan(inner.spanContext().spanId);
                if (expected !== undefined) {
                  if (trace.getSpan(active)?.spanContext().spanId !== expected.spanId) throw new Error('the span is not the active span');
                  if (parent !== expected.spanId) throw new Error('an OpenTelemetry span inside is not its child');
                  for (const [key, value] of expected.baggage) {
                    if (propagation.getBaggage(active)?.getEntry(key)?.value !== value) throw new Error(`baggage ${key} is not active`);
                  }
                  if (isInstance(target, SpanShim) && activeSpan() !== target) throw new Error('activeSpan() is not the span withSpan activated');
                } else if (trace.getSpan(active) !== undefined) {
                  throw new Error('an argument that is not a valid span made something active');
                }
                return 'result';
              },
              thisArg,
              ...args,
            ),
          ),
        );
        if (result !== 'result') throw new Error('withSpan did not return what fn returned');
        if (calls.length !== 1) throw new Error(`fn was called ${calls.length} times`);
        // AsyncLocalStorage.run calls fn with `this` null when no thisArg is given.
        const sameThis = thisArg === undefined || thisArg === null ? calls[0].self === undefined || calls[0].self === null : Object.is(calls[0].self, thisArg);
        if (!sameThis || calls[0].args.length !== args.length || calls[0].args.some((arg, i) => !Object.is(arg, args[i]))) {
          throw new Error('fn did not get thisArg and args');
        }
        world.verify();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('withSpan passes on what fn throws, unchanged', () => {
    fc.assert(
      fc.property(contextSpec, anyValue, (spec, thrown) => {
        world.reset();
        const target = world.context(spec);
        let caught: unknown = 'nothing';
        try {
          withSpan(target as opentracing.Span, () => {
            throw thrown;
          });
        } catch (error) {
          caught = error;
        }
        if (!Object.is(caught, thrown)) throw new Error('withSpan did not rethrow what fn threw');
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('contextWithSpan returns a Context, and the given one unchanged for anything that is not a valid span or span context', () => {
    fc.assert(
      fc.property(contextSpec, fc.constantFrom<'root' | 'marked' | 'garbage'>('root', 'marked', 'marked', 'garbage'), anyValue, (spec, base, garbage) => {
        world.reset();
        const target = world.context(spec);
        const ctx = base === 'root' ? ROOT_CONTEXT : base === 'marked' ? ROOT_CONTEXT.setValue(MARK, 'kept') : (garbage as Context);
        const result = mustNotThrow('contextWithSpan', () => contextWithSpan(ctx, target as opentracing.Span));
        if (base === 'garbage') return;
        if (typeof result?.getValue !== 'function') throw new Error('contextWithSpan did not return a Context');
        if (base === 'marked' && result.getValue(MARK) !== 'kept') throw new Error('contextWithSpan lost the values of the given context');
        const expected = expectedActivation(target);
        if (expected === undefined) {
          if (result !== ctx && trace.getSpan(result) !== undefined) throw new Error('an argument that is not a valid span was made active');
        } else if (trace.getSpan(result)?.spanContext().spanId !== expected.spanId) {
          throw new Error("the span is not the context's span");
        }
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });

  it('activeSpan never throws and gives null or a SpanShim, for any tracer argument, inside and outside withSpan', () => {
    fc.assert(
      fc.property(contextSpec, fc.oneof(fc.constant(undefined), anyValue), (spec, tracerArgument) => {
        world.reset();
        const target = world.context(spec);
        const check = (): void => {
          const active = mustNotThrow('activeSpan', () => activeSpan(tracerArgument as opentracing.Tracer));
          if (active !== null && !isInstance(active, SpanShim)) throw new Error('activeSpan returned neither null nor a SpanShim');
          if (active !== null) mustNotThrow('activeSpan().context().toSpanId()', () => active.context().toSpanId());
        };
        check();
        mustNotThrow('withSpan', () => withSpan(target as opentracing.Span, check));
      }),
      { seed: SEED + 3, numRuns: RUNS },
    );
  });

  describe('found by the properties', () => {
    it('withSpan runs fn in the current context when the span is a Proxy that throws on every trap', () => {
      expect(withSpan(throwingProxy() as opentracing.Span, () => 'ran')).toBe('ran');
    });
  });
});
