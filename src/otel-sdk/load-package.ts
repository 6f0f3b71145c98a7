/**
 * `require(name)` for an optional peer dependency: the module, or `undefined` when the package
 * itself is not installed. Any other failure (the package is there but throws while loading, or
 * one of its own dependencies is missing) is thrown, since hiding it would hide a broken install.
 *
 * This folder (src/otel-sdk/) is the only place that loads OpenTelemetry SDK packages, and it
 * loads them on first use, never at module load: what needs only `@opentelemetry/api` then
 * loads with only the api installed (eslint.config.mjs enforces the rule for imports).
 */
export function loadPackage<T>(name: string): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (error) {
    if (isNotFound(error, name)) return undefined;
    throw error;
  }
}

/** Whether `error` says that `name` itself (not a module it requires) cannot be found. */
function isNotFound(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.startsWith(`Cannot find module '${name}'`);
}
