'use strict';
// The core tests import the SDK 2.x package `@opentelemetry/sdk-trace-base`. In the SDK 3.x line
// that package became `@opentelemetry/sdk-trace`: `BasicTracerProvider` is `TracerProvider`
// (same sampler/spanProcessors options), and the span processors take `{ exporter, ...config }`
// instead of `(exporter, config)`. This module gives the tests the 3.x classes under the 2.x
// names and constructor shapes; the classes themselves are the SDK's, unchanged.
const sdk = require('@opentelemetry/sdk-trace');

class SimpleSpanProcessor extends sdk.SimpleSpanProcessor {
  constructor(exporter) {
    super({ exporter });
  }
}

class BatchSpanProcessor extends sdk.BatchSpanProcessor {
  constructor(exporter, config) {
    super({ ...config, exporter });
  }
}

module.exports = { ...sdk, BasicTracerProvider: sdk.TracerProvider, SimpleSpanProcessor, BatchSpanProcessor };
