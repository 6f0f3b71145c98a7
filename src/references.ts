import * as api from '@opentelemetry/api';
import type { Baggage, Link, SpanContext } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { readEntries } from './attributes';
import { LINK_REF_TYPE_ATTRIBUTE } from './constants';
import { toOtelSpanId, toOtelTraceId } from './hex-ids';
import { createSizedBaggage, limitEntries, unionWithinLimits } from './limits';
import type { Warn } from './limits';
import { describeError, warnOnce } from './logger';
import { CHILD_OF_LINKS, SpanContextShim } from './span-context-shim';
import type { BaggageEntries } from './span-context-shim';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { TraceFlags, propagation } = api;

/** A resolved OpenTracing reference: its type (`child_of`, `follows_from`) and its context. */
export interface ResolvedReference {
  readonly type: string;
  readonly context: SpanContextShim;
}

/** What a new span's references decide: see `selectParent`. */
export interface ParentSelection {
  /** The parent: the first ChildOf reference, else the first reference. */
  readonly parent: SpanContextShim;
  /** One link per reference whose context has valid ids, in order; undefined for none. */
  readonly links: readonly Link[] | undefined;
  /** The new span's baggage: the parent's, or with several references their union (`unionBaggage`). */
  readonly baggage: Baggage;
}

/**
 * The parent, links and baggage of a span started with `references` and `childOf`
 * (`SpanOptions`; `childOf` counts as a ChildOf reference after the `references`), by the
 * OpenTelemetry specification (compatibility/opentracing.md, "Start a new Span"): the parent is
 * the first ChildOf reference, else the first reference; every reference becomes a link with
 * `opentracing.ref_type` (a context with no identity, such as a baggage-only extract, gets no
 * link: it would point nowhere); the baggage is the union of the referenced contexts'.
 * References are read as `resolveReference` and `resolveSpanContext` read them; unreadable ones
 * are left out with a `diag` warning. `undefined` when no reference can be used. Never throws.
 *
 * @param warn where the baggage union reports the items it drops (`unionBaggage`).
 */
export function selectParent(references: unknown, childOf: unknown, warn: Warn): ParentSelection | undefined {
  if (references === undefined || references === null) {
    if (childOf === undefined || childOf === null) return undefined;
    // The usual case, `{ childOf }` alone.
    const parent = resolveSpanContext(childOf);
    if (parent === undefined) return undefined;
    return { parent, links: parent.isValid() ? childOfLinks(parent) : undefined, baggage: parent.getBaggage() };
  }
  const selection = new ReferenceSelection();
  addReferences(selection, references);
  const resolvedChildOf = childOf === undefined || childOf === null ? undefined : resolveSpanContext(childOf);
  if (resolvedChildOf !== undefined) selection.add(opentracing.REFERENCE_CHILD_OF, resolvedChildOf);
  return selection.result(warn);
}

/**
 * `selectParent` for several references, one reference at a time, in one pass: no list of
 * resolved references, and only the contexts that carry baggage are kept for the union (issue 17:
 * what a span costs per reference).
 */
class ReferenceSelection {
  private _parent: SpanContextShim | undefined = undefined;
  private _parentIsChildOf = false;
  private _links: Link[] | undefined = undefined;
  /** The referenced contexts whose baggage has entries, in reference order. */
  private _withBaggage: SpanContextShim[] | undefined = undefined;

  add(type: string, context: SpanContextShim): void {
    if (context.isValid()) (this._links ??= []).push(linkTo(type, context));
    const isChildOf = type === opentracing.REFERENCE_CHILD_OF;
    if (this._parent === undefined || (isChildOf && !this._parentIsChildOf)) {
      this._parent = context;
      this._parentIsChildOf = isChildOf;
    }
    if (context._baggageEntries().length > 0) (this._withBaggage ??= []).push(context);
  }

