import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * The OpenTelemetry JS SDK line this run tests: 3 in the compat run (scripts/test-compat.mjs sets
 * `OTSHIM_SDK_LINE=3`), else 2. For the few assertions on what the SDK itself does differently.
 */
export const SDK_LINE: 2 | 3 = process.env.OTSHIM_SDK_LINE === '3' ? 3 : 2;

/** A real OpenTelemetry SDK provider whose finished spans land in an in-memory exporter. */
export interface TestSdk {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** The one finished span with this name (fails the test if there is not exactly one). */
  span(name: string): ReadableSpan;
}

export function createTestSdk(options: { sampler?: Sampler; spanProcessors?: SpanProcessor[] } = {}): TestSdk {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    sampler: options.sampler,
    spanProcessors: [new SimpleSpanProcessor(exporter), ...(options.spanProcessors ?? [])],
  });
  return {
    provider,
    exporter,
    spans: () => exporter.getFinishedSpans(),
    span: (name) => oneSpan(exporter.getFinishedSpans(), name),
  };
}

/** The one span with this name (fails the test if there is not exactly one). */
export function oneSpan(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one finished span "${name}", found ${found.length}`);
  return found[0];
}

/**
 * An in-memory exporter that keeps its spans through shutdown (InMemorySpanExporter drops them),
 * for tests that read the spans after `close()` or a provider shutdown; counts the shutdowns.
 */
export class KeepingExporter extends InMemorySpanExporter {
  shutdowns = 0;

  override shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }

  /** Names of the finished spans, in the order they ended. */
  names(): string[] {
    return this.getFinishedSpans().map((span) => span.name);
  }

  /** The one finished span with this name (fails the test if there is not exactly one). */
  span(name: string): ReadableSpan {
    return oneSpan(this.getFinishedSpans(), name);
  }
}

/** Registers the W3C propagators and an AsyncLocalStorage context manager globally. */
export function registerGlobals(): AsyncLocalStorageContextManager {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  return manager;
}

export function resetGlobals(): void {
  context.disable();
  propagation.disable();
  trace.disable();
}
