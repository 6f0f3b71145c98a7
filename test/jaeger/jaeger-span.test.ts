import * as opentracing from 'opentracing';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { JaegerSpan, MAX_BAGGAGE_VALUE_LENGTH, normalizeBaggageKey } from '../../src/jaeger/jaeger-span';
import { JaegerSpanContext } from '../../src/jaeger/jaeger-span-context';
import { JaegerTracer } from '../../src/jaeger/jaeger-tracer';
import { SpanShim } from '../../src/span-shim';
import { createTestSdk } from '../helpers/sdk';
import type { TestSdk } from '../helpers/sdk';

// jaeger-client ships no type declarations; these are the members the tests use.
interface JaegerClientSpan {
  setBaggageItem(key: string, value: string): JaegerClientSpan;
  getBaggageItem(key: string): string | undefined;
  finish(): void;
}
interface JaegerClientTracer {
  startSpan(name: string): JaegerClientSpan;
  inject(span: JaegerClientSpan, format: string, carrier: object): void;
  close(callback?: () => void): void;
}
interface JaegerClient {
  initTracer(config: object, options: object): JaegerClientTracer;
  InMemoryReporter: new () => object;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as JaegerClient;

const noopLogger = { info: (): void => undefined, error: (): void => undefined };

let sdk: TestSdk;
let tracer: JaegerTracer;
let jaegerTracer: JaegerClientTracer;

beforeEach(() => {
  sdk = createTestSdk();
  tracer = new JaegerTracer(sdk.provider, {
    textMapPropagator: new JaegerPropagator(),
    httpHeadersPropagator: new JaegerPropagator({ urlEncoding: true }),
  });
  jaegerTracer = jaeger.initTracer(
    { serviceName: 'jaeger-client', sampler: { type: 'const', param: 1 } },
    { logger: noopLogger, reporter: new jaeger.InMemoryReporter() },
  );
});

afterEach(async () => {
  await Promise.all([tracer.close(), new Promise<void>((resolve) => jaegerTracer.close(() => resolve()))]);
});

function baggageHeaders(carrier: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(carrier).filter(([key]) => key.startsWith('uberctx-')));
}

