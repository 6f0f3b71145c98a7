import * as api from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/api';
import { describeError, logger } from '../logger';
import { contextAsyncHooks, core } from '../otel-sdk/packages';
import type * as CreateTracerProvider from '../sdk/create-tracer-provider';
import type { Environment } from '../env';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { DiagConsoleLogger, ProxyTracerProvider, context, diag, trace } = api;

/** What a provider may offer for flushing: the SDK providers have both. */
export interface FlushableTracerProvider extends TracerProvider {
  forceFlush?(): Promise<void>;
  shutdown?(): Promise<void>;
}

/** Where the spans of the global tracer go, once `setUpTracing` has decided. */
export interface TracingSetup {
  /** The provider spans come from: the one registered before, or the one `register` made. */
  provider: FlushableTracerProvider;
  /** `true` when `register` made and registered `provider`, so it may shut it down at exit. */
  own: boolean;
}

/** The delegate of a `ProxyTracerProvider` nobody has registered a provider into. */
const NO_DELEGATE = new ProxyTracerProvider().getDelegate();

/**
 * The OpenTelemetry TracerProvider registered globally (`trace.setGlobalTracerProvider`, which
 * NodeSDK and `NodeTracerProvider.register()` call), or `undefined` when none is. The API's
 * global is a `ProxyTracerProvider` whose delegate is the registered provider; one registered
 * through another copy of `@opentelemetry/api` is that copy's proxy, returned as it is.
 */
export function registeredTracerProvider(): FlushableTracerProvider | undefined {
  const global = trace.getTracerProvider();
  if (!(global instanceof ProxyTracerProvider)) return global;
  const delegate = global.getDelegate();
  return delegate === NO_DELEGATE ? undefined : delegate;
}

/**
 * Decides where the global tracer's spans go; `register` calls it once, when the application
 * first traces (its first span, inject or extract through the global tracer, or its first
 * `initTracer`), so that every `--require`/`--import` and the application's own start-up code
 * (NodeSDK started at the top of its main module) have run by then.
 *
 * - A provider already registered globally is used as it is; nothing else is registered.
 * - Otherwise `createTracerProvider()` builds one from the `OTEL_*` variables alone (resource,
 *   sampler, batch span processor, exporter; see its documentation), except that with
 *   `OTEL_TRACES_EXPORTER` unset the exporter is OTLP, the specification's default, rather than
 *   trace trees on stdout (`withOtlpDefault`), and `OTEL_LOG_LEVEL` sends `diag` output to the
 *   console (`useLogLevel`); it is registered
 *   globally, with an AsyncLocalStorage context manager and the propagator `OTEL_PROPAGATORS`
 *   names (`propagatorFromEnv`: HTTP-header variant, default W3C trace context and baggage), unless
 *   one is registered already.
 *
 * Never throws: a failure is reported through `diag` and leaves the global tracer on whatever
 * is registered (the API's no-op provider when nothing is).
 */
export function setUpTracing(env: Environment = process.env): TracingSetup | undefined {
  try {
    const registered = registeredTracerProvider();
    if (registered !== undefined) {
      logger.debug('register: an OpenTelemetry TracerProvider is registered; OpenTracing spans go to it');
      return { provider: registered, own: false };
    }
    // The SDK is loaded here, not at start-up: with a provider registered by others it is not needed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createTracerProvider } = require('../sdk/create-tracer-provider') as typeof CreateTracerProvider;
    useLogLevel(env);
    // Also registers the propagator OTEL_PROPAGATORS names (propagatorFromEnv) when none is registered.
    const provider = createTracerProvider({ env: withOtlpDefault(env) });
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new (contextAsyncHooks().AsyncLocalStorageContextManager)().enable());
    logger.debug('register: no OpenTelemetry TracerProvider was registered; one was set up from the OTEL_* variables');
    return { provider, own: true };
  } catch (error) {
    logger.error(`register: tracing could not be set up: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * `OTEL_LOG_LEVEL` (`none`, `error`, `warn`, `info`, `debug`, `verbose`, `all`, any case; an
 * unknown value counts as `info`, as in the OpenTelemetry SDK): OpenTelemetry's `diag` output,
 * this package's warnings included, goes to the console at that level, as NodeSDK does. Only
 * where `register` sets tracing up itself: an SDK registered by others has read it already.
 */
function useLogLevel(env: Environment): void {
  const { diagLogLevelFromString } = core();
  const logLevel = typeof diagLogLevelFromString === 'function' ? diagLogLevelFromString(env.OTEL_LOG_LEVEL) : undefined;
  if (logLevel !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel, suppressOverrideMessage: true });
}

/**
 * `env` with `OTEL_TRACES_EXPORTER=otlp` when it is unset or blank: the OpenTelemetry
 * specification's default, where `createTracerProvider` would draw trace trees on stdout. A
 * preload in production must not write into the application's own output; OTLP goes to
 * `http://localhost:4318` (a local collector or agent) unless an endpoint variable says otherwise.
 */
function withOtlpDefault(env: Environment): Environment {
  return (env.OTEL_TRACES_EXPORTER ?? '').trim() === '' ? { ...env, OTEL_TRACES_EXPORTER: 'otlp' } : env;
}
