export { propagatorFromEnv } from './propagator-from-env';
export type { PropagatorFromEnvOptions } from './propagator-from-env';
export { JaegerPropagator } from '../jaeger/jaeger-propagator';
export type { JaegerPropagatorOptions } from '../jaeger/jaeger-propagator';
