import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as vm from 'node:vm';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { MAX_PENDING_ATTRIBUTES, MAX_PENDING_EVENTS } from '../src/pending-span';
import { SpanContextShim } from '../src/span-context-shim';
import { SpanShim } from '../src/span-shim';
import { TracerShim } from '../src/tracer-shim';
import { MAX_CONVERTED_VALUE_LENGTH } from '../src/constants';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';
import { RecordingSampler } from './helpers/recording-sampler';
import { createTestSdk, registerGlobals, resetGlobals } from './helpers/sdk';
import type { TestSdk } from './helpers/sdk';

describe('SpanShim', () => {
  let sdk: TestSdk;
  let tracer: TracerShim;
  let logs: DiagCapture;

  beforeEach(() => {
    sdk = createTestSdk();
    tracer = new TracerShim(sdk.provider);
    logs = captureDiag();
  });

  afterEach(() => {
    logs.stop();
  });

  function finished(span: opentracing.Span, name = 'op') {
    span.finish();
    return sdk.span(name);
  }

  describe('class', () => {
    it('should extend opentracing.Span', () => {
      expect(tracer.startSpan('op')).toBeInstanceOf(opentracing.Span);
      expect(tracer.startSpan('op')).toBeInstanceOf(SpanShim);
    });

    it('should implement the OpenTracing hooks rather than the public methods, except setTag', () => {
      // setTag only: the base class's `{ [key]: value }` throws into the caller for some keys.
      const publicMethods = ['context', 'tracer', 'setOperationName', 'setBaggageItem', 'getBaggageItem', 'setTag', 'addTags', 'log', 'logEvent', 'finish'];
      const overridden = Object.getOwnPropertyNames(SpanShim.prototype).filter((name) => publicMethods.includes(name));
      expect(overridden).toEqual(['setTag']);
      for (const hook of ['_context', '_tracer', '_setOperationName', '_setBaggageItem', '_getBaggageItem', '_addTags', '_log', '_finish']) {
        expect(Object.getOwnPropertyNames(SpanShim.prototype)).toContain(hook);
      }
    });

    it('should return its tracer from tracer()', () => {
      expect(tracer.startSpan('op').tracer()).toBe(tracer);
    });
  });

  describe('span.kind tag', () => {
    it.each([
      ['client', SpanKind.CLIENT],
      ['server', SpanKind.SERVER],
      ['producer', SpanKind.PRODUCER],
      ['consumer', SpanKind.CONSUMER],
      ['SERVER', SpanKind.SERVER],
      ['Client', SpanKind.CLIENT],
    ])('should make the start tag span.kind=%s the SpanKind', (value, kind) => {
      const exported = finished(tracer.startSpan('op', { tags: { 'span.kind': value } }));
      expect(exported.kind).toBe(kind);
      expect(exported.attributes).not.toHaveProperty('span.kind');
    });

    it('should keep an unknown span.kind value as an attribute of an INTERNAL span', () => {
      const exported = finished(tracer.startSpan('op', { tags: { 'span.kind': 'rpc' } }));
      expect(exported.kind).toBe(SpanKind.INTERNAL);
      expect(exported.attributes['span.kind']).toBe('rpc');
    });

    it('should make span.kind set with setTag after start the SpanKind while the context is unused', () => {
      const span = tracer.startSpan('op');
      span.setTag('http.method', 'GET');
      span.setTag('span.kind', 'server');
      const exported = finished(span);
      expect(exported.kind).toBe(SpanKind.SERVER);
      expect(exported.attributes).toEqual({ 'http.method': 'GET' });
      expect(logs.messages).toEqual([]);
    });

    it("should follow express-opentracing's sequence and give a SERVER span", () => {
      registerGlobals();
      try {
        const incoming = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
        const wireCtx = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, incoming);
        const span = tracer.startSpan('/users', { childOf: wireCtx as opentracing.SpanContext });
        span.logEvent('request_received', undefined);
        span.setTag('http.method', 'GET');
        span.setTag('span.kind', 'server');
        span.setTag('http.url', '/users?id=1');
        const responseHeaders: Record<string, string> = {};
        tracer.inject(span, opentracing.FORMAT_TEXT_MAP, responseHeaders);
        for (let i = 0; i < 2; i++) {
          span.logEvent('request_finished', undefined);
          span.setOperationName('/users');
          span.setTag('http.status_code', 500);
          span.setTag('error', true);
          span.setTag('sampling.priority', 1);
          span.finish();
        }

        expect(sdk.spans()).toHaveLength(1);
        const exported = sdk.span('/users');
        expect(exported.kind).toBe(SpanKind.SERVER);
        expect(exported.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
        expect(exported.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
        expect(exported.attributes).toEqual({
          'http.method': 'GET',
          'http.url': '/users?id=1',
          'http.status_code': 500,
          'sampling.priority': 1,
        });
        expect(exported.events.map((event) => event.name)).toEqual(['request_received', 'request_finished']);
        expect(exported.status.code).toBe(SpanStatusCode.ERROR);
        expect(responseHeaders.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${exported.spanContext().spanId}-01`);
        expect(logs.messages).toEqual([]);
      } finally {
        resetGlobals();
      }
    });

    const firstUses: Array<[string, (span: opentracing.Span) => void]> = [
      ['a child span', (span) => tracer.startSpan('child', { childOf: span }).finish()],
      ['a FOLLOWS_FROM reference', (span) => tracer.startSpan('child', { references: [opentracing.followsFrom(span.context())] }).finish()],
      ['inject', (span) => tracer.inject(span, opentracing.FORMAT_BINARY, {})],
      ['reading toTraceId()', (span) => span.context().toTraceId()],
      ['reading toSpanId()', (span) => span.context().toSpanId()],
      ['activation', (span) => context.with(trace.setSpan(context.active(), (span as SpanShim).getSpan()), () => undefined)],
    ];

    it.each(firstUses)('should keep span.kind as an attribute, with a warning, after %s', (_use, use) => {
      const span = tracer.startSpan('op', { startTime: 1_000 });
      use(span);
      span.setTag('span.kind', 'client');
      span.finish(2_000);
      const exported = sdk.span('op');
      expect(exported.kind).toBe(SpanKind.INTERNAL);
      expect(exported.attributes['span.kind']).toBe('client');
      expect(logs.matching('span.kind')).toHaveLength(1);
    });

    it('should keep the original start time when span.kind comes after start', () => {
      const span = tracer.startSpan('op', { startTime: 1_700_000_000_123.5 });
      span.log({ step: 1 }, 1_700_000_000_200);
      span.setTag('span.kind', 'consumer');
      span.finish(1_700_000_000_300);
      const exported = sdk.span('op');
      expect(exported.kind).toBe(SpanKind.CONSUMER);
      expect(exported.startTime).toEqual([1_700_000_000, 123_500_000]);
      expect(exported.events[0].time).toEqual([1_700_000_000, 200_000_000]);
      expect(exported.endTime).toEqual([1_700_000_000, 300_000_000]);
    });
  });

  describe('setTag', () => {
    it('should set strings, numbers, booleans and homogeneous arrays as they are', () => {
      const span = tracer.startSpan('op');
      span.setTag('s', 'text').setTag('n', 1.5).setTag('b', false).setTag('strings', ['a', 'b']).setTag('numbers', [1, 2]);
      span.addTags({ flags: [true, false], zero: 0 });
      expect(finished(span).attributes).toEqual({ s: 'text', n: 1.5, b: false, strings: ['a', 'b'], numbers: [1, 2], flags: [true, false], zero: 0 });
    });

    it('should convert other values to strings', () => {
      const cyclic: Record<string, unknown> = { name: 'loop' };
      cyclic.self = cyclic;
      const span = tracer.startSpan('op');
      span.addTags({
        object: { user: { id: 7 } },
        mixed: [1, 'a'],
        error: new TypeError('bad input'),
        date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
        big: 12345678901234567890n,
        cyclic,
        huge: { text: 'x'.repeat(MAX_CONVERTED_VALUE_LENGTH * 2) },
      });
      const attributes = finished(span).attributes;
      expect(attributes.object).toBe('{"user":{"id":7}}');
      expect(attributes.mixed).toBe('[1,"a"]');
      expect(attributes.error).toBe('TypeError: bad input');
      expect(attributes.date).toBe('2024-01-02T03:04:05.006Z');
      expect(attributes.big).toBe('12345678901234567890');
      expect(attributes.cyclic).toBe('{"name":"loop","self":"[Circular]"}');
      expect(typeof attributes.huge).toBe('string');
      expect((attributes.huge as string).length).toBeLessThanOrEqual(MAX_CONVERTED_VALUE_LENGTH);
    });

    it('should skip undefined and null values', () => {
      const span = tracer.startSpan('op');
      span.setTag('u', undefined).setTag('n', null).setTag('kept', 1);
      span.addTags({ u2: undefined, n2: null });
      expect(finished(span).attributes).toEqual({ kept: 1 });
    });

    it('should treat tags set after the span exists the same way', () => {
      const span = tracer.startSpan('op') as SpanShim;
      span.getSpan();
      span.setTag('object', { a: 1 }).setTag('u', undefined);
      expect(finished(span).attributes).toEqual({ object: '{"a":1}' });
    });

    it('should not let a later change to a tag array reach the span', () => {
      const values = ['a'];
      const span = tracer.startSpan('op', { tags: { values } });
      values.push('b');
      expect(finished(span).attributes.values).toEqual(['a']);
    });
  });

  describe('error tag', () => {
    it.each([true, 'true'])('should set status Error for %p', (value) => {
      const exported = finished(tracer.startSpan('op').setTag('error', value));
      expect(exported.status.code).toBe(SpanStatusCode.ERROR);
      expect(exported.attributes).not.toHaveProperty('error');
    });

    it.each([false, 'false'])('should set status Ok for %p', (value) => {
      const exported = finished(tracer.startSpan('op').setTag('error', value));
      expect(exported.status.code).toBe(SpanStatusCode.OK);
      expect(exported.attributes).not.toHaveProperty('error');
    });

    it('should keep other values as the attribute error and leave the status unset', () => {
      const exported = finished(tracer.startSpan('op').setTag('error', 'timeout'));
      expect(exported.status.code).toBe(SpanStatusCode.UNSET);
      expect(exported.attributes.error).toBe('timeout');
    });

    it('should let the last write win (false, then true)', () => {
      const exported = finished(tracer.startSpan('op').setTag('error', false).setTag('error', true));
      expect(exported.status.code).toBe(SpanStatusCode.ERROR);
    });

    it('should let the last write win (true, then false)', () => {
      const exported = finished(tracer.startSpan('op').setTag('error', true).setTag('error', false));
      expect(exported.status.code).toBe(SpanStatusCode.OK);
    });

    it('should describe the Error status with the message of the last error log', () => {
      const span = tracer.startSpan('op');
      span.log({ event: 'error', 'error.object': new Error('first') });
      span.log({ event: 'error', message: 'second' });
      span.log({ event: 'retry' });
      span.setTag('error', true);
      expect(finished(span).status).toEqual({ code: SpanStatusCode.ERROR, message: 'second' });
    });

    it('should treat an error start tag like setTag(error)', () => {
      const exported = finished(tracer.startSpan('op', { tags: { error: true } }));
      expect(exported.status.code).toBe(SpanStatusCode.ERROR);
      expect(exported.attributes).not.toHaveProperty('error');
    });
  });

  describe('log', () => {
    it('should add an event named by the event field with every field as an attribute (OpenTelemetry spec)', () => {
      const span = tracer.startSpan('op');
      span.log({ event: 'cache_miss', key: 'user:1', size: 3, skipped: undefined });
      const [event] = finished(span).events;
      expect(event.name).toBe('cache_miss');
      expect(event.attributes).toEqual({ event: 'cache_miss', key: 'user:1', size: 3 });
    });

    it('should name an event without an event field "log"', () => {
      const span = tracer.startSpan('op');
      span.log({ peerRemoteAddress: '127.0.0.1', headers: { accept: '*/*' } });
      const [event] = finished(span).events;
      expect(event.name).toBe('log');
      expect(event.attributes).toEqual({ peerRemoteAddress: '127.0.0.1', headers: '{"accept":"*/*"}' });
    });

    it('should record an error log with an Error object as an exception event, keeping other fields', () => {
      const error = new TypeError('bad input');
      const span = tracer.startSpan('op');
      span.log({ event: 'error', 'error.object': error, component: 'db' });
      const [event] = finished(span).events;
      expect(event.name).toBe('exception');
      expect(event.attributes).toEqual({
        'exception.type': 'TypeError',
        'exception.message': 'bad input',
        'exception.stacktrace': error.stack,
        component: 'db',
      });
    });

    it('should recognise an Error from another realm by its shape', () => {
      const error = vm.runInNewContext('new RangeError("out of range")') as Error;
      expect(error instanceof Error).toBe(false);
      const span = tracer.startSpan('op');
      span.log({ event: 'error', 'error.object': error });
      const [event] = finished(span).events;
      expect(event.name).toBe('exception');
      expect(event.attributes?.['exception.type']).toBe('RangeError');
      expect(event.attributes?.['exception.message']).toBe('out of range');
    });

    it('should map error.kind, message and stack of an error log without an Error object', () => {
      const span = tracer.startSpan('op');
      span.log({ event: 'error', 'error.kind': 'Timeout', message: 'took too long', stack: 'at x', attempt: 2 });
      const [event] = finished(span).events;
      expect(event.name).toBe('exception');
      expect(event.attributes).toEqual({
        'exception.type': 'Timeout',
        'exception.message': 'took too long',
        'exception.stacktrace': 'at x',
        attempt: 2,
      });
    });

    it('should convert the log time exactly', () => {
      const span = tracer.startSpan('op', { startTime: 1 });
      span.log({ a: 1 }, 5.25);
      span.finish(10);
      expect(sdk.span('op').events[0].time).toEqual([0, 5_250_000]);
    });

    it('should keep the events logged before and after the span exists, in order', () => {
      const span = tracer.startSpan('op', { startTime: 1_000 }) as SpanShim;
      span.log({ event: 'before' }, 1_001);
      span.getSpan();
      span.log({ event: 'after' }, 1_002);
      span.finish(1_003);
      expect(sdk.span('op').events.map((event) => [event.name, event.time])).toEqual([
        ['before', [1, 1_000_000]],
        ['after', [1, 2_000_000]],
      ]);
    });
  });

  describe('logEvent', () => {
    it('should add an event with the payload fields as attributes, skipping undefined ones', () => {
      const span = tracer.startSpan('op');
      span.logEvent('request_received', { path: '/a', user: undefined, retries: 1 });
      const [event] = finished(span).events;
      expect(event.name).toBe('request_received');
      expect(event.attributes).toEqual({ event: 'request_received', path: '/a', retries: 1 });
    });

    it('should add an event with only the event attribute when there is no payload', () => {
      const span = tracer.startSpan('op');
      span.logEvent('request_received', undefined);
      const [event] = finished(span).events;
      expect(event.name).toBe('request_received');
      expect(event.attributes).toEqual({ event: 'request_received' });
    });

    it('should keep a payload that is not an object as the field payload', () => {
      const span = tracer.startSpan('op');
      span.logEvent('note', 'hello');
      expect(finished(span).events[0].attributes).toEqual({ event: 'note', payload: 'hello' });
    });
  });

  describe('finish', () => {
    it('should end the span with the converted time', () => {
      tracer.startSpan('op', { startTime: 1_700_000_000_000 }).finish(1_700_000_000_001.5);
      expect(sdk.span('op').endTime).toEqual([1_700_000_000, 1_500_000]);
    });

    it('should not read a small time as performance-relative', () => {
      tracer.startSpan('op', { startTime: 2 }).finish(5);
      expect(sdk.span('op').endTime).toEqual([0, 5_000_000]);
    });

    it('should export the span exactly once when finished twice', () => {
      const span = tracer.startSpan('op');
      span.finish();
      span.finish();
      expect(sdk.spans()).toHaveLength(1);
      expect(logs.messages).toEqual([]);
    });

    it('should ignore every call after finish without throwing or warnings', () => {
      const span = tracer.startSpan('op', { tags: { before: 1 } });
      span.finish(Date.now());
      expect(() => {
        span.setTag('after', 1);
        span.setTag('span.kind', 'server');
        span.setTag('error', true);
        span.addTags({ more: 2 });
        span.addTags('not an object' as never);
        span.log({ event: 'late' });
        span.log('not an object' as never, 'not a time' as never);
        span.logEvent('late', { a: 1 });
        span.setOperationName('renamed');
        span.setBaggageItem('k', 'v');
        span.finish();
        span.finish('not a time' as never);
      }).not.toThrow();
      expect(sdk.spans()).toHaveLength(1);
      const exported = sdk.span('op');
      expect(exported.attributes).toEqual({ before: 1 });
      expect(exported.events).toEqual([]);
      expect(exported.kind).toBe(SpanKind.INTERNAL);
      expect(exported.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.getBaggageItem('k')).toBeUndefined();
      expect(logs.messages).toEqual([]);
    });

    it('should let go of the OpenTelemetry span and give a non-recording span with the same context', () => {
      const span = tracer.startSpan('op') as SpanShim;
      const otelSpan = span.getSpan();
      span.finish();
      const after = span.getSpan();
      expect(after).not.toBe(otelSpan);
      expect(after.isRecording()).toBe(false);
      expect(after.spanContext()).toEqual(sdk.span('op').spanContext());
    });

    it('should give a non-recording span with the context of a span never used before finish', () => {
      const span = tracer.startSpan('op') as SpanShim;
      span.finish();
      expect(span.getSpan().isRecording()).toBe(false);
      expect(span.getSpan().spanContext()).toEqual(sdk.span('op').spanContext());
      expect(span.context().toSpanId()).toBe(sdk.span('op').spanContext().spanId);
    });
  });

  describe('setOperationName', () => {
    it('should rename a span before its OpenTelemetry span exists', () => {
      tracer.startSpan('first').setOperationName('second').finish();
      expect(sdk.spans().map((span) => span.name)).toEqual(['second']);
    });

    it('should update the name of an existing OpenTelemetry span', () => {
      const span = tracer.startSpan('first') as SpanShim;
      span.getSpan();
      span.setOperationName('second');
      span.finish();
      expect(sdk.spans().map((s) => s.name)).toEqual(['second']);
    });
  });

  describe('baggage', () => {
    it('should set and get baggage items', () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('user', 'alice');
      expect(span.getBaggageItem('user')).toBe('alice');
      expect(span.getBaggageItem('other')).toBeUndefined();
    });

    it('should give the span a new context on setBaggageItem and leave the old one unchanged', () => {
      const span = tracer.startSpan('op');
      const before = span.context() as opentracing.SpanContext & { getBaggageItem(key: string): string | undefined };
      span.setBaggageItem('user', 'alice');
      const after = span.context() as typeof before;
      expect(after).not.toBe(before);
      expect(before.getBaggageItem('user')).toBeUndefined();
      expect(after.getBaggageItem('user')).toBe('alice');
      expect(after.toSpanId()).toBe(before.toSpanId());
    });

    it('should ignore a baggage item without a key, with a warning', () => {
      const span = tracer.startSpan('op');
      expect(() => span.setBaggageItem('', 'v')).not.toThrow();
      expect(logs.matching('setBaggageItem')).toHaveLength(1);
    });
  });

  describe('getSpan', () => {
    it('should return the recording OpenTelemetry span with the ids of the context', () => {
      const span = tracer.startSpan('op') as SpanShim;
      const otelSpan = span.getSpan();
      expect(otelSpan.isRecording()).toBe(true);
      expect(otelSpan.spanContext().spanId).toBe(span.context().toSpanId());
      expect(span.getSpan()).toBe(otelSpan);
    });
  });

  describe('constructor', () => {
    it('should wrap an existing OpenTelemetry span', () => {
      const otelSpan = sdk.provider.getTracer('native').startSpan('native');
      const span = new SpanShim(tracer, otelSpan);
      expect(span.getSpan()).toBe(otelSpan);
      expect(span.context().toSpanId()).toBe(otelSpan.spanContext().spanId);
      span.setTag('k', 'v');
      span.log({ event: 'e' });
      span.finish();
      const exported = sdk.span('native');
      expect(exported.attributes).toEqual({ k: 'v' });
      expect(exported.events.map((event) => event.name)).toEqual(['e']);
      expect(span.getSpan().spanContext()).toEqual(otelSpan.spanContext());
      expect(logs.messages).toEqual([]);
    });
  });

  describe('logs and tags kept before the OpenTelemetry span exists', () => {
    it(`should keep at most ${MAX_PENDING_EVENTS} logs, then create the span so the SDK keeps its limit and counts the drops`, () => {
      const span = tracer.startSpan('op');
      for (let i = 0; i < 200; i++) span.log({ event: `e${i}` });
      span.setTag('span.kind', 'server');
      const ended = finished(span);
      expect(ended.events).toHaveLength(128);
      expect(ended.events[0].name).toBe('e72');
      expect(ended.droppedEventsCount).toBe(72);
      expect(ended.kind).toBe(SpanKind.INTERNAL);
      expect(ended.attributes['span.kind']).toBe('server');
      expect(logs.matching(`or ${MAX_PENDING_EVENTS} logs or tags were kept`)).toHaveLength(1);
    });

    it("should honour the provider's own event and attribute limits", () => {
      const exporter = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({
        spanLimits: { eventCountLimit: 10, attributeCountLimit: 20 },
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      const span = new TracerShim(provider).startSpan('op');
      for (let i = 0; i < 200; i++) span.log({ event: `e${i}` });
      for (let i = 0; i < 200; i++) span.setTag(`t${i}`, i);
      span.finish();
      const [ended] = exporter.getFinishedSpans();
      expect(ended.events).toHaveLength(10);
      expect(ended.droppedEventsCount).toBe(190);
      expect(Object.keys(ended.attributes)).toHaveLength(20);
      expect(ended.droppedAttributesCount).toBe(180);
    });

    it(`should keep at most ${MAX_PENDING_ATTRIBUTES} distinct tags as start attributes, a tag set again counting once`, () => {
      const sampler = new RecordingSampler();
      const recorded = createTestSdk({ sampler });
      const span = new TracerShim(recorded.provider).startSpan('op', { tags: { same: 0 } });
      for (let i = 0; i < 500; i++) span.setTag('same', i);
      for (let i = 1; i < MAX_PENDING_ATTRIBUTES; i++) span.setTag(`t${i}`, i);
      expect(sampler.calls).toHaveLength(0);
      span.setTag('one-more', true);
      expect(sampler.calls).toHaveLength(1);
      expect(Object.keys(sampler.calls[0].attributes)).toHaveLength(MAX_PENDING_ATTRIBUTES);
      span.finish();
      const ended = recorded.span('op');
      expect(ended.attributes.same).toBe(499);
      expect(ended.attributes['one-more']).toBeUndefined();
      expect(ended.droppedAttributesCount).toBe(1);
    });

    it('should not grow the heap with the number of logs before first use (200,000 logs: +34 MB before)', () => {
      // Heap figures need --expose-gc, so a child process measures them, with the built package.
      const script = `
        const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
        const { TracerShim } = require(${JSON.stringify(resolve(__dirname, '../dist/cjs/index.js'))});
        const span = new TracerShim(new BasicTracerProvider()).startSpan('op');
        global.gc();
        const before = process.memoryUsage().heapUsed;
        for (let i = 0; i < 200000; i++) span.log({ event: 'tick', i });
        global.gc();
        const growth = process.memoryUsage().heapUsed - before;
        span.finish();
        console.log(JSON.stringify({ growth }));`;
      const output = execFileSync(process.execPath, ['--expose-gc', '-e', script], { cwd: resolve(__dirname, '..'), encoding: 'utf8' });
      const { growth } = JSON.parse(output) as { growth: number };
      expect(growth).toBeLessThan(4 * 1024 * 1024);
    });
  });

  describe('unsampled spans', () => {
    /** A sampler that says no to every span and records what it was shown. */
    class RefusingSampler extends RecordingSampler {
      override shouldSample(...args: Parameters<RecordingSampler['shouldSample']>) {
        super.shouldSample(...args);
        return { decision: SamplingDecision.NOT_RECORD };
      }
    }

    it('should still show a root sampler the late span.kind and tags before it decides', () => {
      const sampler = new RefusingSampler();
      const unsampled = createTestSdk({ sampler });
      const span = new TracerShim(unsampled.provider).startSpan('op', { tags: { early: 1 } });
      span.setTag('span.kind', 'server');
      span.setTag('late', 2);
      span.finish();
      expect(sampler.calls).toEqual([expect.objectContaining({ spanKind: SpanKind.SERVER, attributes: { early: 1, late: 2 } })]);
      expect(unsampled.spans()).toHaveLength(0);
    });

    it('should not read the tags and log fields of a span whose OpenTelemetry span does not record', () => {
      const unsampled = createTestSdk({ sampler: new RefusingSampler() });
      const span = new TracerShim(unsampled.provider).startSpan('op');
      expect(span.context().toTraceId()).toMatch(/^[0-9a-f]{32}$/);
      let reads = 0;
      const counted = {
        get value() {
          reads++;
          return 1;
        },
      };
      span.addTags(counted);
      span.setTag('error', true);
      span.log(counted);
      span.finish();
      expect(reads).toBe(0);
      expect(logs.messages).toEqual([]);
      expect(unsampled.spans()).toHaveLength(0);
    });

    /** A remote parent that is valid and not sampled, as extract gives it for `traceparent: ...-00`. */
    const unsampledParent = () =>
      new SpanContextShim({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 0, isRemote: true });

    it('should create the span at start under a valid not-sampled parent, and read none of its later tags and logs', () => {
      const sampler = new RecordingSampler();
      const parentBased = createTestSdk({ sampler: new ParentBasedSampler({ root: sampler }) });
      const shim = new TracerShim(parentBased.provider);
      const span = shim.startSpan('child', { childOf: unsampledParent(), tags: { early: 1 } });
      expect((span as SpanShim).getSpan().isRecording()).toBe(false);
      let reads = 0;
      const counted = {
        get value() {
          reads++;
          return 1;
        },
      };
      span.setTag('span.kind', 'server');
      span.addTags(counted);
      span.log(counted);
      span.finish();
      expect(reads).toBe(0);
      expect(span.context().toTraceId()).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(parentBased.spans()).toHaveLength(0);
      expect(sampler.calls).toHaveLength(0);
    });

    it('should do the same under an active not-sampled OpenTelemetry span (implicit parent)', () => {
      const parentBased = createTestSdk({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }) });
      const shim = new TracerShim(parentBased.provider);
      const parent = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 0 });
      registerGlobals();
      try {
        const span = context.with(trace.setSpan(context.active(), parent), () => shim.startSpan('child'));
        expect((span as SpanShim).getSpan().isRecording()).toBe(false);
        expect(span.context().toTraceId()).toBe('0af7651916cd43dd8448eb211c80319c');
        span.finish();
      } finally {
        resetGlobals();
      }
      expect(parentBased.spans()).toHaveLength(0);
    });

    it('should record such a span with its start tags and the SDK clock when a sampler samples it anyway; a late span.kind is then an attribute', () => {
      const alwaysOn = createTestSdk({ sampler: new AlwaysOnSampler() });
      const shim = new TracerShim(alwaysOn.provider);
      const before = Date.now();
      const span = shim.startSpan('child', { childOf: unsampledParent(), tags: { early: 1 } });
      span.setTag('span.kind', 'server');
      span.log({ event: 'late' });
      span.finish();
      const finished = alwaysOn.span('child');
      expect(finished.kind).toBe(SpanKind.INTERNAL);
      expect(finished.attributes).toEqual({ early: 1, 'span.kind': 'server' });
      expect(finished.events.map((event) => event.name)).toEqual(['late']);
      expect(finished.parentSpanContext?.spanId ?? (finished as unknown as { parentSpanId: string }).parentSpanId).toBe('b7ad6b7169203331');
      const startMillis = finished.startTime[0] * 1000 + finished.startTime[1] / 1e6;
      expect(startMillis).toBeGreaterThanOrEqual(before);
      expect(finished.ended).toBe(true);
      expect(logs.messages.some((message) => message.includes('span.kind'))).toBe(true);
    });

    it('should keep a given start time for a span created at start', () => {
      const alwaysOn = createTestSdk({ sampler: new AlwaysOnSampler() });
      const shim = new TracerShim(alwaysOn.provider);
      shim.startSpan('child', { childOf: unsampledParent(), startTime: 1_700_000_000_123.5 }).finish(1_700_000_000_200);
      expect(alwaysOn.span('child').startTime).toEqual([1_700_000_000, 123_500_000]);
      expect(alwaysOn.span('child').endTime).toEqual([1_700_000_000, 200_000_000]);
    });
  });

  describe('robustness', () => {
    it('should not throw on bad input', () => {
      const span = tracer.startSpan('op');
      const throwing = {
        get boom(): never {
          throw new Error('getter');
        },
        kept: 1,
      };
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      expect(() => {
        span.setTag(undefined as never, 1);
        span.addTags(null as never);
        span.addTags(throwing);
        span.addTags(revoked.proxy);
        span.setTag('proxy', revoked.proxy);
        span.log(null as never);
        span.log(throwing);
        span.log({ a: 1 }, -5);
        span.log({ a: 1 }, NaN);
        span.setOperationName(42 as never);
        span.setBaggageItem(null as never, null as never);
        span.finish('soon' as never);
      }).not.toThrow();
      expect(sdk.spans()).toHaveLength(1);
    });
  });
});
