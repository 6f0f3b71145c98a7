import type { TextMapPropagator } from '@opentelemetry/api';
import { listVariable } from '../env';
import type { Environment } from '../env';
import { JaegerPropagator } from '../jaeger/jaeger-propagator';
import type { JaegerPropagatorOptions } from '../jaeger/jaeger-propagator';
import { describeError, logger } from '../logger';
import { B3, b3 as loadB3Package, core } from '../otel-sdk/packages';
import type { B3Module } from '../otel-sdk/packages';

/** The propagators of both OpenTracing text formats, as `OTEL_PROPAGATORS` asks for them. */
export interface FormatPropagators {
  /** For FORMAT_TEXT_MAP: `jaeger` is jaeger-client's text map codec (values as they are). */
  readonly textMap: TextMapPropagator;
  /** For FORMAT_HTTP_HEADERS: `jaeger` is jaeger-client's HTTP headers codec (URL-encoded values). */
  readonly httpHeaders: TextMapPropagator;
}

/** Options of {@link propagatorFromEnv}. */
export interface PropagatorFromEnvOptions {
  /** jaeger-client's `contextKey` (default `uber-trace-id`), for `jaeger`. */
  contextKey?: string;
  /** jaeger-client's `baggagePrefix` (default `uberctx-`), for `jaeger`. */
  baggagePrefix?: string;
  /**
   * `jaeger` with jaeger-client's HTTP headers codec (`true`, the default: baggage values
   * URL-encoded, as HTTP instrumentation needs) or its text map codec (`false`: values as they are).
   */
  urlEncoding?: boolean;
}

/** `OTEL_PROPAGATORS`' default (OpenTelemetry spec, "General SDK Configuration"). */
const DEFAULT_PROPAGATORS = 'tracecontext,baggage';

/**
 * One propagator for what `OTEL_PROPAGATORS` in `env` (default `process.env`) names, for
 * OpenTelemetry's own propagation: NodeSDK's `textMapPropagator` option or
 * `propagation.setGlobalPropagator`. Unset or blank means the specification's default,
 * `tracecontext,baggage`. The names and what each builds are those of `propagatorsFromEnv`
 * (`tracecontext`, `baggage`, `b3`, `b3multi`, `jaeger`, `none`); unknown names are warned about
 * through `diag` and skipped, and when nothing usable is left the propagator does nothing.
 *
 * `jaeger` is this package's `JaegerPropagator` (jaeger-client's `uber-trace-id`, `uberctx-*`,
 * `jaeger-debug-id` and `jaeger-baggage` headers), which OpenTelemetry JS 3.x no longer ships.
 * `tracecontext` and `baggage` need `@opentelemetry/core`, `b3` and `b3multi`
 * `@opentelemetry/propagator-b3`; each is loaded only when named (a missing one: `diag` error,
 * skipped). Never throws.
 *
 * ```js
 * const sdk = new NodeSDK({ textMapPropagator: propagatorFromEnv() }); // OTEL_PROPAGATORS=tracecontext,baggage,jaeger
 * ```
 */
export function propagatorFromEnv(env: Environment = process.env, options: PropagatorFromEnvOptions = {}): TextMapPropagator {
  const given = options ?? {};
  const listed = listVariable(env ?? {}, 'OTEL_PROPAGATORS').length === 0 ? { ...env, OTEL_PROPAGATORS: DEFAULT_PROPAGATORS } : env;
  const formats = propagatorsFromEnv(listed, { contextKey: given.contextKey, baggagePrefix: given.baggagePrefix });
  return (given.urlEncoding === false ? formats?.textMap : formats?.httpHeaders) ?? NOOP_PROPAGATOR;
}

/** The names `OTEL_PROPAGATORS` may use here, in the order the warning lists them. */
const SUPPORTED = ['tracecontext', 'baggage', 'jaeger', 'b3', 'b3multi', 'none'] as const;
type PropagatorName = (typeof SUPPORTED)[number];

/**
 * The propagators `OTEL_PROPAGATORS` names (OpenTelemetry specification, "Environment Variable
 * Specification", general SDK configuration): a comma-separated list, read case-insensitively
 * with blanks and repeats skipped; the listed propagators are combined in their order, and one
 * name alone gives that propagator alone (so `jaeger` alone gets `JaegerTracer`'s direct path).
 *
 * - `tracecontext`, `baggage`: W3C trace context and W3C baggage (`@opentelemetry/core`).
 * - `jaeger`: this package's `JaegerPropagator`, with jaeger-client's codec per format and
 *   `jaegerOptions` (`contextKey`, `baggagePrefix`), not `@opentelemetry/propagator-jaeger`,
 *   whose headers differ from jaeger-client's (docs/migrating-from-jaeger-client.md).
 * - `b3`, `b3multi`: `@opentelemetry/propagator-b3` (an optional peer dependency, loaded only
 *   when named), single-header or multi-header inject; both read either encoding.
 * - `none`: nothing is injected or extracted. Listed with other names, it is ignored with a
 *   `diag` warning (as `OTEL_TRACES_EXPORTER` reads `none`).
 *
 * Other names (`xray`, `ottrace`, typos) are ignored with a `diag` warning; so is `b3` when its
 * package cannot be loaded (`diag` error). When nothing usable is left, nothing is propagated,
 * as the OpenTelemetry JS SDK does, and a warning says so. Returns `undefined` when the variable
 * is unset or blank: the caller then applies its own default.
 */
