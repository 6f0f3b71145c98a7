import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(__dirname, 'fixtures/register');

/** What fixtures/register/hooks-app.{js,mjs} print. */
interface HooksReport {
  distinctCopies: boolean;
  top: string;
  nested: string;
  jaegerClientIsShim: boolean;
  topAfterAppInit: string;
  nestedAfterAppInit: string;
}

/**
 * How `opentracing-otel-shim/register` hooks module loading, seen from an application run as a
 * child process under `--require` / `--import` of the built package (dist/, `npm run build`):
 * two copies of `opentracing` (the top-level one and @risingstack/opentracing-auto's), and
 * `jaeger-client`, loaded by `require` and by `import`. `SpanShim` is this package's span class;
 * `Span` is opentracing's no-op one.
 */
describe('register: module hooks', () => {
  let library: string;

  beforeAll(() => {
    // An ES module library with its own copy of opentracing in its node_modules.
    library = mkdtempSync(join(tmpdir(), 'register-hooks-'));
    const home = join(library, 'node_modules/esm-library');
    mkdirSync(join(home, 'node_modules'), { recursive: true });
    writeFileSync(join(home, 'package.json'), JSON.stringify({ name: 'esm-library', type: 'module', exports: './index.js' }));
    writeFileSync(join(home, 'index.js'), "import * as opentracing from 'opentracing';\nexport { opentracing };\n");
    symlinkSync(join(ROOT, 'node_modules/@risingstack/opentracing-auto/node_modules/opentracing'), join(home, 'node_modules/opentracing'), 'dir');
  });

  afterAll(() => {
    rmSync(library, { recursive: true, force: true });
  });

  describe.each([
    ['hooks-app.js', '--require'],
    ['hooks-app.mjs', '--import'],
  ])('%s under %s', (app, flag) => {
    const run = (preload: boolean, env: Record<string, string> = {}) =>
      runProbe(join(FIXTURES, app), preload ? [flag, 'opentracing-otel-shim/register'] : [], {
        NESTED_OPENTRACING_LIBRARY: pathToFileURL(join(library, 'node_modules/esm-library/index.js')).href,
        ...env,
      });

    it('should make the shim the global tracer of every copy of opentracing, and jaeger-client this package', async () => {
      expect(await run(true)).toEqual({
        distinctCopies: true,
        top: 'SpanShim',
        nested: 'SpanShim',
        jaegerClientIsShim: true,
        topAfterAppInit: 'Span',
        nestedAfterAppInit: 'SpanShim',
      });
    });

    it('should leave every module as it is without register', async () => {
      expect(await run(false)).toMatchObject({ top: 'Span', nested: 'Span', jaegerClientIsShim: false });
    });

    it('should keep the real jaeger-client with OPENTRACING_OTEL_SHIM_REDIRECT_JAEGER_CLIENT=false', async () => {
      expect(await run(true, { OPENTRACING_OTEL_SHIM_REDIRECT_JAEGER_CLIENT: 'False' })).toMatchObject({ top: 'SpanShim', jaegerClientIsShim: false });
    });
  });
});

/** Runs the probe with `preloads` and `env` as its only OTEL_* variables besides exporting nothing; resolves with its report. */
function runProbe(file: string, preloads: string[], env: Record<string, string>): Promise<HooksReport> {
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_') && !key.startsWith('OPENTRACING_OTEL_SHIM_')) childEnv[key] = value;
  Object.assign(childEnv, { OTEL_TRACES_EXPORTER: 'none' }, env);
  return new Promise((resolveReport, reject) => {
    execFile(process.execPath, [...preloads, file], { cwd: ROOT, env: childEnv }, (error, stdout, stderr) => {
      if (error || stderr !== '') reject(new Error(`${file} failed: ${String(error)}\n${stderr}`));
      else resolveReport(JSON.parse(stdout) as HooksReport);
    });
  });
}
