// Installs the package as a new user would, with plain `npm install` (no --legacy-peer-deps, no
// --force) from the npm registry into fresh projects in a temp dir, and checks that nothing
// fails (issue 13, item 1):
//
// (a) the newest OpenTelemetry JS 3.x line, with npm running on Node 22 (npm picks each
//     package's version by the running Node's `engines`: on Node 20 it would pick the 2.x line):
//     sdk-node, api and opentracing, then the packed package, then auto-instrumentations-node;
// (b) the 2.x line (sdk-trace-base 2.12, sdk-node 0.2xx) on the machine's Node;
// (c) the `npm install` commands of README.md, docs/getting-started.md and
//     docs/migrating-from-jaeger-client.md, as written, in order, `opentracing-otel-shim`
//     replaced by the tarball: a ```sh block whose first line is `# OpenTelemetry JS 3.x ...` runs
//     on Node 22, any other on the machine's Node; each doc's blocks of one line share a project.
//
// A step fails when npm exits non-zero or reports ERESOLVE (also the warning of a peer conflict
// it overrode) or EBADENGINE (a package the running Node does not support). Each project must
// then pass `npm ls --all`, hold one @opentelemetry/api and one SDK line (3.x:
// @opentelemetry/sdk-trace 3.x and no sdk-trace-base; 2.x: only 2.x copies, and an api below
// 1.10 as their peer range says), and in (a) and (b) initTracer from
// `opentracing-otel-shim/jaeger` must export a span to the SDK's InMemorySpanExporter.
//
// Node 22 is the registry's `node-<platform>-<arch>` package (the one test/compat/sdk3 installs,
// reused when present), run with the machine's npm-cli.js. The npm cache and that Node are kept
// in OTSHIM_INSTALL_CACHE (default: <tmpdir>/opentracing-otel-shim-install-cache) so later runs
// are faster. The projects install side by side (OTSHIM_INSTALL_JOBS at a time, default 3: npm
// mostly waits for the registry) and are removed after a run that passed.
// OTSHIM_INSTALL_TARBALL=<path> tests that tarball instead of packing this checkout. Ends with
// `N passed, N failed`; exits 1 when a step failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = 'opentracing-otel-shim';
const DOCS = ['README.md', 'docs/getting-started.md', 'docs/migrating-from-jaeger-client.md'];
const NODE22 = '22.23.5';
// @opentelemetry/sdk-trace 3.x and sdk-node 0.3xx declare `engines: { node: '>=22.15' }`.
const NODE22_MINIMUM = [22, 15];
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const API = '@opentelemetry/api';
const SDK_TRACE = '@opentelemetry/sdk-trace';
const SDK_TRACE_BASE = '@opentelemetry/sdk-trace-base';

const npmCli = findNpmCli();
const shared = resolve(process.env.OTSHIM_INSTALL_CACHE || join(tmpdir(), 'opentracing-otel-shim-install-cache'));
const work = mkdtempSync(join(tmpdir(), 'opentracing-otel-shim-install-'));
const env = npmEnv(join(shared, 'npm'));
const jobs = Math.max(1, Number(process.env.OTSHIM_INSTALL_JOBS) || 3);
const results = { passed: 0, failed: 0 };
const started = Date.now();

