import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { initTracer } from '../../src/jaeger/init-tracer';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/sdk/bounded-shutdown';
import { captureDiag } from '../helpers/diag';
import type { DiagCapture } from '../helpers/diag';

// Issue 14, item 12: close() must settle whatever the exporter does, and stop the remote
// sampler's polling even while the provider's shutdown hangs.

/** Exports fine, but its `shutdown()` never settles, as one stuck on a dead connection does. */
class NeverShutsDownExporter implements SpanExporter {
  export(_spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return new Promise(() => undefined);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

let diagnostics: DiagCapture;

beforeEach(() => {
  diagnostics = captureDiag();
});

afterEach(() => {
  diagnostics.stop();
  jest.useRealTimers();
});

describe('JaegerTracer.close()', () => {
  it('should settle within SHUTDOWN_TIMEOUT_MS when the exporter shutdown() never settles, even with reporter.timeoutMs', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const tracer = initTracer(
      { serviceName: 'close-deadline', sampler: { type: 'const', param: 1 }, reporter: { timeoutMs: 500 } },
      { exporter: new NeverShutsDownExporter() },
    );
    tracer.startSpan('op').finish();
    const callback = jest.fn();
    void tracer.close(callback);

    await jest.advanceTimersByTimeAsync(SHUTDOWN_TIMEOUT_MS - 1);
    expect(callback).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);

    // A slow or stuck exporter is not an error of close(): a warning, and close() resolves.
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback).toHaveBeenCalledWith();
    await expect(tracer.close()).resolves.toBeUndefined();
    expect(diagnostics.matching(`close: the provider shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms`)).toHaveLength(1);
  });

  it('should run the close hooks while the provider shutdown hangs, and bound a hook that hangs', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const provider = new BasicTracerProvider();
    provider.shutdown = () => new Promise(() => undefined);
    const quick = jest.fn(() => Promise.resolve());
    const tracer = new JaegerTracer(provider, { onClose: [quick, () => new Promise(() => undefined)] });
    let settled = false;
    void tracer.close(() => {
      settled = true;
    });

    await jest.advanceTimersByTimeAsync(0);
    expect(quick).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(SHUTDOWN_TIMEOUT_MS);
    expect(settled).toBe(true);
  });

  it('should stop the remote sampler polling a real endpoint although the exporter never shuts down', async () => {
    let polls = 0;
    const server = createServer((_request, response) => {
      polls += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 1 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const tracer = initTracer(
        { serviceName: 'close-deadline', sampler: { type: 'remote', param: 1, hostPort: `127.0.0.1:${port}`, refreshIntervalMs: 20 } },
        { exporter: new NeverShutsDownExporter() },
      );
      while (polls < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      void tracer.close();
      // The sampler's close hook runs at once, not after the provider's shutdown.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const atClose = polls;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(polls).toBe(atClose);
      await tracer.close().catch(() => undefined);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
