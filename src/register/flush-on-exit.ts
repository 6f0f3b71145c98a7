import { describeError, logger } from '../logger';

/** The signals after which `flushOnExit` flushes; Node's default for each ends the process. */
export const FLUSH_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What `flushOnExit` runs; each must settle (bounded by the exporters' timeouts) and may reject. */
export interface ExitFlush {
  /** Exports what is buffered, and leaves tracing running: the application goes on. */
  flush(): Promise<void>;
  /** Exports what is buffered and shuts down what `register` owns: the process is ending. */
  close(): Promise<void>;
}

/**
 * Exports buffered spans when the process ends, without changing how it ends. A minimal
 * version for `register`, kept in its own file until the package's own exit flush lands.
 *
 * - `beforeExit` (the event loop ran empty; the application did not call `process.exit`):
 *   `close()`, once. Its export keeps the loop alive until done, then the process exits with the
 *   exit code it had.
 * - `SIGTERM`, `SIGINT` with no other listener (so Node's default would end the process):
 *   `close()`, then the signal is raised again with this listener removed, so the process ends
 *   as the signal's default ends it (killed by that signal), or, if the application added a
 *   listener meanwhile, that listener gets it. A second signal meanwhile ends the process at once.
 * - The same signals with another listener (the application's graceful shutdown): `flush()`,
 *   and nothing else; the application's handlers decide what happens, as without `register`.
 *   An application that calls `process.exit()` at once from its handler can end the process
 *   before the export is done: nothing can run after `process.exit()`.
 *
 * Failures are reported through `diag`; nothing throws.
 */
export function flushOnExit(target: ExitFlush): void {
  process.once('beforeExit', () => void settle(() => target.close(), 'beforeExit'));
  for (const signal of FLUSH_SIGNALS) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) {
        void settle(() => target.flush(), signal);
        return;
      }
      process.removeListener(signal, onSignal);
      void settle(() => target.close(), signal).then(() => process.kill(process.pid, signal));
    };
    process.on(signal, onSignal);
  }
}

async function settle(work: () => Promise<void>, why: string): Promise<void> {
  try {
    await work();
  } catch (error) {
    logger.error(`register: flushing spans at ${why} failed: ${describeError(error)}`);
  }
}
