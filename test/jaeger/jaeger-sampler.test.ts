import { ROOT_CONTEXT, TraceFlags, createTraceState, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, SpanContext, TraceState } from '@opentelemetry/api';
import { AlwaysOffSampler, AlwaysOnSampler, SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';
import { JAEGER_DEBUG_ID_KEY, JAEGER_DEBUG_TRACE_STATE_KEY } from '../../src/jaeger/constants';
import { SAMPLER_PARAM_TAG_KEY, SAMPLER_TYPE_TAG_KEY, SAMPLING_PRIORITY_TAG_KEY } from '../../src/jaeger/constants';
import { JaegerSampler } from '../../src/jaeger/jaeger-sampler';
import type { JaegerSamplerOptions } from '../../src/jaeger/jaeger-sampler';
import { RecordingSampler } from '../helpers/recording-sampler';
import { createTestSdk } from '../helpers/sdk';
import type { TestSdk } from '../helpers/sdk';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClient {
  initTracer(
    config: object,
    options: object,
  ): {
    startSpan(name: string, options?: object): { finish(): void; _tags: Array<{ key: string; value: unknown }> };
    close(callback?: () => void): void;
  };
  InMemoryReporter: new () => object;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

const TRACE_ID = '0000000000000000a1b2c3d4e5f60718';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const CONST_TRUE = { type: 'const', param: true };

/** A sampler that refuses everything and counts how often it was asked. */
class CountingOffSampler implements Sampler {
  calls = 0;
  shouldSample(): SamplingResult {
    this.calls++;
    return { decision: SamplingDecision.NOT_RECORD };
  }
  toString(): string {
    return 'CountingOff';
  }
}

function sdkWith(options: JaegerSamplerOptions): TestSdk {
  return createTestSdk({ sampler: new JaegerSampler(options) });
}

/** Starts and ends a span, returning its context (for non-recording spans too). */
function run(sdk: TestSdk, name: string, attributes: Attributes = {}, context: Context = ROOT_CONTEXT): Span {
  const span = sdk.provider.getTracer('test').startSpan(name, { attributes }, context);
  span.end();
  return span;
}

function remoteParent(overrides: Partial<SpanContext> = {}): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: PARENT_SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true, ...overrides });
}

function isSampled(span: Span): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
}

function debugFlag(span: Span): string | undefined {
  return span.spanContext().traceState?.get(JAEGER_DEBUG_TRACE_STATE_KEY);
}

function debugState(): TraceState {
  return createTraceState().set('vendor', 'x').set(JAEGER_DEBUG_TRACE_STATE_KEY, '1');
}

