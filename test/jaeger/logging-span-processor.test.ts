import { ROOT_CONTEXT, TraceFlags, createTraceState, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, Sampler } from '@opentelemetry/sdk-trace-base';
import { JAEGER_DEBUG_TRACE_STATE_KEY } from '../../src/jaeger/constants';
import { LoggingSpanProcessor } from '../../src/jaeger/logging-span-processor';
import { createTestSdk } from '../helpers/sdk';
import type { TestSdk } from '../helpers/sdk';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClientSpanContext {
  toString(): string;
}
interface JaegerClientSpan {
  context(): JaegerClientSpanContext;
  finish(): void;
}
interface JaegerClientTracer {
  startSpan(name: string, options?: { childOf?: JaegerClientSpan }): JaegerClientSpan;
  close(callback?: () => void): void;
}
interface JaegerClient {
  initTracer(config: object, options: object): JaegerClientTracer;
  LoggingReporter: new (logger: object) => { report(span: { context(): JaegerClientSpanContext }): void };
  SpanContext: {
    withBinaryIds(traceId: Buffer, spanId: Buffer, parentId: Buffer | null, flags: number): JaegerClientSpanContext;
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

/** A jaeger-client logger that keeps what it was given. */
function recordingLogger(): { info: string[]; error: string[]; logger: { info(message: string): void; error(message: string): void } } {
  const info: string[] = [];
  const error: string[] = [];
  return { info, error, logger: { info: (message) => info.push(message), error: (message) => error.push(message) } };
}

function sdkLoggingTo(logger: { info(message: string): void; error(message: string): void }, sampler?: Sampler): TestSdk {
  return createTestSdk({ sampler, spanProcessors: [new LoggingSpanProcessor(logger)] });
}

function runSpan(sdk: TestSdk, name: string, context: Context = ROOT_CONTEXT): ReadableSpan {
  sdk.provider.getTracer('test').startSpan(name, {}, context).end();
  return sdk.span(name);
}

/** `Reporting span a:b:0:1` -> `Reporting span <id>:<id>:0:1`: ids vary, the rest must not. */
function shape(line: string): string {
  const [prefix, ids] = [line.slice(0, line.lastIndexOf(' ') + 1), line.slice(line.lastIndexOf(' ') + 1)];
  const parts = ids.split(':');
  return prefix + [...parts.slice(0, 3).map((part) => (part === '0' ? '0' : '<id>')), parts[3]].join(':');
}

function strip(hex: string): string {
  return hex.replace(/^0+(?=.)/, '');
}

describe('LoggingSpanProcessor', () => {
  it('should log a finished sampled root span through info as jaeger-client LoggingReporter does', () => {
    const { info, error, logger } = recordingLogger();
    const sdk = sdkLoggingTo(logger);

    const span = runSpan(sdk, 'root');

    const { traceId, spanId } = span.spanContext();
    expect(info).toEqual([`Reporting span ${strip(traceId)}:${strip(spanId)}:0:1`]);
    expect(error).toEqual([]);
  });

  it('should log nothing when a span starts, one line when it ends', () => {
    const { info, logger } = recordingLogger();
    const sdk = sdkLoggingTo(logger);

    const span = sdk.provider.getTracer('test').startSpan('op');
    expect(info).toEqual([]);
    span.end();

    expect(info).toHaveLength(1);
  });

  it('should write the parent span id of a child', () => {
    const { info, logger } = recordingLogger();
    const sdk = sdkLoggingTo(logger);
    const tracer = sdk.provider.getTracer('test');
    const parent = tracer.startSpan('parent');

    const child = runSpan(sdk, 'child', trace.setSpan(ROOT_CONTEXT, parent));
    parent.end();

    const { traceId, spanId } = child.spanContext();
    expect(info[0]).toBe(`Reporting span ${strip(traceId)}:${strip(spanId)}:${strip(parent.spanContext().spanId)}:1`);
  });

  it('should write flags 3 for a debug trace', () => {
    const { info, logger } = recordingLogger();
    const sdk = sdkLoggingTo(logger);
    const debugParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: createTraceState().set(JAEGER_DEBUG_TRACE_STATE_KEY, '1'),
    });

    const span = runSpan(sdk, 'debug child', debugParent);

    expect(info).toEqual([`Reporting span 4bf92f3577b34da6a3ce929d0e0e4736:${strip(span.spanContext().spanId)}:f067aa0ba902b7:3`]);
  });

  it('should log nothing for a span that is not sampled, as jaeger-client reports only sampled spans', () => {
    const { info, logger } = recordingLogger();
    const sdk = sdkLoggingTo(logger, new AlwaysOffSampler());

    sdk.provider.getTracer('test').startSpan('dropped').end();

    const theirs = recordingLogger();
    const jaegerTracer = jaeger.initTracer(
      { serviceName: 'jaeger-client', sampler: { type: 'const', param: 0 } },
      { logger: { info: (): void => undefined, error: (): void => undefined }, reporter: new jaeger.LoggingReporter(theirs.logger) },
    );
    jaegerTracer.startSpan('dropped').finish();
    jaegerTracer.close();

    expect(info).toEqual([]);
    expect(theirs.info).toEqual([]);
  });

  describe('parity with jaeger-client LoggingReporter', () => {
    it.each([
      ['a root span', null, 1],
      ['a child span', '0000000000000d00', 1],
      ['a debug child span', 'a3ce929d0e0e4736', 3],
    ] as const)('should write the line jaeger-client writes for the same ids: %s', (_name, parentId, flags) => {
      const ours = recordingLogger();
      const theirs = recordingLogger();
      const sdk = sdkLoggingTo(ours.logger);
      let parentContext = ROOT_CONTEXT;
      if (parentId !== null) {
        parentContext = trace.setSpanContext(ROOT_CONTEXT, {
          traceId: '000000000000000000000000000000ab',
          spanId: parentId,
          traceFlags: TraceFlags.SAMPLED,
          isRemote: true,
          traceState: flags & 2 ? createTraceState().set(JAEGER_DEBUG_TRACE_STATE_KEY, '1') : undefined,
        });
      }

      const span = runSpan(sdk, 'op', parentContext);
      const { traceId, spanId } = span.spanContext();
      const traceHex = parentId === null ? traceId : traceId.slice(16);
      const jaegerContext = jaeger.SpanContext.withBinaryIds(
        Buffer.from(traceHex, 'hex'),
        Buffer.from(spanId, 'hex'),
        parentId === null ? null : Buffer.from(parentId, 'hex'),
        flags,
      );
      new jaeger.LoggingReporter(theirs.logger).report({ context: () => jaegerContext });

      expect(ours.info).toEqual(theirs.info);
    });

    it('should have the shape of real jaeger-client log lines for a root and a child', () => {
      const ours = recordingLogger();
      const sdk = sdkLoggingTo(ours.logger);
      const tracer = sdk.provider.getTracer('test');
      const parent = tracer.startSpan('parent');
      tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
      parent.end();

      const theirs = recordingLogger();
      const jaegerTracer = jaeger.initTracer(
        { serviceName: 'jaeger-client', sampler: { type: 'const', param: 1 } },
        { logger: { info: (): void => undefined, error: (): void => undefined }, reporter: new jaeger.LoggingReporter(theirs.logger) },
      );
      const jaegerParent = jaegerTracer.startSpan('parent');
      jaegerTracer.startSpan('child', { childOf: jaegerParent }).finish();
      jaegerParent.finish();
      jaegerTracer.close();

      expect(theirs.info.map(shape)).toEqual(['Reporting span <id>:<id>:<id>:1', 'Reporting span <id>:<id>:0:1']);
      expect(ours.info.map(shape)).toEqual(theirs.info.map(shape));
    });
  });

  it('should let the span go on to the other processors when the logger throws', () => {
    const throwing = {
      info: (): void => {
        throw new Error('logger down');
      },
      error: (): void => undefined,
    };
    const sdk = createTestSdk({ spanProcessors: [new LoggingSpanProcessor(throwing)] });
    const span = sdk.provider.getTracer('test').startSpan('op');

    expect(() => span.end()).not.toThrow();
    expect(sdk.spans().map((s) => s.name)).toEqual(['op']);
  });

  it('should resolve forceFlush and shutdown', async () => {
    const processor = new LoggingSpanProcessor(recordingLogger().logger);

    await expect(processor.forceFlush()).resolves.toBeUndefined();
    await expect(processor.shutdown()).resolves.toBeUndefined();
  });
});
