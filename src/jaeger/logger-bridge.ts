import * as api from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { toAttributeValue } from '../attributes';
import type { JaegerLogger } from './configuration';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { DiagLogLevel, diag } = api;

/** The `diag` namespace of this package's own messages (src/logger.ts). */
const OWN_NAMESPACE = 'opentracing-otel-shim';
/** Length of the window in which lines are counted, in milliseconds. */
const WINDOW_MS = 60_000;
/** Most lines written per window, all kinds together. */
const MAX_LINES_PER_WINDOW = 20;
/** Most kinds of line remembered per window; past it, a new kind counts against the cap only. */
const MAX_KINDS_PER_WINDOW = 1000;
/** Longest line written, in characters; an attacker's header must not become a megabyte of log. */
const MAX_LINE_CHARS = 1000;

/**
 * Sends OpenTelemetry's `diag` output, the shim's warnings included, to a jaeger-client logger
 * (`options.logger`, with `info(message)` and `error(message)`), so that an application sees
 * them where it saw jaeger-client's. jaeger-client itself logs a handful of lines in a process's
 * life, while many of this package's warnings are about what a caller sent (a malformed header,
 * a baggage item over the limits): logged per request, a stranger could fill the application's
 * log. So, per window of 60 s:
 *
 * - a kind of line is written once: lines that differ only in quoted text and numbers (the
 *   header name, the sizes) are one kind; the repeats are counted;
 * - at most 20 lines are written in all; the rest are counted;
 * - when a window with suppressed lines ends, the next line written is preceded by one info line
 *   saying how many were suppressed.
 *
 * `diag.error` goes to `logger.error`; `diag.warn` to `logger.info`, because a warning is not an
 * error (jaeger-client's logger has no warn level, and jaeger-client logs its own non-fatal
 * problems through `info`); `diag.info` to `logger.info` only for this package's messages (a
 * collector that accepts spans again), not the SDK's per-export chatter. Lines are cut to 1000
 * characters. A logger that throws, or lacks a method, is ignored: it must not break tracing.
 */
export class JaegerDiagLogger implements DiagLogger {
  private readonly _logger: JaegerLogger;
  private _windowStart = Number.NEGATIVE_INFINITY;
  private _written = 0;
  private _suppressed = 0;
  private readonly _kinds = new Set<string>();

  constructor(jaegerLogger: JaegerLogger) {
    this._logger = jaegerLogger;
  }

  error(message: string, ...args: unknown[]): void {
    this._write('error', message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this._write('info', message, args);
  }

  info(message: string, ...args: unknown[]): void {
    if (message === OWN_NAMESPACE) this._write('info', message, args);
  }

  debug(): void {}

  verbose(): void {}

  private _write(level: 'info' | 'error', message: string, args: unknown[]): void {
    try {
      const text = lineOf(message, args);
      const now = Date.now();
      let summary: string | undefined;
      if (now - this._windowStart >= WINDOW_MS) {
        if (this._suppressed > 0) summary = `${OWN_NAMESPACE}: ${this._suppressed} repeated or excess log lines were suppressed in the last minute`;
        this._windowStart = now;
        this._written = 0;
        this._suppressed = 0;
        this._kinds.clear();
      }
      const kind = `${level} ${kindOf(text)}`;
      if (this._kinds.has(kind) || this._written >= MAX_LINES_PER_WINDOW) {
        this._suppressed += 1;
        return;
      }
      if (this._kinds.size < MAX_KINDS_PER_WINDOW) this._kinds.add(kind);
      this._written += 1;
      if (summary !== undefined) this._call('info', summary);
      this._call(level, text);
    } catch {
      // A broken application logger, or a value that cannot be printed, must not break tracing.
    }
  }

  private _call(level: 'info' | 'error', text: string): void {
    try {
      if (typeof this._logger[level] === 'function') this._logger[level](text);
    } catch {
      // As above.
    }
  }
}

/**
 * Registers a `JaegerDiagLogger` for `jaegerLogger` as OpenTelemetry's global `diag` logger, at
 * level INFO (the bridge keeps only this package's info lines); nothing for `undefined`/`null`.
 */
export function useJaegerLogger(jaegerLogger: JaegerLogger | undefined | null): void {
  if (jaegerLogger !== undefined && jaegerLogger !== null) {
    diag.setLogger(new JaegerDiagLogger(jaegerLogger), { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true });
  }
}

function lineOf(message: string, args: unknown[]): string {
  const text = args.length === 0 ? String(message) : `${String(message)} ${args.map((arg) => String(toAttributeValue(arg))).join(' ')}`;
  return text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text;
}

/** The line with quoted text and numbers blanked: what stays the same between repeats. */
function kindOf(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\d+/g, '0');
}
