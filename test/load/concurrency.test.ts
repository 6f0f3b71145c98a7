import { EventEmitter } from 'node:events';
import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type * as opentracing from 'opentracing';
import { activeSpan, withSpan } from '../../src/context-interop';
import { BaggageSpanProcessor } from '../../src/sdk/baggage-span-processor';
import { TracerShim } from '../../src/tracer-shim';
import { registerGlobals, resetGlobals } from '../helpers/sdk';

// 10,000 concurrent requests under an AsyncLocalStorage context manager, each with its own
// baggage item and spans started across await, setTimeout, setImmediate and an EventEmitter,
// mixing OpenTracing spans (explicit childOf, implicit parent, activeSpan()) and OpenTelemetry
// spans (withSpan, startActiveSpan): no parent and no baggage crosses from one request to another.

const REQUESTS = 10_000;
const SPANS_PER_REQUEST = 8;
const BAGGAGE_KEY = 'request-id';

/** What the test needs of a finished span, kept small so 80,000 spans fit comfortably. */
interface FinishedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** The `request` tag every OpenTracing span of a request carries; undefined on OpenTelemetry spans. */
  readonly request: unknown;
  /** The span's baggage item, as BaggageSpanProcessor saw it at the span's start. */
  readonly baggage: string | undefined;
}

/** Records each finished span, with the baggage BaggageSpanProcessor kept for it. */
class RecordingProcessor implements SpanProcessor {
  readonly finished: FinishedSpan[] = [];

  constructor(private readonly _baggage: BaggageSpanProcessor) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    this.finished.push({
      name: span.name,
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      parentSpanId: span.parentSpanContext?.spanId,
      request: span.attributes.request,
      baggage: this._baggage.getBaggage(span as unknown as Span)?.getEntry(BAGGAGE_KEY)?.value,
    });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

let tracer: TracerShim;
let provider: BasicTracerProvider;
let recorder: RecordingProcessor;
/** What the requests saw from inside: getBaggageItem results that did not match their request. */
let seenInside: string[];

beforeAll(() => {
  registerGlobals();
  const baggage = new BaggageSpanProcessor();
  recorder = new RecordingProcessor(baggage);
  provider = new BasicTracerProvider({ spanProcessors: [baggage, recorder] });
  tracer = new TracerShim(provider);
  seenInside = [];
});

afterAll(() => resetGlobals());

/** Checks, from inside a request, the baggage an OpenTracing span and the active OpenTelemetry context carry. */
function expectOwnBaggage(request: number, where: string, span: opentracing.Span): void {
  const expected = String(request);
  const fromSpan = span.getBaggageItem(BAGGAGE_KEY);
  const fromContext = propagation.getBaggage(context.active())?.getEntry(BAGGAGE_KEY)?.value;
  if (fromSpan !== expected || fromContext !== expected) seenInside.push(`request ${request} ${where}: span ${fromSpan}, context ${fromContext}`);
}

const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * One request. Spans (8): request (root, OpenTracing) -> implicit (OpenTracing, implicit parent
 * after an await) and otel-after-timer (OpenTelemetry, after setTimeout); request -> explicit
 * (OpenTracing, childOf after setImmediate) -> from-emitter (OpenTracing, in a listener of an
 * emitter fired from another context) and otel-active (OpenTelemetry startActiveSpan) ->
 * under-otel (OpenTracing, childOf activeSpan()) and otel-grandchild (OpenTelemetry).
 */
async function handle(request: number): Promise<void> {
  const otel = provider.getTracer('otel');
  const root = tracer.startSpan('request', { tags: { request, 'span.kind': 'server' } });
  root.setBaggageItem(BAGGAGE_KEY, String(request));

  await withSpan(root, async () => {
    await Promise.resolve();
    const implicit = tracer.startSpan('implicit', { tags: { request } });
    expectOwnBaggage(request, 'implicit', implicit);

    await later(request % 3);
    otel.startSpan('otel-after-timer').end();
    implicit.finish();

    await nextTurn();
    const explicit = tracer.startSpan('explicit', { childOf: root, tags: { request } });
    await withSpan(explicit, async () => {
      const emitter = context.bind(context.active(), new EventEmitter());
      const heard = new Promise<void>((resolve) => {
        emitter.once('event', () => {
          const fromEmitter = tracer.startSpan('from-emitter', { tags: { request } });
          expectOwnBaggage(request, 'from-emitter', fromEmitter);
          fromEmitter.finish();
          resolve();
        });
      });
      // Fired from a context that is not the request's, as a shared connection would.
      context.with(ROOT_CONTEXT, () => setImmediate(() => emitter.emit('event')));
      await heard;

      await otel.startActiveSpan('otel-active', async (span) => {
        await nextTurn();
        const underOtel = tracer.startSpan('under-otel', { childOf: activeSpan() ?? undefined, tags: { request } });
        expectOwnBaggage(request, 'under-otel', underOtel);
        otel.startSpan('otel-grandchild').end();
        underOtel.finish();
        span.end();
      });
    });
    explicit.finish();
  });
  root.finish();
}

/** The request a span belongs to, found by following parent ids up to the root. */
function rootRequest(span: FinishedSpan, byId: Map<string, FinishedSpan>): unknown {
  let current: FinishedSpan | undefined = span;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    if (current.parentSpanId === undefined) return current.name === 'request' ? current.request : `root ${current.name}`;
    current = byId.get(current.parentSpanId);
  }
  return 'broken chain';
}

it(`keeps the parent and baggage of each of ${REQUESTS} concurrent requests to itself`, async () => {
  const outside: Context = context.active();

  await Promise.all(Array.from({ length: REQUESTS }, (_, request) => handle(request)));

  expect(context.active()).toBe(outside);
  expect(seenInside.slice(0, 5)).toEqual([]);
  const spans = recorder.finished;
  expect(spans).toHaveLength(REQUESTS * SPANS_PER_REQUEST);
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  expect(byId.size).toBe(spans.length);

  const roots = new Map<unknown, FinishedSpan>();
  for (const span of spans) if (span.name === 'request') roots.set(span.request, span);
  expect(roots.size).toBe(REQUESTS);

  const crossed: string[] = [];
  for (const span of spans) {
    const request = rootRequest(span, byId);
    const root = roots.get(request);
    if (root === undefined || span.traceId !== root.traceId) crossed.push(`${span.name} ${span.spanId}: chain leads to ${String(request)}`);
    else if (span.request !== undefined && span.request !== request)
      crossed.push(`${span.name} of request ${String(span.request)} has the root of request ${String(request)}`);
    else if (span.baggage !== String(request)) crossed.push(`${span.name} of request ${String(request)} started with baggage ${String(span.baggage)}`);
  }
  expect(crossed.slice(0, 5)).toEqual([]);

  const perRequest = new Map<unknown, number>();
  for (const span of spans) perRequest.set(rootRequest(span, byId), (perRequest.get(rootRequest(span, byId)) ?? 0) + 1);
  expect([...perRequest.values()].every((count) => count === SPANS_PER_REQUEST)).toBe(true);
});
