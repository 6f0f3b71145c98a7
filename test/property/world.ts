import { TraceFlags } from '@opentelemetry/api';
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOnSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { MAX_BAGGAGE_VALUE_LENGTH, normalizeBaggageKey } from '../../src/jaeger/jaeger-span';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { TracerShim } from '../../src/tracer-shim';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';
import { createTestSdk } from '../helpers/sdk';
import type { TestSdk } from '../helpers/sdk';
import { labelled } from './arbitraries';
import type { ContextSpec, ReferenceSpec, SpanOptionsSpec } from './arbitraries';

/**
 * The world a property runs in: a real SDK provider (AlwaysOnSampler, SimpleSpanProcessor into
 * an InMemorySpanExporter), the tracer under test on it, the foreign tracers whose spans and
 * contexts get passed in (another shim on another provider, jaeger-client, opentracing's
 * MockTracer and no-op tracer), and a `diag` capture.
 *
 * It turns the data specs of arbitraries.ts into live objects, remembers every span of the
 * tracer under test that a run started and finished, and `verify()` checks the invariants every
 * run must keep whatever it was fed (see `verify`).
 */

/** The two tracers whose public API the properties drive. */
export type TracerKind = 'TracerShim' | 'JaegerTracer';
export const TRACER_KINDS: TracerKind[] = ['TracerShim', 'JaegerTracer'];

/** SDK messages that mean the shim handed OpenTelemetry something wrong or used a span wrongly. */
export const SDK_COMPLAINTS: RegExp[] = [
  /Invalid attribute value set for key/,
  /You can only call end\(\) on a span once/,
  /Cannot execute the operation on ended Span/,
  /Dropping invalid status\.message/,
  /Failed to record an exception/,
];

/**
 * The SDK also warns `Invalid attribute key: ` for an empty key. The OpenTelemetry spec forbids
 * empty attribute keys, so a `setTag('', v)` cannot survive; that one is not held against the shim.
 */
const EMPTY_KEY_COMPLAINT = /^warn Invalid attribute key: $/;

// jaeger-client ships no type declarations; the members used here.
interface JaegerClientSpan extends opentracing.Span {
  setBaggageItem(key: string, value: string): this;
}
interface JaegerClient {
  initTracer(config: object, options: object): opentracing.Tracer;
  InMemoryReporter: new () => object;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaegerClient = require('jaeger-client') as JaegerClient;
const quietLogger = { info: (): void => undefined, error: (): void => undefined };

/** Tracers of other implementations, shared by every world of a test file. */
interface ForeignTracers {
  readonly otherShim: TracerShim;
  readonly jaegerSampled: opentracing.Tracer;
  readonly jaegerUnsampled: opentracing.Tracer;
  readonly mock: opentracing.MockTracer;
  readonly noop: opentracing.Tracer;
}

let foreign: ForeignTracers | undefined;

function foreignTracers(): ForeignTracers {
  foreign ??= {
    otherShim: new TracerShim(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] })),
    jaegerSampled: jaegerClient.initTracer(
      { serviceName: 'legacy', sampler: { type: 'const', param: 1 } },
      { logger: quietLogger, reporter: new jaegerClient.InMemoryReporter() },
    ),
    jaegerUnsampled: jaegerClient.initTracer(
      { serviceName: 'legacy-unsampled', sampler: { type: 'const', param: 0 } },
      { logger: quietLogger, reporter: new jaegerClient.InMemoryReporter() },
    ),
    mock: new opentracing.MockTracer(),
    noop: new opentracing.Tracer(),
  };
  return foreign;
}

/** The propagators `initTracer` gives a JaegerTracer: W3C trace context and baggage, then Jaeger. */
export function jaegerPropagators(urlEncoding: boolean): CompositePropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new JaegerPropagator({ urlEncoding })],
  });
}

