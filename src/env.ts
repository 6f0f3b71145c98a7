/**
 * Environment variables as `process.env` holds them. The entry points read only the `OTEL_*`
 * and `JAEGER_*` names they document; tests pass their own object for the same result anywhere.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A comma-separated list variable (`OTEL_TRACES_EXPORTER`, `OTEL_PROPAGATORS`) as the SDK reads
 * it: each name trimmed and lower-cased, blanks and repeats skipped, in order; `[]` when unset.
 */
export function listVariable(env: Environment, name: string): string[] {
  const names: string[] = [];
  for (const raw of (env[name] ?? '').split(',')) {
    const item = raw.trim().toLowerCase();
    if (item !== '' && !names.includes(item)) names.push(item);
  }
  return names;
}
