import { warnOnce } from './warn-once';

/**
 * jaeger-client's `TChannelBridge(tracer, options)`, for Uber's TChannel RPC: accepted, not
 * honoured. TChannel has no OpenTelemetry instrumentation to bridge to, so `tracedChannel` and
 * `tracedHandler` return what they are given, unchanged: the application keeps working, its
 * TChannel calls are not traced (one `diag` warning). Trace them with OpenTracing spans around
 * the calls, injecting into the call headers with `FORMAT_TEXT_MAP`.
 */
export class TChannelBridge {
  /**
   * @param _tracer the tracer: not used.
   * @param _options `contextFactory`, `getSpan`, `setSpan`: not used.
   */
  constructor(_tracer?: unknown, _options?: unknown) {
    warnOnce('TChannelBridge: TChannel calls are not traced (no OpenTelemetry TChannel support)');
  }

  /** Returns `channel` unchanged. */
  tracedChannel<T>(channel: T): T {
    return channel;
  }

  /** Returns `handler` unchanged. */
  tracedHandler<T>(handler: T, _options?: unknown): T {
    return handler;
  }
}
