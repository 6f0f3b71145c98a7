// jaeger-client's members on JaegerSpanContext, JaegerSpan and JaegerTracer (issue 15); their
// parity with jaeger-client is in test/interop/jaeger-surface-parity.test.ts.
import { INVALID_SPAN_CONTEXT, TraceFlags, createTraceState } from '@opentelemetry/api';
import { JAEGER_FIREHOSE_TRACE_STATE_KEY } from '../../src/jaeger/constants';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { createTestSdk } from '../helpers/sdk';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = '00f067aa0ba902b7';

describe('JaegerSpanContext members', () => {
  it('should give trace, span and parent ids as Buffers, new ones on each read', () => {
    const context = new JaegerSpanContext({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED }, undefined, '0000000000000012');
    expect(context.traceId?.toString('hex')).toBe(TRACE_ID);
    expect(context.spanId?.toString('hex')).toBe(SPAN_ID);
    expect(context.parentId?.toString('hex')).toBe('0000000000000012');
    (context.traceId as Buffer).fill(0);
    expect(context.traceId?.toString('hex')).toBe(TRACE_ID);
  });

  it('should give null ids for an invalid context, and parentId null for a root', () => {
    const invalid = new JaegerSpanContext(INVALID_SPAN_CONTEXT);
    expect([invalid.traceId, invalid.spanId, invalid.parentId]).toEqual([null, null, null]);
  });

  it('should tell the firehose flag, a debug-id-only context and a remote one', () => {
    const firehose = new JaegerSpanContext({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: createTraceState().set(JAEGER_FIREHOSE_TRACE_STATE_KEY, '1'),
    });
    expect([firehose.isFirehose(), firehose.isRemote(), firehose.isDebugIDContainerOnly()]).toEqual([true, true, false]);
    const debugOnly = new JaegerSpanContext(INVALID_SPAN_CONTEXT, undefined, undefined, 'debug-1');
    expect([debugOnly.isDebugIDContainerOnly(), debugOnly.isFirehose(), debugOnly.isRemote()]).toEqual([true, false, false]);
  });

  it('should build from withStringIds whatever the baggage is', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('hostile');
        },
      },
    );
    expect(() => JaegerSpanContext.withStringIds('abc', 'def', null, 1, hostile as Record<string, string>)).not.toThrow();
    expect(JaegerSpanContext.withStringIds('xyz', 'def', null, 1, { k: 'v' }).isValid()).toBe(false);
    expect(JaegerSpanContext.withStringIds('xyz', 'def', null, 1, { k: 'v' }).baggage).toEqual({ k: 'v' });
    expect(JaegerSpanContext.fromString(undefined as unknown as string)).toBeNull();
  });
});

describe('JaegerSpan.operationName', () => {
  it('should follow the name given at start and by setOperationName, before and after the span exists', () => {
    const tracer = new JaegerTracer(createTestSdk().provider);
    const span = tracer.startSpan('first');
    expect((span as unknown as { operationName: string }).operationName).toBe('first');
    span.context().toTraceId();
    span.setOperationName('second');
    expect((span as unknown as { operationName: string }).operationName).toBe('second');
  });
});

describe('JaegerTracer.now', () => {
  it('should give milliseconds since the epoch, as jaeger-client', () => {
    const before = Date.now();
    const now = new JaegerTracer(createTestSdk().provider).now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
