import * as api from '@opentelemetry/api';
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { describeValue } from '../attributes';
import { describeError, logger } from '../logger';
import { JAEGER_FIREHOSE_TRACE_STATE_KEY, SAMPLER_PARAM_TAG_KEY, SAMPLER_TYPE_TAG_KEY } from './constants';
import { closeWithCallback } from './reporters';
import { isInRange } from './number-range';
import { RateLimiter } from './rate-limiting-sampler';
import { JaegerRemoteSampler } from './remote-sampler';
import type { SamplingEndpoint } from './remote-sampler';
import type { JaegerLogger } from './configuration';
import { warnOnce } from './warn-once';
import { SamplingDecision } from '../otel-sdk/types';
import type { Sampler, SamplingResult } from '../otel-sdk/types';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { ROOT_CONTEXT, createTraceState } = api;

/**
 * A jaeger-client 3.19 sampler of the first API (`src/samplers/*`): `isSampled(operationName,
 * tags)` decides and writes the `sampler.type`/`sampler.param` tags into `tags`.
 */
export interface LegacySampler {
  isSampled(operationName: string, tags: Record<string, unknown>): boolean;
  close?(callback?: () => void): void;
}

/**
 * The part every jaeger-client sampler here shares: an OpenTelemetry sampler (`shouldSample`,
 * for `BasicTracerProvider`, `JaegerSampler` or `Tracer`) that is also a jaeger-client sampler
 * (`isSampled`, `name`, `equal`, `close`). A sampled decision carries jaeger-client's tags as
 * attributes, as jaeger-client writes them on the root span.
 */
abstract class JaegerClientSampler implements Sampler, LegacySampler {
  /** The sampler's class name, as jaeger-client's `name()`. */
  abstract name(): string;

  /**
   * jaeger-client's decision for a new trace: true to sample, and then `tags` receives
   * `sampler.type` and `sampler.param`. `tags` that cannot be written to are left alone.
   */
  abstract isSampled(operationName: string, tags: Record<string, unknown>): boolean;

  /** jaeger-client's `equal`: the same class with the same setting. */
  abstract equal(other: unknown): boolean;

  /**
   * OpenTelemetry's entry point: the same decision as `isSampled`, the tags as attributes. When
   * `isSampled` throws (a subclass's, or a replaced `random()`), the span is not sampled and the
   * error is reported once through `diag`.
   */
  shouldSample(_context: Context, _traceId: string, spanName: string): SamplingResult {
    const tags: Record<string, unknown> = {};
    try {
      if (!this.isSampled(spanName, tags)) return { decision: SamplingDecision.NOT_RECORD };
    } catch (error) {
      warnOnce(`${this.name()}: isSampled() threw; not sampled`, describeError(error));
      return { decision: SamplingDecision.NOT_RECORD };
    }
    return { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: tags as Attributes };
  }

  /** Stops what the sampler runs; `callback` is called once, when done. Never throws. */
  close(callback?: () => void): void {
    safeCall(callback);
  }
}

/**
 * jaeger-client's `ConstSampler(decision)`: samples every new trace (`true`) or none. A sampled
 * root span is tagged `sampler.type=const`, `sampler.param=true`. A non-boolean decision is
 * used for its truthiness, as in jaeger-client.
 */
export class ConstSampler extends JaegerClientSampler {
  private readonly _decision: boolean;

  /** @param decision `true` samples every new trace, `false` none. */
  constructor(decision: boolean) {
    super();
    this._decision = Boolean(decision);
  }

  /** The configured decision. */
  get decision(): boolean {
    return this._decision;
  }

  name(): string {
    return 'ConstSampler';
  }

  /** `ConstSampler(always)` or `ConstSampler(never)`, as jaeger-client. */
  override toString(): string {
    return `${this.name()}(${this._decision ? 'always' : 'never'})`;
  }

  isSampled(_operationName: string, tags: Record<string, unknown>): boolean {
    if (this._decision) writeTags(tags, 'const', true);
    return this._decision;
  }

  equal(other: unknown): boolean {
    return other instanceof ConstSampler && other.decision === this._decision;
  }
}

