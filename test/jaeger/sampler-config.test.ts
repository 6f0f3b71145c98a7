import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JAEGER_DEBUG_TRACE_STATE_KEY } from '../../src/jaeger/constants';
import type { JaegerConfig, JaegerOptions, JaegerSamplerConfig } from '../../src/jaeger/configuration';
import { JaegerRemoteSampler } from '../../src/jaeger/remote-sampler';
import { createSampler } from '../../src/jaeger/sampler-config';
import type { SamplerSetup } from '../../src/jaeger/sampler-config';
import { captureDiag } from '../helpers/diag';
import { createTestSdk } from '../helpers/sdk';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClientSpan {
  finish(): void;
  _tags: Array<{ key: string; value: unknown }>;
}
interface JaegerClientRemoteSampler {
  _host: string;
  _port: number;
  _samplingPath: string;
  _refreshInterval: number;
  _sampler: { samplingRate: number };
  close(callback?: () => void): void;
}
interface JaegerClient {
  initTracer(config: object, options: object): { startSpan(name: string): JaegerClientSpan; close(callback?: () => void): void };
  InMemoryReporter: new () => object;
  RemoteSampler: new (serviceName: string, options?: object) => JaegerClientRemoteSampler;
  ProbabilisticSampler: new (samplingRate: number) => object;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

const noopLogger = { info: (): void => undefined, error: (): void => undefined };
const SAMPLED_PARENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Every setup a test makes, closed after it (remote samplers poll until closed). */
const setups: SamplerSetup[] = [];

afterEach(async () => {
  await Promise.all(setups.splice(0).map((setup) => setup.close?.()));
});

function setupFor(sampler: JaegerSamplerConfig | undefined, options: JaegerOptions = {}): SamplerSetup {
  const config: JaegerConfig = { serviceName: 'checkout', sampler };
  const setup = createSampler(config, options);
  setups.push(setup);
  return setup;
}

/** Starts and ends one span with a real SDK provider using the sampler; the exported span, if any. */
function sample(setup: SamplerSetup, attributes: Attributes = {}, context: Context = ROOT_CONTEXT): ReadableSpan | undefined {
  const sdk = createTestSdk({ sampler: setup.sampler });
  sdk.provider.getTracer('test').startSpan('op', { attributes }, context).end();
  return sdk.spans()[0];
}

function parent(sampled: boolean): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: SAMPLED_PARENT_TRACE_ID,
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

/** The sampler tags jaeger-client puts on a root span for this sampler config. */
function jaegerClientSamplerTags(sampler: JaegerSamplerConfig): Record<string, unknown> {
  const tracer = jaeger.initTracer({ serviceName: 'checkout', sampler }, { logger: noopLogger, reporter: new jaeger.InMemoryReporter() });
  const span = tracer.startSpan('op');
  span.finish();
  tracer.close();
  return Object.fromEntries(span._tags.filter((tag) => tag.key.startsWith('sampler.')).map((tag) => [tag.key, tag.value]));
}

function samplerTags(span: ReadableSpan | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span?.attributes ?? {}).filter(([key]) => key.startsWith('sampler.')));
}

function remoteOf(setup: SamplerSetup): JaegerRemoteSampler {
  // White-box: the JaegerSampler wraps the root sampler, which is what jaeger-client configures.
  const root = (setup.sampler as unknown as { _root: unknown })._root;
  expect(root).toBeInstanceOf(JaegerRemoteSampler);
  return root as JaegerRemoteSampler;
}

/** Where a remote sampler polls, read from private fields of both libraries (neither exposes them). */
function pollTarget(sampler: JaegerRemoteSampler): { host: string; port: number; path: string; refreshIntervalMs: number; initialRate: unknown } {
  const fields = sampler as unknown as { _host: string; _port: number; _path: string; _refreshIntervalMs: number };
  return {
    host: fields._host,
    port: fields._port,
    path: fields._path.split('?')[0],
    refreshIntervalMs: fields._refreshIntervalMs,
    initialRate: sampler.currentSamplerDescription().param,
  };
}

