import * as api from '@opentelemetry/api';
import type { Baggage, Context } from '@opentelemetry/api';
import type { SpanProcessor } from '../otel-sdk/types';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { propagation } = api;

/**
 * Remembers the OpenTelemetry Baggage each span started with, so that an exporter printing spans
 * for people (see `TraceTreeExporter`) can show it.
 *
 * A `ReadableSpan` carries no baggage, but the shim starts every OpenTelemetry span with a
 * context holding that span's baggage, and the SDK hands that context to `onStart`. The
 * processor keeps the baggage in a `WeakMap` keyed by the span object: nothing is copied into
 * the span, so baggage never leaks into exported attributes, and an entry lives exactly as long
 * as its span. Register it next to the exporter's processor, in any order:
 *
 * ```ts
 * const baggage = new BaggageSpanProcessor();
 * new BasicTracerProvider({
 *   spanProcessors: [new SimpleSpanProcessor(new TraceTreeExporter({ baggage })), baggage],
 * });
 * ```
 *
 * Works with both the 1.x and 2.x SDKs: it relies only on `onStart(span, parentContext)`.
 */
export class BaggageSpanProcessor implements SpanProcessor {
  private readonly _baggageBySpan = new WeakMap<object, Baggage>();

  /**
   * Records the baggage of `parentContext` for `span`. Spans started without baggage, or with
   * empty baggage, are not recorded. Never throws: onStart runs inside instrumented code.
   */
  onStart(span: object, parentContext: Context | undefined): void {
    // Some 1.x SDK code paths call onStart without a context.
    if (parentContext === undefined) return;
    const baggage = propagation.getBaggage(parentContext);
    if (baggage === undefined || baggage.getAllEntries().length === 0) return;
    // OpenTelemetry Baggage is immutable (setEntry returns a new Baggage), so keeping the
    // reference is a snapshot and costs nothing on the span-start hot path.
    this._baggageBySpan.set(span, baggage);
  }

  /**
   * The baggage `span` started with, or `undefined` when it had none or was not seen by this
   * processor (started before registration, or by another provider). `span` is the span object
   * the SDK passed to `onStart`; the SDK exports that same object, so a `ReadableSpan` works.
   */
  getBaggage(span: object): Baggage | undefined {
    return this._baggageBySpan.get(span);
  }

  /** Does nothing: the `WeakMap` entry goes away with the span, after every exporter saw it. */
  onEnd(): void {}

  /** Resolves at once: nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves at once: nothing is held that needs releasing. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
