import * as api from '@opentelemetry/api';
import type { AttributeValue, SpanKind } from '@opentelemetry/api';
import { isRefusedKey, toAttributeValue } from './attributes';
import { TAG_ERROR, TAG_SPAN_KIND } from './constants';
import { toSpanKind } from './span-kind';

// Read once: the api's CommonJS exports are getters (see eslint.config.mjs, issue 17).
const { SpanStatusCode } = api;

/**
 * What one OpenTracing tag does to an OpenTelemetry span (`toTagEffect`):
 * - `kind`: the span's SpanKind, while the span can still take one; once its OpenTelemetry
 *   span exists the same tag is kept as the attribute `span.kind` with the value `value`;
 * - `status`: the span's status at finish (`ERROR` or `OK`); the last `error` tag wins;
 * - `attribute`: an attribute `value` under the tag's key.
 */
export type TagEffect =
  | { readonly type: 'kind'; readonly kind: SpanKind; readonly value: string }
  | { readonly type: 'status'; readonly code: api.SpanStatusCode.ERROR | api.SpanStatusCode.OK }
  | { readonly type: 'attribute'; readonly value: AttributeValue };

const ERROR_STATUS: TagEffect = Object.freeze({ type: 'status', code: SpanStatusCode.ERROR });
const OK_STATUS: TagEffect = Object.freeze({ type: 'status', code: SpanStatusCode.OK });

/**
 * The rule for one OpenTracing tag, the same for tags given at start, `addTags` and `setTag`
 * (OpenTelemetry specification, compatibility/opentracing.md, "Set Tag"; docs/mapping.md):
 *
 * - `span.kind` with `client`, `server`, `producer` or `consumer` (any case): a `kind` effect
 *   (`toSpanKind`); any other value is an ordinary attribute;
 * - `error`: `true` or `"true"` -> status `ERROR`, `false` or `"false"` -> status `OK`; any other
 *   value is an ordinary attribute;
 * - any other key: an attribute, the value converted by `toAttributeValue`.
 *
 * Returns `undefined`, nothing to do, for an `undefined` or `null` value (OpenTracing leaves the
 * tag unset) and for the key `__proto__` (refused with a `diag` warning: set on an attributes
 * object it would replace the object's prototype). Never throws.
 *
 * @param key the tag key, already a string.
 * @param value the tag value as the caller gave it.
 */
export function toTagEffect(key: string, value: unknown): TagEffect | undefined {
  if (value === undefined || value === null || isRefusedKey(key)) return undefined;
  if (key === TAG_SPAN_KIND) {
    const kind = toSpanKind(value);
    if (kind !== undefined) return { type: 'kind', kind, value: value as string };
  } else if (key === TAG_ERROR) {
    if (value === true || value === 'true') return ERROR_STATUS;
    if (value === false || value === 'false') return OK_STATUS;
  }
  const attribute = toAttributeValue(value);
  return attribute === undefined ? undefined : { type: 'attribute', value: attribute };
}
