import { register as registerLoaderHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Hook as ImportHook } from 'import-in-the-middle';
import type { Namespace } from 'import-in-the-middle';
import { Hook as RequireHook } from 'require-in-the-middle';
import { describeError, logger } from '../logger';

/**
 * What to do with a package each time a copy of it is loaded: `exports` is its `module.exports`
 * (for an ES module, its namespace); the return value replaces it, or `undefined` keeps it.
 */
export type OnPackageLoad = (exports: Record<string, unknown>) => object | undefined;

/**
 * Runs `onLoad` for every copy of each named package the application loads from now on, by
 * `require` (CommonJS, `require-in-the-middle`) or by `import` (ES modules,
 * `import-in-the-middle`), as OpenTelemetry's instrumentations hook modules. A replacement
 * returned by `onLoad` is what `require()` returns and what `import` binds, its default export
 * and each named export the original has.
 *
 * For `import`, import-in-the-middle's loader hook is registered (`module.register`, Node
 * 18.19 / 20.6 and later) for these packages alone, so no other module is wrapped; it takes
 * effect for modules imported after this call, hence `--require` / `--import` before the
 * application. A CommonJS package imported by ES modules is loaded without `require`, so only
 * the loader hook sees it. `onLoad` may run twice for one copy (once per hook); it must be
 * idempotent. A throwing `onLoad` is reported through `diag` and the module is left as it is.
 */
export function hookPackages(onLoad: Map<string, OnPackageLoad>): void {
  const names = [...onLoad.keys()];
  new RequireHook(names, (exports, name) => {
    const replacement = run(onLoad.get(name), exports as unknown as Record<string, unknown>, name);
    return (replacement ?? exports) as typeof exports;
  });
  if (!registerImportLoader(names)) return;
  new ImportHook(names, (namespace: Namespace, name: string) => {
    const original = (namespace.default ?? namespace) as Record<string, unknown>;
    const replacement = run(onLoad.get(name), original, name);
    if (replacement === undefined || replacement === original) return undefined;
    for (const key of Object.keys(namespace)) {
      if (key !== 'default') namespace[key] = (replacement as Record<string, unknown>)[key];
    }
    // Returned, import-in-the-middle makes it the default export.
    return replacement;
  });
}

function run(onLoad: OnPackageLoad | undefined, exports: Record<string, unknown>, name: string): object | undefined {
  try {
    return onLoad?.(exports);
  } catch (error) {
    logger.error(`register: could not hook ${name}: ${describeError(error)}`);
    return undefined;
  }
}

/** import-in-the-middle's loader hook for `names` only; `false` where Node has no `module.register`. */
function registerImportLoader(names: string[]): boolean {
  if (typeof registerLoaderHooks !== 'function') {
    logger.warn('register: this Node has no module.register (18.19 / 20.6 and later), so ES module imports are not hooked');
    return false;
  }
  try {
    registerLoaderHooks('import-in-the-middle/hook.mjs', pathToFileURL(__filename), { data: { include: names } });
    return true;
  } catch (error) {
    logger.error(`register: the ES module loader hook could not be registered: ${describeError(error)}`);
    return false;
  }
}
