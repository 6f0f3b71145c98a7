import * as http from 'node:http';
import type { Attributes, Context } from '@opentelemetry/api';
import { sdkLine } from '../otel-sdk/sdk-line';
import { SamplingDecision } from '../otel-sdk/types';
import type { Sampler, SamplingResult } from '../otel-sdk/types';
import { describeValue } from '../attributes';
import { describeError, logger } from '../logger';
import { MAX_TIMER_DELAY_MS } from '../time';
import { SAMPLER_PARAM_TAG_KEY, SAMPLER_TYPE_TAG_KEY } from './constants';
import type { JaegerSamplerDescription } from './jaeger-sampler';
import { isInRange, requireInRange } from './number-range';
import { RateLimitingSampler } from './rate-limiting-sampler';

/** Options of {@link JaegerRemoteSampler}; the defaults are jaeger-client's. */
export interface JaegerRemoteSamplerOptions {
  /** Service whose strategy to ask for, sent as `?service=` (URL-encoded; a lone surrogate as U+FFFD). */
  serviceName: string;
  /** Agent address `host:port`, optionally with an `http://` prefix; wins over `host` and `port`. */
  hostPort?: string;
  /** Agent host (default `0.0.0.0`, which reaches the local host on Linux and macOS). */
  host?: string;
  /** Agent port, an integer 1..65535 (default 5778). */
  port?: number;
  /**
   * Path of the strategy endpoint (default `/sampling`). Characters other than printable ASCII
   * (spaces, control characters, non-ASCII text) are percent-encoded as UTF-8, as a URL parser
   * does, because Node's `http` refuses them or sends them as bytes servers refuse.
   */
  samplingPath?: string;
  /**
   * Milliseconds between the end of one poll and the start of the next, at most 2^31 - 1
   * (default 60000). `0` never polls: the initial rate stays, as in jaeger-client.
   */
  refreshIntervalMs?: number;
  /** Probability (0..1) of sampling a new trace until a strategy arrives (default 0.001). */
  initialSamplingRate?: number;
  /**
   * Milliseconds a poll may take in all, from connecting to the end of the answer (default 5000):
   * a total deadline, not an idle timeout, so that an endpoint that trickles a byte at a time
   * cannot stall polling.
   */
  requestTimeoutMs?: number;
}

/**
 * Where the sampling endpoint is, as every remote sampler setting names it (`config.sampler`,
 * `RemoteSampler`'s options): the fields of {@link JaegerRemoteSamplerOptions}, documented there.
 */
export type SamplingEndpoint = Pick<JaegerRemoteSamplerOptions, 'hostPort' | 'host' | 'port' | 'samplingPath'>;

