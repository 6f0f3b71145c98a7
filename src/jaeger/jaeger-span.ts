import type { Baggage, BaggageEntry, SpanContext } from '@opentelemetry/api';
import type * as opentracing from 'opentracing';
import { toAttributeValue } from '../attributes';
import { SpanShim } from '../span-shim';
import type { PendingSpan } from '../pending-span';
import type { SpanContextShim } from '../span-context-shim';
import { JaegerSpanContext } from './jaeger-span-context';
import { findBaggageItem, normalizeBaggageKey } from './baggage-key';

/** jaeger-client's default baggage restriction: values longer than this are truncated. */
export const MAX_BAGGAGE_VALUE_LENGTH = 2048;

/**
 * The span of a `JaegerTracer`: a `SpanShim` whose contexts are `JaegerSpanContext`s and whose
 * baggage follows jaeger-client (src/span.js, src/baggage/) and `./jaeger`'s one key rule
 * (`normalizeBaggageKey`): `getBaggageItem` finds an item under any spelling that normalises to
 * the same key (`UserId`, `userid` and `USER_ID`... are one item whichever format brought it);
 * `setBaggageItem` replaces the value of the item the key names, keeping its spelling, or adds
 * a new item under the normalised key (`User_ID` -> `user-id`), as jaeger-client writes it.
 * Values longer than 2048 characters are truncated (jaeger-client's
 * DefaultBaggageRestrictionManager), never between the two halves of a surrogate pair: a lone
 * surrogate cannot be URL-encoded, so the item would be dropped on inject.
 */
export class JaegerSpan extends SpanShim {
  private _parentSpanId: string | undefined;
  private _operationName = '';

  /** @internal used by JaegerTracer: also keeps the name for `operationName`. */
  static override _startDeferred(tracerShim: opentracing.Tracer, start: PendingSpan, tags: unknown): SpanShim {
    const span = super._startDeferred(tracerShim, start, tags) as JaegerSpan;
    span._operationName = start.name;
    return span;
  }

  /** The span's name, as given at start or by the last `setOperationName` (jaeger-client `span.operationName`). */
  get operationName(): string {
    return this._operationName;
  }

  /** @internal OpenTracing's hook, not part of the public surface */
  protected override _setOperationName(name: string): void {
    super._setOperationName(name);
    this._operationName = typeof name === 'string' ? name : String(toAttributeValue(name));
  }

  /** @internal used by JaegerTracer */
  _setParentSpanId(parentSpanId: string | undefined): void {
    this._parentSpanId = parentSpanId;
  }

  /**
   * A `JaegerSpanContext` with the span's parent id.
   * @internal SpanShim's hook, not part of the public surface
   */
  protected override _newContextShim(spanContext: SpanContext | undefined, baggage: Baggage): SpanContextShim {
    return spanContext !== undefined
      ? new JaegerSpanContext(spanContext, baggage, this._parentSpanId)
      : JaegerSpanContext._forSpan(this, baggage, this._parentSpanId);
  }

  /** @internal OpenTracing's hook, not part of the public surface */
  protected override _setBaggageItem(key: string, value: string): void {
    const known = typeof key === 'string' ? this._findBaggageItem(key) : undefined;
    super._setBaggageItem(known?.[0] ?? normalizeBaggageKey(key), typeof value === 'string' ? truncate(value) : value);
  }

  /** @internal OpenTracing's hook, not part of the public surface */
  protected override _getBaggageItem(key: string): string | undefined {
    if (typeof key !== 'string') return super._getBaggageItem(key);
    // The usual case, an item stored under its normalised key, without listing the baggage.
    return super._getBaggageItem(normalizeBaggageKey(key)) ?? this._findBaggageItem(key)?.[1].value;
  }

  private _findBaggageItem(key: string): readonly [string, BaggageEntry] | undefined {
    return findBaggageItem(this._context()._baggageEntries(), key);
  }
}

export { normalizeBaggageKey };

/** The first 2048 characters, or 2047 when the 2048th is the first half of a surrogate pair. */
function truncate(value: string): string {
  if (value.length <= MAX_BAGGAGE_VALUE_LENGTH) return value;
  const last = value.charCodeAt(MAX_BAGGAGE_VALUE_LENGTH - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_BAGGAGE_VALUE_LENGTH - 1 : MAX_BAGGAGE_VALUE_LENGTH);
}
