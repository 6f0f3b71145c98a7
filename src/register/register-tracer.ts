import type * as opentracing from 'opentracing';
import { TracerShim } from '../tracer-shim';
import type { SpanContextShim } from '../span-context-shim';

/**
 * The global tracer that `opentracing-otel-shim/register` gives every copy of `opentracing`:
 * a `TracerShim` over the global OpenTelemetry TracerProvider and the global propagator, both
 * looked up when used, so a provider registered after this tracer was made (NodeSDK started by
 * a later `--require`) is the one its spans come from. Before its first span, inject or extract
 * it runs `beforeFirstUse` once: that is when `register` decides whether to set tracing up
 * itself (see `setUpTracing`).
 */
export class RegisterTracer extends TracerShim {
  private _beforeFirstUse: (() => void) | undefined;

  /** @param beforeFirstUse run once, before the first span, inject or extract; must not throw. */
  constructor(beforeFirstUse: () => void) {
    super();
    this._beforeFirstUse = beforeFirstUse;
  }

  /** @internal OpenTracing's hook, declared by `opentracing`'s `Tracer`. */
  protected override _startSpan(name: string, fields: opentracing.SpanOptions): opentracing.Span {
    this._firstUse();
    return super._startSpan(name, fields);
  }

  /** @internal OpenTracing's hook, declared by `opentracing`'s `Tracer`. */
  protected override _inject(spanContext: opentracing.SpanContext, format: string, carrier: unknown): void {
    this._firstUse();
    super._inject(spanContext, format, carrier);
  }

  /** @internal OpenTracing's hook, declared by `opentracing`'s `Tracer`. */
  protected override _extract(format: string, carrier: unknown): SpanContextShim | null {
    this._firstUse();
    return super._extract(format, carrier);
  }

  private _firstUse(): void {
    const beforeFirstUse = this._beforeFirstUse;
    if (beforeFirstUse === undefined) return;
    this._beforeFirstUse = undefined;
    beforeFirstUse();
  }
}
