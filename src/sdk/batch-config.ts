import { describeValue } from '../attributes';
import { describeError, logger } from '../logger';
import type { BufferConfig } from '../otel-sdk/types';
import { MAX_TIMER_DELAY_MS } from '../time';
import type { Environment } from '../env';

/**
 * One setting of the batch span processor: its `BufferConfig` field, its `OTEL_BSP_*` variable,
 * its default (OpenTelemetry specification, "Batch Span Processor"), and the least it may be.
 */
const SETTINGS = [
  { field: 'scheduledDelayMillis', variable: 'OTEL_BSP_SCHEDULE_DELAY', fallback: 5000, least: 0, integer: false },
  { field: 'exportTimeoutMillis', variable: 'OTEL_BSP_EXPORT_TIMEOUT', fallback: 30000, least: 1, integer: false },
  { field: 'maxQueueSize', variable: 'OTEL_BSP_MAX_QUEUE_SIZE', fallback: 2048, least: 1, integer: true },
  { field: 'maxExportBatchSize', variable: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', fallback: 512, least: 1, integer: true },
] as const;

/**
 * The four settings of a `BatchSpanProcessor`, each given explicitly, so the SDK never reads
 * them itself: a field of `given` when set, else its `OTEL_BSP_*` variable in `env`, else the
 * specification's default (5000 ms, 30000 ms, 2048 spans, 512 spans).
 *
 * Written here because the SDK's processor (both lines) takes any number: a batch size
 * of 0 makes it loop forever when it flushes (the process runs out of memory), and a negative or
 * fractional size makes it export empty batches without end, which blocks the event loop with a
 * synchronous exporter. So sizes must be whole numbers of at least 1; delays must be at least 0
 * (the export timeout at least 1) and at most 2^31 - 1 ms, the longest a Node timer takes. A value
 * outside these bounds, or a variable that is not a number, is replaced by the default with a
 * `diag` warning naming where it came from. The SDK still lowers a batch size above the queue
 * size to the queue size.
 */
export function batchConfig(given: BufferConfig | undefined, env: Environment, caller: string): Required<BufferConfig> {
  const config = {} as Record<(typeof SETTINGS)[number]['field'], number>;
  for (const { field, variable, fallback, least, integer } of SETTINGS) {
    const fromOptions = readOption(given, field, caller);
    const raw = env[variable];
    const source = fromOptions !== undefined ? `batch.${field}` : variable;
    const value = fromOptions !== undefined ? fromOptions : raw === undefined || raw.trim() === '' ? undefined : Number(raw);
    if (value === undefined) {
      config[field] = fallback;
    } else if (typeof value === 'number' && value >= least && value <= MAX_TIMER_DELAY_MS && (!integer || Number.isInteger(value))) {
      config[field] = value;
    } else {
      const wanted = integer ? `a whole number from ${least}` : `a number of milliseconds from ${least}`;
      logger.warn(`${caller}: ${source} must be ${wanted} to ${MAX_TIMER_DELAY_MS}, got ${describeValue(fromOptions ?? raw)}; ${fallback} is used`);
      config[field] = fallback;
    }
  }
  return config;
}

/** `given[field]`, or `undefined` with a `diag` warning when reading it throws (a getter, a Proxy). */
function readOption(given: BufferConfig | undefined, field: keyof BufferConfig, caller: string): unknown {
  try {
    return typeof given === 'object' && given !== null ? given[field] : undefined;
  } catch (error) {
    logger.warn(`${caller}: batch.${field} could not be read, so it is left out: ${describeError(error)}`);
    return undefined;
  }
}
