import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { TracerShim } from '../../../src/tracer-shim';
import { SpanShim } from '../../../src/span-shim';
import { createTestSdk } from '../../helpers/sdk';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkTrace = require('@opentelemetry/sdk-trace');

/** The OpenTelemetry API's global registry; its `version` is the API package version in use. */
const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

// Guards the compat run itself: if the module mapping in jest.config.js stopped working, the
// core tests would silently run against the 2.x packages again.
describe('the SDK 3.x compat run', () => {
  afterEach(() => trace.disable());

  it('should give the shim and the tests @opentelemetry/api 1.10', () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    const registry = (globalThis as Record<symbol, { version?: string } | undefined>)[API_GLOBAL];
    expect(registry?.version).toBe('1.10.0');
  });

  it("should build the test SDK from @opentelemetry/sdk-trace 3.x's TracerProvider", () => {
    const sdk = createTestSdk();
    expect(sdk.provider).toBeInstanceOf(sdkTrace.TracerProvider);
  });

  it('should export spans the shim made through the 3.x SDK', () => {
    const sdk = createTestSdk();
    const span = new TracerShim(sdk.provider).startSpan('op', { tags: { 'span.kind': 'server' } }) as SpanShim;
    span.finish();
    expect(sdk.span('op').kind).toBe(1);
    expect(sdk.span('op').instrumentationScope.name).toBe('opentracing-shim');
  });
});
