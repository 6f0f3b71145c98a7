import { describeValue } from '../attributes';
import { logger } from '../logger';
import { JAEGER_BAGGAGE_HEADER_PREFIX, JAEGER_TRACE_HEADER } from './constants';

/** Configuration of a {@link JaegerPropagator}; the names are jaeger-client's codec options. */
export interface JaegerPropagatorOptions {
  /**
   * `true` behaves like jaeger-client's FORMAT_HTTP_HEADERS codec: baggage values are written
   * with `encodeURIComponent`, and every value read that contains `%` is URL-decoded. `false`
   * (the default) behaves like its FORMAT_TEXT_MAP codec: values are written and read as they are.
   */
  readonly urlEncoding?: boolean;
  /**
   * Carrier key of the span context; default `uber-trace-id`. Lower-cased like jaeger-client. A
   * value that is not a string, or not an HTTP header name (an RFC 9110 token: no CR, LF, space,
   * `:` and the like, which would split a header or make `setHeader` throw), is reported through
   * `diag` and replaced by the default.
   */
  readonly contextKey?: string;
  /** Prefix of baggage keys, dash included; default `uberctx-`. Lower-cased and checked as `contextKey`. */
  readonly baggagePrefix?: string;
}

/** {@link JaegerPropagatorOptions} after checking: every field set. */
export interface ResolvedJaegerOptions {
  readonly urlEncoding: boolean;
  /** Lower case, an HTTP token. */
  readonly contextKey: string;
  /** Lower case, an HTTP token. */
  readonly baggagePrefix: string;
}

/** RFC 9110 section 5.6.2 `token`: what Node's `setHeader` and fetch's `Headers` accept as a name. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/i;

/**
 * The options as jaeger-client's codecs read them, checked; a bad carrier key is reported
 * through `diag` and replaced by its default. Never throws, also for `options` that are not an
 * object.
 */
export function resolveJaegerOptions(options: JaegerPropagatorOptions | undefined): ResolvedJaegerOptions {
  return {
    urlEncoding: options?.urlEncoding === true,
    contextKey: carrierKeyOption('contextKey', options?.contextKey, JAEGER_TRACE_HEADER),
    baggagePrefix: carrierKeyOption('baggagePrefix', options?.baggagePrefix, JAEGER_BAGGAGE_HEADER_PREFIX),
  };
}

/**
 * A carrier key option, lower-cased. jaeger-client takes `options.x || default`, so an empty
 * string also means the default; it throws for a value that is not a string (`toLowerCase`), and
 * writes any string as a header name, CR, LF and spaces included, where Node's `setHeader` throws
 * or the header splits. Here such a value is reported through `diag` and the default is used.
 */
function carrierKeyOption(name: string, value: unknown, fallback: string): string {
  if (!value) return fallback;
  if (typeof value === 'string' && HTTP_TOKEN.test(value)) return value.toLowerCase();
  const problem =
    typeof value === 'string'
      ? `must be an HTTP header name (letters, digits and !#$%&'*+-.^_\`|~), got ${JSON.stringify(value)}`
      : `must be a string, got ${describeValue(value)}`;
  logger.warn(`JaegerPropagator: ${name} ${problem}; ${JSON.stringify(fallback)} is used`);
  return fallback;
}