/**
 * jaeger-client's `ProbabilisticSampler(samplingRate)`: samples a new trace with probability
 * `samplingRate` (0..1), drawn from `random()` (`Math.random()`), exactly as jaeger-client does;
 * tags `sampler.type=probabilistic`, `sampler.param=<rate>`. Children follow their parent's
 * decision (`JaegerSampler`), so a trace is never split.
 *
 * `initTracer`'s `sampler: { type: 'probabilistic' }` decides from the trace id instead
 * (OpenTelemetry's `TraceIdRatioBasedSampler`), which gives the same rate.
 */
export class ProbabilisticSampler extends JaegerClientSampler {
  private _samplingRate: number;

  /**
   * @param samplingRate probability of sampling a new trace, 0..1.
   * @throws Error `The sampling rate must be between 0.0 and 1.0. Received X`, as jaeger-client
   *   (set-up time); also for a value that is not a number (jaeger-client then never samples).
   */
  constructor(samplingRate: number) {
    super();
    this._samplingRate = checkRate(samplingRate);
  }

  /** The configured probability, 0..1. */
  get samplingRate(): number {
    return this._samplingRate;
  }

  /**
   * Changes the rate (jaeger-client's remote sampler calls it); true when it changed. A rate out
   * of 0..1 is reported through `diag` and leaves the rate as it is.
   */
  update(samplingRate: number): boolean {
    if (!isInRange(samplingRate, 0, 1)) {
      logger.warn(`ProbabilisticSampler.update: ${describeValue(samplingRate)} is not a rate between 0 and 1; ignored`);
      return false;
    }
    if (samplingRate === this._samplingRate) return false;
    this._samplingRate = samplingRate;
    return true;
  }

  /** A number in [0, 1), `Math.random()`; jaeger-client's tests replace it. */
  random(): number {
    return Math.random();
  }

  name(): string {
    return 'ProbabilisticSampler';
  }

  /** `ProbabilisticSampler(samplingRate=0.1)`, as jaeger-client. */
  override toString(): string {
    return `${this.name()}(samplingRate=${this._samplingRate})`;
  }

  isSampled(_operationName: string, tags: Record<string, unknown>): boolean {
    const sampled = this.random() < this._samplingRate;
    if (sampled) writeTags(tags, 'probabilistic', this._samplingRate);
    return sampled;
  }

  equal(other: unknown): boolean {
    return other instanceof ProbabilisticSampler && other.samplingRate === this._samplingRate;
  }
}

/**
 * jaeger-client's `RateLimitingSampler(maxTracesPerSecond, initBalance)`: at most
 * `maxTracesPerSecond` new traces per second, from the leaky bucket of `RateLimiter`
 * (rate-limiting-sampler.ts, jaeger-client's `src/rate_limiter.js`); tags
 * `sampler.type=ratelimiting`, `sampler.param=<rate>`.
 *
 * Unlike jaeger-client, the bucket's clock is monotonic, and `update` starts a fresh bucket
 * (jaeger-client rescales the balance).
 */
export class RateLimitingSampler extends JaegerClientSampler {
  private _maxTracesPerSecond: number;
  private _limiter: RateLimiter;

  /**
   * @param maxTracesPerSecond most new traces per second, a finite number >= 0.
   * @param initBalance credits available at once (default: a random fraction of
   *   `max(maxTracesPerSecond, 1)`, as jaeger-client).
   * @throws RangeError at set-up time for a negative, NaN or infinite rate (jaeger-client throws
   *   for a negative one).
   */
  constructor(maxTracesPerSecond: number, initBalance?: number) {
    super();
    this._maxTracesPerSecond = maxTracesPerSecond;
    this._limiter = newLimiter(maxTracesPerSecond, initBalance);
  }

  /** The configured limit, in traces per second. */
  get maxTracesPerSecond(): number {
    return this._maxTracesPerSecond;
  }

