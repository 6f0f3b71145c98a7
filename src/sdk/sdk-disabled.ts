import * as api from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import type { SdkTracerProvider } from '../otel-sdk/types';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { ProxyTracerProvider } = api;

/**
 * A tracer provider for `OTEL_SDK_DISABLED=true`, with an SDK provider's methods (`shutdown()`
 * and `forceFlush()` resolve at once), whose tracers are the OpenTelemetry API's no-op tracer.
 * It needs no SDK package. Its spans record nothing and carry their parent's span
 * context unchanged (the API's no-op behaviour; a root span gets the invalid span context), so a
 * service with the SDK disabled still passes the trace context it receives on to the services it
 * calls, with the caller's sampling decision. It has no span processor and makes no exporter.
 *
 * An `AlwaysOffSampler` was not used for this: the SDK then gives each span new ids with the
 * sampled flag off and propagates those, which would stop downstream services from sampling and
 * break the trace at this service.
 */
export class DisabledTracerProvider implements SdkTracerProvider {
  /** Without a delegate, a ProxyTracerProvider's tracers are the API's no-op tracer. */
  private readonly _noop = new ProxyTracerProvider();

  /** The API's no-op tracer, whatever the name, version or options. */
  getTracer(name: string, version?: string, options?: { schemaUrl?: string }): Tracer {
    return this._noop.getTracer(name, version, options);
  }

  /** Resolves at once: nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves at once: nothing is held. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
