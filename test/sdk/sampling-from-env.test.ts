import { ROOT_CONTEXT, SpanKind, TraceFlags, diag, trace } from '@opentelemetry/api';
import { samplerFromEnv, spanLimitsFromEnv } from '../../src/sdk/sampling-from-env';
import { captureDiag } from '../helpers/diag';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const sampledParent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true });
const unsampledParent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE, isRemote: true });

/** The decisions of a sampler for a root span, under a sampled parent and under an unsampled one. */
function decisions(env: Record<string, string>): number[] {
  const sampler = samplerFromEnv(env);
  return [ROOT_CONTEXT, sampledParent, unsampledParent].map((context) => sampler.shouldSample(context, TRACE_ID, 'op', SpanKind.INTERNAL, {}, []).decision);
}

afterEach(() => diag.disable());

describe('samplerFromEnv', () => {
  it.each([
    ['unset: parentbased_always_on', {}, [2, 2, 0]],
    ['always_on', { OTEL_TRACES_SAMPLER: 'always_on' }, [2, 2, 2]],
    ['ALWAYS_OFF in any case', { OTEL_TRACES_SAMPLER: ' ALWAYS_OFF ' }, [0, 0, 0]],
    ['traceidratio 0', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, [0, 0, 0]],
    ['parentbased_always_off', { OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, [0, 2, 0]],
    ['parentbased_traceidratio 1', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }, [2, 2, 0]],
  ])('should build %s', (_name, env, expected) => {
    expect(decisions(env)).toEqual(expected);
  });

  it('should warn about an unknown sampler and a ratio out of range, and use the defaults', () => {
    const diagnostics = captureDiag();

    expect(decisions({ OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toEqual([2, 2, 0]);
    expect(decisions({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toEqual([2, 2, 2]);
    expect(diagnostics.matching('OTEL_TRACES_SAMPLER=jaeger_remote is not supported here')).toHaveLength(1);
    expect(diagnostics.matching('OTEL_TRACES_SAMPLER_ARG=1.5 must be a number from 0 to 1')).toHaveLength(1);
  });
});

describe('spanLimitsFromEnv', () => {
  it('should read the span variables first, then the general attribute ones, and leave the rest out', () => {
    expect(
      spanLimitsFromEnv({
        OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '10',
        OTEL_ATTRIBUTE_COUNT_LIMIT: '99',
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '64',
        OTEL_SPAN_EVENT_COUNT_LIMIT: '0',
      }),
    ).toEqual({ attributeCountLimit: 10, attributeValueLengthLimit: 64, eventCountLimit: 0 });
  });

  it('should leave out, with a warning, what is not a whole number from 0', () => {
    const diagnostics = captureDiag();

    expect(spanLimitsFromEnv({ OTEL_SPAN_LINK_COUNT_LIMIT: '-1', OTEL_SPAN_EVENT_COUNT_LIMIT: 'many' })).toEqual({});
    expect(diagnostics.matching('must be a whole number from 0')).toHaveLength(2);
  });
});
