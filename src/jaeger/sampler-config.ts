import { describeValue } from '../attributes';
import { logger } from '../logger';
import { sdkLine } from '../otel-sdk/sdk-line';
import type { Sampler } from '../otel-sdk/types';
import type { JaegerConfig, JaegerOptions } from './configuration';
import { JaegerSampler } from './jaeger-sampler';
import type { JaegerSamplerDescription } from './jaeger-sampler';
import { RateLimitingSampler } from './rate-limiting-sampler';
import { JaegerRemoteSampler } from './remote-sampler';

/** The OpenTelemetry sampler for a jaeger-client config, and what `close()` must stop. */
export interface SamplerSetup {
  readonly sampler: Sampler;
  readonly close: (() => Promise<void>) | undefined;
}

/**
 * Builds the sampler jaeger-client 3.19 would (src/configuration.js `_getSampler`): `const`
 * (param 1 samples all, anything else none), `probabilistic` (rate), `ratelimiting` (traces per
 * second), `remote` (polls the sampling endpoint; param is the initial rate); no `sampler`: remote
 * with jaeger-client's defaults. Each is wrapped in a `JaegerSampler`, which adds jaeger-client's
 * parent-following, `sampling.priority`, `jaeger-debug-id` and `sampler.type`/`sampler.param`.
 *
 * Throws `Expecting sampler.param to be a number. Received X` like jaeger-client (set-up time).
 * An unknown type samples nothing, as jaeger-client's fallback `ConstSampler(false)` does, and is
 * reported through `diag` (jaeger-client is silent).
 */
export function createSampler(config: JaegerConfig, options: JaegerOptions): SamplerSetup {
  const maxDebugIdsPerSecond = options.debugIdSampling === false ? 0 : options.maxDebugIdsPerSecond;
  const serviceName = config.serviceName as string;
  const sampler = config.sampler;
  if (sampler === undefined || sampler === null) {
    const remote = new JaegerRemoteSampler({ serviceName });
    return { sampler: new JaegerSampler({ root: remote, maxDebugIdsPerSecond }), close: () => remote.close() };
  }
  const { type, param } = sampler;
  if (typeof param !== 'number') throw new Error(`Expecting sampler.param to be a number. Received ${describeValue(param)}`);

  let root: Sampler;
  let description: JaegerSamplerDescription | undefined;
  let close: (() => Promise<void>) | undefined;
  switch (type) {
    case 'const':
      root = param === 1 ? sdkLine().createAlwaysOnSampler() : sdkLine().createAlwaysOffSampler();
      description = { type: 'const', param: param === 1 };
      break;
    case 'probabilistic':
      root = sdkLine().createTraceIdRatioBasedSampler(param);
      description = { type: 'probabilistic', param };
      break;
    case 'ratelimiting':
      root = new RateLimitingSampler(param);
      description = { type: 'ratelimiting', param };
      break;
    case 'remote': {
      // jaeger-client reads an empty hostPort and a zero port as unset (`options.x || default`).
      const remote = new JaegerRemoteSampler({
        serviceName,
        hostPort: sampler.hostPort || undefined,
        host: sampler.host,
        port: sampler.port || undefined,
        samplingPath: sampler.samplingPath,
        refreshIntervalMs: sampler.refreshIntervalMs,
        initialSamplingRate: param,
      });
      root = remote;
      close = () => remote.close();
      break;
    }
    default:
      logger.error(
        `initTracer: unknown sampler.type ${typeof type === 'string' ? JSON.stringify(type) : describeValue(type)}; nothing is sampled (jaeger-client's fallback)`,
      );
      root = sdkLine().createAlwaysOffSampler();
      description = { type: 'const', param: false };
  }
  return { sampler: new JaegerSampler({ root, description, maxDebugIdsPerSecond }), close };
}
