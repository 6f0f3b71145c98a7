// Builds dist/: CommonJS + declarations with tsc, then thin ES module wrappers.
//
// Why wrappers instead of a second, ESM compilation: the shim's classes extend the
// user's `opentracing` classes and are recognised with `instanceof` (SpanContextShim in
// references, SpanShim in inject). Two compiled copies loaded in one process (one by
// `require`, one by `import`) would make those checks fail between them (the "dual
// package hazard"). Each wrapper re-exports the one CommonJS module instead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = ['index', 'jaeger/index', 'sdk/index', 'propagators/index'];
// Entry points that only run code (they export nothing): their ES module is an import of the
// CommonJS one, written without loading it, since loading it would run it here.
const sideEffectEntries = ['register/index'];

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});

const require = createRequire(import.meta.url);
for (const entry of entries) {
  const cjsFile = join(root, 'dist/cjs', `${entry}.js`);
  const names = Object.keys(require(cjsFile)).filter((n) => n !== '__esModule' && n !== 'default');
  const esmFile = join(root, 'dist/esm', `${entry}.mjs`);
  mkdirSync(dirname(esmFile), { recursive: true });
  const toCjs = relative(dirname(esmFile), cjsFile).split('\\').join('/');
  const toTypes = relative(dirname(esmFile), join(root, 'dist/types', `${entry}.js`))
    .split('\\')
    .join('/');
  writeFileSync(
    esmFile,
    `import cjs from '${toCjs.startsWith('.') ? toCjs : `./${toCjs}`}';\n` +
      `export const { ${names.join(', ')} } = cjs;\n` +
      // The default export is the whole module, as Node gives it for a CommonJS package, so that
      // `import shim from '...'` (which works with the CommonJS-only official shim) works here too.
      `export default cjs;\n`,
  );
  const typesPath = toTypes.startsWith('.') ? toTypes : `./${toTypes}`;
  writeFileSync(esmFile.replace(/\.mjs$/, '.d.mts'), `export * from '${typesPath}';\nimport * as cjs from '${typesPath}';\nexport default cjs;\n`);
}
for (const entry of sideEffectEntries) {
  const esmFile = join(root, 'dist/esm', `${entry}.mjs`);
  mkdirSync(dirname(esmFile), { recursive: true });
  const toCjs = relative(dirname(esmFile), join(root, 'dist/cjs', `${entry}.js`))
    .split('\\')
    .join('/');
  writeFileSync(esmFile, `import '${toCjs.startsWith('.') ? toCjs : `./${toCjs}`}';\n`);
  writeFileSync(esmFile.replace(/\.mjs$/, '.d.mts'), 'export {};\n');
}