/** Whether `value` is an attribute value by the strictest reading: string, boolean, finite number, or a homogeneous array of them (null/undefined elements allowed). */
export function isStrictAttributeValue(value: unknown): value is AttributeValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    default:
      break;
  }
  if (!Array.isArray(value)) return false;
  let type: string | undefined;
  for (const element of value) {
    if (element === null || element === undefined) continue;
    if (!isStrictAttributeValue(element) || Array.isArray(element)) return false;
    type ??= typeof element;
    if (typeof element !== type) return false;
  }
  return true;
}

/** Describes every attribute of `attributes` that is not a strict attribute value, or a non-string key. */
export function invalidAttributes(attributes: Attributes | undefined, where: string): string[] {
  const problems: string[] = [];
  if (attributes === undefined) return problems;
  if (typeof attributes !== 'object' || attributes === null) return [`${where}: attributes are ${typeof attributes}`];
  const prototype = Object.getPrototypeOf(attributes);
  if (prototype !== Object.prototype && prototype !== null)
    problems.push(`${where}: the attributes object's prototype was replaced (a "__proto__" key was assigned)`);
  for (const key of Reflect.ownKeys(attributes)) {
    if (typeof key !== 'string') {
      problems.push(`${where}: symbol key ${String(key)}`);
      continue;
    }
    const value = (attributes as Record<string, unknown>)[key];
    if (!isStrictAttributeValue(value)) problems.push(`${where}: ${JSON.stringify(key)} = ${describe(value)}`);
  }
  return problems;
}

/** Everything wrong with one exported span, by the strict reading. */
export function problemsOf(span: ReadableSpan): string[] {
  const where = `span ${JSON.stringify(span.name)} ${span.spanContext().spanId}`;
  const problems = [...invalidAttributes(span.attributes, `${where} attributes`)];
  if (typeof span.name !== 'string') problems.push(`${where}: name is ${typeof span.name}`);
  span.events.forEach((event, i) => {
    if (typeof event.name !== 'string') problems.push(`${where} event ${i}: name is ${typeof event.name}`);
    problems.push(...invalidAttributes(event.attributes, `${where} event ${i} (${event.name})`));
  });
  span.links.forEach((link, i) => problems.push(...invalidAttributes(link.attributes, `${where} link ${i}`)));
  if (span.status.message !== undefined && typeof span.status.message !== 'string') problems.push(`${where}: status message is ${typeof span.status.message}`);
  problems.push(...invalidAttributes(span.resource.attributes, `${where} resource`));
  return problems;
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : `${typeof value} ${String(value).slice(0, 40)}`;
  } catch {
    return typeof value;
  }
}

/** `value instanceof type`, false for a value whose prototype cannot be read (a throwing Proxy). */
export function isInstance<T>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/** Runs `call`; a throw becomes a failure that names the call. */
export function mustNotThrow<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw new Error(`${what} threw into the caller: ${error instanceof Error ? `${error.name}: ${error.message}` : describe(error)}`, { cause: error });
  }
}

export class World {
  readonly kind: TracerKind;
  readonly sdk: TestSdk;
  readonly tracer: TracerShim;
  readonly diag: DiagCapture;
  readonly foreign: ForeignTracers;
  private _started: opentracing.Span[] = [];
  private readonly _finished = new Set<opentracing.Span>();
  private readonly _names = new Map<opentracing.Span, string>();
  private readonly _otelSpanIds = new Set<string>();

  constructor(kind: TracerKind) {
    this.kind = kind;
    this.sdk = createTestSdk({ sampler: new AlwaysOnSampler() });
    this.tracer =
      kind === 'TracerShim'
        ? new TracerShim(this.sdk.provider, { textMapPropagator: jaegerPropagators(false), httpHeadersPropagator: jaegerPropagators(true) })
        : new JaegerTracer(this.sdk.provider, { textMapPropagator: jaegerPropagators(false), httpHeadersPropagator: jaegerPropagators(true) });
    this.diag = captureDiag();
    this.foreign = foreignTracers();
  }

  /** Forgets the previous run: exported spans, diag messages, tracked spans. */
  reset(): void {
    this.sdk.exporter.reset();
    this.diag.messages.length = 0;
    this._started = [];
    this._finished.clear();
    this._names.clear();
    this._otelSpanIds.clear();
  }

