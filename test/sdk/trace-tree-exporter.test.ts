import { diag, DiagLogLevel, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, DiagLogger, HrTime, Span, SpanContext } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BaggageSpanProcessor, TraceTreeExporter } from '../../src/sdk';
import type { TraceTreeExporterOptions, TraceTreeSpan } from '../../src/sdk';
import { resetWarnOnce } from '../../src/logger';

/** Milliseconds after a fixed epoch second, as an exact HrTime. */
function at(ms: number): HrTime {
  return [1_700_000_000 + Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
}

const traceIdOf = (n: number): string => n.toString(16).padStart(32, '0');
const spanIdOf = (n: number): string => n.toString(16).padStart(16, '0');
const REMOTE_TRACE = 'f'.repeat(32);

/** A provider whose ids count up (traces 000…1, 000…2; spans 000…1, 000…2), so output is exact. */
function newProvider(exporter: SpanExporter, baggage: BaggageSpanProcessor): BasicTracerProvider {
  let traces = 0;
  let spans = 0;
  return new BasicTracerProvider({
    idGenerator: { generateTraceId: () => traceIdOf(++traces), generateSpanId: () => spanIdOf(++spans) },
    spanProcessors: [new SimpleSpanProcessor(exporter), baggage],
  });
}

function setup(options: Omit<TraceTreeExporterOptions, 'write' | 'baggage'> = {}) {
  const writes: string[] = [];
  const baggage = new BaggageSpanProcessor();
  const exporter = new TraceTreeExporter({ ...options, baggage, write: (text) => writes.push(text) });
  const provider = newProvider(exporter, baggage);
  const tracer = provider.getTracer('t');
  /** Starts a span at `startMs`, under `parent` (a span, or a context such as a remote parent's). */
  const start = (name: string, startMs: number, parent: Span | Context = ROOT_CONTEXT, kind = SpanKind.INTERNAL) => {
    const context = 'spanContext' in parent ? trace.setSpan(ROOT_CONTEXT, parent) : parent;
    return tracer.startSpan(name, { kind, startTime: at(startMs) }, context);
  };
  return { writes, printed: () => writes.join(''), exporter, provider, tracer, baggage, start };
}

/** Real finished spans, for tests that hand the exporter a batch directly. */
function recordSpans(make: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = newProvider(memory, new BaggageSpanProcessor());
  make(provider.getTracer('t'));
  return memory.getFinishedSpans();
}

function exportNow(exporter: TraceTreeExporter, spans: readonly TraceTreeSpan[]): ExportResult {
  let result: ExportResult | undefined;
  exporter.export(spans, (r) => (result = r));
  return result!;
}

function remoteParent(spanId: string, traceId = REMOTE_TRACE): Context {
  const context: SpanContext = { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true };
  return trace.setSpanContext(ROOT_CONTEXT, context);
}

describe('TraceTreeExporter', () => {
  describe('export', () => {
    it('should print nothing until the root span is exported', () => {
      const { start, printed } = setup();
      const root = start('root', 0);
      start('child', 1, root).end(at(2));
      expect(printed()).toBe('');
      root.end(at(3));
      expect(printed()).not.toBe('');
    });

    it('should nest a child under its parent', () => {
      const { start, printed } = setup();
      const root = start('GET /users', 0, ROOT_CONTEXT, SpanKind.SERVER);
      const query = start('SELECT users', 1, root, SpanKind.CLIENT);
      const row = start('decode row', 2, query);
      row.end(at(2.5));
      query.end(at(4.25));
      root.end(at(12.5));
      expect(printed()).toBe(
        [
          `trace ${traceIdOf(1)}`,
          `└── GET /users  SERVER  12.50 ms  0 attributes  span ${spanIdOf(1)}`,
          `    └── SELECT users  CLIENT  3.25 ms  0 attributes  span ${spanIdOf(2)}`,
          `        └── decode row  INTERNAL  0.50 ms  0 attributes  span ${spanIdOf(3)}`,
          '',
        ].join('\n'),
      );
    });

    it('should order children by start time, not by end time', () => {
      const { start, printed } = setup();
      const root = start('root', 0);
      const first = start('first', 1, root);
      const second = start('second', 2, root);
      second.end(at(3));
      first.end(at(4));
      root.end(at(5));
      expect(printed()).toBe(
        [
          `trace ${traceIdOf(1)}`,
          `└── root  INTERNAL  5.00 ms  0 attributes  span ${spanIdOf(1)}`,
          `    ├── first  INTERNAL  3.00 ms  0 attributes  span ${spanIdOf(2)}`,
          `    └── second  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(3)}`,
          '',
        ].join('\n'),
      );
    });

    it('should show OK, ERROR with its message, and nothing for an unset status', () => {
      const { start, printed } = setup();
      const root = start('root', 0);
      start('ok', 1, root).setStatus({ code: SpanStatusCode.OK }).end(at(2));
      const failed = start('failed', 2, root);
      failed.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout\nafter 3s' }).end(at(3));
      start('bare error', 3, root).setStatus({ code: SpanStatusCode.ERROR }).end(at(4));
      root.end(at(5));
      expect(printed()).toContain(`├── ok  INTERNAL  1.00 ms  OK  0 attributes`);
      expect(printed()).toContain(`├── failed  INTERNAL  1.00 ms  ERROR: timeout after 3s  0 attributes`);
      expect(printed()).toContain(`└── bare error  INTERNAL  1.00 ms  ERROR  0 attributes`);
      expect(printed()).toContain(`└── root  INTERNAL  5.00 ms  0 attributes`);
    });

    it('should count attributes without printing them', () => {
      const { tracer, printed } = setup();
      tracer.startSpan('one', { attributes: { 'http.method': 'GET' }, startTime: at(0) }).end(at(1));
      tracer.startSpan('two', { attributes: { a: 1, b: true }, startTime: at(0) }).end(at(1));
      expect(printed()).toContain('one  INTERNAL  1.00 ms  1 attribute  span');
      expect(printed()).toContain('two  INTERNAL  1.00 ms  2 attributes  span');
      expect(printed()).not.toContain('GET');
    });

    it('should print events with their offset and attribute values, and exceptions as type and message', () => {
      const { start, printed } = setup();
      const root = start('root', 0, ROOT_CONTEXT, SpanKind.SERVER);
      root.addEvent('cache miss', { key: 'user:1', 'retry.count': 2, tags: ['a', 'b'] }, at(1.5));
      root.recordException(new TypeError('boom'), at(2));
      const child = start('child', 3, root);
      child.addEvent('done', at(3));
      child.end(at(4));
      root.end(at(5));
      expect(printed()).toBe(
        [
          `trace ${traceIdOf(1)}`,
          `└── root  SERVER  5.00 ms  0 attributes  span ${spanIdOf(1)}`,
          `    │ event cache miss +1.50 ms key="user:1" retry.count=2 tags=["a","b"]`,
          `    │ exception +2.00 ms TypeError: boom`,
          `    └── child  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(2)}`,
          `          event done +0.00 ms`,
          '',
        ].join('\n'),
      );
    });

    it('should print links with their opentracing.ref_type and the trace of a link to another trace', () => {
      const { start, tracer, printed } = setup();
      const root = start('root', 0);
      const linked = {
        context: { ...root.spanContext() },
        attributes: { 'opentracing.ref_type': 'follows_from' },
      };
      const foreign = {
        context: { traceId: REMOTE_TRACE, spanId: 'abcdef0123456789', traceFlags: TraceFlags.SAMPLED },
      };
      tracer.startSpan('job', { links: [linked, foreign], startTime: at(1) }, trace.setSpan(ROOT_CONTEXT, root)).end(at(2));
      root.end(at(3));
      expect(printed()).toContain(
        [
          `    └── job  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(2)}`,
          `          link follows_from -> ${spanIdOf(1)}`,
          `          link -> ${REMOTE_TRACE}/abcdef0123456789`,
        ].join('\n'),
      );
    });

    it('should show the baggage each span started with', () => {
      const { start, printed } = setup();
      const bag = propagation.createBaggage({ 'user.id': { value: '42' }, tenant: { value: 'acme corp' } });
      const root = start('root', 0, propagation.setBaggage(ROOT_CONTEXT, bag));
      start('plain', 1, root).end(at(2));
      root.end(at(3));
      expect(printed()).toBe(
        [
          `trace ${traceIdOf(1)}`,
          `└── root  INTERNAL  3.00 ms  0 attributes  span ${spanIdOf(1)}`,
          `    │ baggage user.id="42" tenant="acme corp"`,
          `    └── plain  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(2)}`,
          '',
        ].join('\n'),
      );
    });

    it('should make a span whose parent is in another process the root of its subtree', async () => {
      const { start, provider, printed } = setup();
      const backend = start('GET /api', 0, remoteParent('00000000000000ff'), SpanKind.SERVER);
      start('SELECT', 1, backend, SpanKind.CLIENT).end(at(2));
      backend.end(at(3));
      expect(printed()).toBe('');
      await provider.forceFlush();
      expect(printed()).toBe(
        [
          `trace ${REMOTE_TRACE}`,
          `└── GET /api  SERVER  3.00 ms  0 attributes  span ${spanIdOf(1)}  (remote parent 00000000000000ff)`,
          `    └── SELECT  CLIENT  1.00 ms  0 attributes  span ${spanIdOf(2)}`,
          '',
        ].join('\n'),
      );
    });

    it('should nest a span under an extracted parent that is in the same process', () => {
      const { start, printed } = setup();
      const gateway = start('GET /', 0, ROOT_CONTEXT, SpanKind.SERVER);
      const call = start('GET /api', 1, gateway, SpanKind.CLIENT);
      // The backend sees the client span only through injected headers.
      const { traceId, spanId } = call.spanContext();
      const backend = start('GET /api', 2, remoteParent(spanId, traceId), SpanKind.SERVER);
      backend.end(at(3));
      call.end(at(4));
      gateway.end(at(5));
      expect(printed()).toBe(
        [
          `trace ${traceIdOf(1)}`,
          `└── GET /  SERVER  5.00 ms  0 attributes  span ${spanIdOf(1)}`,
          `    └── GET /api  CLIENT  3.00 ms  0 attributes  span ${spanIdOf(2)}`,
          `        └── GET /api  SERVER  1.00 ms  0 attributes  span ${spanIdOf(3)}`,
          '',
        ].join('\n'),
      );
    });

    it('should print spans that end after their trace was printed as a continuation', () => {
      const { start, writes } = setup();
      const root = start('root', 0);
      const later = start('later', 1, root);
      root.end(at(2));
      later.end(at(9));
      expect(writes).toEqual([
        [`trace ${traceIdOf(1)}`, `└── root  INTERNAL  2.00 ms  0 attributes  span ${spanIdOf(1)}`, ''].join('\n'),
        [`trace ${traceIdOf(1)} (continued)`, `└── later  INTERNAL  8.00 ms  0 attributes  span ${spanIdOf(2)}  (parent ${spanIdOf(1)})`, ''].join('\n'),
      ]);
    });

    it('should draw a batch as one tree per trace, children arriving before their root, in root order', () => {
      const spans = recordSpans((tracer) => {
        const root = tracer.startSpan('root', { startTime: at(0) });
        tracer.startSpan('child', { startTime: at(1) }, trace.setSpan(ROOT_CONTEXT, root)).end(at(2));
        root.end(at(3));
        tracer.startSpan('other', { startTime: at(0) }).end(at(1));
      });
      const { exporter, writes } = setup();
      const [child, root, other] = spans;
      expect(exportNow(exporter, [child, other, root])).toEqual({ code: 0 });
      expect(writes).toEqual([
        [
          `trace ${traceIdOf(2)}`,
          `└── other  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(3)}`,
          `trace ${traceIdOf(1)}`,
          `└── root  INTERNAL  3.00 ms  0 attributes  span ${spanIdOf(1)}`,
          `    └── child  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(2)}`,
          '',
        ].join('\n'),
      ]);
    });

    it('should draw the late spans of one batch as a single continuation per trace', () => {
      const spans = recordSpans((tracer) => {
        const root = tracer.startSpan('root', { startTime: at(0) });
        root.end(at(1));
        const late = tracer.startSpan('late', { startTime: at(2) }, trace.setSpan(ROOT_CONTEXT, root));
        tracer.startSpan('later', { startTime: at(3) }, trace.setSpan(ROOT_CONTEXT, late)).end(at(4));
        late.end(at(5));
      });
      const { exporter, writes } = setup();
      exportNow(exporter, [spans[0]]);
      exportNow(exporter, [spans[1], spans[2]]);
      expect(writes[1]).toBe(
        [
          `trace ${traceIdOf(1)} (continued)`,
          `└── late  INTERNAL  3.00 ms  0 attributes  span ${spanIdOf(2)}  (parent ${spanIdOf(1)})`,
          `    └── later  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(3)}`,
          '',
        ].join('\n'),
      );
    });

    it('should nest spans of SDK 1.x, which carry parentSpanId instead of parentSpanContext', () => {
      const spans = recordSpans((tracer) => {
        const root = tracer.startSpan('root', { startTime: at(0) });
        tracer.startSpan('child', { startTime: at(1) }, trace.setSpan(ROOT_CONTEXT, root)).end(at(2));
        root.end(at(3));
      });
      const asV1 = (span: ReadableSpan): TraceTreeSpan => ({
        name: span.name,
        kind: span.kind,
        spanContext: () => span.spanContext(),
        parentSpanId: span.parentSpanContext?.spanId,
        startTime: span.startTime,
        endTime: span.endTime,
        duration: span.duration,
        status: span.status,
        attributes: span.attributes,
        links: span.links,
        events: span.events,
      });
      const { exporter, printed } = setup();
      exportNow(exporter, spans.map(asV1));
      expect(printed()).toContain(`    └── child  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(2)}\n`);
    });

    it('should still draw spans whose parents form a cycle', async () => {
      const { exporter, printed } = setup();
      const fake = (n: number, parent: number): TraceTreeSpan => ({
        name: `s${n}`,
        kind: SpanKind.INTERNAL,
        spanContext: () => ({ traceId: traceIdOf(1), spanId: spanIdOf(n), traceFlags: TraceFlags.SAMPLED }),
        parentSpanId: spanIdOf(parent),
        startTime: at(n),
        endTime: at(n + 1),
        duration: [0, 1_000_000],
        status: { code: SpanStatusCode.UNSET },
        attributes: {},
        links: [],
        events: [],
      });
      exportNow(exporter, [fake(1, 2), fake(2, 1)]);
      expect(printed()).toBe('');
      await exporter.forceFlush();
      expect(printed()).toBe(
        [
          `trace ${traceIdOf(1)}`,
          `└── s1  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(1)}`,
          `    └── s2  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(2)}`,
          '',
        ].join('\n'),
      );
    });

    it('should skip spans without a valid span context, with one warning, and draw malformed fields as ?', () => {
      const warn = jest.fn();
      resetWarnOnce();
      diag.setLogger({ warn } as unknown as DiagLogger, DiagLogLevel.WARN);
      try {
        const { exporter, printed } = setup();
        const malformed = {
          name: 'odd',
          kind: 42,
          spanContext: () => ({ traceId: traceIdOf(7), spanId: spanIdOf(7), traceFlags: 1 }),
          startTime: 'yesterday',
          events: 'none',
        };
        const bad = [null, {}, { spanContext: () => ({ traceId: 'zz', spanId: '0' }) }, malformed];
        expect(exportNow(exporter, bad as unknown as TraceTreeSpan[])).toEqual({ code: 0 });
        expect(printed()).toBe([`trace ${traceIdOf(7)}`, `└── odd  KIND 42  ? ms  0 attributes  span ${spanIdOf(7)}`, ''].join('\n'));
        // Three spans skipped, reported once per process.
        expect(warn).toHaveBeenCalledTimes(1);
      } finally {
        diag.disable();
      }
    });

    it('should report FAILED with the error when write throws', () => {
      const error = new Error('EPIPE');
      const exporter = new TraceTreeExporter({
        write: () => {
          throw error;
        },
      });
      const [span] = recordSpans((tracer) => tracer.startSpan('root', { startTime: at(0) }).end(at(1)));
      expect(exportNow(exporter, [span])).toEqual({ code: 1, error });
    });

    it('should report FAILED after shutdown', async () => {
      const { exporter } = setup();
      await exporter.shutdown();
      const [span] = recordSpans((tracer) => tracer.startSpan('root', { startTime: at(0) }).end(at(1)));
      expect(exportNow(exporter, [span]).code).toBe(1);
    });
  });

  describe('forceFlush', () => {
    it('should print every waiting trace, oldest first, and continue them afterwards', async () => {
      const { start, exporter, writes } = setup();
      const root = start('root', 0);
      start('done', 1, root).end(at(2));
      start('elsewhere', 0, remoteParent('00000000000000ff')).end(at(1));
      await exporter.forceFlush();
      expect(writes).toEqual([
        [
          `trace ${traceIdOf(1)}`,
          `└── done  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(2)}  (parent ${spanIdOf(1)})`,
          `trace ${REMOTE_TRACE}`,
          `└── elsewhere  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(3)}  (remote parent 00000000000000ff)`,
          '',
        ].join('\n'),
      ]);
      root.end(at(3));
      expect(writes[1]).toBe([`trace ${traceIdOf(1)} (continued)`, `└── root  INTERNAL  3.00 ms  0 attributes  span ${spanIdOf(1)}`, ''].join('\n'));
      await exporter.forceFlush();
      expect(writes).toHaveLength(2);
    });

    it('should resolve and report to diag when write throws', async () => {
      const error = jest.fn();
      diag.setLogger({ error } as unknown as DiagLogger, DiagLogLevel.ERROR);
      try {
        const exporter = new TraceTreeExporter({
          write: () => {
            throw new Error('EPIPE');
          },
        });
        const [span] = recordSpans((tracer) => {
          tracer.startSpan('a', {}, remoteParent('00000000000000ff')).end();
        });
        exportNow(exporter, [span]);
        await expect(exporter.forceFlush()).resolves.toBeUndefined();
        expect(error).toHaveBeenCalledWith('opentracing-otel-shim', 'TraceTreeExporter: write failed', expect.any(Error));
      } finally {
        diag.disable();
      }
    });
  });

  describe('shutdown', () => {
    it('should print what is still waiting when the provider shuts down', async () => {
      const { start, provider, printed } = setup();
      const root = start('root', 0);
      start('child', 1, root).end(at(2));
      expect(printed()).toBe('');
      await provider.shutdown();
      expect(printed()).toContain(`└── child  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(2)}`);
    });
  });

  describe('bounds on a trace whose root never arrives', () => {
    afterEach(() => jest.useRealTimers());

    it('should draw the oldest traces as partial once more than maxSpans spans are held, and continue them', () => {
      const { start, writes } = setup({ maxSpans: 3 });
      const parent = remoteParent('000000000000000a', traceIdOf(0xa));
      for (let i = 0; i < 3; i++) start(`s${i}`, i, parent).end(at(i + 1));
      expect(writes).toEqual([]);
      start('s3', 3, parent).end(at(4));
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatch(new RegExp(`^trace ${traceIdOf(0xa)} \\(partial\\)\n├── s0 `));
      expect(writes[0].split('\n').filter((line) => line.includes('── s'))).toHaveLength(4);
      start('s4', 4, parent).end(at(5));
      expect(writes[1]).toMatch(new RegExp(`^trace ${traceIdOf(0xa)} \\(continued\\)\n└── s4 `));
    });

    it('should draw a trace as partial once it waited maxWaitMs, without another export', async () => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
      const { start, writes } = setup({ maxWaitMs: 1000 });
      start('early', 0, remoteParent('000000000000000a', traceIdOf(0xa))).end(at(1));
      await jest.advanceTimersByTimeAsync(500);
      start('later', 0, remoteParent('000000000000000b', traceIdOf(0xb))).end(at(1));
      await jest.advanceTimersByTimeAsync(499);
      expect(writes).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(writes).toEqual([expect.stringMatching(new RegExp(`^trace ${traceIdOf(0xa)} \\(partial\\)\n└── early `))]);
      await jest.advanceTimersByTimeAsync(500);
      expect(writes[1]).toMatch(new RegExp(`^trace ${traceIdOf(0xb)} \\(partial\\)\n└── later `));
    });

    it('should fall back to the defaults for bounds that cannot be used', () => {
      const warn = jest.fn();
      diag.setLogger({ warn } as unknown as DiagLogger, DiagLogLevel.WARN);
      try {
        setup({ maxSpans: 1.5, maxWaitMs: -1 });
        expect(warn).toHaveBeenCalledWith('opentracing-otel-shim', 'TraceTreeExporter: maxSpans must be a positive integer, got 1.5');
        expect(warn).toHaveBeenCalledWith('opentracing-otel-shim', 'TraceTreeExporter: maxWaitMs must be a positive number, got -1');
      } finally {
        diag.disable();
      }
    });

    it('should keep the heap bounded: 80,000 spans of one remote trace hold no more than 20,000 do', async () => {
      // In a child process with --expose-gc, on the built package: heap after a full collection.
      // Before the bound every span was kept (about 1.1 KB each) until shutdown.
      const { execFile } = await import('node:child_process');
      const { resolve } = await import('node:path');
      const script = `
        const { trace, ROOT_CONTEXT, TraceFlags } = require('@opentelemetry/api');
        const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
        const { TraceTreeExporter } = require(${JSON.stringify(resolve(__dirname, '../../dist/cjs/sdk/index.js'))});
        let printed = 0;
        const exporter = new TraceTreeExporter({ write: (text) => { printed += text.length; } });
        const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
        const tracer = provider.getTracer('memory');
        const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'f'.repeat(32), spanId: 'a'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true });
        const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
        (async () => {
          const base = heap();
          const growth = [];
          for (const n of [20000, 60000]) {
            for (let i = 0; i < n; i++) {
              tracer.startSpan('op ' + i, { attributes: { i } }, parent).end();
              // The span processor's exports settle on later turns, as they do in a server.
              if (i % 1000 === 0) await new Promise(setImmediate);
            }
            await new Promise(setImmediate);
            growth.push(heap() - base);
          }
          console.log(JSON.stringify({ growth, printed }));
        })();
      `;
      const output = await new Promise<string>((done, fail) =>
        execFile(process.execPath, ['--expose-gc', '-e', script], { cwd: resolve(__dirname, '../..') }, (error, stdout) =>
          error ? fail(error) : done(stdout),
        ),
      );
      const { growth, printed } = JSON.parse(output) as { growth: [number, number]; printed: number };
      // Partial trees were printed on the way, not kept for shutdown.
      expect(printed).toBeGreaterThan(0);
      expect(growth[1]).toBeLessThan(growth[0] * 1.5 + 2_000_000);
    }, 60_000);
  });

  describe('maxTraces', () => {
    it('should print and forget the oldest waiting trace past the cap', () => {
      const { start, writes } = setup({ maxTraces: 2 });
      start('a', 0, remoteParent('000000000000000a', traceIdOf(0xa))).end(at(1));
      start('b', 0, remoteParent('000000000000000b', traceIdOf(0xb))).end(at(1));
      expect(writes).toEqual([]);
      start('c', 0, remoteParent('000000000000000c', traceIdOf(0xc))).end(at(1));
      expect(writes).toEqual([
        [`trace ${traceIdOf(0xa)}`, `└── a  INTERNAL  1.00 ms  0 attributes  span ${spanIdOf(1)}  (remote parent 000000000000000a)`, ''].join('\n'),
      ]);
    });

    it('should forget the oldest printed trace past the cap, so its late spans start a new tree', async () => {
      const { start, exporter, writes } = setup({ maxTraces: 1 });
      const first = start('first', 0);
      const late = start('late', 1, first);
      first.end(at(2));
      start('second', 0).end(at(1));
      late.end(at(3));
      expect(writes).toHaveLength(2);
      await exporter.forceFlush();
      expect(writes[2]).toBe(
        [`trace ${traceIdOf(1)}`, `└── late  INTERNAL  2.00 ms  0 attributes  span ${spanIdOf(2)}  (parent ${spanIdOf(1)})`, ''].join('\n'),
      );
    });

    it('should fall back to 1000 for a cap that is not a positive integer', () => {
      const warn = jest.fn();
      diag.setLogger({ warn } as unknown as DiagLogger, DiagLogLevel.WARN);
      try {
        const { start, writes } = setup({ maxTraces: 0 });
        for (let i = 0; i < 1000; i++) {
          start(`s${i}`, 0, remoteParent('00000000000000ff', traceIdOf(i + 1))).end(at(1));
        }
        expect(writes).toEqual([]);
        start('one more', 0, remoteParent('00000000000000ff', traceIdOf(5000))).end(at(1));
        expect(writes[0]).toMatch(new RegExp(`^trace ${traceIdOf(1)}\n└── s0 `));
        expect(warn).toHaveBeenCalledWith('opentracing-otel-shim', 'TraceTreeExporter: maxTraces must be a positive integer, got 0');
      } finally {
        diag.disable();
      }
    });
  });
});
