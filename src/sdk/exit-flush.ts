import { describeError, logger } from '../logger';
import { SHUTDOWN_TIMEOUT_MS, withDeadline } from './bounded-shutdown';

/** What `flushOnExit` flushes: an SDK tracer provider, or anything with these two methods. */
export interface ExitFlushable {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type ExitSignal = (typeof SIGNALS)[number];

/**
 * Marks this module's listeners, so that two copies of the package in one process (CommonJS and
 * ES module builds, two versions) do not take each other's listener for the application's.
 */
const MARK = Symbol.for('opentracing-otel-shim.exit-flush');

/** The providers to flush; weak, so that a provider the application dropped can be collected. */
const providers = new Set<WeakRef<ExitFlushable>>();
let sweepAt = 64;
let flushedBeforeExit = false;
const flushing = new Map<ExitSignal, Promise<void>>();

const onBeforeExit = markListener(() => {
  // A flush schedules timers and sockets, after which the loop empties and 'beforeExit' comes
  // again: flushing each time would never end. Once is what a program that just returned needs.
  if (flushedBeforeExit) return;
  flushedBeforeExit = true;
  void flushAll('beforeExit');
});

const onSignal = Object.fromEntries(SIGNALS.map((signal) => [signal, markListener(() => handleSignal(signal))])) as Record<ExitSignal, () => void>;

/**
 * Flushes `provider` when the process is about to end without `shutdown()`/`close()` having been
 * called, as jaeger-client's reporter, whose process stays alive until `close()`, never needed:
 *
 * - on `beforeExit` (the event loop ran empty; not on `process.exit()` or an uncaught exception,
 *   which Node ends at once): once per process, for every registered provider; the exit code is
 *   the application's;
 * - on SIGTERM and SIGINT: the flush starts, bounded by `SHUTDOWN_TIMEOUT_MS`. If the
 *   application listens for the signal itself, exiting is left to it, as before. If not (a
 *   listener of ours turns off Node's default of ending the process), the signal is raised again
 *   once the flush settled, or at once on a second signal, with our listeners removed, so that the
 *   process ends by the signal exactly as Node would have made it end (exit status 128 + n).
 *
 * Calling `provider.shutdown()` unregisters it (the method is wrapped on this instance); when no
 * provider is left, the listeners are removed. Never throws; a flush failure is a `diag` warning.
 */
export function flushOnExit(provider: ExitFlushable): void {
  try {
    const entry = new WeakRef(provider);
    const shutdown = provider.shutdown.bind(provider);
    provider.shutdown = (): Promise<void> => {
      unregister(entry);
      return shutdown();
    };
    providers.add(entry);
    if (providers.size >= sweepAt) {
      // Providers dropped without shutdown() leave empty WeakRefs; clearing them when the set has
      // doubled keeps it as large as the live providers, at a constant cost per registration.
      for (const held of providers) if (held.deref() === undefined) providers.delete(held);
      sweepAt = Math.max(64, providers.size * 2);
    }
    if (providers.size === 1) install();
  } catch (error) {
    logger.warn(`flush on exit: could not register the provider: ${describeError(error)}`);
  }
}

function unregister(entry: WeakRef<ExitFlushable>): void {
  providers.delete(entry);
  if (providers.size === 0) uninstall();
}

function install(): void {
  process.on('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.on(signal, onSignal[signal]);
}

function uninstall(): void {
  process.removeListener('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal[signal]);
}

function handleSignal(signal: ExitSignal): void {
  const applicationListens = process.listeners(signal).some((listener) => !(MARK in listener));
  const running = flushing.get(signal);
  if (running !== undefined) {
    // A second signal while flushing: the user means it.
    if (!applicationListens) raiseAgain(signal);
    return;
  }
  const flush = flushAll(signal);
  flushing.set(signal, flush);
  if (!applicationListens) void flush.then(() => raiseAgain(signal));
}

function raiseAgain(signal: ExitSignal): void {
  uninstall();
  process.kill(process.pid, signal);
}

/** Flushes every live provider, each bounded by `SHUTDOWN_TIMEOUT_MS`; never rejects. */
async function flushAll(reason: string): Promise<void> {
  const live: ExitFlushable[] = [];
  for (const entry of providers) {
    const provider = entry.deref();
    if (provider === undefined) providers.delete(entry);
    else live.push(provider);
  }
  await Promise.all(
    live.map((provider) =>
      withDeadline(() => provider.forceFlush(), SHUTDOWN_TIMEOUT_MS, `flush on ${reason}`).catch((error: unknown) => {
        logger.warn(`flush on ${reason} failed; spans not exported by then are lost: ${describeError(error)}`);
      }),
    ),
  );
}

function markListener<F extends (...args: never[]) => void>(listener: F): F {
  Object.defineProperty(listener, MARK, { value: true });
  return listener;
}