  result(warn: Warn): ParentSelection | undefined {
    const parent = this._parent;
    if (parent === undefined) return undefined;
    const withBaggage = this._withBaggage;
    // No context but the parent has baggage (the usual batch of FollowsFrom references): the
    // parent's, as for a single reference, with no union built.
    const onlyParent = withBaggage === undefined || withBaggage.every((context) => context === parent);
    return { parent, links: this._links, baggage: onlyParent ? parent.getBaggage() : unionBaggage(parent, withBaggage, warn) };
  }
}

/**
 * Reads anything OpenTracing code passes as a span context: this shim's `SpanContextShim`; a
 * Span, also from another copy of the `opentracing` package (duck-typed on `context()`, because
 * several copies in one `node_modules` tree are common: packages that pin different
 * `opentracing` versions each get their own, and `instanceof` fails between them); a span
 * context shim of another copy of this package (`getSpanContext()`); or a span context of another OpenTracing tracer (jaeger-client,
 * MockTracer), used as a remote context when its `toTraceId()`/`toSpanId()` give hex ids (short
 * ids are left-padded, as jaeger-client strips leading zeros). A foreign context's sampled flag
 * comes from its `isSampled()` when it has one (jaeger-client), else it is taken as sampled, and
 * a plain-object `baggage` property (jaeger-client) becomes OpenTelemetry Baggage.
 *
 * A foreign context whose ids can be read keeps them even when another part cannot be (a
 * baggage, a baggage item or `isSampled()` that throws): that part is left out with a `diag`
 * warning (an unreadable sampled flag counts as sampled, as a missing one), so a child span
 * stays in the trace. Returns `undefined`, with a `diag` warning, for anything else; never
 * throws.
 */