function jaegerClientPollTarget(options: object): { host: string; port: number; path: string; refreshIntervalMs: number; initialRate: unknown } {
  const sampler = new jaeger.RemoteSampler('checkout', { logger: noopLogger, ...options });
  sampler.close();
  return {
    host: sampler._host,
    port: sampler._port,
    path: sampler._samplingPath,
    refreshIntervalMs: sampler._refreshInterval,
    initialRate: sampler._sampler.samplingRate,
  };
}

describe('createSampler', () => {
  describe('const', () => {
    it('should sample every root span with param 1 and tag it as jaeger-client does', () => {
      const span = sample(setupFor({ type: 'const', param: 1 }));

      expect(span).toBeDefined();
      expect(samplerTags(span)).toEqual({ 'sampler.type': 'const', 'sampler.param': true });
      expect(samplerTags(span)).toEqual(jaegerClientSamplerTags({ type: 'const', param: 1 }));
    });

    it.each([0, 2, 0.5])('should sample nothing with param %s (jaeger-client: param === 1)', (param) => {
      expect(sample(setupFor({ type: 'const', param }))).toBeUndefined();
    });

    it('should need no closing', () => {
      expect(setupFor({ type: 'const', param: 1 }).close).toBeUndefined();
    });
  });

  describe('probabilistic', () => {
    it('should sample with rate 1 and tag the rate as jaeger-client does', () => {
      const span = sample(setupFor({ type: 'probabilistic', param: 1 }));

      expect(samplerTags(span)).toEqual({ 'sampler.type': 'probabilistic', 'sampler.param': 1 });
      expect(samplerTags(span)).toEqual(jaegerClientSamplerTags({ type: 'probabilistic', param: 1 }));
    });

    it('should sample nothing with rate 0', () => {
      expect(sample(setupFor({ type: 'probabilistic', param: 0 }))).toBeUndefined();
    });
  });

  describe('ratelimiting', () => {
    it('should sample within the limit and tag the limit as jaeger-client does', () => {
      // So high a limit that the random initial balance cannot be below one credit.
      const config = { type: 'ratelimiting', param: 1e9 };
      const span = sample(setupFor(config));

      expect(samplerTags(span)).toEqual({ 'sampler.type': 'ratelimiting', 'sampler.param': 1e9 });
      expect(samplerTags(span)).toEqual(jaegerClientSamplerTags(config));
    });

    it('should sample nothing with a limit of 0', () => {
      expect(sample(setupFor({ type: 'ratelimiting', param: 0 }))).toBeUndefined();
    });
  });

  describe('remote', () => {
    it('should poll where jaeger-client polls, with the param as the initial rate', () => {
      const setup = setupFor({ type: 'remote', param: 0.25, hostPort: 'agent:5779', samplingPath: '/strategies', refreshIntervalMs: 1234 });

      expect(setup.close).toEqual(expect.any(Function));
      expect(pollTarget(remoteOf(setup))).toEqual(
        jaegerClientPollTarget({ hostPort: 'agent:5779', samplingPath: '/strategies', refreshInterval: 1234, sampler: new jaeger.ProbabilisticSampler(0.25) }),
      );
      expect(pollTarget(remoteOf(setup))).toEqual({ host: 'agent', port: 5779, path: '/strategies', refreshIntervalMs: 1234, initialRate: 0.25 });
    });

    it('should take host and port when there is no hostPort', () => {
      const setup = setupFor({ type: 'remote', param: 0.5, host: 'sampling.local', port: 6000 });

      expect(pollTarget(remoteOf(setup))).toMatchObject({ host: 'sampling.local', port: 6000, path: '/sampling' });
    });

    it('should read an empty hostPort and a zero port as unset, as jaeger-client does', () => {
      let setup: SamplerSetup | undefined;
      expect(() => {
        setup = setupFor({ type: 'remote', param: 0.5, hostPort: '', host: '', port: 0, samplingPath: '' });
      }).not.toThrow();

      expect(pollTarget(remoteOf(setup!))).toEqual(
        jaegerClientPollTarget({ hostPort: '', host: '', port: 0, samplingPath: '', sampler: new jaeger.ProbabilisticSampler(0.5) }),
      );
    });
  });

  describe('no sampler', () => {
    it("should be a remote sampler with jaeger-client's defaults (0.0.0.0:5778/sampling, 0.001, 60 s)", () => {
      const setup = setupFor(undefined);

      expect(setup.close).toEqual(expect.any(Function));
      expect(pollTarget(remoteOf(setup))).toEqual(jaegerClientPollTarget({}));
      expect(pollTarget(remoteOf(setup))).toEqual({ host: '0.0.0.0', port: 5778, path: '/sampling', refreshIntervalMs: 60000, initialRate: 0.001 });
    });
  });

  describe('sampler.param', () => {
    it.each([
      ['a string', '1'],
      ['undefined', undefined],
      ['null', null],
      ['a boolean', true],
    ])('should throw the error jaeger-client throws for %s', (_name, param) => {
      const sampler = { type: 'const', param } as unknown as JaegerSamplerConfig;
      let expected: unknown;
      try {
        jaeger.initTracer({ serviceName: 'checkout', sampler }, { logger: noopLogger });
      } catch (error) {
        expected = error;
      }

      expect(expected).toBeInstanceOf(Error);
      expect(() => setupFor(sampler)).toThrow((expected as Error).message);
      expect((expected as Error).message).toBe(`Expecting sampler.param to be a number. Received ${String(param)}`);
    });

    it('should describe a param that cannot be converted to a string in the error, where jaeger-client throws a TypeError', () => {
      const sampler = { type: 'const', param: Object.create(null) } as unknown as JaegerSamplerConfig;

      expect(() => setupFor(sampler)).toThrow(new Error('Expecting sampler.param to be a number. Received {}'));
    });
  });

  describe('unknown type', () => {
    it('should sample nothing, like jaeger-client, and say why through diag', () => {
      const diag = captureDiag();
      try {
        const span = sample(setupFor({ type: 'lowerbound', param: 1 }));

        expect(span).toBeUndefined();
        expect(diag.matching('unknown sampler.type "lowerbound"')).toHaveLength(1);
      } finally {
        diag.stop();
      }
    });

    it('should report a type that cannot be written as JSON (a cyclic object) the same way', () => {
      const diag = captureDiag();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      try {
        const span = sample(setupFor({ type: cyclic as unknown as string, param: 1 }));

        expect(span).toBeUndefined();
        expect(diag.matching('unknown sampler.type {"self":"[Circular]"}')).toHaveLength(1);
      } finally {
        diag.stop();
      }
    });
  });

  describe('children', () => {
    it('should sample a child of a sampled parent even when the sampler samples nothing', () => {
      const span = sample(setupFor({ type: 'const', param: 0 }), {}, parent(true));

      expect(span?.spanContext().traceId).toBe(SAMPLED_PARENT_TRACE_ID);
      expect(samplerTags(span)).toEqual({});
    });

    it('should not sample a child of an unsampled parent even when the sampler samples everything', () => {
      expect(sample(setupFor({ type: 'const', param: 1 }), {}, parent(false))).toBeUndefined();
    });
  });

  describe('debug', () => {
    it('should sample a root span with sampling.priority > 0 as a debug trace', () => {
      const span = sample(setupFor({ type: 'const', param: 0 }), { 'sampling.priority': 1 });

      expect(span?.spanContext().traceState?.get(JAEGER_DEBUG_TRACE_STATE_KEY)).toBe('1');
    });

    it('should sample a root span with a jaeger-debug-id as a debug trace', () => {
      const span = sample(setupFor({ type: 'const', param: 0 }), { 'jaeger-debug-id': 'corr-1' });

      expect(span?.spanContext().traceState?.get(JAEGER_DEBUG_TRACE_STATE_KEY)).toBe('1');
      expect(span?.attributes['jaeger-debug-id']).toBe('corr-1');
    });

    it('should ignore jaeger-debug-id with debugIdSampling: false', () => {
      expect(sample(setupFor({ type: 'const', param: 0 }, { debugIdSampling: false }), { 'jaeger-debug-id': 'corr-1' })).toBeUndefined();
    });

    it('should honour maxDebugIdsPerSecond', () => {
      const setup = setupFor({ type: 'const', param: 0 }, { maxDebugIdsPerSecond: 1 });

      const first = sample(setup, { 'jaeger-debug-id': 'corr-1' });
      const second = sample(setup, { 'jaeger-debug-id': 'corr-2' });

      expect(first).toBeDefined();
      expect(second).toBeUndefined();
    });
  });
});
