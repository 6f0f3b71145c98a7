import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { DisabledTracerProvider } from '../../src/sdk/sdk-disabled';

describe('DisabledTracerProvider', () => {
  it("should have an SDK provider's forceFlush and shutdown, and the API's no-op tracer", async () => {
    const provider = new DisabledTracerProvider();
    const span = provider.getTracer('test', '1.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' }).startSpan('root');

    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
    span.end();
    await expect(provider.forceFlush()).resolves.toBeUndefined();
    await expect(provider.shutdown()).resolves.toBeUndefined();
  });

  it("should give a child the parent's span context unchanged, not new ids", () => {
    const parent = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true };
    const child = new DisabledTracerProvider().getTracer('test').startSpan('child', {}, trace.setSpanContext(ROOT_CONTEXT, parent));

    expect(child.spanContext()).toEqual(parent);
  });
});
