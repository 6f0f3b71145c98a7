import { describeError, logger } from '../logger';
import { ExportResultCode } from '../otel-sdk/types';
import type { ExportResult, ReadableSpan, SpanExporter } from '../otel-sdk/types';
import { DeadlineExceededError, SHUTDOWN_TIMEOUT_MS, withDeadline } from './bounded-shutdown';

/**
 * A span exporter around another (an OTLP exporter, say) that turns a collector outage into
 * two log lines instead of one error per batch. The first failed export after a success (or
 * the first export of all) is reported through `diag` at warn level, naming the cause
 * (`connect ECONNREFUSED 127.0.0.1:4318`); further failures are only counted; the next
 * successful export is reported at info level with the number of batches and spans lost
 * meanwhile. `name` heads every line (`OTLP exporter`).
 *
 * Each export is reported to the span processor as a success, whatever the exporter said:
 * `@opentelemetry/sdk-trace-base`'s `BatchSpanProcessor` retries nothing (the exporter retries
 * itself, the OTLP ones for up to their timeout), so a failed batch is lost either way, but on a
 * failure the processor logs one `diag` error with a stack per batch, and its `forceFlush()` and
 * `shutdown()` reject, which ends a process that calls `provider.shutdown()` without a `catch`
 * (an unhandled rejection, exit code 1). An application must never be ended by an unreachable
 * collector.
 *
 * `forceFlush()` and `shutdown()` settle within `SHUTDOWN_TIMEOUT_MS` and never reject: a
 * failure is reported through `diag` at warn level. An `export` that throws counts as failed.
 */
export class OutageReportingExporter implements SpanExporter {
  private readonly _exporter: SpanExporter;
  private readonly _name: string;
  /** Batches and spans lost since the outage began; `undefined` while exports work. */
  private _outage: { batches: number; spans: number } | undefined;

  /**
   * @param exporter the exporter that does the work; its results are read, never passed on.
   * @param name what the log lines call it, e.g. `OTLP exporter (http://collector:4318/v1/traces)`.
   */
  constructor(exporter: SpanExporter, name: string) {
    this._exporter = exporter;
    this._name = name;
  }

  /** Hands `spans` to the exporter; `resultCallback` gets `{ code: 0 }` (success) once it answered. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let answered = false;
    const onResult = (result: ExportResult | undefined): void => {
      if (answered) return;
      answered = true;
      if (result?.code === ExportResultCode.SUCCESS) this._succeeded();
      else this._failed(Array.isArray(spans) ? spans.length : 0, result?.error);
      resultCallback({ code: ExportResultCode.SUCCESS });
    };
    try {
      this._exporter.export(spans, onResult);
    } catch (error) {
      onResult({ code: 1, error: error instanceof Error ? error : new Error(describeError(error)) });
    }
  }

  /** The exporter's `forceFlush()`, bounded by `SHUTDOWN_TIMEOUT_MS`; never rejects. */
  forceFlush(): Promise<void> {
    const exporter = this._exporter;
    if (typeof exporter.forceFlush !== 'function') return Promise.resolve();
    return this._bounded(() => exporter.forceFlush!(), 'flush');
  }

  /** The exporter's `shutdown()`, bounded by `SHUTDOWN_TIMEOUT_MS`; never rejects. */
  shutdown(): Promise<void> {
    return this._bounded(() => this._exporter.shutdown(), 'shutdown');
  }

  private _succeeded(): void {
    const outage = this._outage;
    if (outage === undefined) return;
    this._outage = undefined;
    logger.info(`${this._name}: exports work again; ${outage.spans} spans in ${outage.batches} batches were lost meanwhile`);
  }

  private _failed(spans: number, error: Error | undefined): void {
    if (this._outage !== undefined) {
      this._outage.batches += 1;
      this._outage.spans += spans;
      return;
    }
    this._outage = { batches: 1, spans };
    logger.warn(
      `${this._name}: export failed (${error === undefined ? 'no reason given' : describeError(error)}); spans are dropped until an export succeeds, which will be logged`,
    );
  }

  private _bounded(step: () => Promise<void>, what: string): Promise<void> {
    return withDeadline(step, SHUTDOWN_TIMEOUT_MS, `${this._name}: ${what}`).catch((error: unknown) => {
      logger.warn(error instanceof DeadlineExceededError ? error.message : `${this._name}: ${what} failed: ${describeError(error)}`);
    });
  }
}

/**
 * `exporter` wrapped in an `OutageReportingExporter` whose log lines name `caller` and the
 * exporter's class (`initTracer: OTLPTraceExporter`); `undefined` for `undefined`.
 */
export function reportOutages(exporter: SpanExporter | undefined, caller: string): SpanExporter | undefined {
  if (exporter === undefined) return undefined;
  let name = 'exporter';
  try {
    name = (exporter as { constructor?: { name?: unknown } }).constructor?.name as string;
  } catch {
    // A Proxy or a getter that throws: keep the generic name.
  }
  return new OutageReportingExporter(exporter, `${caller}: ${typeof name === 'string' && name !== '' ? name : 'exporter'}`);
}
