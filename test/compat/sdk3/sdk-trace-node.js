'use strict';
// The test fixtures import `NodeTracerProvider` from the SDK 2.x package `@opentelemetry/sdk-trace-node`,
// which has no 3.x release: on 3.x an application builds `TracerProvider` from
// `@opentelemetry/sdk-trace` and registers the context manager and propagator itself, as
// `register()` did. This module gives the fixtures that, from the real 3.x classes.
const { context, propagation, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const sdk = require('./sdk-trace-base');

class NodeTracerProvider extends sdk.BasicTracerProvider {
  register(config = {}) {
    trace.setGlobalTracerProvider(this);
    context.setGlobalContextManager(config.contextManager ?? new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(
      config.propagator ?? new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
  }
}

module.exports = { ...sdk, NodeTracerProvider };