const DEFAULT_HOST = '0.0.0.0';
const DEFAULT_PORT = 5778;
const DEFAULT_SAMPLING_PATH = '/sampling';
const DEFAULT_REFRESH_INTERVAL_MS = 60_000;
const DEFAULT_INITIAL_SAMPLING_RATE = 0.001;
const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** Operations that get their own sampler before the rest share the default rate (jaeger-client's). */
const MAX_OPERATIONS = 2000;
/** Even a per-operation strategy for MAX_OPERATIONS operations is far smaller. */
const MAX_RESPONSE_CHARS = 1 << 20;

/** The sampling tags for a sampled span, or undefined when the span is not sampled. */
type Decide = (context: Context, traceId: string, spanName: string) => Attributes | undefined;

interface Strategy {
  /** The normalised response this strategy came from; a poll that returns the same one is a no-op. */
  readonly key: string;
  readonly description: JaegerSamplerDescription;
  /** For log messages: `probabilistic sampling (0.001)`. */
  readonly label: string;
  readonly decide: Decide;
}

/**
 * An OpenTelemetry sampler whose strategy a Jaeger agent (or an OpenTelemetry Collector's
 * `jaeger_remote_sampling` extension) serves, jaeger-client's `RemoteControlledSampler`
 * (`src/samplers/remote_sampler.js`). It samples new traces with probability
 * `initialSamplingRate` until it has fetched `GET http://{host}:{port}{samplingPath}?service={serviceName}`,
 * then follows the answer: `probabilisticSampling.samplingRate` (`strategyType` `PROBABILISTIC`, `0`
 * or absent), `rateLimitingSampling.maxTracesPerSecond` (`RATE_LIMITING` or `1`), or
 * `operationSampling`, which gives each span name its own rate with a lower bound of
 * `defaultLowerBoundTracesPerSecond` (jaeger-client's `GuaranteedThroughputSampler`); other
 * names share `defaultSamplingProbability`. Fields the agent leaves out count as 0, as in proto3
 * JSON. A failed poll (refused connection, timeout, non-2xx status, malformed strategy) keeps the
 * current strategy and is reported with `diag` at warn level; nothing is thrown.
 *
 * A sampled root span gets jaeger-client's tags for the strategy that sampled it: `probabilistic`,
 * `ratelimiting` or `lowerbound` in `sampler.type`, never `remote`. Probabilities are applied to the
 * trace id as OpenTelemetry's `TraceIdRatioBasedSampler` does (jaeger-client draws a random number),
 * so services agree on a trace. Use it as the root sampler of a {@link JaegerSampler}.
 *
 * Not `@opentelemetry/sampler-jaeger-remote`: its polling `setInterval` is never unref'd and cannot
 * be stopped, so an application using it never exits and `tracer.close()` cannot end it; it ignores
 * jaeger-client's `samplingPath`; and it has no rate-limiting strategy. Here the timer and the
 * request socket are unref'd, polls never overlap, and {@link JaegerRemoteSampler.close} stops both.
 *
 * Differences from jaeger-client: the first poll starts right after construction (jaeger-client
 * waits a random delay plus one full interval, one to two minutes by default); a new strategy
 * replaces the samplers it changes with fresh ones rather than rescaling their rate limiters'
 * balances; operations that got the default rate follow a new default (jaeger-client keeps their
 * old rate).
 */
export class JaegerRemoteSampler implements Sampler {
  private readonly _serviceName: string;
  private readonly _host: string;
  private readonly _port: number;
  private readonly _path: string;
  private readonly _refreshIntervalMs: number;
  private readonly _requestTimeoutMs: number;
  private _strategy: Strategy;
  private _timer: NodeJS.Timeout | undefined;
  private _request: http.ClientRequest | undefined;
  private _closed = false;

  /**
   * Starts polling (unless `refreshIntervalMs` is 0).
   * @throws at set-up time: TypeError for an empty `serviceName` or an unparsable `hostPort`,
   *   RangeError for a number out of range (see {@link JaegerRemoteSamplerOptions}).
   */
  constructor(options: JaegerRemoteSamplerOptions) {
    if (typeof options.serviceName !== 'string' || options.serviceName === '') {
      throw new TypeError(`serviceName must be a non-empty string, got ${describeValue(options.serviceName)}`);
    }
    this._serviceName = options.serviceName;
    [this._host, this._port] = options.hostPort !== undefined ? parseHostPort(options.hostPort) : [options.host || DEFAULT_HOST, options.port ?? DEFAULT_PORT];
    if (!Number.isInteger(this._port) || !isInRange(this._port, 1, 65535)) {
      throw new RangeError(`port must be an integer 1..65535, got ${describeValue(this._port)}`);
    }
    this._path = `${escapePath(String(options.samplingPath || DEFAULT_SAMPLING_PATH))}?service=${encodeURIComponent(wellFormed(this._serviceName))}`;
    this._refreshIntervalMs = requireDelay('refreshIntervalMs', options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS, 0);
    this._requestTimeoutMs = requireDelay('requestTimeoutMs', options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, 1);
    const initialRate = requireInRange('initialSamplingRate', options.initialSamplingRate ?? DEFAULT_INITIAL_SAMPLING_RATE, 0, 1, 'a number between 0 and 1');
    this._strategy = probabilistic(initialRate, '');
    if (this._refreshIntervalMs > 0) this._schedule(0);
  }

  shouldSample(context: Context, traceId: string, spanName: string): SamplingResult {
    const tags = this._strategy.decide(context, traceId, spanName);
    return tags === undefined ? { decision: SamplingDecision.NOT_RECORD } : { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: tags };
  }

  /**
   * The current strategy as jaeger-client would tag a root span it sampled: `probabilistic` with
   * the rate (for a per-operation strategy, the default rate; an operation's own rate and
   * `lowerbound` show on the spans themselves) or `ratelimiting` with traces per second.
   */
  currentSamplerDescription(): JaegerSamplerDescription {
    return { ...this._strategy.description };
  }

  /** Stops polling and aborts a poll in flight; the current strategy stays in use. Idempotent. */
  close(): Promise<void> {
    this._closed = true;
    clearTimeout(this._timer);
    this._timer = undefined;
    this._request?.destroy();
    this._request = undefined;
    return Promise.resolve();
  }

  /** jaeger-client's form: `RemoteSampler(serviceName=checkout)`. */
  toString(): string {
    return `RemoteSampler(serviceName=${this._serviceName})`;
  }

  private _schedule(delayMs: number): void {
    if (this._closed) return;
    this._timer = setTimeout(() => this._poll(), delayMs);
    this._timer.unref();
  }

  private _poll(): void {
    this._timer = undefined;
    this._fetch((failure, body) => {
      this._request = undefined;
      if (this._closed) return;
      try {
        if (failure !== undefined) throw failure;
        this._update(body);
      } catch (error) {
        logger.warn(
          `jaeger remote sampler: no sampling strategy from http://${this._host}:${this._port}${this._path} (${describeError(error)}); keeping ${this._strategy.label}`,
        );
      }
      this._schedule(this._refreshIntervalMs);
    });
  }

  private _update(body: string): void {
    const strategy = parseStrategy(body);
    const key = JSON.stringify(strategy);
    if (key === this._strategy.key) return;
    this._strategy =
      strategy.kind === 'probabilistic'
        ? probabilistic(strategy.samplingRate, key)
        : strategy.kind === 'ratelimiting'
          ? rateLimiting(strategy.maxTracesPerSecond, key)
          : perOperation(strategy, key);
    logger.debug(`jaeger remote sampler: now ${this._strategy.label}`);
  }

  /** Calls `done` once, with the reason there is no answer or with the body of a 2xx answer. */
  private _fetch(done: (failure: Error | undefined, body: string) => void): void {
    let finished = false;
    let request: http.ClientRequest | undefined;
    // A total deadline: the socket's idle timeout never fires for an endpoint that sends a byte
    // now and then, and one such poll would stop polling for good.
    const deadline = setTimeout(() => request?.destroy(new Error(`no complete answer within ${this._requestTimeoutMs} ms`)), this._requestTimeoutMs);
    deadline.unref();
    const finish = (failure: Error | undefined, body = ''): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      done(failure, body);
    };
    // `agent: false`: a fresh connection per poll, a minute apart, rather than a pooled one the
    // agent may have dropped meanwhile. `http.get` throws, rather than emitting 'error', for a
    // host it cannot put in a header (a newline from JAEGER_SAMPLER_HOST, say); thrown from this
    // timer, that would end the application, so it is a failed poll like any other.
    try {
      request = http.get({ host: this._host, port: this._port, path: this._path, agent: false }, onResponse);
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const sent = request;
    this._request = sent;
    sent.on('socket', (socket) => socket.unref());
    sent.on('error', finish);
    sent.on('close', () => finish(new Error('connection closed before the response ended')));

    function onResponse(response: http.IncomingMessage): void {
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        response.resume();
        finish(new Error(`HTTP status ${status}`));
        return;
      }
      response.setEncoding('utf8');
      let body = '';
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_RESPONSE_CHARS) sent.destroy(new Error(`response longer than ${MAX_RESPONSE_CHARS} characters`));
      });
      response.on('end', () => finish(undefined, body));
      response.on('error', finish);
    }
  }
}

