import { isMainThread } from 'node:worker_threads';
import * as opentracing from 'opentracing';
import { describeError, logger } from '../logger';
import { flushOnExit } from '../sdk/exit-flush';
import { createJaegerClientRedirect, isJaegerClientRedirected } from './jaeger-client-redirect';
import { hookPackages } from './module-hooks';
import type { OnPackageLoad } from './module-hooks';
import { RegisterTracer } from './register-tracer';
import { setUpTracing } from './tracing-setup';
import type { TracingSetup } from './tracing-setup';

/** Set on `globalThis` once `register` ran, so that a second copy or a second entry does nothing. */
const REGISTERED = Symbol.for('opentracing-otel-shim.register');

/**
 * What `node --require opentracing-otel-shim/register` and `--import` run, once per process
 * (a second call, from another copy of this package too, does nothing), in the main thread
 * (worker threads, the module loader's included, are left alone):
 *
 * 1. A `RegisterTracer` becomes the global tracer (`initGlobalTracer`) of this package's copy of
 *    `opentracing` and of every copy the application loads afterwards, once per copy, when it is
 *    loaded: before any of the application's code can use it. A later `initGlobalTracer` call by
 *    the application wins, as in opentracing; with `jaeger-client` redirected, the tracer it
 *    passes is this package's `JaegerTracer` anyway.
 * 2. Unless `OPENTRACING_OTEL_SHIM_REDIRECT_JAEGER_CLIENT=false`, `jaeger-client` is replaced by
 *    this package's `./jaeger` (`createJaegerClientRedirect`).
 * 3. When the application first traces, `setUpTracing` uses the OpenTelemetry provider
 *    registered by then, else sets one up from the `OTEL_*` variables.
 * 4. Buffered spans are exported when the process ends, by the package's one exit flush
 *    (`flushOnExit`, src/sdk/exit-flush.ts): `createTracerProvider` and `initTracer` register
 *    the providers they make, and `register` adds a provider registered by others, which is
 *    flushed (its owner shuts it down).
 *
 * Never throws: a failure is reported through `diag` and leaves the application untraced
 * rather than broken.
 */
export function register(env: Readonly<Record<string, string | undefined>> = process.env): void {
  const global = globalThis as { [REGISTERED]?: true };
  if (global[REGISTERED] || !isMainThread) return;
  global[REGISTERED] = true;
  try {
    const state = new RegisterState(env);
    const onLoad = new Map<string, OnPackageLoad>([['opentracing', (exports) => state.adopt(exports)]]);
    if (isJaegerClientRedirected(env)) {
      let redirect: object | undefined;
      onLoad.set('jaeger-client', () => (redirect ??= createJaegerClientRedirect({ beforeInit: () => state.setUp() })));
    }
    state.adopt(opentracing as unknown as Record<string, unknown>);
    hookPackages(onLoad);
  } catch (error) {
    logger.error(`register: OpenTracing was not redirected to OpenTelemetry: ${describeError(error)}`);
  }
}

/** The process-wide state of `register`: the global tracer and the set-up decision. */
class RegisterState {
  private readonly _env: Readonly<Record<string, string | undefined>>;
  private readonly _tracer: RegisterTracer;
  /** `module.exports` of each `opentracing` copy whose global tracer was set. */
  private readonly _adopted = new WeakSet<object>();
  private _setup: TracingSetup | undefined | null = null;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this._env = env;
    this._tracer = new RegisterTracer(() => this.setUp());
  }

  /** Makes the tracer the global one of a copy of `opentracing`, once per copy. */
  adopt(exports: Record<string, unknown>): undefined {
    if (this._adopted.has(exports) || typeof exports.initGlobalTracer !== 'function') return undefined;
    this._adopted.add(exports);
    (exports.initGlobalTracer as (tracer: opentracing.Tracer) => void)(this._tracer);
    return undefined;
  }

  /**
   * The set-up decision (`setUpTracing`), taken once. A provider registered by others joins the
   * exit flush; the one `register` made is in it already (`createTracerProvider`).
   */
  setUp(): void {
    if (this._setup !== null) return;
    this._setup = setUpTracing(this._env);
    const provider = this._setup?.provider;
    if (provider !== undefined && !this._setup?.own && typeof provider.forceFlush === 'function' && typeof provider.shutdown === 'function') {
      flushOnExit(provider as Required<typeof provider>);
    }
  }
}
