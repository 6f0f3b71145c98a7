import type { Attributes } from '@opentelemetry/api';
import { forEachEntry, isErrorLike, setAttributeOn, toAttributeValue } from './attributes';
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
import { describeError, warnOnce } from './logger';

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
    warnOnce('events.log.not-object', `log() expects an object of fields, got ${typeof fields}; recorded as a "message" field`);
    const message = toAttributeValue(fields);
    return { name: DEFAULT_EVENT_NAME, attributes: message === undefined ? {} : { message }, exceptionMessage: undefined };
  }
  let read = readLogFields(fields, false, undefined);
  if (read.count === 2 && read.hasEvent && read.hasPayload && isSpreadPayload(read.payload)) {
    read = readLogFields(read.payload as object, true, read.event);
  }
  if (read.event === 'error') return toExceptionEvent(read);
  return { name: read.eventName ?? DEFAULT_EVENT_NAME, attributes: read.attributes, exceptionMessage: undefined };
}

/** What one pass over a log's fields finds: the converted attributes and the fields with a meaning. */
interface LogFields {
  /** Every field with a value, converted, `event` included. */
  readonly attributes: Attributes;
  /** How many fields could be read, `undefined` and `null` ones included. */
  count: number;
  hasEvent: boolean;
  event: unknown;
  /** The `event` field as an attribute value, when it has one. */
  eventName: string | undefined;
  hasPayload: boolean;
  payload: unknown;
  errorObject: unknown;
  /** Set while a payload is read: its own `event` field is ignored. */
  spread: boolean;
}

/**
 * Reads each own enumerable field once (`forEachEntry`: a getter runs once, a throwing one is
 * skipped with a warning) and converts it; the one loop every log takes. With `spread` (the
 * `logEvent` payload case) `event` comes first and the object's own `event` field is ignored.
 */
function readLogFields(fields: object, spread: boolean, event: unknown): LogFields {
  const read: LogFields = {
    attributes: {},
    count: 0,
    hasEvent: false,
    event: undefined,
    eventName: undefined,
    hasPayload: false,
    payload: undefined,
    errorObject: undefined,
    spread: false,
  };
  if (spread) addLogField(read, LOG_EVENT, event);
  read.spread = spread;
  forEachEntry(fields, 'log() fields', addLogField, read);
  return read;
}

function addLogField(read: LogFields, key: string, value: unknown): void {
  if (read.spread && key === LOG_EVENT) return;
  read.count++;
  if (key === LOG_EVENT) {
    read.hasEvent = true;
    read.event = value;
  } else if (key === LOG_PAYLOAD) {
    read.hasPayload = true;
    read.payload = value;
  } else if (key === LOG_ERROR_OBJECT) {
    read.errorObject = value;
  }
  if (value === undefined || value === null) return;
  const converted = toAttributeValue(value);
  if (converted === undefined) return;
  if (key === LOG_EVENT) read.eventName = String(converted);
  setAttributeOn(read.attributes, key, converted);
}

/** Whether a `{ event, payload }` log's payload is spread into the fields (see `toLogEvent`). */
function isSpreadPayload(payload: unknown): boolean {
  // Reads a user object's prototype (a Proxy trap may throw): on failure the payload stays a field.
  try {
    return isPlainObject(payload);
  } catch (error) {
    warnOnce('events.logEvent.payload', `logEvent() payload could not be read; kept as the field "payload": ${describeError(error)}`);
    return false;
  }
}

/** An `event: 'error'` log as an OpenTelemetry exception event (see `toLogEvent`). */
function toExceptionEvent(read: LogFields): LogEvent {
  const fields = read.attributes;
  delete fields[LOG_EVENT];
  const attributes: Attributes = {};
  const fromError = exceptionFromError(read.errorObject);
  if (fromError !== undefined) {
    delete fields[LOG_ERROR_OBJECT];
    Object.assign(attributes, fromError);
  } else {
    moveField(fields, LOG_ERROR_KIND, attributes, ATTR_EXCEPTION_TYPE);
    moveField(fields, LOG_MESSAGE, attributes, ATTR_EXCEPTION_MESSAGE);
    moveField(fields, LOG_STACK, attributes, ATTR_EXCEPTION_STACKTRACE);
  }
  // Neither holds `__proto__` (refused when read), so assigning copies the fields as attributes.
  Object.assign(attributes, fields);
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
    warnOnce('events.error-object.unreadable', `the error.object of an error log could not be read: ${describeError(error)}`);
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Moves the converted field `from` to the attribute `to`. */
function moveField(fields: Attributes, from: string, attributes: Attributes, to: string): void {
  if (!hasOwn.call(fields, from)) return;
  attributes[to] = fields[from];
  delete fields[from];
}

const hasOwn = Object.prototype.hasOwnProperty;