export function resolveSpanContext(value: unknown): SpanContextShim | undefined {
  try {
    // Inside the try: `instanceof` runs a Proxy's getPrototypeOf trap.
    if (value instanceof SpanContextShim) return value;
    return resolveForeign(value, true);
  } catch (error) {
    warnOnce('references.span-context.unreadable', `a span context could not be read and was ignored: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * Reads an OpenTracing `Reference` (duck-typed: `type()` and `referencedContext()`, so that
 * references from another copy of `opentracing` work). Null and unreadable references give
 * `undefined`; unreadable ones with a `diag` warning.
 */
export function resolveReference(reference: unknown): ResolvedReference | undefined {
  if (reference === null || reference === undefined) return undefined;
  try {
    const { type, referencedContext } = reference as Partial<opentracing.Reference>;
    if (typeof type !== 'function' || typeof referencedContext !== 'function') {
      warnOnce('references.reference.shape', 'a reference without type() and referencedContext() was ignored');
      return undefined;
    }
    const refType = String(type.call(reference));
    const context = referencedContext.call(reference);
    if (context === null || context === undefined) return undefined;
    const resolved = resolveSpanContext(context);
    return resolved === undefined ? undefined : { type: refType, context: resolved };
  } catch (error) {
    warnOnce('references.reference.unreadable', `a reference could not be read and was ignored: ${describeError(error)}`);
    return undefined;
  }
}

function resolveForeign(value: unknown, followSpan: boolean): SpanContextShim | undefined {
  if (typeof value !== 'object' || value === null) {
    if (value !== null && value !== undefined) warnOnce('references.span-context.not-object', `a ${typeof value} is not a span context; ignored`);
    return undefined;
  }
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.getSpanContext === 'function') {
    const spanContext = (candidate.getSpanContext as () => unknown).call(value);
    if (isOtelSpanContext(spanContext)) {
      // Copied into a Baggage of this package, listed once and held to the limits: a foreign
      // Baggage whose methods throw would otherwise throw later, from getBaggageItem.
      const baggage = readPart('baggage', () => {
        const foreign: unknown = typeof candidate.getBaggage === 'function' ? (candidate.getBaggage as () => unknown).call(value) : undefined;
        return isBaggage(foreign) ? createSizedBaggage(limitEntries(foreign.getAllEntries(), 'a span context of another tracer')) : undefined;
      });
      return new SpanContextShim(spanContext, baggage);
    }
  }
  if (typeof candidate.toTraceId === 'function' && typeof candidate.toSpanId === 'function') {
    return fromForeignIds(candidate);
  }
  if (followSpan && typeof candidate.context === 'function') {
    const context = (candidate.context as () => unknown).call(value);
    return context instanceof SpanContextShim ? context : resolveForeign(context, false);
  }
  warnOnce('references.span-context.shape', 'an object that is neither a Span nor a SpanContext was ignored');
  return undefined;
}

function fromForeignIds(candidate: Record<string, unknown>): SpanContextShim | undefined {
  const traceId = toOtelTraceId((candidate.toTraceId as () => unknown).call(candidate));
  const spanId = toOtelSpanId((candidate.toSpanId as () => unknown).call(candidate));
  if (traceId === undefined || spanId === undefined) {
    warnOnce('references.foreign.ids', 'a span context of another tracer has no valid hex trace id and span id; ignored');
    return undefined;
  }
  const sampled = readPart('sampled flag', () =>
    typeof candidate.isSampled === 'function' ? Boolean((candidate.isSampled as () => unknown).call(candidate)) : true,
  );
  const spanContext: SpanContext = { traceId, spanId, traceFlags: sampled === false ? TraceFlags.NONE : TraceFlags.SAMPLED, isRemote: true };
  return new SpanContextShim(spanContext, foreignBaggage(candidate));
}

/**
 * The plain-object `baggage` of a foreign span context (jaeger-client keeps its items there) as
 * OpenTelemetry Baggage: its string items. An item that cannot be read is left out, with a
 * `diag` warning; the span context keeps the others.
 */
function foreignBaggage(candidate: Record<string, unknown>): Baggage {
  let baggage = propagation.createBaggage();
  const value = readPart('baggage', () => candidate.baggage);
  if (typeof value !== 'object' || value === null) return baggage;
  for (const [key, item] of readEntries(value, 'the baggage of a span context of another tracer')) {
    if (typeof item === 'string') baggage = baggage.setEntry(key, { value: item });
  }
  return baggage;
}

/**
 * One optional part of a foreign span context (its baggage, its sampled flag), read by `read`;
 * `undefined`, with a `diag` warning, when reading it throws (a getter, a Proxy trap), so that an
 * unreadable part costs that part and not the trace.
 */
function readPart<T>(part: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    warnOnce(`references.foreign.${part}`, `the ${part} of a span context of another tracer could not be read; left out: ${describeError(error)}`);
    return undefined;
  }
}

/** Whether `value` is an OpenTelemetry span context: string ids and numeric trace flags. */
export function isOtelSpanContext(value: unknown): value is SpanContext {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<SpanContext>;
  return typeof candidate.traceId === 'string' && typeof candidate.spanId === 'string' && typeof candidate.traceFlags === 'number';
}

/** Whether `value` has the shape of OpenTelemetry Baggage (`getEntry`, `getAllEntries`, `setEntry`). May throw (a Proxy). */
export function isBaggage(value: unknown): value is Baggage {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Baggage;
  return typeof candidate.getEntry === 'function' && typeof candidate.getAllEntries === 'function' && typeof candidate.setEntry === 'function';
}

/**
 * The baggage of a span with several references: the union of the referenced contexts'
 * baggage, the parent's value winning for a key that several hold, then the others in reference
 * order (OpenTelemetry spec, compatibility/opentracing.md, "Start a new Span"). The union is held
 * to the extract limits (`unionWithinLimits`: `MAX_BAGGAGE_ITEMS` items, `MAX_BAGGAGE_BYTES`
 * bytes; later items dropped first, reported to `warn`), so a batch span referencing many
 * messages does not carry every message's baggage on. Linear in the entries given, with at most
 * `MAX_BAGGAGE_ITEMS` keys remembered, and the Baggage made once, where a `setEntry` per item
 * copied the whole map each time (25 references of 180 items took 1 s).
 *
 * @returns the parent's Baggage itself when the union is exactly the parent's entries.
 */
export function unionBaggage(parent: SpanContextShim, referenced: readonly SpanContextShim[], warn: Warn): Baggage {
  const parentEntries = parent._baggageEntries();
  const lists: BaggageEntries[] = [parentEntries];
  for (const other of referenced) {
    if (other === parent) continue;
    const entries = other._baggageEntries();
    if (entries.length > 0) lists.push(entries);
  }
  // No other context has baggage (the usual batch of FollowsFrom references): the parent's, as
  // for a single reference, with no union built.
  if (lists.length === 1) return parent.getBaggage();
  let dropped = false;
  const union = unionWithinLimits(lists, 'startSpan', (message) => {
    dropped = true;
    warn(message);
  });
  if (!dropped && union.length === parentEntries.length) return parent.getBaggage();
  return propagation.createBaggage(Object.fromEntries(union));
}

/**
 * Adds the readable references of `references` (an array, or one reference given bare) to
 * `selection`. An array whose reading throws (a Proxy) keeps the references read before, with a
 * `diag` warning, so the span keeps its other options.
 */
function addReferences(selection: ReferenceSelection, references: unknown): void {
  try {
    for (const reference of Array.isArray(references) ? (references as unknown[]) : [references]) {
      // Used at once, so that the record `resolveReference` returns need not be allocated.
      const resolved = resolveReference(reference);
      if (resolved !== undefined) selection.add(resolved.type, resolved.context);
    }
  } catch (error) {
    warnOnce('references.list.unreadable', `startSpan: the references could not be read; the rest were ignored: ${describeError(error)}`);
  }
}

// One frozen attributes object per reference type: links are made for every child span.
const CHILD_OF_LINK_ATTRIBUTES = Object.freeze({ [LINK_REF_TYPE_ATTRIBUTE]: opentracing.REFERENCE_CHILD_OF });
const FOLLOWS_FROM_LINK_ATTRIBUTES = Object.freeze({ [LINK_REF_TYPE_ATTRIBUTE]: opentracing.REFERENCE_FOLLOWS_FROM });

/**
 * The link a reference becomes: its span context, with `opentracing.ref_type` (OpenTelemetry
 * spec). A new object, not frozen: it goes to one span only (`childOfLinks` freezes what it shares).
 */
function linkTo(type: string, referenced: SpanContextShim): Link {
  const attributes =
    type === opentracing.REFERENCE_CHILD_OF
      ? CHILD_OF_LINK_ATTRIBUTES
      : type === opentracing.REFERENCE_FOLLOWS_FROM
        ? FOLLOWS_FROM_LINK_ATTRIBUTES
        : { [LINK_REF_TYPE_ATTRIBUTE]: type };
  return { context: referenced.getSpanContext(), attributes };
}

/**
 * The links of a span whose one reference is a ChildOf to `parent`. A parent's first child gets
 * a list of its own; from the second child on, the children share one frozen list, kept on the
 * parent (`CHILD_OF_LINKS`), so a kept parent costs one list and a parent with one child (the
 * usual request span) costs no freezing, which costs more than the list (~90 ns).
 */
function childOfLinks(parent: SpanContextShim): readonly Link[] {
  const kept = parent[CHILD_OF_LINKS];
  if (kept !== undefined && kept !== null) return kept;
  const links = [linkTo(opentracing.REFERENCE_CHILD_OF, parent)];
  if (kept === undefined) {
    parent[CHILD_OF_LINKS] = null;
    return links;
  }
  Object.freeze(links[0]);
  parent[CHILD_OF_LINKS] = Object.freeze(links);
  return links;
}