type ParsedStrategy =
  | { kind: 'probabilistic'; samplingRate: number }
  | { kind: 'ratelimiting'; maxTracesPerSecond: number }
  | {
      kind: 'perOperation';
      defaultSamplingProbability: number;
      defaultLowerBoundTracesPerSecond: number;
      operations: Array<[operation: string, samplingRate: number]>;
    };

/** @throws Error naming what is malformed. */
function parseStrategy(body: string): ParsedStrategy {
  let response: unknown;
  try {
    response = JSON.parse(body);
  } catch {
    throw new Error(`not JSON: ${JSON.stringify(body.slice(0, 100))}`);
  }
  if (!isObject(response)) throw new Error(`not a strategy: ${JSON.stringify(body.slice(0, 100))}`);
  const { strategyType: type, operationSampling, rateLimitingSampling, probabilisticSampling } = response;
  if (isObject(operationSampling)) {
    const operations = operationSampling.perOperationStrategies ?? [];
    if (!Array.isArray(operations)) throw new Error('operationSampling.perOperationStrategies is not an array');
    return {
      kind: 'perOperation',
      defaultSamplingProbability: rate(operationSampling.defaultSamplingProbability, 'operationSampling.defaultSamplingProbability'),
      defaultLowerBoundTracesPerSecond: perSecond(operationSampling.defaultLowerBoundTracesPerSecond, 'operationSampling.defaultLowerBoundTracesPerSecond'),
      operations: operations.map((entry: unknown) => {
        if (!isObject(entry) || typeof entry.operation !== 'string' || !isObject(entry.probabilisticSampling)) {
          throw new Error(`malformed per-operation strategy ${JSON.stringify(entry)}`);
        }
        return [entry.operation, rate(entry.probabilisticSampling.samplingRate, `samplingRate of operation ${entry.operation}`)];
      }),
    };
  }
  if ((type === 'RATE_LIMITING' || type === 1) && isObject(rateLimitingSampling)) {
    return { kind: 'ratelimiting', maxTracesPerSecond: perSecond(rateLimitingSampling.maxTracesPerSecond, 'rateLimitingSampling.maxTracesPerSecond') };
  }
  // proto3 JSON leaves out the default enum value, PROBABILISTIC.
  if ((type === 'PROBABILISTIC' || type === 0 || type === undefined) && isObject(probabilisticSampling)) {
    return { kind: 'probabilistic', samplingRate: rate(probabilisticSampling.samplingRate, 'probabilisticSampling.samplingRate') };
  }
  throw new Error(`no usable strategy in ${JSON.stringify(response).slice(0, 200)}`);
}