  /**
   * Changes the limit; true when it changed. A limit that is not a finite number >= 0 is
   * reported through `diag` and leaves the sampler as it is.
   */
  update(maxTracesPerSecond: number): boolean {
    if (maxTracesPerSecond === this._maxTracesPerSecond) return false;
    try {
      this._limiter = newLimiter(maxTracesPerSecond, undefined);
    } catch (error) {
      logger.warn(`RateLimitingSampler.update: ${describeError(error)}; ignored`);
      return false;
    }
    this._maxTracesPerSecond = maxTracesPerSecond;
    return true;
  }

  name(): string {
    return 'RateLimitingSampler';
  }

  /** `RateLimitingSampler(maxTracesPerSecond=5)`, as jaeger-client. */
  override toString(): string {
    return `${this.name()}(maxTracesPerSecond=${this._maxTracesPerSecond})`;
  }

  isSampled(_operationName: string, tags: Record<string, unknown>): boolean {
    const sampled = this._limiter.checkCredit(1);
    if (sampled) writeTags(tags, 'ratelimiting', this._maxTracesPerSecond);
    return sampled;
  }

  equal(other: unknown): boolean {
    return other instanceof RateLimitingSampler && other.maxTracesPerSecond === this._maxTracesPerSecond;
  }
}

/**
 * jaeger-client's `RemoteSampler` options (`src/samplers/remote_sampler.js`). The endpoint
 * (`hostPort`, which wins over `host` and `port`; `samplingPath`, default `/sampling`) is
 * `JaegerRemoteSamplerOptions`' fields; as in jaeger-client, an empty or zero value counts as unset.
 */
export interface RemoteSamplerOptions extends SamplingEndpoint {
  /** The initial sampler: a `ProbabilisticSampler` gives the initial rate (default 0.001). */
  sampler?: unknown;
  /** Receives the sampler's warnings, as `initTracer`'s logger does; optional. */
  logger?: JaegerLogger;
  /** jaeger-client metrics factory: accepted, not used by this sampler (see the migration guide). */
  metrics?: unknown;
  /** Polling interval in ms (default 60000); 0 never polls. */
  refreshInterval?: number;
  /** Most operations with their own sampler: accepted, 2000 is used (jaeger-client's default). */
  maxOperations?: number;
  /** Called after each strategy update: accepted, never called (see the migration guide). */
  onSamplerUpdate?: unknown;
}

/**
 * jaeger-client's `RemoteSampler(serviceName, options)` (exported as `RemoteSampler`, the class
 * `RemoteControlledSampler`): polls the Jaeger agent's sampling strategy and follows it. It is
 * `JaegerRemoteSampler` (remote-sampler.ts) under jaeger-client's constructor, names and `close`;
 * the polling, strategies and tags are described there.
 *
 * `options.sampler` may only set the initial rate (a `ProbabilisticSampler`); another initial
 * sampler, `maxOperations`, `metrics` and `onSamplerUpdate` are accepted and reported once
 * through `diag`.
 */
export class RemoteSampler implements Sampler, LegacySampler {
  private readonly _serviceName: string;
  private readonly _remote: JaegerRemoteSampler;

  /**
   * Starts polling at once (jaeger-client waits a random delay first).
   * @throws at set-up time, as `JaegerRemoteSampler` does: an empty `serviceName`, an unparsable
   *   `hostPort`, a port or interval out of range.
   */
  constructor(serviceName: string, options: RemoteSamplerOptions = {}) {
    const given = options ?? {};
    const initial = given.sampler;
    let initialSamplingRate: number | undefined;
    if (initial instanceof ProbabilisticSampler) initialSamplingRate = initial.samplingRate;
    else if (initial !== undefined)
      warnOnce('RemoteSampler: options.sampler other than a ProbabilisticSampler (only its initial rate can be used); 0.001 is used');
    if (given.maxOperations !== undefined) warnOnce('RemoteSampler: options.maxOperations; 2000 is used');
    if (given.onSamplerUpdate !== undefined) warnOnce('RemoteSampler: options.onSamplerUpdate is never called');
    this._serviceName = serviceName;
    this._remote = new JaegerRemoteSampler({
      serviceName,
      // jaeger-client reads a zero or empty value as unset (`options.x || default`).
      hostPort: given.hostPort || undefined,
      host: given.host || undefined,
      port: given.port || undefined,
      samplingPath: given.samplingPath || undefined,
      refreshIntervalMs: given.refreshInterval === 0 ? 0 : given.refreshInterval || undefined,
      initialSamplingRate,
    });
  }

