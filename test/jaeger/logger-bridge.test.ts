import { diag } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { initTracer } from '../../src/jaeger/init-tracer';
import { JaegerDiagLogger } from '../../src/jaeger/logger-bridge';
import { logger } from '../../src/logger';
import { createTestSdk } from '../helpers/sdk';

// Issue 14, item 15: what strangers send must not fill the application's log, and a warning is
// not an error.

interface Recorded {
  readonly info: string[];
  readonly error: string[];
  readonly logger: { info(message: string): void; error(message: string): void };
}

function recordingLogger(): Recorded {
  const info: string[] = [];
  const error: string[] = [];
  return { info, error, logger: { info: (message) => info.push(message), error: (message) => error.push(message) } };
}

/** The carrier of the i-th of a series of hostile requests: oversized headers, baggage past the limits, garbage ids. */
function hostileHeaders(i: number): Record<string, string> {
  switch (i % 3) {
    case 0:
      return { 'uber-trace-id': `${i}:`.repeat(5000) };
    case 1:
      return { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, baggage: Array.from({ length: 200 }, (_, n) => `k${i}x${n}=v`).join(',') };
    default:
      return Object.fromEntries(Array.from({ length: 200 }, (_, n) => [`uberctx-r${i}-${n}`, 'v']));
  }
}

afterEach(() => {
  diag.disable();
  jest.useRealTimers();
});

describe('JaegerDiagLogger', () => {
  it('should give a handful of info lines, and no error line, for 1,000 hostile requests', () => {
    const log = recordingLogger();
    const sdk = createTestSdk();
    const tracer = initTracer({ serviceName: 'hostile', sampler: { type: 'const', param: 1 } }, { exporter: sdk.exporter, logger: log.logger });

    for (let i = 0; i < 1000; i++) {
      const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, hostileHeaders(i));
      tracer.startSpan('request', parent === null ? {} : { childOf: parent }).finish();
    }

    expect(log.error).toEqual([]);
    expect(log.info.length).toBeGreaterThan(0);
    expect(log.info.length).toBeLessThanOrEqual(5);
    void tracer.close();
  });

  it('should write each kind of line once a minute, then say how many were suppressed', () => {
    jest.useFakeTimers({ now: 0 });
    const log = recordingLogger();
    const bridge = new JaegerDiagLogger(log.logger);

    for (let i = 0; i < 100; i++) bridge.warn('opentracing-otel-shim', `extract: ignored the carrier value of "x-${i}": over 8192 bytes`);
    expect(log.info).toEqual(['opentracing-otel-shim extract: ignored the carrier value of "x-0": over 8192 bytes']);

    jest.setSystemTime(60_000);
    bridge.warn('opentracing-otel-shim', 'extract: ignored the carrier value of "y": over 8192 bytes');
    expect(log.info.slice(1)).toEqual([
      'opentracing-otel-shim: 99 repeated or excess log lines were suppressed in the last minute',
      'opentracing-otel-shim extract: ignored the carrier value of "y": over 8192 bytes',
    ]);
  });

  it('should write at most 20 lines a minute in all', () => {
    jest.useFakeTimers({ now: 0 });
    const log = recordingLogger();
    const bridge = new JaegerDiagLogger(log.logger);

    for (let i = 0; i < 100; i++) bridge.warn(`a different warning, kind ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`);

    expect(log.info).toHaveLength(20);
  });

  it('should send errors to logger.error, warnings to logger.info, and only this package its info lines', () => {
    const log = recordingLogger();
    const bridge = new JaegerDiagLogger(log.logger);

    bridge.error('opentracing-otel-shim', 'close: Error: refused');
    bridge.warn('opentracing-otel-shim', 'a warning');
    bridge.info('opentracing-otel-shim', 'exports work again');
    bridge.info('Export failed after maximum retry attempts (5).');
    bridge.debug();

    expect(log.error).toEqual(['opentracing-otel-shim close: Error: refused']);
    expect(log.info).toEqual(['opentracing-otel-shim a warning', 'opentracing-otel-shim exports work again']);
  });

  it("should receive this package's info lines through initTracer's registration", () => {
    const log = recordingLogger();
    const sdk = createTestSdk();
    const tracer = initTracer({ serviceName: 'info', sampler: { type: 'const', param: 1 } }, { exporter: sdk.exporter, logger: log.logger });

    logger.info('a collector accepts spans again');

    expect(log.info).toEqual(['opentracing-otel-shim a collector accepts spans again']);
    void tracer.close();
  });

  it('should cut a line to 1000 characters and survive a logger that throws', () => {
    const log = recordingLogger();
    new JaegerDiagLogger(log.logger).warn('x'.repeat(5000));
    const throwing = new JaegerDiagLogger({
      info: () => {
        throw new Error('down');
      },
      error: () => {
        throw new Error('down');
      },
    });

    expect(log.info[0]).toHaveLength(1001);
    expect(() => throwing.warn('w')).not.toThrow();
    expect(() => throwing.error('e')).not.toThrow();
  });
});