describe('JaegerSampler', () => {
  describe('root spans', () => {
    it('should tag a root span the root sampler sampled with sampler.type and sampler.param', () => {
      const sdk = sdkWith({ root: new AlwaysOnSampler(), description: CONST_TRUE });
      const span = run(sdk, 'root');
      expect(isSampled(span)).toBe(true);
      expect(sdk.span('root').attributes).toEqual({ [SAMPLER_TYPE_TAG_KEY]: 'const', [SAMPLER_PARAM_TAG_KEY]: true });
      expect(debugFlag(span)).toBeUndefined();
    });

    it('should write a numeric sampler.param for a probabilistic root sampler', () => {
      const sdk = sdkWith({ root: new TraceIdRatioBasedSampler(1), description: { type: 'probabilistic', param: 1 } });
      run(sdk, 'root', { keep: 'me' });
      expect(sdk.span('root').attributes).toEqual({ keep: 'me', [SAMPLER_TYPE_TAG_KEY]: 'probabilistic', [SAMPLER_PARAM_TAG_KEY]: 1 });
    });

    it('should keep the sampler tags the root sampler returns itself', () => {
      const own: Sampler = {
        shouldSample: () => ({
          decision: SamplingDecision.RECORD_AND_SAMPLED,
          attributes: { [SAMPLER_TYPE_TAG_KEY]: 'lowerbound', [SAMPLER_PARAM_TAG_KEY]: 0.25 },
        }),
        toString: () => 'own',
      };
      const sdk = sdkWith({ root: own, description: CONST_TRUE });
      run(sdk, 'root');
      expect(sdk.span('root').attributes).toEqual({ [SAMPLER_TYPE_TAG_KEY]: 'lowerbound', [SAMPLER_PARAM_TAG_KEY]: 0.25 });
    });

    it('should add no tags without a description', () => {
      const sdk = sdkWith({ root: new AlwaysOnSampler() });
      run(sdk, 'root');
      expect(sdk.span('root').attributes).toEqual({});
    });

    it('should drop a root span the root sampler did not sample, without tags', () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler(), description: { type: 'const', param: false } });
      const span = run(sdk, 'root');
      expect(isSampled(span)).toBe(false);
      expect(span.isRecording()).toBe(false);
      expect(sdk.spans()).toHaveLength(0);
    });

    it('should pass the span name and start attributes to the root sampler', () => {
      const root = new RecordingSampler();
      const sdk = sdkWith({ root });
      run(sdk, 'GET /users', { 'http.method': 'GET' });
      expect(root.calls).toHaveLength(1);
      expect(root.calls[0].spanName).toBe('GET /users');
      expect(root.calls[0].attributes).toEqual({ 'http.method': 'GET' });
    });

    it('should treat an invalid parent span context as no parent', () => {
      const sdk = sdkWith({ root: new AlwaysOnSampler(), description: CONST_TRUE });
      const invalid = remoteParent({ traceId: '0'.repeat(32), traceFlags: TraceFlags.NONE });
      const span = run(sdk, 'root', {}, invalid);
      expect(isSampled(span)).toBe(true);
      expect(span.spanContext().traceId).not.toBe('0'.repeat(32));
    });
  });

  describe('children', () => {
    it('should sample a child of a sampled local parent without asking the root sampler', () => {
      const root = new CountingOffSampler();
      const sdk = sdkWith({ root, description: CONST_TRUE });
      const parent = sdk.provider.getTracer('test').startSpan('parent', { attributes: { [SAMPLING_PRIORITY_TAG_KEY]: 1 } });
      const child = run(sdk, 'child', {}, trace.setSpan(ROOT_CONTEXT, parent));
      parent.end();
      expect(isSampled(child)).toBe(true);
      expect(root.calls).toBe(0);
      expect(sdk.span('child').attributes).toEqual({});
      expect(sdk.span('child').parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    });

    it('should sample a child of a sampled remote parent even when the root sampler samples nothing', () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler() });
      const child = run(sdk, 'child', {}, remoteParent());
      expect(isSampled(child)).toBe(true);
      expect(sdk.span('child').spanContext().traceId).toBe(TRACE_ID);
    });

    it('should drop a child of an unsampled parent even when the root sampler samples everything', () => {
      const sdk = sdkWith({ root: new AlwaysOnSampler(), description: CONST_TRUE });
      const child = run(sdk, 'child', {}, remoteParent({ traceFlags: TraceFlags.NONE }));
      expect(isSampled(child)).toBe(false);
      expect(sdk.spans()).toHaveLength(0);
    });

    it("should pass the parent's TraceState, debug flag included, on to the child", () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler() });
      const child = run(sdk, 'child', {}, remoteParent({ traceState: debugState() }));
      expect(child.spanContext().traceState?.serialize()).toBe(debugState().serialize());
    });

    it('should keep the debug flag on grandchildren of a debug span', () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler() });
      const tracer = sdk.provider.getTracer('test');
      const root = tracer.startSpan('root', { attributes: { [SAMPLING_PRIORITY_TAG_KEY]: 1 } });
      const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
      const grandchild = run(sdk, 'grandchild', {}, trace.setSpan(ROOT_CONTEXT, child));
      expect(isSampled(grandchild)).toBe(true);
      expect(debugFlag(grandchild)).toBe('1');
    });
  });

  describe('sampling.priority', () => {
    it.each([1, '1', 2, ' 5 '])('should force a root span to be sampled with the debug flag for %p', (priority) => {
      const root = new CountingOffSampler();
      const sdk = sdkWith({ root, description: CONST_TRUE });
      const span = run(sdk, 'root', { [SAMPLING_PRIORITY_TAG_KEY]: priority });
      expect(isSampled(span)).toBe(true);
      expect(debugFlag(span)).toBe('1');
      expect(root.calls).toBe(0);
      expect(sdk.span('root').attributes).toEqual({ [SAMPLING_PRIORITY_TAG_KEY]: priority });
    });

    it('should force a child of an unsampled parent to be sampled, keeping the other TraceState entries', () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler() });
      const parent = remoteParent({ traceFlags: TraceFlags.NONE, traceState: createTraceState('vendor=x') });
      const child = run(sdk, 'child', { [SAMPLING_PRIORITY_TAG_KEY]: 1 }, parent);
      expect(isSampled(child)).toBe(true);
      expect(child.spanContext().traceState?.get('vendor')).toBe('x');
      expect(debugFlag(child)).toBe('1');
      expect(child.spanContext().traceId).toBe(TRACE_ID);
    });

    it.each([0, '0', -1])('should drop a root span the root sampler would sample for %p', (priority) => {
      const sdk = sdkWith({ root: new AlwaysOnSampler(), description: CONST_TRUE });
      const span = run(sdk, 'root', { [SAMPLING_PRIORITY_TAG_KEY]: priority });
      expect(isSampled(span)).toBe(false);
      expect(sdk.spans()).toHaveLength(0);
    });

    it('should drop a child of a debug parent and clear the debug flag for its descendants', () => {
      const sdk = sdkWith({ root: new AlwaysOnSampler() });
      const child = run(sdk, 'child', { [SAMPLING_PRIORITY_TAG_KEY]: 0 }, remoteParent({ traceState: debugState() }));
      expect(isSampled(child)).toBe(false);
      expect(debugFlag(child)).toBeUndefined();
      expect(child.spanContext().traceState?.get('vendor')).toBe('x');
      const grandchild = run(sdk, 'grandchild', {}, trace.setSpan(ROOT_CONTEXT, child));
      expect(isSampled(grandchild)).toBe(false);
      expect(sdk.spans()).toHaveLength(0);
    });

    it.each(['yes', '', true, [1]])('should ignore the non-numeric value %p', (priority) => {
      const sdk = sdkWith({ root: new AlwaysOnSampler(), description: CONST_TRUE });
      const span = run(sdk, 'root', { [SAMPLING_PRIORITY_TAG_KEY]: priority });
      expect(isSampled(span)).toBe(true);
      expect(debugFlag(span)).toBeUndefined();
      expect(sdk.span('root').attributes[SAMPLER_TYPE_TAG_KEY]).toBe('const');
    });
  });

  describe('jaeger-debug-id', () => {
    it('should force a root span with a jaeger-debug-id start attribute to be sampled with the debug flag', () => {
      const root = new CountingOffSampler();
      const sdk = sdkWith({ root });
      const span = run(sdk, 'root', { 'jaeger-debug-id': 'corr-1' });
      expect(isSampled(span)).toBe(true);
      expect(debugFlag(span)).toBe('1');
      expect(root.calls).toBe(0);
      expect(sdk.span('root').attributes).toEqual({ 'jaeger-debug-id': 'corr-1' });
    });

    it('should honour the debug id extract left in the context and tag the span with it', () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler() });
      const span = run(sdk, 'root', {}, ROOT_CONTEXT.setValue(JAEGER_DEBUG_ID_KEY, 'corr-2'));
      expect(isSampled(span)).toBe(true);
      expect(debugFlag(span)).toBe('1');
      expect(sdk.span('root').attributes).toEqual({ 'jaeger-debug-id': 'corr-2' });
    });

    it('should tag a span forced by sampling.priority with the debug id from the context', () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler(), maxDebugIdsPerSecond: 0 });
      run(sdk, 'root', { [SAMPLING_PRIORITY_TAG_KEY]: 1 }, ROOT_CONTEXT.setValue(JAEGER_DEBUG_ID_KEY, 'corr-3'));
      expect(sdk.span('root').attributes).toEqual({ [SAMPLING_PRIORITY_TAG_KEY]: 1, 'jaeger-debug-id': 'corr-3' });
    });

    it('should follow a valid parent, as jaeger-client uses a debug id only when there is no trace', () => {
      const sdk = sdkWith({ root: new AlwaysOnSampler() });
      const parent = remoteParent({ traceFlags: TraceFlags.NONE }).setValue(JAEGER_DEBUG_ID_KEY, 'corr-4');
      const child = run(sdk, 'child', { 'jaeger-debug-id': 'corr-4' }, parent);
      expect(isSampled(child)).toBe(false);
    });

    it('should honour at most maxDebugIdsPerSecond debug ids per second, 10 by default', () => {
      let now = 0;
      const sdk = sdkWith({ root: new AlwaysOffSampler(), now: () => now });
      const forced = (count: number): number => Array.from({ length: count }, () => run(sdk, 'root', { 'jaeger-debug-id': 'corr' })).filter(isSampled).length;
      expect(forced(25)).toBe(10);
      now += 100;
      expect(forced(5)).toBe(1);
      now += 60_000;
      expect(forced(25)).toBe(10);
    });

    it('should ignore debug ids when maxDebugIdsPerSecond is 0', () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler(), maxDebugIdsPerSecond: 0 });
      const span = run(sdk, 'root', {}, ROOT_CONTEXT.setValue(JAEGER_DEBUG_ID_KEY, 'corr'));
      expect(isSampled(span)).toBe(false);
    });

    it('should let a throttled debug id fall back to the root sampler', () => {
      const now = 0;
      const sdk = sdkWith({ root: new AlwaysOnSampler(), description: CONST_TRUE, maxDebugIdsPerSecond: 1, now: () => now });
      run(sdk, 'first', {}, ROOT_CONTEXT.setValue(JAEGER_DEBUG_ID_KEY, 'corr'));
      const second = run(sdk, 'second', {}, ROOT_CONTEXT.setValue(JAEGER_DEBUG_ID_KEY, 'corr'));
      expect(debugFlag(second)).toBeUndefined();
      expect(sdk.span('second').attributes).toEqual({ [SAMPLER_TYPE_TAG_KEY]: 'const', [SAMPLER_PARAM_TAG_KEY]: true });
    });

    it('should honour every debug id when maxDebugIdsPerSecond is Infinity, as jaeger-client by default', () => {
      const sdk = sdkWith({ root: new AlwaysOffSampler(), maxDebugIdsPerSecond: Infinity });
      const spans = Array.from({ length: 500 }, () => run(sdk, 'root', { 'jaeger-debug-id': 'corr' }));
      expect(spans.filter(isSampled)).toHaveLength(500);
    });

    it.each([-1, NaN])('should refuse maxDebugIdsPerSecond %p at set-up', (max) => {
      expect(() => new JaegerSampler({ root: new AlwaysOnSampler(), maxDebugIdsPerSecond: max })).toThrow(RangeError);
    });

    it('should refuse, with a RangeError that describes it, a maxDebugIdsPerSecond that cannot be converted to a string', () => {
      const max = [Symbol('rate')] as unknown as number;

      expect(() => new JaegerSampler({ root: new AlwaysOnSampler(), maxDebugIdsPerSecond: max })).toThrow(
        new RangeError('maxDebugIdsPerSecond must be a number >= 0 or Infinity, got ["Symbol(rate)"]'),
      );
    });
  });

  it('should describe itself with its root sampler', () => {
    expect(new JaegerSampler({ root: new TraceIdRatioBasedSampler(0.5) }).toString()).toBe(
      'JaegerSampler(root=TraceIdRatioBased{0.5}, maxDebugIdsPerSecond=10)',
    );
  });

  describe('jaeger-client parity', () => {
    function jaegerRootTags(sampler: object): Record<string, unknown> {
      const tracer = jaeger.initTracer(
        { serviceName: 'parity', sampler },
        { reporter: new jaeger.InMemoryReporter(), logger: { info: () => undefined, error: () => undefined } },
      );
      const span = tracer.startSpan('root');
      span.finish();
      tracer.close();
      return Object.fromEntries(span._tags.filter(({ key }) => key.startsWith('sampler.')).map(({ key, value }) => [key, value]));
    }

    it('should match the tags jaeger-client writes for const and probabilistic samplers', () => {
      const constSdk = sdkWith({ root: new AlwaysOnSampler(), description: CONST_TRUE });
      run(constSdk, 'root');
      expect(constSdk.span('root').attributes).toEqual(jaegerRootTags({ type: 'const', param: 1 }));

      const ratioSdk = sdkWith({ root: new TraceIdRatioBasedSampler(1), description: { type: 'probabilistic', param: 1 } });
      run(ratioSdk, 'root');
      expect(ratioSdk.span('root').attributes).toEqual(jaegerRootTags({ type: 'probabilistic', param: 1 }));
    });
  });
});