  name(): string {
    return 'RemoteSampler';
  }

  /** `RemoteSampler(serviceName=checkout)`, as jaeger-client. */
  toString(): string {
    return `${this.name()}(serviceName=${this._serviceName})`;
  }

  shouldSample(context: Context, traceId: string, spanName: string): SamplingResult {
    return this._remote.shouldSample(context, traceId, spanName);
  }

  /** jaeger-client's decision for a new trace of `operationName` (a random trace id is drawn). */
  isSampled(operationName: string, tags: Record<string, unknown>): boolean {
    const result = this._remote.shouldSample(ROOT_CONTEXT, randomBytes(16).toString('hex'), describeValue(operationName));
    if (result.decision !== SamplingDecision.RECORD_AND_SAMPLED) return false;
    for (const [key, value] of Object.entries(result.attributes ?? {})) writeTag(tags, key, value);
    return true;
  }

  /** Stops polling; `callback` is called once it has stopped. Never throws. */
  close(callback?: () => void): void {
    this._remote.close().then(
      () => safeCall(callback),
      () => safeCall(callback),
    );
  }
}

/** One matcher of a {@link TagEqualsSampler}: the tag value that samples, and whether to set the firehose flag. */
export interface TagMatcher {
  tagValue: string;
  firehose?: boolean;
}

/**
 * jaeger-client's experimental `TagEqualsSampler(tagKey, matchers)`: samples a span whose tag
 * `tagKey` equals a matcher's `tagValue`, tagged `sampler.type=TagEqualsSampler`,
 * `sampler.param=<value>`; a `firehose` matcher also sets the Jaeger firehose flag (trace state
 * `jaeger-firehose=1`). Only tags given at start count: OpenTelemetry samples once, at start
 * (jaeger-client also decides on a tag set later with `setTag`).
 */
export class TagEqualsSampler implements Sampler {
  private readonly _tagKey: string;
  private readonly _matchers = new Map<unknown, TagMatcher>();

  /** @param matchers a value that is not an array counts as none. */
  constructor(tagKey: string, matchers: TagMatcher[]) {
    this._tagKey = tagKey;
    if (Array.isArray(matchers)) for (const matcher of matchers) if (matcher) this._matchers.set(matcher.tagValue, matcher);
  }

  /** jaeger-client's `fromStrategy({ key, values: { [tagValue]: { firehose } } })`. */
  static fromStrategy(strategy: { key: string; values: Record<string, { firehose?: boolean }> }): TagEqualsSampler {
    const values = strategy?.values ?? {};
    return new TagEqualsSampler(
      strategy?.key,
      Object.keys(values).map((tagValue) => ({ tagValue, firehose: Boolean(values[tagValue]?.firehose) })),
    );
  }

  name(): string {
    return 'TagEqualsSampler';
  }

  toString(): string {
    return this.name();
  }

  shouldSample(_context: Context, _traceId: string, _spanName: string, _spanKind: SpanKind, attributes: Attributes): SamplingResult {
    const value = attributes?.[this._tagKey];
    const match = value === undefined ? undefined : this._matchers.get(value);
    if (match === undefined) return { decision: SamplingDecision.NOT_RECORD };
    const result = {
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      attributes: { [SAMPLER_TYPE_TAG_KEY]: 'TagEqualsSampler', [SAMPLER_PARAM_TAG_KEY]: String(match.tagValue) },
    } as const;
    return match.firehose ? { ...result, traceState: createTraceState().set(JAEGER_FIREHOSE_TRACE_STATE_KEY, '1') } : result;
  }

  close(callback?: () => void): void {
    safeCall(callback);
  }
}

/**
 * jaeger-client's experimental `PrioritySampler(samplers)`: asks each sampler in order and takes
 * the first that samples (with its tags); none sampling drops the span. Each sampler may be one
 * of this package, an OpenTelemetry sampler or a jaeger-client one (`isSampled`); any other is
 * skipped, reported once through `diag`. `close` closes them all.
 */
