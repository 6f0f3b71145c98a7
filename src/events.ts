import type { Attributes } from '@opentelemetry/api';
import { isErrorLike, readEntries, setAttributeOn, toAttributeValue } from './attributes';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  DEFAULT_EVENT_NAME,
  EXCEPTION_EVENT_NAME,
  LOG_ERROR_KIND,
  LOG_ERROR_OBJECT,
  LOG_EVENT,
  LOG_MESSAGE,
  LOG_PAYLOAD,
  LOG_STACK,
} from './constants';
import { describeError, logger } from './logger';

/** An OpenTelemetry event made from one OpenTracing `log()` call. */
export interface LogEvent {
  /** Event name: the `event` field, `"exception"` for error logs, else `"log"`. */
  readonly name: string;
  /** The fields, converted by `toAttributeValue` (for error logs: all but `event` and the Error). */
  readonly attributes: Attributes;
  /**
   * For error logs, the exception message: it becomes the span's status description when the
   * span ends with status Error.
   */
  readonly exceptionMessage: string | undefined;
}

/**
 * Translates the fields of an OpenTracing `log(fields)` call into an OpenTelemetry event
 * (OpenTelemetry specification, compatibility/opentracing.md, "Log"):
 *
 * - `event: 'error'` with an Error (duck-typed, any realm) in `error.object`: an `exception`
 *   event with `exception.type` (the Error's `name`), `exception.message` and
 *   `exception.stacktrace` taken from the Error, plus every other field as an attribute;
 *   this is what Record Exception produces, done by hand because the API's `recordException`
 *   cannot carry the other fields;
 * - `event: 'error'` without one: an `exception` event with `error.kind` -> `exception.type`,
 *   `message` -> `exception.message`, `stack` -> `exception.stacktrace`, other fields kept;
 * - otherwise an event named by `event` (a non-string is converted to a string), or `"log"`,
 *   with every field as an attribute, `event` included: the specification adds the event "with
 *   the specified key/value pairs set as Event attributes", and the official JS and Java shims
 *   keep it too.
 *
 * OpenTracing's deprecated `logEvent(name, payload)` reaches here as `{ event, payload }`: a
 * plain-object payload's fields become the attributes (the `event` name wins over a payload
 * field of that name), because logged as one `payload` field they would end up as one JSON
 * string; any other payload stays the field `payload`.
 *
 * Fields whose value is `undefined` or `null` are skipped. A field whose getter throws is
 * skipped with a `diag` warning. Non-object `fields` (a bare string, say) are kept as an event
 * `"log"` with a `message` attribute, with a warning, rather than lost.
 */
export function toLogEvent(fields: unknown): LogEvent {
  if (typeof fields !== 'object' || fields === null) {
    logger.warn(`log() expects an object of fields, got ${typeof fields}; recorded as a "message" field`);
    const message = toAttributeValue(fields);
    return { name: DEFAULT_EVENT_NAME, attributes: message === undefined ? {} : { message }, exceptionMessage: undefined };
  }
  const plain = toPlainEvent(fields as Record<string, unknown>);
  if (plain !== undefined) return plain;
  const values = readFields(fields as Record<string, unknown>);
  // Both read user objects (prototypes, Error getters, Proxies) that may throw; on failure the
  // fields are kept as a plain event rather than lost.
  try {
    spreadLogEventPayload(values);
  } catch (error) {
    logger.warn(`logEvent() payload could not be read; kept as the field "payload": ${describeError(error)}`);
  }
  const event = values.get(LOG_EVENT);
  if (event === 'error') {
    values.delete(LOG_EVENT);
    return toExceptionEvent(values);
  }
  const attributes: Attributes = {};
  copyAttributes(values, attributes);
  const name = event === undefined ? DEFAULT_EVENT_NAME : String(toAttributeValue(event) ?? DEFAULT_EVENT_NAME);
  return { name, attributes, exceptionMessage: undefined };
}

