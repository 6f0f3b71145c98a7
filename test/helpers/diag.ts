import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { resetWarnOnce } from '../../src/logger';

/** What was logged through OpenTelemetry's `diag` while a capture was on. */
export interface DiagCapture {
  /** Every `warn` and `error` message, arguments joined with spaces. */
  readonly messages: string[];
  /** Messages that contain `text`. */
  matching(text: string): string[];
  /** Turns the capture off (`diag.disable()`). */
  stop(): void;
}

/**
 * Registers a collecting DiagLogger at level WARN, the real `diag` API: the shim's component
 * logger and the SDK write to it. Call `stop()` (or `diag.disable()`) after the test. Also
 * forgets what the shim has reported once (`warnOnce`), so each capture sees its own cases.
 */
export function captureDiag(): DiagCapture {
  const messages: string[] = [];
  const collect =
    (level: string) =>
    (...args: unknown[]): void => {
      messages.push(`${level} ${args.map((arg) => String(arg)).join(' ')}`);
    };
  const logger: DiagLogger = {
    error: collect('error'),
    warn: collect('warn'),
    info: collect('info'),
    debug: collect('debug'),
    verbose: collect('verbose'),
  };
  resetWarnOnce();
  diag.disable();
  diag.setLogger(logger, DiagLogLevel.WARN);
  return {
    messages,
    matching: (text) => messages.filter((message) => message.includes(text)),
    stop: () => diag.disable(),
  };
}
