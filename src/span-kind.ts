import * as api from '@opentelemetry/api';

// Read once: the api's CommonJS build exports every name through a getter, which compiled code
// would otherwise call at each use on the per-span path (issue 17: 2 to 4% of a span).
const { SpanKind } = api;

/**
 * Maps the value of the OpenTracing `span.kind` tag (`client`, `server`, `producer`,
 * `consumer`, in any case: OpenTracing semantic conventions) to an OpenTelemetry SpanKind.
 * Returns `undefined` for any other value, which then stays an ordinary `span.kind` attribute.
 */
export function toSpanKind(value: unknown): api.SpanKind | undefined {
  if (typeof value !== 'string') return undefined;
  switch (value.toLowerCase()) {
    case 'client':
      return SpanKind.CLIENT;
    case 'server':
      return SpanKind.SERVER;
    case 'producer':
      return SpanKind.PRODUCER;
    case 'consumer':
      return SpanKind.CONSUMER;
    default:
      return undefined;
  }
}
