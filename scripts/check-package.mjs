// Checks the package as npm would publish it: packs dist/ once (build first: `npm run build`),
// then lints that tarball with publint (strict: warnings fail too) and with Are the Types Wrong
// (attw, its default "strict" profile: node10, node16 from CJS and from ESM, bundler). Exits
// non-zero when either reports a problem. Needs no network.
//
// Why the strict attw profile, node10 included: the ES module entry points are thin wrappers
// that re-export the one CommonJS build (scripts/build.mjs explains why), and attw checks that
// each resolution sees matching JavaScript and types, so no rule needs ignoring. node10 is
// TypeScript's `moduleResolution: node`, the default of `module: commonjs`: the setting of many
// older CommonJS services, the very codebases that still run jaeger-client and OpenTracing.
// TypeScript ignores "exports" there, so the subpaths need "typesVersions" in package.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const attw = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist/index.js');

const work = mkdtempSync(join(tmpdir(), 'otshim-check-package-'));
let failed = false;
try {
  // --ignore-scripts: check what dist/ holds; a prepack script must not rebuild it here.
  const packed = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [{ filename, files }] = JSON.parse(packed);
  const tarball = join(work, filename);
  console.log(`packed ${filename}: ${files.length} files`);

  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    strict: true,
  });
  console.log(`\npublint (strict): ${messages.length === 0 ? 'no problems' : `${messages.length} problem(s)`}`);
  for (const message of messages) {
    console.log(`  ${message.type}: ${formatMessage(message, pkg, { color: false })}`);
    // strict makes warnings errors; suggestions stay advice and are only printed.
    if (message.type !== 'suggestion') failed = true;
  }

  // --no-definitely-typed: the package ships its own types; do not look up @types on npm.
  console.log('\nattw (profile strict):');
  try {
    execFileSync(process.execPath, [attw, tarball, '--no-definitely-typed', '--format', 'table-flipped', '--no-color'], { stdio: 'inherit' });
  } catch {
    failed = true;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.error('\ncheck-package: problems found (see above)');
  process.exitCode = 1;
}
