import * as api from '@opentelemetry/api';
import type { Baggage, BaggageEntry, Context, Link, SpanContext } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { limitEntries } from './limits';
import { describeError, warnOnce } from './logger';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { INVALID_SPANID, INVALID_SPAN_CONTEXT, INVALID_TRACEID, isSpanContextValid, propagation } = api;

/** Where a span context shim reads its OpenTelemetry span context when it is first asked. @internal */
export interface SpanContextSource {
  /** The OpenTelemetry span context; may create the OpenTelemetry span (see `SpanShim`). @internal */
  _otelSpanContext(): SpanContext;
}

/** Baggage with no entries; OpenTelemetry Baggage is immutable, so one instance serves all. */
export const EMPTY_BAGGAGE: Baggage = propagation.createBaggage();

/** A baggage's entries as `Baggage.getAllEntries()` lists them. */
export type BaggageEntries = ReadonlyArray<readonly [string, BaggageEntry]>;

const NO_ENTRIES: BaggageEntries = Object.freeze([]);

/** A Context a tracer derived, with the tracer that made it. @internal */
export interface OwnedContext {
  readonly owner: object;
  readonly context: Context;
}

// What the core derives from a span context and keeps on it, because a span context never
// changes: kept under symbols this package does not export, so they are no part of the API and
// cost what a field costs (a WeakMap lookup measured 4x as slow, and a child span does two).
/** @internal The Context `TracerShim` injects from (`TracerShim._injectionContext`). */
export const INJECTION_CONTEXT: unique symbol = Symbol('opentracing-otel-shim injection context');
/** @internal The Context a child starts in when no Context is active (`TracerShim`). */
export const PARENT_CONTEXT: unique symbol = Symbol('opentracing-otel-shim parent context');
/**
 * @internal The Context this context's span was created in, when it holds nothing but what the
 * shim put there (its span started with the root Context active) and this context's baggage: a
 * child started under the root Context with that baggage starts in it, with the child's parent
 * set over it, which is one Context where building it afresh is two (`TracerShim`; issue 17:
 * a Context copies its map of values, 3 to 5% of a parent and child with baggage).
 */
export const CREATION_CONTEXT: unique symbol = Symbol('opentracing-otel-shim creation context');
/**
 * @internal The links of a span whose only reference is a ChildOf to this context, frozen and
 * shared; null after the first such span, which got a list of its own (`selectParent`).
 */
export const CHILD_OF_LINKS: unique symbol = Symbol('opentracing-otel-shim child-of links');

/**
 * An OpenTracing SpanContext backed by an OpenTelemetry SpanContext and Baggage.
 *
 * Immutable, as the OpenTelemetry specification asks (compatibility/opentracing.md, "SpanContext
 * Shim"): `span.setBaggageItem` gives the span a new shim, and shims handed out earlier keep
 * their baggage, which makes baggage safe under concurrent use.
 *
 * A span's context shim reads the span's ids only when they are first asked for (`toTraceId`,
 * `toSpanId`, `getSpanContext`, or use as a parent or in inject), because `SpanShim` delays
 * creating the OpenTelemetry span so that a `span.kind` tag set after start can still become
 * the SpanKind; once read, the ids never change.
 */
export class SpanContextShim extends opentracing.SpanContext {
  private _spanContext: SpanContext | undefined;
  private _source: SpanContextSource | undefined;
  /** Undefined only when made from entries, until `getBaggage()` is first called. */
  private _baggage: Baggage | undefined;
  private _valid: boolean | undefined;
  /** @internal what `TracerShim` derived from this context: see `INJECTION_CONTEXT`. */
  [INJECTION_CONTEXT]: OwnedContext | undefined;
  /** @internal see `PARENT_CONTEXT`. */
  [PARENT_CONTEXT]: OwnedContext | undefined;
  /** @internal see `CHILD_OF_LINKS`. */
  [CHILD_OF_LINKS]: readonly Link[] | null | undefined;
  /** @internal see `CREATION_CONTEXT`. */
  [CREATION_CONTEXT]: Context | undefined;
  /** The baggage's entries, listed once (`getAllEntries()` copies them at each call, and the baggage never changes). */
  private _entries: BaggageEntries | undefined;
  /**
   * A propagator's Baggage not yet held to the extract limits (`_useExtracted`): listed and
   * limited when the baggage is first read, so that a context only passed on pays nothing.
   */
  private _unlimited: Baggage | undefined;

  /**
   * @param spanContext the OpenTelemetry span context (hex ids, trace flags, `isRemote`).
   * @param baggage the OpenTelemetry Baggage carried with it; none means empty.
   */
  constructor(spanContext: SpanContext, baggage: Baggage = EMPTY_BAGGAGE) {
    super();
    this._spanContext = spanContext;
    this._source = undefined;
    this._baggage = baggage;
    this._valid = undefined;
    this[INJECTION_CONTEXT] = undefined;
    this[PARENT_CONTEXT] = undefined;
    this[CHILD_OF_LINKS] = undefined;
    this[CREATION_CONTEXT] = undefined;
    this._entries = undefined;
    this._unlimited = undefined;
  }

  /**
   * A shim whose span context is read from `source` when first needed.
   * @internal used by SpanShim
   */
  static _fromSource(source: SpanContextSource, baggage: Baggage): SpanContextShim {
    const shim = new this(INVALID_SPAN_CONTEXT, baggage);
    shim._spanContext = undefined;
    shim._source = source;
    return shim;
  }