async function main() {
  try {
    const setup = new Report();
    const [tarball, node22] = await Promise.all([packTarball(), findNode22()]);
    setup.record(tarball.error === undefined, `pack: ${tarball.detail ?? 'failed'}`, tarball.error);
    setup.record(node22.error === undefined, `Node ${NODE22_MINIMUM.join('.')}+ for the 3.x line: ${node22.detail ?? 'failed'}`, node22.error);
    setup.print();
    if (tarball.error === undefined && node22.error === undefined) {
      const projects = [
        (report) => testNewest3x(report, node22.value, tarball.value),
        (report) => test2x(report, process.execPath, tarball.value),
        ...docProjects(node22.value, process.execPath, tarball.value),
      ];
      for (const report of inPool(projects, jobs)) (await report).print();
    }
  } catch (error) {
    new Report().record(false, 'the test itself failed', error.stack).print();
  } finally {
    if (results.failed === 0) rmSync(work, { recursive: true, force: true });
    else console.log(`\nprojects kept for inspection in ${work}`);
    console.log(`\ntook ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(`${results.passed} passed, ${results.failed} failed`);
  }
  process.exitCode = results.failed === 0 ? 0 : 1;
}

// (a)
async function testNewest3x(report, node, tarball) {
  const project = await newProject(report, 'a-newest-3x', node, '(a) the newest OpenTelemetry JS 3.x line');
  await npmInstall(report, project, ['@opentelemetry/sdk-node', API, 'opentracing']);
  await npmInstall(report, project, [tarball]);
  await npmInstall(report, project, ['@opentelemetry/auto-instrumentations-node']);
  await checkTree(report, project, '3', { sdkRequired: true });
  await checkSpan(report, project, SDK_TRACE, '3');
}

// (b)
async function test2x(report, node, tarball) {
  const project = await newProject(report, 'b-2x', node, '(b) the OpenTelemetry JS 2.x line (sdk-trace-base 2.12, sdk-node 0.2xx)');
  await npmInstall(report, project, [`${SDK_TRACE_BASE}@2.12`, '@opentelemetry/sdk-node@^0.223.0', API, 'opentracing']);
  await npmInstall(report, project, [tarball]);
  await checkTree(report, project, '2', { sdkRequired: true });
  await checkSpan(report, project, SDK_TRACE_BASE, '2');
}

// (c): one project a doc and SDK line, and a last check that the docs were read at all.
function docProjects(node22, node20, tarball) {
  const projects = [];
  const notes = [];
  let commands = 0;
  for (const doc of DOCS) {
    const groups = new Map();
    for (const block of installBlocks(readFileSync(join(root, doc), 'utf8'))) {
      const line = block.line === '3' ? '3' : '2';
      if (!groups.has(line)) groups.set(line, []);
      groups.get(line).push(...block.commands);
    }
    if (groups.size === 0) notes.push(`(c) ${doc}: no npm install command`);
    for (const [line, lineCommands] of groups) {
      commands += lineCommands.length;
      const what = `(c) ${doc}, ${line === '3' ? 'the blocks marked 3.x' : 'the blocks marked 2.x or unmarked'}`;
      projects.push(async (report) => {
        const project = await newProject(report, `c-${basename(doc, '.md')}-${line}x`, line === '3' ? node22 : node20, what);
        for (const command of lineCommands) {
          const forbidden = command.args.filter((arg) => /^(--legacy-peer-deps|--force|-f)(=|$)/.test(arg));
          const args = command.args.map((arg) => (arg === PACKAGE || arg.startsWith(`${PACKAGE}@`) ? tarball : arg));
          await npmInstall(report, project, args, { label: `${doc}:${command.lineNumber}`, forbidden });
        }
        await checkTree(report, project, line, { sdkRequired: false });
      });
    }
  }
  projects.push(async (report) => {
    for (const note of notes) report.note(`\n== ${note} ==`);
    // A parser that finds nothing would pass every doc; the docs do hold install commands.
    report.record(commands > 0, `(c) found the docs' npm install commands (${commands})`);
  });
  return projects;
}

/**
 * The ```sh (bash, shell) blocks of a markdown text that hold `npm install` / `npm i` commands,
 * in order: `line` is '3' or '2' when the block's first line is `# OpenTelemetry JS 3.x ...` /
 * `# OpenTelemetry JS 2.x ...`, else undefined; `commands` are the install arguments after
 * `npm install`, with `\` continuations joined, comments dropped and `&&` / `;` chains split.
 */
function installBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(`{3,}|~{3,})\s*(sh|bash|shell|zsh)\s*$/.exec(lines[i]);
    if (open === null) continue;
    const fence = open[1];
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !isFenceClose(lines[j].trim(), fence); j++) body.push({ text: lines[j].trim(), lineNumber: j + 1 });
    const first = body.find((entry) => entry.text !== '');
    const marker = first && /^#\s*OpenTelemetry JS (\d+)\.x\b/i.exec(first.text);
    const commands = [];
    for (let k = 0; k < body.length; k++) {
      const { lineNumber } = body[k];
      let text = body[k].text;
      while (text.endsWith('\\') && k + 1 < body.length) text = `${text.slice(0, -1)} ${body[++k].text}`;
      for (const words of shellCommands(text)) {
        if (words[0] === 'npm' && ['install', 'i', 'add'].includes(words[1])) commands.push({ args: words.slice(2), lineNumber });
      }
    }
    if (commands.length > 0) blocks.push({ line: marker?.[1], commands });
    i = j;
  }
  return blocks;
}

/** Whether `line` closes a block opened by `fence` (CommonMark: the same character, at least as many). */
function isFenceClose(line, fence) {
  return line.length >= fence.length && line === fence[0].repeat(line.length);
}

/** The commands of one shell line as word lists: quotes removed, `# comment` dropped, split at `&&`, `||`, `;`. */
function shellCommands(text) {
  const commands = [[]];
  const word = /\s*(?:(&&|\|\||;)|(#.*)|((?:'[^']*'|"(?:\\.|[^"\\])*"|\\.|[^\s'";&|#])+))/gy;
  let match;
  while ((match = word.exec(text)) !== null && match[0] !== '') {
    if (match[2] !== undefined) break;
    if (match[1] !== undefined) commands.push([]);
    else
      commands
        .at(-1)
        .push(match[3].replace(/'([^']*)'|"((?:\\.|[^"\\])*)"|\\(.)/g, (_, single, double, escaped) => single ?? double?.replace(/\\(.)/g, '$1') ?? escaped));
  }
  return commands.filter((words) => words.length > 0);
}

/** A fresh project `name` in the work dir, whose npm runs on `node`. */
async function newProject(report, name, node, what) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`);
  const npmVersion = (await run(node, [npmCli, '--version'], { cwd: dir })).stdout.trim();
  const nodeVersion = (await run(node, ['--version'])).stdout.trim();
  report.note(`\n== ${what}: npm ${npmVersion} on Node ${nodeVersion} ==\n   project ${dir}`);
  return { dir, node };
}

async function npmInstall(report, project, args, { label, forbidden = [] } = {}) {
  const result = await run(project.node, [npmCli, 'install', ...args], { cwd: project.dir, timeout: INSTALL_TIMEOUT_MS });
  const output = `${result.stdout}\n${result.stderr}`;
  const problems = [];
  if (forbidden.length > 0) problems.push(`the command uses ${forbidden.join(' ')}`);
  if (result.status !== 0) problems.push(`exit ${result.status ?? result.signal}`);
  if (/\bERESOLVE\b/.test(output)) problems.push('ERESOLVE');
  if (/\bEBADENGINE\b/.test(output)) problems.push('EBADENGINE');
  const added = /^(?:added|removed|changed|up to date)[^\n]*/m.exec(result.stdout)?.[0];
  const outcome = problems.length === 0 ? (added ?? 'exit 0') : problems.join(', ');
  report.record(
    problems.length === 0,
    `${label === undefined ? '' : `${label}: `}npm install ${args.map(shellWord).join(' ')}  (${result.seconds} s; ${outcome})`,
    problems.length === 0 ? '' : output,
  );
}

/** `npm ls --all` is clean; one @opentelemetry/api; the SDK copies are all of `line`. */
async function checkTree(report, project, line, { sdkRequired }) {
  const ls = await run(project.node, [npmCli, 'ls', '--all'], { cwd: project.dir });
  report.record(ls.status === 0, `npm ls --all  (exit ${ls.status})`, ls.stderr);

  const selector = [API, SDK_TRACE, SDK_TRACE_BASE].map((name) => `[name="${name}"]`).join(', ');
  const query = await run(project.node, [npmCli, 'query', selector], { cwd: project.dir });
  let nodes;
  try {
    nodes = JSON.parse(query.stdout);
  } catch {
    report.record(false, `npm query '${selector}'  (exit ${query.status})`, `${query.stdout}\n${query.stderr}`);
    return;
  }
  const copies = (name) => nodes.filter((node) => node.name === name);
  const major = (node) => node.version.split('.')[0];
  const describe = (name) =>
    copies(name)
      .map((node) => `${node.version} (${node.location})`)
      .join(', ') || 'none';
  const api = copies(API);
  const sdk = [...copies(SDK_TRACE), ...copies(SDK_TRACE_BASE)];
  const expected = line === '3' ? SDK_TRACE : SDK_TRACE_BASE;
  const problems = [];
  if (api.length !== 1) problems.push(`${api.length} copies of ${API}`);
  if (sdkRequired && copies(expected).length === 0) problems.push(`no ${expected}`);
  if (line === '3' && copies(SDK_TRACE_BASE).length > 0) problems.push(`${SDK_TRACE_BASE} installed on the 3.x line`);
  const otherLine = sdk.filter((node) => major(node) !== line);
  if (otherLine.length > 0) problems.push(`SDK copies not of the ${line}.x line: ${otherLine.map((node) => `${node.name}@${node.version}`).join(', ')}`);
  // sdk-trace(-base) 2.x declare the peer `@opentelemetry/api: '>=1.3.0 <1.10.0'`.
  if (line === '2' && sdk.length > 0 && api.some((node) => !/^1\.[3-9]\./.test(node.version))) {
    problems.push(`${API} ${api.map((node) => node.version).join(', ')} not below 1.10`);
  }
  const summary = `${API}: ${describe(API)}; ${SDK_TRACE}: ${describe(SDK_TRACE)}; ${SDK_TRACE_BASE}: ${describe(SDK_TRACE_BASE)}`;
  report.record(problems.length === 0, `one ${API}, one SDK line (${line}.x)${problems.length === 0 ? '' : `: ${problems.join('; ')}`}\n       ${summary}`);
}

/** initTracer from the installed package exports one span to `exporterPackage`'s InMemorySpanExporter, on the SDK of `line`. */
async function checkSpan(report, project, exporterPackage, line) {
  const script = join(project.dir, 'check-span.cjs');
  writeFileSync(
    script,
    `'use strict';
const { initTracer } = require('${PACKAGE}/jaeger');
const { InMemorySpanExporter } = require(${JSON.stringify(exporterPackage)});
// tracer.close() shuts the exporter down, and InMemorySpanExporter.shutdown() forgets its spans.
class KeepingExporter extends InMemorySpanExporter {
  shutdown() {
    return Promise.resolve();
  }
}
const exporter = new KeepingExporter();
const tracer = initTracer({ serviceName: 'x', sampler: { type: 'const', param: 1 } }, { exporter });
tracer.startSpan('install-check').finish();
tracer.close((error) => {
  const sdk = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /^(.*[\\\\/]node_modules[\\\\/]@opentelemetry[\\\\/]sdk-trace(?:-base)?)[\\\\/]/.exec(file);
    if (match) sdk.add(match[1]);
  }
  console.log(JSON.stringify({
    error: error === undefined ? undefined : String(error),
    spans: exporter.getFinishedSpans().map((span) => ({ name: span.name, service: span.resource.attributes['service.name'], traceId: span.spanContext().traceId })),
    sdk: [...sdk].map((dir) => require(dir + '/package.json')).map((pkg) => pkg.name + '@' + pkg.version),
  }));
});
`,
  );
  const result = await run(project.node, [script], { cwd: project.dir, timeout: 60_000 });
  const what = `node check-span.cjs: initTracer({ serviceName: 'x', sampler: const 1 }, { exporter: ${exporterPackage} InMemorySpanExporter })`;
  let outcome;
  try {
    outcome = JSON.parse(result.stdout.trim().split('\n').at(-1));
  } catch {
    report.record(false, `${what}  (exit ${result.status})`, `${result.stdout}\n${result.stderr}`);
    return;
  }
  const [span] = outcome.spans;
  const problems = [];
  if (outcome.error !== undefined) problems.push(`close failed: ${outcome.error}`);
  if (outcome.spans.length !== 1 || span.name !== 'install-check' || span.service !== 'x' || !/^(?!0{32})[0-9a-f]{32}$/.test(span.traceId)) {
    problems.push(`exported ${JSON.stringify(outcome.spans)}`);
  }
  const otherLine = outcome.sdk.filter((pkg) => pkg.split('@').at(-1).split('.')[0] !== line);
  if (otherLine.length > 0) problems.push(`loaded SDK packages not of the ${line}.x line: ${otherLine.join(', ')}`);
  const found = `1 span 'install-check' of service x; SDK loaded: ${outcome.sdk.join(', ')}`;
  report.record(
    problems.length === 0,
    `${what}  (${result.seconds} s; ${problems.length === 0 ? found : problems.join('; ')})`,
    problems.length === 0 ? '' : result.stderr,
  );
}

/** `{ value: tarball path, detail }` or `{ error }`. */
async function packTarball() {
  if (process.env.OTSHIM_INSTALL_TARBALL) {
    const tarball = resolve(process.env.OTSHIM_INSTALL_TARBALL);
    return existsSync(tarball) ? { value: tarball, detail: `OTSHIM_INSTALL_TARBALL=${tarball}` } : { error: `no file ${tarball}` };
  }
  const build = await run(process.execPath, [npmCli, 'run', 'build'], { cwd: root, timeout: INSTALL_TIMEOUT_MS });
  if (build.status !== 0) return { error: `npm run build: exit ${build.status}\n${build.stdout}\n${build.stderr}` };
  const destination = join(work, 'pack');
  mkdirSync(destination);
  // --ignore-scripts: the prepack script would run the build just done again.
  const pack = await run(process.execPath, [npmCli, 'pack', '--json', '--ignore-scripts', '--pack-destination', destination], { cwd: root });
  if (pack.status !== 0) return { error: `npm pack: exit ${pack.status}\n${pack.stderr}` };
  const tarball = join(destination, JSON.parse(pack.stdout)[0].filename);
  return { value: tarball, detail: `npm run build (${build.seconds} s), npm pack: ${tarball}` };
}

/** A Node that satisfies the 3.x line's `engines`: this one if it does, else the registry's binary package. */
async function findNode22() {
  if (atLeast(process.versions.node, NODE22_MINIMUM)) return { value: process.execPath, detail: `this Node, ${process.version}` };
  const name = `node-${process.platform}-${process.arch}`;
  const candidates = [join(root, 'test/compat/sdk3/node_modules', name, 'bin/node'), join(shared, 'node', 'node_modules', name, 'bin/node')];
  const version = async (path) => (existsSync(path) ? (await run(path, ['--version'])).stdout.trim() : '');
  for (const path of candidates) {
    const found = await version(path);
    if (atLeast(found.replace(/^v/, ''), NODE22_MINIMUM)) return { value: path, detail: `${path} (${found})` };
  }
  const dir = join(shared, 'node');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "node22", "version": "1.0.0", "private": true }\n');
  const install = await run(process.execPath, [npmCli, 'install', `${name}@${NODE22}`], { cwd: dir, timeout: INSTALL_TIMEOUT_MS });
  const installed = await version(candidates[1]);
  if (install.status !== 0 || !atLeast(installed.replace(/^v/, ''), NODE22_MINIMUM)) {
    return { error: `npm install ${name}@${NODE22}: exit ${install.status}, node --version: ${installed || 'none'}\n${install.stderr}` };
  }
  return { value: candidates[1], detail: `npm install ${name}@${NODE22} (${install.seconds} s) into ${dir}: ${installed}` };
}

/** What one project printed and checked; printed as a block so projects installing side by side do not interleave. */
class Report {
  constructor() {
    this._lines = [];
  }

  note(text) {
    this._lines.push(text);
    return this;
  }

  /** Counts a check and notes `PASS line` or `FAIL line` and, on failure, `output` (npm's). */
  record(ok, line, output = '') {
    results[ok ? 'passed' : 'failed']++;
    this._lines.push(`${ok ? 'PASS' : 'FAIL'} ${line}`);
    if (ok || output.trim() === '') return this;
    // npm repeats some warnings once per package (`npm warn ERESOLVE overriding peer dependency`).
    const lines = [];
    for (const text of output.trim().split('\n')) {
      const last = lines.at(-1);
      if (last?.text === text) last.count++;
      else lines.push({ text, count: 1 });
    }
    this._lines.push(lines.map(({ text, count }) => `       | ${text}${count > 1 ? `  (${count} times)` : ''}`).join('\n'));
    return this;
  }

  print() {
    if (this._lines.length > 0) console.log(this._lines.join('\n'));
  }
}

/** Runs `tasks` (each given a fresh Report), `size` at a time; returns their reports' promises, in order. */
function inPool(tasks, size) {
  const settled = tasks.map(() => withResolvers());
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const report = new Report();
      try {
        await tasks[i](report);
      } catch (error) {
        report.record(false, 'the test itself failed', error.stack);
      }
      settled[i].resolve(report);
    }
  };
  for (let k = 0; k < Math.min(size, tasks.length); k++) void worker();
  return settled.map(({ promise }) => promise);
}

/** Promise.withResolvers, which Node 20 lacks. */
function withResolvers() {
  let resolvePromise;
  const promise = new Promise((resolveFn) => (resolvePromise = resolveFn));
  return { promise, resolve: resolvePromise };
}

/** Runs `command` with the npm environment; resolves `{ status, signal, stdout, stderr, seconds }`, never rejects. */
function run(command, args, { cwd = work, timeout = 120_000 } = {}) {
  const start = Date.now();
  return new Promise((resolveRun) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (status, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolveRun({ status, signal, stdout, stderr, seconds: ((Date.now() - start) / 1000).toFixed(1) });
    };
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeout / 1000} s)`;
      child.kill('SIGKILL');
    }, timeout);
    child.stdout.setEncoding('utf8').on('data', (data) => (stdout += data));
    child.stderr.setEncoding('utf8').on('data', (data) => (stderr += data));
    child.on('error', (error) => {
      stderr += `\n${error.message}`;
      finish(null, null);
    });
    child.on('close', finish);
  });
}

