// Runs the core behaviour tests against the OpenTelemetry JS SDK 3.x line (api 1.10,
// @opentelemetry/sdk-trace 3.x): test/compat/sdk3 is a small project with its own lock file, so
// those packages never mix with the 2.x ones the main suite uses. Installs it with `npm ci` when
// its node_modules is missing or older than its lock file, then runs jest with its config.
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
execFileSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '-c', join(project, 'jest.config.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
