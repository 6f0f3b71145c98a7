import { describeError, logger } from '../logger';

/**
 * Milliseconds a shut-down step may take before it is given up: one exporter's `shutdown()` or
 * `forceFlush()`, a provider's `shutdown()` as `createTracerProvider` returns it, each step of
 * `JaegerTracer.close()`, and the flush on SIGTERM/SIGINT. jaeger-client's `close()` ends in
 * milliseconds (its UDP sender cannot wait for an answer); an OTLP exporter retries a collector
 * that does not answer for up to its 10 s timeout, and an exporter may never settle at all.
 * Two seconds leave a reachable collector time to take a full batch.
 */
export const SHUTDOWN_TIMEOUT_MS = 2000;

/** The rejection of `withDeadline` when the deadline passed first. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/**
 * Settles as `work` does, or rejects with a `DeadlineExceededError`
 * (`<what> did not finish within <ms> ms`) after
 * `timeoutMs` milliseconds, whichever is first. `work` may also be a function, which is called
 * here: what it throws becomes the rejection. The timer is unref'd, so it never keeps a process
 * alive; a `work` that settles after the deadline is ignored (its rejection too).
 */
export function withDeadline<T>(work: Promise<T> | (() => Promise<T>), timeoutMs: number, what: string): Promise<T> {
  let promise: Promise<T>;
  try {
    promise = Promise.resolve(typeof work === 'function' ? work() : work);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineExceededError(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** What `boundShutdown` changes: an SDK tracer provider, or anything with `shutdown()`. */
export interface Shutdownable {
  shutdown(): Promise<void>;
}

/**
 * Makes `provider.shutdown()` settle within `timeoutMs` (default `SHUTDOWN_TIMEOUT_MS`) and never
 * reject: a failure or a timeout is reported through `diag` at warn level, once per call, and the
 * spans not exported by then are lost. The SDK's own `shutdown()` rejects when the last export
 * fails (a collector that is down), and a Promise that code written for `provider.shutdown()`
 * leaves unhandled ends the process with exit code 1; and it waits for an exporter's
 * `shutdown()` however long it takes. Changes the instance only; returns it.
 */
export function boundShutdown<P extends Shutdownable>(provider: P, what: string, timeoutMs = SHUTDOWN_TIMEOUT_MS): P {
  const shutdown = provider.shutdown.bind(provider);
  let once: Promise<void> | undefined;
  provider.shutdown = (): Promise<void> => {
    once ??= withDeadline(shutdown, timeoutMs, `${what}: shutdown`).catch((error: unknown) => {
      logger.warn(`${what}: shutdown failed; spans not exported by then are lost: ${describeError(error)}`);
    });
    return once;
  };
  return provider;
}
