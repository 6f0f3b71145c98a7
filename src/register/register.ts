import { isMainThread } from 'node:worker_threads';
import * as opentracing from 'opentracing';
import type { JaegerTracer } from '../jaeger';
import { describeError, logger } from '../logger';
import { flushOnExit } from './flush-on-exit';
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
 * 4. Buffered spans are exported when the process ends (`flushOnExit`): the provider `register`
 *    set up is shut down, a provider registered by others is flushed (its owner shuts it down),
 *    and each `JaegerTracer` made through the redirected `initTracer` is closed.
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
      onLoad.set('jaeger-client', () => (redirect ??= createJaegerClientRedirect({ beforeInit: () => state.setUp(), track: (tracer) => state.track(tracer) })));
    }
    state.adopt(opentracing as unknown as Record<string, unknown>);
    hookPackages(onLoad);
    flushOnExit({ flush: () => state.flush(), close: () => state.close() });
  } catch (error) {
    logger.error(`register: OpenTracing was not redirected to OpenTelemetry: ${describeError(error)}`);
  }
}

/** The process-wide state of `register`: the global tracer, the set-up decision, the tracers to close. */
class RegisterState {
  private readonly _env: Readonly<Record<string, string | undefined>>;
  private readonly _tracer: RegisterTracer;
  /** `module.exports` of each `opentracing` copy whose global tracer was set. */
  private readonly _adopted = new WeakSet<object>();
  /**
   * The tracers made through the redirected jaeger-client and not closed yet. Held strongly: an
   * application that keeps no reference to its tracer (it handed it to `initGlobalTracer` of a
   * copy it then dropped, or to a closure) still wants its last spans exported.
   */
  private readonly _jaegerTracers = new Set<JaegerTracer>();
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

  /** The set-up decision (`setUpTracing`), taken once. */
  setUp(): void {
    if (this._setup === null) this._setup = setUpTracing(this._env);
  }

  /** Keeps `tracer` to close at exit, until its `close()` is called. */
  track(tracer: JaegerTracer): void {
    this._jaegerTracers.add(tracer);
    const close = tracer.close;
    const tracers = this._jaegerTracers;
    // An own, non-enumerable method, so that a closed tracer is let go; the class is this package's own.
    Object.defineProperty(tracer, 'close', {
      configurable: true,
      writable: true,
      value(this: JaegerTracer, callback?: (error?: Error) => void): Promise<void> {
        tracers.delete(tracer);
        return close.call(this, callback);
      },
    });
  }

  /** Exports what the providers buffer; tracing goes on. `JaegerTracer` has no flush of its own, so its spans wait for `close`. */
  async flush(): Promise<void> {
    await this._setup?.provider.forceFlush?.();
  }

  /** Exports what is buffered, and shuts down the provider `register` made and the tracers it tracks. */
  async close(): Promise<void> {
    const setup = this._setup;
    const work: Array<Promise<void> | undefined> = [setup?.own ? setup.provider.shutdown?.() : setup?.provider.forceFlush?.()];
    for (const tracer of [...this._jaegerTracers]) work.push(tracer.close());
    const failures = (await Promise.allSettled(work)).filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failures.length > 0) throw new Error(failures.map((failure) => describeError(failure.reason)).join('; '));
  }
}
