// A real OTLP receiver for the end-to-end tests: @elastic/mockotlpserver on 127.0.0.1, free ports.
// The package ships no type declarations; the types below are the members the tests use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MockOtlpServer, normalizeTrace } = require('@elastic/mockotlpserver') as MockOtlpServerModule;

interface MockOtlpServerModule {
  MockOtlpServer: new (options: {
    services: Array<'http' | 'grpc'>;
    httpHostname: string;
    httpPort: number;
    grpcHostname?: string;
    grpcPort?: number;
    logLevel: string;
    onTrace: (request: unknown) => void;
    onRequest?: (request: { path: string; headers?: Record<string, string | undefined> }) => void;
  }) => { start(): Promise<void>; close(): Promise<void>; httpUrl: URL; grpcUrl?: URL };
  /** Turns a received OTLP/protobuf or OTLP/JSON request into one JSON shape: hex ids, enum names, attribute maps. */
  normalizeTrace(request: unknown): {
    resourceSpans: Array<{ resource: { attributes: AttributeMap }; scopeSpans: Array<{ scope: { name: string }; spans: NormalizedSpan[] }> }>;
  };
}

/** OTLP attributes after `normalizeTrace`: a plain map. */
export type AttributeMap = Record<string, unknown>;

/** A span after `normalizeTrace`; protobuf leaves empty lists out, JSON does not. */
interface NormalizedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** `SPAN_KIND_SERVER`, ... */
  kind: string;
  /** OTLP span flags: bit 8 says whether the parent's remoteness is known, bit 9 that it is remote. */
  flags: number;
  attributes?: AttributeMap;
  events?: Array<{ name: string; attributes?: AttributeMap }>;
  links?: Array<{ traceId: string; spanId: string; attributes?: AttributeMap }>;
  status: { code: string; message?: string };
  /** Nanoseconds since the epoch, as a decimal string. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
}

/** A span as the receiver got it, with its resource's `service.name` and its instrumentation scope's name. */
export interface ReceivedSpan extends NormalizedSpan {
  service: string;
  scope: string;
}

/** A running receiver and what it has received so far, in arrival order. */
export interface OtlpReceiver {
  readonly spans: ReceivedSpan[];
  /** Each received resource's attributes, one per resource in each request. */
  readonly resources: AttributeMap[];
  /** OTLP/HTTP requests (gRPC ones come without HTTP headers and are not listed). */
  readonly requests: Array<{ path: string; contentType: string | undefined }>;
  /** `http://127.0.0.1:<port>`: use `.origin` as `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly httpUrl: URL;
  /** The gRPC listener, with `{ grpc: true }`. */
  readonly grpcUrl: URL | undefined;
  close(): Promise<void>;
}

/**
 * Starts a receiver for OTLP/HTTP (protobuf and JSON) and, with `grpc`, OTLP/gRPC. One per test
 * file: it listens through process-wide diagnostics channels. Close it in `afterAll`.
 */
export async function startOtlpReceiver(options: { grpc?: boolean } = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const resources: AttributeMap[] = [];
  const requests: Array<{ path: string; contentType: string | undefined }> = [];
  const server = new MockOtlpServer({
    services: options.grpc === true ? ['http', 'grpc'] : ['http'],
    httpHostname: '127.0.0.1',
    httpPort: 0,
    ...(options.grpc === true ? { grpcHostname: '127.0.0.1', grpcPort: 0 } : {}),
    logLevel: 'warn',
    onRequest: (request) => {
      if (request.headers) requests.push({ path: request.path, contentType: request.headers['content-type'] });
    },
    onTrace: (request) => {
      for (const { resource, scopeSpans } of normalizeTrace(request).resourceSpans) {
        resources.push(resource.attributes);
        const service = String(resource.attributes['service.name']);
        for (const { scope, spans: scoped } of scopeSpans) for (const span of scoped) spans.push({ ...span, service, scope: scope.name });
      }
    },
  });
  await server.start();
  return { spans, resources, requests, httpUrl: server.httpUrl, grpcUrl: server.grpcUrl, close: () => server.close() };
}