  /** The OpenTelemetry SpanContext (32-hex trace id, 16-hex span id, trace flags). */
  getSpanContext(): SpanContext {
    if (this._spanContext === undefined) {
      this._spanContext = (this._source as SpanContextSource)._otelSpanContext();
      this._source = undefined;
    }
    return this._spanContext;
  }

  /**
   * Whether the span context has a valid trace id and span id (`isSpanContextValid`, cached).
   * The context of a span this shim started, read from it here for the first time, is checked by
   * the shape of its ids only (32 and 16 characters, not all zeros: `hasIdShape`): its tracer
   * made them (the OpenTelemetry SDK's id generator gives only valid hex ids), and a tracer that
   * starts no real span gives the all-zero ids this still catches. Reading 48 fresh hex
   * characters cost a child span of a new parent 2 to 4% (issue 17, scenario (e)).
   */
  isValid(): boolean {
    if (this._valid === undefined) {
      const own = this._source !== undefined;
      const spanContext = this.getSpanContext();
      this._valid = own ? hasIdShape(spanContext) : isSpanContextValid(spanContext);
    }
    return this._valid;
  }

  /** The OpenTelemetry Baggage of this context (immutable). */
  getBaggage(): Baggage {
    if (this._unlimited !== undefined) this._limit();
    this._baggage ??= propagation.createBaggage(Object.fromEntries(this._entries as BaggageEntries));
    return this._baggage;
  }

  /** @internal The baggage's entries, listed once: see `_entries`. Do not modify them. */
  _baggageEntries(): BaggageEntries {
    if (this._unlimited !== undefined) this._limit();
    this._entries ??= this._baggage === EMPTY_BAGGAGE ? NO_ENTRIES : (this._baggage as Baggage).getAllEntries();
    return this._entries;
  }

  /**
   * Gives this new context the baggage `entries`. The OpenTelemetry Baggage is made only when
   * someone asks for it (`getBaggage()`): extract has the entries at hand, and a context that is
   * only passed on never needs the object.
   * @internal used by extract
   */
  _useEntries(entries: BaggageEntries): this {
    this._baggage = entries.length === 0 ? EMPTY_BAGGAGE : undefined;
    this._entries = entries;
    return this;
  }

  /**
   * Gives this new context the baggage of `other`, with its entries if they were listed.
   * @internal used by JaegerTracer's extract
   */
  _useBaggageOf(other: SpanContextShim): this {
    this._baggage = other._baggage;
    this._entries = other._entries;
    this._unlimited = other._unlimited;
    return this;
  }

  /**
   * Gives this new context the Baggage a propagator extracted, whose size is not known without
   * listing it: it is held to `MAX_BAGGAGE_ITEMS` and `MAX_BAGGAGE_BYTES` (`limitEntries`, with
   * its `diag` warning) when first read (`getBaggage`, `getBaggageItem`, a child span, inject),
   * not at extract.
   * @internal used by extract
   */
  _useExtracted(baggage: Baggage): this {
    this._baggage = undefined;
    this._entries = undefined;
    this._unlimited = baggage;
    return this;
  }

  /**
   * Lists `_unlimited` once and holds it to the extract limits (`limitEntries`), keeping the
   * propagator's Baggage itself when nothing was dropped.
   * A Baggage whose listing throws (a propagator's own class) is left out, with a `diag` warning:
   * this runs inside public getters, which must not throw.
   */
  private _limit(): void {
    const baggage = this._unlimited as Baggage;
    this._unlimited = undefined;
    let listed: BaggageEntries;
    try {
      listed = baggage.getAllEntries();
    } catch (error) {
      warnOnce('extract.baggage.unreadable', `extract: the extracted baggage could not be read and was left out: ${describeError(error)}`);
      this._entries = NO_ENTRIES;
      this._baggage = EMPTY_BAGGAGE;
      return;
    }
    const entries = limitEntries(listed, 'extract');
    this._entries = entries;
    this._baggage = entries.length === 0 ? EMPTY_BAGGAGE : entries === listed ? baggage : undefined;
  }

  /** The value of baggage item `key`, or `undefined` when there is none. */
  getBaggageItem(key: string): string | undefined {
    if (this._unlimited !== undefined) this._limit();
    if (this._baggage !== undefined) return this._baggage.getEntry(key)?.value;
    for (const [name, entry] of this._entries as BaggageEntries) if (name === key) return entry.value;
    return undefined;
  }

  /** The trace id as 32 lower-case hex characters (OpenTelemetry form, not zero-stripped). */
  override toTraceId(): string {
    return this.getSpanContext().traceId;
  }

  /** The span id as 16 lower-case hex characters. */
  override toSpanId(): string {
    return this.getSpanContext().spanId;
  }
}

/**
 * Whether the ids of a span context a tracer made for a span have the shape of valid ids: a
 * 32-character trace id and a 16-character span id, neither all zeros (see `SpanContextShim.isValid`).
 */
function hasIdShape(spanContext: SpanContext): boolean {
  const { traceId, spanId } = spanContext;
  return (
    typeof traceId === 'string' &&
    traceId.length === 32 &&
    traceId !== INVALID_TRACEID &&
    typeof spanId === 'string' &&
    spanId.length === 16 &&
    spanId !== INVALID_SPANID
  );
}
