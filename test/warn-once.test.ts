import { W3CTraceContextPropagator } from '@opentelemetry/core';
import * as opentracing from 'opentracing';
import { MAX_HEADER_VALUE_BYTES } from '../src/limits';
import { TracerShim } from '../src/tracer-shim';
import { captureDiag } from './helpers/diag';
import type { DiagCapture } from './helpers/diag';
import { createTestSdk } from './helpers/sdk';
import type { TestSdk } from './helpers/sdk';

// Project rule: a problem is reported through diag once, not per call. Each case repeats the same
// mistake through the public OpenTracing API many times and counts the warnings.
describe('each kind of problem is reported once per process, however often it happens', () => {
  const REPEATS = 1000;
  let sdk: TestSdk;
  let tracer: TracerShim;
  let logs: DiagCapture;

  beforeEach(() => {
    sdk = createTestSdk();
    tracer = new TracerShim(sdk.provider, { httpHeadersPropagator: new W3CTraceContextPropagator(), textMapPropagator: new W3CTraceContextPropagator() });
    logs = captureDiag();
  });

  afterEach(async () => {
    logs.stop();
    await sdk.provider.shutdown();
  });

  it.each<[string, (tracer: TracerShim) => void]>([
    [
      'log() with fields that are not an object',
      (t) =>
        t
          .startSpan('s')
          .log('oops' as never)
          .finish(),
    ],
    ['a bad finish time', (t) => t.startSpan('s').finish('yesterday' as never)],
    ['a bad start time', (t) => t.startSpan('s', { startTime: 'now' as never }).finish()],
    ['setBaggageItem with an empty key', (t) => t.startSpan('s').setBaggageItem('', 'v').finish()],
    [
      'addTags with a non-object',
      (t) =>
        t
          .startSpan('s')
          .addTags(7 as never)
          .finish(),
    ],
    ['a tag key "__proto__"', (t) => t.startSpan('s').setTag('__proto__', 1).finish()],
    [
      'span.kind set after the span was used',
      (t) => {
        const span = t.startSpan('s');
        span.context().toSpanId();
        span.setTag('span.kind', 'server').finish();
      },
    ],
    ['a childOf that is not a span context', (t) => t.startSpan('s', { childOf: 42 as never }).finish()],
    ['an unknown format', (t) => t.inject(t.startSpan('s').context(), 'no-such-format', {})],
    [
      'an oversized carrier value',
      (t) => {
        t.extract(opentracing.FORMAT_HTTP_HEADERS, { traceparent: 'x'.repeat(MAX_HEADER_VALUE_BYTES + 1) });
      },
    ],
  ])('%s', (_name, mistake) => {
    for (let i = 0; i < REPEATS; i++) mistake(tracer);
    expect(logs.messages).toHaveLength(1);
  });
});