  /** The baggage key a span of the tracer under test stores (JaegerSpan normalises, the core does not). */
  baggageKey(key: string): string {
    return this.kind === 'JaegerTracer' ? normalizeBaggageKey(key) : key;
  }

  /** The baggage value a span of the tracer under test stores for a string value. */
  baggageValue(value: string): string {
    return this.kind === 'JaegerTracer' && value.length > MAX_BAGGAGE_VALUE_LENGTH ? value.slice(0, MAX_BAGGAGE_VALUE_LENGTH) : value;
  }

  /** `tracer.startSpan`, remembered for `verify`. */
  startSpan(name: unknown, options?: unknown): opentracing.Span {
    const span = mustNotThrow(`startSpan(${describe(name)}, ...)`, () => this.tracer.startSpan(name as string, options as opentracing.SpanOptions));
    this._started.push(span);
    this._names.set(span, describe(name));
    return span;
  }

  /** `span.finish(time)`, remembered for `verify`. */
  finish(span: opentracing.Span, ...time: unknown[]): void {
    mustNotThrow(`finish(${time.map(describe).join(', ')})`, () => span.finish(...(time as [number])));
    this._finished.add(span);
  }

  /** Tells `verify` that an OpenTelemetry span with this id was ended directly by the test. */
  endedOtelSpan(spanId: string): void {
    this._otelSpanIds.add(spanId);
  }

  /** Marks a span finished by a call that `verify` cannot see (a finish op inside a program). */
  markFinished(span: opentracing.Span): void {
    this._finished.add(span);
  }

  /** The live object a ContextSpec stands for. */
  context(spec: ContextSpec): unknown {
    const { otherShim, jaegerSampled, jaegerUnsampled, mock, noop } = this.foreign;
    switch (spec.kind) {
      case 'own-span':
        return this.startSpan('reference target');
      case 'own-span-used': {
        const span = this.startSpan('used reference target');
        span.context().toSpanId();
        return span;
      }
      case 'own-span-finished': {
        const span = this.startSpan('finished reference target');
        this.finish(span);
        return span;
      }
      case 'own-context':
        return this.startSpan('context reference target').context();
      case 'own-context-with-baggage':
        return this.startSpan('baggage reference target').setBaggageItem('reference-baggage', 'from reference').context();
      case 'extracted':
        return mustNotThrow('extract', () => this.tracer.extract(spec.format as string, spec.carrier));
      case 'other-shim-span':
        return otherShim.startSpan('other shim');
      case 'other-shim-context':
        return otherShim.startSpan('other shim').setBaggageItem('other-baggage', 'from other shim').context();
      case 'jaeger-client-span':
        return (jaegerSampled.startSpan('legacy') as JaegerClientSpan).setBaggageItem('legacy-baggage', 'from jaeger-client');
      case 'jaeger-client-context':
        return (jaegerSampled.startSpan('legacy') as JaegerClientSpan).setBaggageItem('legacy-baggage', 'from jaeger-client').context();
      case 'jaeger-client-unsampled-context':
        return jaegerUnsampled.startSpan('legacy unsampled').context();
      case 'mock-tracer-span':
        return mock.startSpan('mock');
      case 'mock-tracer-context':
        return mock.startSpan('mock').context();
      case 'noop-span':
        return noop.startSpan('noop');
      case 'noop-context':
        return noop.startSpan('noop').context();
      case 'foreign-ids':
        return labelled(
          {
            toTraceId: () => spec.traceId,
            toSpanId: () => spec.spanId,
            isSampled: () => spec.sampled,
            baggage: spec.baggage,
          },
          `foreign context ${describe(spec.traceId)}:${describe(spec.spanId)}`,
        );
      case 'otel-like':
        return labelled(
          { getSpanContext: () => ({ traceId: spec.traceId, spanId: spec.spanId, traceFlags: spec.traceFlags }), getBaggage: () => undefined },
          `OTel-like context ${describe(spec.traceId)}:${describe(spec.spanId)}`,
        );
      case 'value':
        return spec.value;
    }
  }

