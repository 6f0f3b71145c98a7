import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * Span exporters that fail in each way a real one can, for the fault tests. Each counts its
 * `export` calls and the spans it was handed, so a test can tell that the failing path ran.
 */
export abstract class FaultyExporter implements SpanExporter {
  /** How many times `export` was called. */
  calls = 0;
  /** How many spans `export` was handed in total. */
  spans = 0;

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.calls += 1;
    this.spans += spans.length;
    this.fail(resultCallback);
  }

  protected abstract fail(resultCallback: (result: ExportResult) => void): void;

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** `export` throws synchronously, as a buggy exporter or a serialiser bug does. */
export class ThrowingExporter extends FaultyExporter {
  protected fail(): void {
    throw new Error('export threw');
  }
}

/**
 * `export` reports FAILED with an error on a later turn, as a collector refusing the batch does;
 * `shutdown` and `forceFlush` reject.
 */
export class FailingExporter extends FaultyExporter {
  protected fail(resultCallback: (result: ExportResult) => void): void {
    setImmediate(() => resultCallback({ code: ExportResultCode.FAILED, error: new Error('collector refused the batch') }));
  }

  override shutdown(): Promise<void> {
    return Promise.reject(new Error('exporter shutdown failed'));
  }

  override forceFlush(): Promise<void> {
    return Promise.reject(new Error('exporter flush failed'));
  }
}

/** `export` never calls back, as an exporter stuck on a dead connection does. */
export class HangingExporter extends FaultyExporter {
  /** Exports started and never finished. */
  get pending(): number {
    return this.calls;
  }

  protected fail(): void {
    // Never calls back.
  }
}