export class PrioritySampler implements Sampler {
  private readonly _samplers: unknown[];
  private readonly _delegates: Sampler[];

  constructor(samplers: unknown[]) {
    this._samplers = Array.isArray(samplers) ? [...samplers] : [];
    this._delegates = [];
    for (const sampler of this._samplers) {
      const delegate = toSampler(sampler);
      if (delegate !== undefined) this._delegates.push(delegate);
      else warnOnce('PrioritySampler: a sampler has neither shouldSample() nor isSampled(); skipped');
    }
  }

  name(): string {
    return 'PrioritySampler';
  }

  toString(): string {
    return `${this.name()}(${this._delegates.map((delegate) => delegate.toString()).join(',')})`;
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    for (const delegate of this._delegates) {
      const result = delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
      if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) return result;
    }
    return { decision: SamplingDecision.NOT_RECORD };
  }

  close(callback?: () => void): void {
    void Promise.all(this._samplers.map(closeWithCallback)).then(() => safeCall(callback));
  }
}

/**
 * `sampler` as an OpenTelemetry sampler: itself when it has `shouldSample`; a jaeger-client
 * sampler with only `isSampled(operationName, tags)` (one written for jaeger-client, or
 * jaeger-client's own) is adapted: sampled when it says so, with the tags it wrote as
 * attributes. `undefined` for anything else.
 */
export function toSampler(sampler: unknown): Sampler | undefined {
  if (typeof sampler !== 'object' || sampler === null) return undefined;
  const candidate = sampler as Partial<Sampler & LegacySampler>;
  if (typeof candidate.shouldSample === 'function') return candidate as Sampler;
  if (typeof candidate.isSampled === 'function') return new LegacySamplerAdapter(candidate as LegacySampler);
  return undefined;
}

/** A jaeger-client sampler (`isSampled`) as an OpenTelemetry sampler; a throwing one samples nothing. */
class LegacySamplerAdapter implements Sampler {
  private readonly _sampler: LegacySampler;

  constructor(sampler: LegacySampler) {
    this._sampler = sampler;
  }

  shouldSample(_context: Context, _traceId: string, spanName: string): SamplingResult {
    try {
      const tags: Record<string, unknown> = {};
      if (!this._sampler.isSampled(spanName, tags)) return { decision: SamplingDecision.NOT_RECORD };
      return { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: tags as Attributes };
    } catch (error) {
      warnOnce("a jaeger-client sampler's isSampled() threw; not sampled", describeError(error));
      return { decision: SamplingDecision.NOT_RECORD };
    }
  }

  toString(): string {
    try {
      return String(this._sampler);
    } catch {
      return 'LegacySampler';
    }
  }
}

function checkRate(samplingRate: number): number {
  if (typeof samplingRate !== 'number' || !(samplingRate >= 0 && samplingRate <= 1)) {
    throw new Error(`The sampling rate must be between 0.0 and 1.0. Received ${describeValue(samplingRate)}`);
  }
  return samplingRate;
}

function newLimiter(maxTracesPerSecond: number, initBalance: number | undefined): RateLimiter {
  const maxBalance = typeof maxTracesPerSecond === 'number' ? Math.max(maxTracesPerSecond, 1) : NaN;
  return new RateLimiter(maxTracesPerSecond, maxBalance, undefined, initBalance ?? Math.random() * maxBalance);
}

function writeTags(tags: Record<string, unknown>, type: string, param: number | boolean): void {
  writeTag(tags, SAMPLER_TYPE_TAG_KEY, type);
  writeTag(tags, SAMPLER_PARAM_TAG_KEY, param);
}

/** jaeger-client writes into the caller's object; one that refuses writes (frozen, a Proxy) is left alone. */
function writeTag(tags: Record<string, unknown>, key: string, value: unknown): void {
  try {
    if (typeof tags === 'object' && tags !== null) tags[key] = value;
  } catch {
    // The decision stands without its tags.
  }
}

function safeCall(callback: (() => void) | undefined): void {
  if (typeof callback !== 'function') return;
  try {
    callback();
  } catch (error) {
    logger.error(`sampler close callback threw: ${describeError(error)}`);
  }
}
