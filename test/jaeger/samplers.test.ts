import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import {
  ConstSampler,
  PrioritySampler,
  ProbabilisticSampler,
  RateLimitingSampler,
  RemoteSampler,
  TagEqualsSampler,
  toSampler,
} from '../../src/jaeger/samplers';
import type { LegacySampler } from '../../src/jaeger/samplers';
import { captureDiag } from '../helpers/diag';
import { createTestSdk } from '../helpers/sdk';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function decide(sampler: { shouldSample: Sampler['shouldSample'] }, attributes = {}): ReturnType<Sampler['shouldSample']> {
  return sampler.shouldSample(ROOT_CONTEXT, TRACE_ID, 'op', SpanKind.INTERNAL, attributes, []);
}

describe('as OpenTelemetry samplers', () => {
  it("should sample in a real SDK provider with jaeger-client's tags", () => {
    const sdk = createTestSdk({ sampler: new ConstSampler(true) as Sampler });
    sdk.provider.getTracer('test').startSpan('root').end();
    expect(sdk.span('root').attributes).toEqual({ 'sampler.type': 'const', 'sampler.param': true });
  });

  it('should decide each span with ProbabilisticSampler.random(), as jaeger-client', () => {
    const sampler = new ProbabilisticSampler(0.5);
    sampler.random = () => 0.49;
    expect(decide(sampler)).toEqual({ decision: 2, attributes: { 'sampler.type': 'probabilistic', 'sampler.param': 0.5 } });
    sampler.random = () => 0.5;
    expect(decide(sampler)).toEqual({ decision: 0 });
  });

  it('should spend one credit per span with RateLimitingSampler', () => {
    const sampler = new RateLimitingSampler(2, 2);
    expect([decide(sampler).decision, decide(sampler).decision, decide(sampler).decision]).toEqual([2, 2, 0]);
  });
});

describe('set-up and updates', () => {
  it('should refuse a rate limit that is negative or not a number at construction', () => {
    expect(() => new RateLimitingSampler(-1)).toThrow(RangeError);
    expect(() => new RateLimitingSampler(NaN)).toThrow(RangeError);
    expect(() => new ProbabilisticSampler('0.5' as unknown as number)).toThrow('The sampling rate must be between 0.0 and 1.0');
  });

  it('should ignore an update out of range, with a diag warning, and keep the setting', () => {
    const capture = captureDiag();
    try {
      const probabilistic = new ProbabilisticSampler(0.1);
      const limited = new RateLimitingSampler(5);
      expect(probabilistic.update(2)).toBe(false);
      expect(limited.update(-3)).toBe(false);
      expect([probabilistic.samplingRate, limited.maxTracesPerSecond]).toEqual([0.1, 5]);
      expect(capture.messages).toHaveLength(2);
    } finally {
      capture.stop();
    }
  });

  it('should not sample, and warn once, when a replaced random() throws', () => {
    const capture = captureDiag();
    try {
      const sampler = new ProbabilisticSampler(1);
      sampler.random = () => {
        throw new Error('no entropy');
      };
      expect(decide(sampler).decision).toBe(0);
      expect(capture.matching('no entropy')).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });

  it('should decide even when the tags object refuses writes', () => {
    expect(new ConstSampler(true).isSampled('op', Object.freeze({}))).toBe(true);
  });
});

describe('toSampler', () => {
  it('should adapt a jaeger-client sampler (isSampled) with its tags, and keep OpenTelemetry ones', () => {
    const legacy: LegacySampler = {
      isSampled: (operationName, tags) => {
        tags['sampler.type'] = 'custom';
        return operationName === 'keep';
      },
    };
    const adapted = toSampler(legacy) as Sampler;
    expect(adapted.shouldSample(ROOT_CONTEXT, TRACE_ID, 'keep', SpanKind.INTERNAL, {}, [])).toEqual({ decision: 2, attributes: { 'sampler.type': 'custom' } });
    expect(adapted.shouldSample(ROOT_CONTEXT, TRACE_ID, 'drop', SpanKind.INTERNAL, {}, []).decision).toBe(0);
    const otel = new AlwaysOnSampler();
    expect(toSampler(otel)).toBe(otel);
    expect(toSampler('const')).toBeUndefined();
  });

  it('should not sample, and warn once, when a jaeger-client sampler throws', () => {
    const capture = captureDiag();
    try {
      const adapted = toSampler({
        isSampled: () => {
          throw new Error('sampler bug');
        },
      }) as Sampler;
      expect(adapted.shouldSample(ROOT_CONTEXT, TRACE_ID, 'op', SpanKind.INTERNAL, {}, []).decision).toBe(0);
      expect(adapted.shouldSample(ROOT_CONTEXT, TRACE_ID, 'op', SpanKind.INTERNAL, {}, []).decision).toBe(0);
      expect(capture.matching('sampler bug')).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });
});

describe('RemoteSampler', () => {
  it('should accept what it cannot honour with one warning each, and stop on close', async () => {
    const capture = captureDiag();
    try {
      const sampler = new RemoteSampler('checkout', {
        refreshInterval: 0,
        maxOperations: 10,
        onSamplerUpdate: () => undefined,
        sampler: new ConstSampler(true),
      });
      expect(capture.messages).toHaveLength(3);
      // The initial sampler stays the default 0.001 rate: almost surely not sampled by a fixed id.
      expect(String(sampler)).toBe('RemoteSampler(serviceName=checkout)');
      await new Promise<void>((resolve) => sampler.close(resolve));
    } finally {
      capture.stop();
    }
  });
});

describe('experimental samplers', () => {
  it('TagEqualsSampler should sample by a start attribute and set the firehose trace state', () => {
    const sampler = TagEqualsSampler.fromStrategy({ key: 'tenant', values: { vip: { firehose: true }, gold: {} } });
    const vip = decide(sampler, { tenant: 'vip' });
    expect(vip.decision).toBe(2);
    expect(vip.traceState?.get('jaeger-firehose')).toBe('1');
    expect(decide(sampler, { tenant: 'gold' })).toEqual({ decision: 2, attributes: { 'sampler.type': 'TagEqualsSampler', 'sampler.param': 'gold' } });
    expect(decide(sampler, { tenant: 'other' }).decision).toBe(0);
    expect(decide(sampler).decision).toBe(0);
  });

  it('PrioritySampler should take the first sampler that samples, skipping what is not a sampler', () => {
    const capture = captureDiag();
    try {
      const sampler = new PrioritySampler([new ConstSampler(false), 'nope', new ConstSampler(true)]);
      expect(decide(sampler)).toEqual({ decision: 2, attributes: { 'sampler.type': 'const', 'sampler.param': true } });
      expect(new PrioritySampler([new ConstSampler(false)]).shouldSample(ROOT_CONTEXT, TRACE_ID, 'op', SpanKind.INTERNAL, {}, []).decision).toBe(0);
      expect(capture.matching('PrioritySampler')).toHaveLength(1);
    } finally {
      capture.stop();
    }
  });
});

describe('with a parent', () => {
  it('should leave parent-following to JaegerSampler: alone, it decides for every span', () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: 0 });
    expect(new ConstSampler(true).shouldSample(parent, TRACE_ID, 'op').decision).toBe(2);
  });
});
