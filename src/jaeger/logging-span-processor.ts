import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '../otel-sdk/types';
import type { JaegerLogger } from './configuration';
import { JaegerSpanContext } from './jaeger-span-context';

/**
 * jaeger-client's LoggingReporter (`reporter.logSpans`) as a span processor: each finished span
 * is logged through the logger's `info` as `Reporting span {trace-id}:{span-id}:{parent-span-id}:{flags}`,
 * the form jaeger-client prints (src/reporters/logging_reporter.js). A logger that throws is
 * ignored: logging must not break the application.
 */
export class LoggingSpanProcessor implements SpanProcessor {
  private readonly _logger: JaegerLogger;

  constructor(logger: JaegerLogger) {
    this._logger = logger;
  }

  onStart(_span: object, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    try {
      const context = new JaegerSpanContext(span.spanContext(), undefined, span.parentSpanContext?.spanId);
      this._logger.info(`Reporting span ${context.toString()}`);
    } catch {
      // The application's logger failed; nothing better to do than to go on.
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
