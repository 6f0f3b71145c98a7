import type { Environment } from '../env';
import { describeValue } from '../attributes';
import { logger } from '../logger';
import { sdkLine } from '../otel-sdk/sdk-line';
import type { Sampler, SpanLimits } from '../otel-sdk/types';

/**
 * The sampler `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` in `env` name, built from the
 * installed SDK line's samplers: `always_on`, `always_off`, `traceidratio`,
 * `parentbased_always_on` (the default when unset or blank), `parentbased_always_off`,
 * `parentbased_traceidratio`. The ratio is `OTEL_TRACES_SAMPLER_ARG`, a number from 0 to 1
 * (default 1). An unknown sampler name or an unusable ratio gets the default with a `diag` warning.
 *
 * Written here because the 3.x SDK's `TracerProvider` no longer reads these variables (only
 * NodeSDK does), while the 2.x `BasicTracerProvider` did: `createTracerProvider` reads them the
 * same way on both lines. Rule: OpenTelemetry specification, "Environment Variable
 * Specification", section "General SDK Configuration".
 */
export function samplerFromEnv(env: Environment): Sampler {
  const line = sdkLine();
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  const ratio = (): Sampler => line.createTraceIdRatioBasedSampler(samplerRatio(env));
  switch (name) {
    case 'always_on':
      return line.createAlwaysOnSampler();
    case 'always_off':
      return line.createAlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_off':
      return line.createParentBasedSampler(line.createAlwaysOffSampler());
    case 'parentbased_traceidratio':
      return line.createParentBasedSampler(ratio());
    case 'parentbased_always_on':
      return line.createParentBasedSampler(line.createAlwaysOnSampler());
    default:
      logger.warn(`OTEL_TRACES_SAMPLER=${describeValue(name)} is not supported here; parentbased_always_on is used`);
      return line.createParentBasedSampler(line.createAlwaysOnSampler());
  }
}

function samplerRatio(env: Environment): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (raw === undefined || raw === '') return 1;
  const ratio = Number(raw);
  if (ratio >= 0 && ratio <= 1) return ratio;
  logger.warn(`OTEL_TRACES_SAMPLER_ARG=${describeValue(raw)} must be a number from 0 to 1; 1 is used`);
  return 1;
}

/** Each span limit, its variables (the first set wins) and whether 0 is allowed. */
const LIMITS: ReadonlyArray<[keyof SpanLimits, readonly string[]]> = [
  ['attributeCountLimit', ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT']],
  ['attributeValueLengthLimit', ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT']],
  ['eventCountLimit', ['OTEL_SPAN_EVENT_COUNT_LIMIT']],
  ['linkCountLimit', ['OTEL_SPAN_LINK_COUNT_LIMIT']],
  ['attributePerEventCountLimit', ['OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT']],
  ['attributePerLinkCountLimit', ['OTEL_LINK_ATTRIBUTE_COUNT_LIMIT']],
];

/**
 * The span limits the `OTEL_SPAN_*_LIMIT`, `OTEL_ATTRIBUTE_*_LIMIT`, `OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`
 * and `OTEL_LINK_ATTRIBUTE_COUNT_LIMIT` variables in `env` set; only those set, each a whole number
 * from 0 (anything else is left out with a `diag` warning, so the SDK's default of 128 applies).
 * Read here for the same reason as {@link samplerFromEnv}. Rule: OpenTelemetry specification,
 * "Environment Variable Specification", sections "Attribute Limits" and "Span Limits".
 */
export function spanLimitsFromEnv(env: Environment): SpanLimits {
  const limits: SpanLimits = {};
  for (const [field, variables] of LIMITS) {
    const variable = variables.find((name) => (env[name]?.trim() ?? '') !== '');
    if (variable === undefined) continue;
    const value = Number(env[variable]);
    if (Number.isInteger(value) && value >= 0) limits[field] = value;
    else logger.warn(`${variable}=${describeValue(env[variable])} must be a whole number from 0; the SDK's default is used`);
  }
  return limits;
}
