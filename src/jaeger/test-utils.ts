import type { AttributeValue } from '@opentelemetry/api';

/**
 * jaeger-client's `TestUtils` (src/test_util.js), for tests that check a span's tags. The span
 * is a reported one (`InMemoryReporter.spans[i]`, whose `_tags` hold the tags as jaeger-client
 * keeps them), or a live span of this package that has not finished, whose tags are read from
 * its OpenTelemetry span (attributes, as the SDK keeps them; this creates the OpenTelemetry span
 * if it did not exist yet). A finished live span has handed its data to the SDK: read it from
 * the reporter. For a span with neither, no tags. With duplicate keys the last value counts.
 */
export class TestUtils {
  /** Whether `span` has every tag of `expectedTags` with that exact value (`===`). */
  static hasTags(span: unknown, expectedTags: Record<string, unknown>): boolean {
    const actual = tagMap(span);
    for (const key of Object.keys(expectedTags ?? {})) {
      if (!actual.has(key) || actual.get(key) !== expectedTags[key]) return false;
    }
    return true;
  }

  /** The span's tags as an object, only those in `keys` when it is an array. */
  static getTags(span: unknown, keys?: string[]): Record<string, unknown> {
    const actual = tagMap(span);
    const tags: Record<string, unknown> = {};
    const wanted = Array.isArray(keys) ? new Set(keys) : undefined;
    for (const [key, value] of actual) if (wanted === undefined || wanted.has(key)) tags[key] = value;
    return tags;
  }
}

/** The span's tags; none, rather than an exception, for what cannot be read (a Proxy, a throwing getter). */
function tagMap(span: unknown): Map<string, unknown> {
  try {
    return readTags(span);
  } catch {
    return new Map();
  }
}

function readTags(span: unknown): Map<string, unknown> {
  const tags = new Map<string, unknown>();
  if (typeof span !== 'object' || span === null) return tags;
  const reported = (span as { _tags?: unknown })._tags;
  if (Array.isArray(reported)) {
    for (const tag of reported) if (typeof tag?.key === 'string') tags.set(tag.key, tag.value);
    return tags;
  }
  const getSpan = (span as { getSpan?: unknown }).getSpan;
  if (typeof getSpan !== 'function') return tags;
  const attributes = (getSpan.call(span) as { attributes?: Record<string, AttributeValue | undefined> }).attributes;
  if (typeof attributes !== 'object' || attributes === null) return tags;
  for (const key of Object.keys(attributes)) tags.set(key, attributes[key]);
  return tags;
}
