/** This package's version; the OpenTelemetry tracer is obtained as `opentracing-shim` with it. */
export const VERSION = '0.1.0';