describe('JaegerSpan', () => {
  it('should be what a JaegerTracer starts, with a JaegerSpanContext', () => {
    const span = tracer.startSpan('op');

    expect(span).toBeInstanceOf(JaegerSpan);
    expect(span).toBeInstanceOf(SpanShim);
    expect(span).toBeInstanceOf(opentracing.Span);
    expect(span.context()).toBeInstanceOf(JaegerSpanContext);
    span.finish();
  });

  describe('baggage keys', () => {
    it('should normalise keys on set and on get (User_ID -> user-id)', () => {
      const span = tracer.startSpan('op');

      span.setBaggageItem('User_ID', '42');

      expect(span.getBaggageItem('User_ID')).toBe('42');
      expect(span.getBaggageItem('user-id')).toBe('42');
      expect({ ...(span.context() as JaegerSpanContext).baggage }).toEqual({ 'user-id': '42' });
      span.finish();
    });

    it('should write the same baggage headers as jaeger-client for the same calls', () => {
      const ours = tracer.startSpan('op');
      const theirs = jaegerTracer.startSpan('op');
      for (const span of [ours, theirs]) {
        span.setBaggageItem('User_ID', '42');
        span.setBaggageItem('Tenant', 'Acme Corp');
      }

      const ourCarrier: Record<string, unknown> = {};
      tracer.inject(ours.context(), opentracing.FORMAT_HTTP_HEADERS, ourCarrier);
      const theirCarrier: Record<string, unknown> = {};
      jaegerTracer.inject(theirs, opentracing.FORMAT_HTTP_HEADERS, theirCarrier);

      expect(baggageHeaders(ourCarrier)).toEqual(baggageHeaders(theirCarrier));
      expect(baggageHeaders(ourCarrier)).toEqual({ 'uberctx-user-id': '42', 'uberctx-tenant': 'Acme%20Corp' });
      expect(ours.getBaggageItem('TENANT')).toBe(theirs.getBaggageItem('TENANT'));
      ours.finish();
      theirs.finish();
    });

    it('should let a later set under another spelling of the key replace the value', () => {
      const span = tracer.startSpan('op');

      span.setBaggageItem('user_id', '1');
      span.setBaggageItem('User-Id', '2');

      expect({ ...(span.context() as JaegerSpanContext).baggage }).toEqual({ 'user-id': '2' });
      span.finish();
    });
  });

  describe('baggage values', () => {
    it(`should truncate values longer than ${MAX_BAGGAGE_VALUE_LENGTH} characters, as jaeger-client`, () => {
      const long = 'x'.repeat(3000);
      const ours = tracer.startSpan('op');
      const theirs = jaegerTracer.startSpan('op');

      ours.setBaggageItem('big', long);
      theirs.setBaggageItem('big', long);

      expect(ours.getBaggageItem('big')).toHaveLength(2048);
      expect(ours.getBaggageItem('big')).toBe(theirs.getBaggageItem('big'));
      ours.finish();
      theirs.finish();
    });

    it('should keep a value of exactly 2048 characters', () => {
      const span = tracer.startSpan('op');

      span.setBaggageItem('k', 'y'.repeat(2048));

      expect(span.getBaggageItem('k')).toHaveLength(2048);
      span.finish();
    });

    it('should not cut a surrogate pair in two, so that the value can still be URL-encoded on inject', () => {
      const span = tracer.startSpan('op');
      // 2047 characters that URL-encode to 6 KB: within what inject writes for one item.
      const value = `${'a'.repeat(1301)}${'\u{1F600}'.repeat(400)}`;

      span.setBaggageItem('k', value);
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);

      expect(span.getBaggageItem('k')).toBe(value.slice(0, 2047));
      expect(decodeURIComponent(carrier['uberctx-k'])).toBe(value.slice(0, 2047));
      span.finish();
    });
  });

  describe('context', () => {
    it('should give a child the parent span id, and a root none', () => {
      const parent = tracer.startSpan('parent');
      const child = tracer.startSpan('child', { childOf: parent });

      const parentContext = parent.context() as JaegerSpanContext;
      const childContext = child.context() as JaegerSpanContext;

      expect(parentContext.parentIdStr).toBeUndefined();
      expect(childContext.parentIdStr).toBe(parentContext.spanIdStr);
      expect(childContext.toString()).toBe(`${parentContext.traceIdStr}:${childContext.spanIdStr}:${parentContext.spanIdStr}:1`);
      child.finish();
      parent.finish();
      expect(sdk.span('child').parentSpanContext?.spanId).toBe(parentContext.toSpanId());
    });

    it('should keep the parent id in the context made after a baggage change', () => {
      const parent = tracer.startSpan('parent');
      const child = tracer.startSpan('child', { childOf: parent });
      const before = child.context() as JaegerSpanContext;

      child.setBaggageItem('k', 'v');
      const after = child.context() as JaegerSpanContext;

      expect(after).not.toBe(before);
      expect(after.parentIdStr).toBe(before.parentIdStr);
      expect(after.baggage.k).toBe('v');
      expect(before.baggage.k).toBeUndefined();
      child.finish();
      parent.finish();
    });

    it('should give children the parent baggage', () => {
      const parent = tracer.startSpan('parent');
      parent.setBaggageItem('Request_Id', 'r-1');

      const child = tracer.startSpan('child', { childOf: parent });

      expect(child.getBaggageItem('request-id')).toBe('r-1');
      child.finish();
      parent.finish();
    });
  });
});

describe('normalizeBaggageKey', () => {
  it.each([
    ['User_ID', 'user-id'],
    ['already-normal', 'already-normal'],
    ['MIXED_case_Key', 'mixed-case-key'],
    ['a__b', 'a--b'],
  ])('should turn %s into %s', (key, expected) => {
    expect(normalizeBaggageKey(key)).toBe(expected);
  });

  it('should pass a non-string unchanged', () => {
    expect(normalizeBaggageKey(5)).toBe(5);
  });
});