  /** The live object a ReferenceSpec stands for. */
  reference(spec: ReferenceSpec): unknown {
    switch (spec.kind) {
      case 'reference': {
        const target = this.context(spec.target);
        try {
          return new opentracing.Reference(spec.type as string, target as opentracing.SpanContext);
        } catch {
          // opentracing's own constructor cannot take a hostile target (`instanceof` throws).
          return labelled({ type: () => spec.type, referencedContext: () => target }, 'duck-typed reference to a hostile target');
        }
      }
      case 'duck-reference': {
        const target = this.context(spec.target);
        return labelled({ type: () => spec.type, referencedContext: () => target }, 'duck-typed reference');
      }
      case 'throwing-reference':
        return labelled(
          {
            type: () => {
              throw new Error('type()');
            },
            referencedContext: () => {
              throw new Error('referencedContext()');
            },
          },
          'reference whose methods throw',
        );
      case 'bare':
        return this.context(spec.target);
    }
  }

  /** The live `startSpan` options a SpanOptionsSpec stands for. */
  options(spec: SpanOptionsSpec): unknown {
    if (spec.kind === 'value') return spec.value;
    const options: Record<string, unknown> = {};
    if ('childOf' in spec) options.childOf = this.context(spec.childOf as ContextSpec);
    if ('references' in spec) {
      const references = spec.references as ReferenceSpec[] | ReferenceSpec;
      options.references = Array.isArray(references) ? references.map((reference) => this.reference(reference)) : this.reference(references);
    }
    if ('tags' in spec) options.tags = spec.tags;
    if ('startTime' in spec) options.startTime = spec.startTime;
    return options;
  }

  /**
   * The invariants of every run:
   * - every span of the tracer under test that was finished is exported exactly once, and no
   *   other span is (the sampler samples everything, so a finished span that is not exported
   *   was lost);
   * - every exported attribute (span, events, links, resource) is a strict attribute value;
   * - the SDK never complained about what the shim handed it (`SDK_COMPLAINTS`).
   * Throws an Error listing every violation.
   */
  verify(): void {
    const problems: string[] = [];
    const exported = this.sdk.spans();
    const exportCount = new Map<string, number>();
    for (const span of exported) {
      const id = span.spanContext().spanId;
      exportCount.set(id, (exportCount.get(id) ?? 0) + 1);
      problems.push(...problemsOf(span));
    }
    const finishedIds = new Set<string>();
    for (const span of this._started) {
      const id = mustNotThrow('context().toSpanId() in verify', () => span.context().toSpanId());
      const name = this._names.get(span);
      if (this._finished.has(span)) {
        finishedIds.add(id);
        const sampled =
          (mustNotThrow('context() in verify', () => (span.context() as unknown as { getSpanContext(): { traceFlags: number } }).getSpanContext().traceFlags) &
            TraceFlags.SAMPLED) !==
          0;
        const count = exportCount.get(id) ?? 0;
        if (count !== 1) problems.push(`finished span ${name} (${id}, ${sampled ? 'sampled' : 'not sampled'}) was exported ${count} times`);
      } else if ((exportCount.get(id) ?? 0) !== 0) {
        problems.push(`span ${name} (${id}) was exported but never finished`);
      }
    }
    for (const id of this._otelSpanIds) {
      finishedIds.add(id);
      if (exportCount.get(id) !== 1) problems.push(`OpenTelemetry span ${id} was exported ${exportCount.get(id) ?? 0} times`);
    }
    for (const [id, count] of exportCount) {
      if (!finishedIds.has(id)) problems.push(`span ${id} was exported ${count} times but no finished span has that id`);
    }
    for (const message of this.diag.messages) {
      if (SDK_COMPLAINTS.some((pattern) => pattern.test(message)) && !EMPTY_KEY_COMPLAINT.test(message)) problems.push(`SDK: ${message}`);
    }
    if (problems.length > 0) throw new Error(`${problems.length} invariant violations:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
}