/**
 * The common case in one pass, the same result as the general path: no error event and no
 * `payload` field. `undefined` for anything else, and when a field cannot be read, so that the
 * general path handles it (and warns).
 */
function toPlainEvent(fields: Record<string, unknown>): LogEvent | undefined {
  let keys: string[];
  try {
    keys = Object.keys(fields);
  } catch {
    return undefined;
  }
  const attributes: Attributes = {};
  let name = DEFAULT_EVENT_NAME;
  for (const key of keys) {
    if (key === LOG_PAYLOAD) return undefined;
    let value: unknown;
    try {
      value = fields[key];
    } catch {
      return undefined;
    }
    if (value === undefined || value === null) continue;
    const converted = toAttributeValue(value);
    if (key === LOG_EVENT) {
      if (value === 'error') return undefined;
      name = String(converted ?? DEFAULT_EVENT_NAME);
    }
    if (converted !== undefined) setAttributeOn(attributes, key, converted);
  }
  return { name, attributes, exceptionMessage: undefined };
}

function toExceptionEvent(values: Map<string, unknown>): LogEvent {
  const attributes: Attributes = {};
  const fromError = exceptionFromError(values.get(LOG_ERROR_OBJECT));
  if (fromError !== undefined) {
    values.delete(LOG_ERROR_OBJECT);
    Object.assign(attributes, fromError);
  } else {
    moveField(values, LOG_ERROR_KIND, attributes, ATTR_EXCEPTION_TYPE);
    moveField(values, LOG_MESSAGE, attributes, ATTR_EXCEPTION_MESSAGE);
    moveField(values, LOG_STACK, attributes, ATTR_EXCEPTION_STACKTRACE);
  }
  copyAttributes(values, attributes);
  const message = attributes[ATTR_EXCEPTION_MESSAGE];
  return {
    name: EXCEPTION_EVENT_NAME,
    attributes,
    exceptionMessage: typeof message === 'string' ? message : undefined,
  };
}

/**
 * The `exception.*` attributes of an Error (any realm), or `undefined` when `value` is not one
 * or cannot be read (getters or Proxy traps that throw: `diag` warning); the log's other fields
 * then describe the exception.
 */
function exceptionFromError(value: unknown): Attributes | undefined {
  try {
    if (!isErrorLike(value)) return undefined;
    const attributes: Attributes = {};
    attributes[ATTR_EXCEPTION_TYPE] = typeof value.name === 'string' && value.name !== '' ? value.name : 'Error';
    attributes[ATTR_EXCEPTION_MESSAGE] = value.message;
    if (typeof value.stack === 'string') attributes[ATTR_EXCEPTION_STACKTRACE] = value.stack;
    return attributes;
  } catch (error) {
    logger.warn(`the error.object of an error log could not be read: ${describeError(error)}`);
    return undefined;
  }
}

/** `{ event, payload: {...} }` (see `toLogEvent`) -> `{ ...payload, event }`, in place. */
function spreadLogEventPayload(values: Map<string, unknown>): void {
  const payload = values.get(LOG_PAYLOAD);
  if (values.size !== 2 || !values.has(LOG_EVENT) || !isPlainObject(payload)) return;
  values.delete(LOG_PAYLOAD);
  for (const [key, value] of readFields(payload)) {
    if (key !== LOG_EVENT) values.set(key, value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function moveField(values: Map<string, unknown>, from: string, attributes: Attributes, to: string): void {
  if (!values.has(from)) return;
  const value = toAttributeValue(values.get(from));
  values.delete(from);
  if (value !== undefined) attributes[to] = value;
}

function copyAttributes(values: Map<string, unknown>, attributes: Attributes): void {
  for (const [key, raw] of values) {
    const value = toAttributeValue(raw);
    if (value !== undefined) setAttributeOn(attributes, key, value);
  }
}

/** Reads each own enumerable field once (`readEntries`): a getter runs once, a throwing one is skipped. */
function readFields(fields: Record<string, unknown>): Map<string, unknown> {
  return new Map(readEntries(fields, 'log() fields'));
}
