/**
 * Link attribute that records which OpenTracing reference a link came from; its value is
 * `child_of` or `follows_from` (OpenTelemetry specification, compatibility/opentracing.md,
 * "Start a new Span": every reference becomes a link carrying this attribute).
 */
export const LINK_REF_TYPE_ATTRIBUTE = 'opentracing.ref_type';

/** Name under which the shim obtains its tracer from a TracerProvider (OpenTelemetry spec). */
export const SHIM_TRACER_NAME = 'opentracing-shim';

/** OpenTracing tag names that the shim maps to OpenTelemetry concepts instead of attributes. */
export const TAG_SPAN_KIND = 'span.kind';
export const TAG_ERROR = 'error';

/** OpenTracing log field names with a meaning of their own (OpenTracing semantic conventions). */
export const LOG_EVENT = 'event';
export const LOG_ERROR_OBJECT = 'error.object';
export const LOG_ERROR_KIND = 'error.kind';
export const LOG_MESSAGE = 'message';
export const LOG_STACK = 'stack';
/** The field OpenTracing's `logEvent(name, payload)` puts its payload in. */
export const LOG_PAYLOAD = 'payload';

/**
 * OpenTelemetry exception event name and attribute keys (semantic conventions, exceptions).
 * Written out here because the core depends on `@opentelemetry/api` only.
 */
export const EXCEPTION_EVENT_NAME = 'exception';
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';

/** Event name of a `log()` call whose fields have no `event` key (OpenTelemetry spec). */
export const DEFAULT_EVENT_NAME = 'log';

/**
 * Longest string the shim makes from a non-primitive tag or log value (JSON of an object, a
 * function's name, ...), in UTF-16 code units; longer results are cut and end in `TRUNCATED`.
 * Plain strings are passed on whole: their limit is the SDK's `attributeValueLengthLimit`.
 */
export const MAX_CONVERTED_VALUE_LENGTH = 8192;
export const TRUNCATED = '...[truncated]';