export function propagatorsFromEnv(
  env: Environment,
  jaegerOptions: Pick<JaegerPropagatorOptions, 'contextKey' | 'baggagePrefix'>,
): FormatPropagators | undefined {
  const names = propagatorNames(env);
  if (names === undefined) return undefined;
  const b3 = names.includes('b3') || names.includes('b3multi') ? loadB3() : undefined;
  const w3c = names.includes('tracecontext') || names.includes('baggage') ? loadCore() : undefined;
  const build = (urlEncoding: boolean): TextMapPropagator => {
    const propagators: TextMapPropagator[] = [];
    for (const name of names) {
      const propagator = createPropagator(name, b3, w3c, { ...jaegerOptions, urlEncoding });
      if (propagator !== undefined) propagators.push(propagator);
    }
    if (propagators.length === 0) return NOOP_PROPAGATOR;
    return propagators.length === 1 ? propagators[0] : new (core().CompositePropagator)({ propagators });
  };
  const formats = { textMap: build(false), httpHeaders: build(true) };
  if (formats.httpHeaders === NOOP_PROPAGATOR && !(names.length === 1 && names[0] === 'none')) {
    logger.warn(`OTEL_PROPAGATORS names no propagator that could be built here; inject and extract do nothing`);
  }
  return formats;
}

/** A propagator that writes and reads nothing: `OTEL_PROPAGATORS=none`, a disabled tracer. */
export const NOOP_PROPAGATOR: TextMapPropagator = {
  inject() {},
  extract: (context) => context,
  fields: () => [],
};

/** The supported names `OTEL_PROPAGATORS` lists, warned about as `propagatorsFromEnv` says; `undefined` when unset. */
function propagatorNames(env: Environment): PropagatorName[] | undefined {
  const listed = listVariable(env, 'OTEL_PROPAGATORS');
  if (listed.length === 0) return undefined;
  const names: PropagatorName[] = [];
  for (const name of listed) {
    if ((SUPPORTED as readonly string[]).includes(name)) names.push(name as PropagatorName);
    else logger.warn(`OTEL_PROPAGATORS=${name} is not supported here (supported: ${SUPPORTED.join(', ')}); ignored`);
  }
  if (names.length > 1 && names.includes('none')) {
    logger.warn('OTEL_PROPAGATORS lists "none" with other propagators; "none" is ignored');
    return names.filter((name) => name !== 'none');
  }
  return names;
}

/** Loads the B3 propagator package, or reports (`diag` error) that it could not and gives `undefined`. */
function loadB3(): B3Module | undefined {
  return loadOrReport(loadB3Package, B3, 'b3', 'B3 headers');
}

/** Loads `@opentelemetry/core`, or reports (`diag` error) that it could not and gives `undefined`. */
function loadCore(): ReturnType<typeof core> | undefined {
  return loadOrReport(core, '@opentelemetry/core', 'tracecontext/baggage', 'W3C traceparent and baggage headers');
}

function loadOrReport<T>(load: () => T | undefined, name: string, asked: string, what: string): T | undefined {
  let problem = `Cannot find module '${name}'`;
  try {
    const loaded = load();
    if (loaded !== undefined) return loaded;
  } catch (error) {
    problem = describeError(error);
  }
  logger.error(
    `OTEL_PROPAGATORS=${asked} needs ${name}, which could not be loaded (${problem}); ${what} are neither written nor read. Install it: npm install ${name}`,
  );
  return undefined;
}

function createPropagator(
  name: PropagatorName,
  b3: B3Module | undefined,
  w3c: ReturnType<typeof core> | undefined,
  jaegerOptions: JaegerPropagatorOptions,
): TextMapPropagator | undefined {
  switch (name) {
    case 'tracecontext':
      return w3c === undefined ? undefined : new w3c.W3CTraceContextPropagator();
    case 'baggage':
      return w3c === undefined ? undefined : new w3c.W3CBaggagePropagator();
    case 'jaeger':
      return new JaegerPropagator(jaegerOptions);
    case 'b3':
      return b3 === undefined ? undefined : new b3.B3Propagator({ injectEncoding: b3.B3InjectEncoding.SINGLE_HEADER });
    case 'b3multi':
      return b3 === undefined ? undefined : new b3.B3Propagator({ injectEncoding: b3.B3InjectEncoding.MULTI_HEADER });
    case 'none':
      return undefined;
  }
}