/**
 * The environment of every npm run: a new user's, whatever this process inherited. npm passes
 * its configuration on as npm_* variables (`npm run` sets them for its scripts), and a
 * legacy-peer-deps or force in a user or global npmrc would hide the very ERESOLVE this test
 * looks for; the registry, proxy and certificate settings are kept.
 */
function npmEnv(cache) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...clean,
    npm_config_cache: cache,
    npm_config_legacy_peer_deps: 'false',
    npm_config_strict_peer_deps: 'false',
    npm_config_force: 'false',
    npm_config_engine_strict: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** The machine's npm as a script, so it can run on another Node. */
function findNpmCli() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js'),
    join(dirname(process.execPath), 'node_modules/npm/bin/npm-cli.js'),
  ];
  const usable = (path) => path && basename(path) === 'npm-cli.js' && existsSync(path);
  if (candidates.some(usable)) return candidates.find(usable);
  const globalRoot = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['root', '-g'], { encoding: 'utf8', shell: process.platform === 'win32' });
  const fromRoot = join(globalRoot.stdout?.trim() ?? '', 'npm/bin/npm-cli.js');
  if (globalRoot.status === 0 && usable(fromRoot)) return fromRoot;
  throw new Error(`npm-cli.js not found (tried ${[...candidates, fromRoot].filter(Boolean).join(', ')})`);
}

/** `word` as a shell would need it written: quoted when it holds a space or a character such as `<`. */
function shellWord(word) {
  return /^[\w@%+=:,./^~-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** Whether the version string `version` is at least `major.minor`. */
function atLeast(version, [major, minor]) {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

// Last, as Report, a class, exists only from its declaration on.
await main();