function probabilistic(samplingRate: number, key: string): Strategy {
  const ratio = sdkLine().createTraceIdRatioBasedSampler(samplingRate);
  const tags = { [SAMPLER_TYPE_TAG_KEY]: 'probabilistic', [SAMPLER_PARAM_TAG_KEY]: samplingRate };
  return {
    key,
    description: { type: 'probabilistic', param: samplingRate },
    label: `probabilistic sampling (${samplingRate})`,
    decide: (context, traceId) => (ratio.shouldSample(context, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED ? tags : undefined),
  };
}

function rateLimiting(maxTracesPerSecond: number, key: string): Strategy {
  const limiter = new RateLimitingSampler(maxTracesPerSecond);
  const tags = { [SAMPLER_TYPE_TAG_KEY]: 'ratelimiting', [SAMPLER_PARAM_TAG_KEY]: maxTracesPerSecond };
  return {
    key,
    description: { type: 'ratelimiting', param: maxTracesPerSecond },
    label: `rate-limiting sampling (${maxTracesPerSecond} traces per second)`,
    decide: () => (limiter.shouldSample().decision === SamplingDecision.RECORD_AND_SAMPLED ? tags : undefined),
  };
}

/** jaeger-client `src/samplers/per_operation_sampler.js`. */
function perOperation(strategy: Extract<ParsedStrategy, { kind: 'perOperation' }>, key: string): Strategy {
  const lowerBound = strategy.defaultLowerBoundTracesPerSecond;
  const fallback = probabilistic(strategy.defaultSamplingProbability, '');
  const byOperation = new Map<string, Decide>(strategy.operations.map(([operation, rate]) => [operation, guaranteedThroughput(rate, lowerBound)]));
  return {
    key,
    description: fallback.description,
    label: `per-operation sampling (${strategy.operations.length} operations, default ${strategy.defaultSamplingProbability}, lower bound ${lowerBound} traces per second)`,
    decide: (context, traceId, spanName) => {
      let decide = byOperation.get(spanName);
      if (decide === undefined) {
        // Past the cap, span names are likely unbounded (ids in names): share one sampler.
        if (byOperation.size >= MAX_OPERATIONS) return fallback.decide(context, traceId, spanName);
        decide = guaranteedThroughput(strategy.defaultSamplingProbability, lowerBound);
        byOperation.set(spanName, decide);
      }
      return decide(context, traceId, spanName);
    },
  };
}

/**
 * A rate with a floor of `lowerBound` traces per second (jaeger-client
 * `src/samplers/guaranteed_throughput_sampler.js`). Every sampled trace spends a credit of the
 * floor, so it adds traces only when the rate alone stays below it.
 */
function guaranteedThroughput(samplingRate: number, lowerBound: number): Decide {
  const byRate = probabilistic(samplingRate, '').decide;
  const floor = new RateLimitingSampler(lowerBound);
  const lowerBoundTags = { [SAMPLER_TYPE_TAG_KEY]: 'lowerbound', [SAMPLER_PARAM_TAG_KEY]: samplingRate };
  return (context, traceId, spanName) => {
    const tags = byRate(context, traceId, spanName);
    const credit = floor.shouldSample().decision === SamplingDecision.RECORD_AND_SAMPLED;
    return tags ?? (credit ? lowerBoundTags : undefined);
  };
}

/** A probability (0..1) of the strategy; absent is 0, as in proto3 JSON. */
function rate(value: unknown, name: string): number {
  return strategyNumber(value, name, 1, 'a number between 0 and 1');
}

/** A count per second of the strategy; absent is 0, as in proto3 JSON. */
function perSecond(value: unknown, name: string): number {
  return strategyNumber(value, name, Number.MAX_VALUE, 'a finite number >= 0');
}

/** A number of the strategy from 0 to `max`; else the strategy is malformed (the caller reports it). */
function strategyNumber(value: unknown, name: string, max: number, expected: string): number {
  const number = value ?? 0;
  if (!isInRange(number, 0, max)) throw new Error(`${name} must be ${expected}, got ${JSON.stringify(value)}`);
  return number;
}

function requireDelay(name: string, value: number, min: number): number {
  return requireInRange(name, value, min, MAX_TIMER_DELAY_MS, `a number of milliseconds from ${min} to ${MAX_TIMER_DELAY_MS}`);
}

/** `host:port`, `http://host:port` or `[::1]:port`; a missing port is the default one. */
function parseHostPort(hostPort: string): [host: string, port: number] {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(hostPort) ? hostPort : `http://${hostPort}`);
  } catch {
    throw new TypeError(`hostPort must look like host:port, got ${typeof hostPort === 'string' ? JSON.stringify(hostPort) : describeValue(hostPort)}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || DEFAULT_HOST;
  return [host, url.port === '' ? DEFAULT_PORT : Number(url.port)];
}

/**
 * A sampling path as it can be sent: each character that is not printable ASCII (`!` to `~`)
 * percent-encoded as UTF-8, as a URL parser encodes a path. Node's `http.get` throws
 * ERR_UNESCAPED_CHARACTERS for spaces, control characters and text beyond Latin-1, and sends
 * Latin-1 letters as raw bytes that HTTP servers refuse. Escapes already in the path (`%20`)
 * are left as they are.
 */
function escapePath(path: string): string {
  return wellFormed(path).replace(/[^\u0021-\u007e]/gu, (character) => encodeURIComponent(character));
}

/**
 * `text` with each lone surrogate replaced by U+FFFD, as a URL parser does, so that
 * `encodeURIComponent` cannot throw (`String.prototype.toWellFormed` needs Node 20).
 */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
