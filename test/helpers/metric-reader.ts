import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';

/** A MetricReader of the real metrics SDK that collects cumulative sums when a test asks (`collect()`). */
export class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }

  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}
