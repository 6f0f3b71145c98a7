'use strict';
// Where the time goes: runs one variant of one or more scenarios in a loop under
// `node --cpu-prof` (one child process each, profiles written to the OS temp directory, never
// into the repository), then reads each .cpuprofile and prints self time by package and the
// functions that cost most, self and inclusive, as shares and as microseconds per operation.
// With --against, the same scenario is profiled through a second variant and the difference
// per operation is printed: what the first variant adds, function by function. Needs
// `npm run build` first.
//
//   node bench/profile.js                            every scenario, variant "shim"
//   node bench/profile.js a b c e --against native   what the shim adds to the floor
//   node bench/profile.js d --against "shim W3C+Jaeger" --seconds 8
//   node bench/profile.js a --variant official
//   node bench/profile.js --summarize /tmp/x.cpuprofile
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DEFAULT_SECONDS = 4;
const TOP = 18;

function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return runChild(args[1], args[2], Number(args[3]), args[4]);
  if (args[0] === '--summarize') return void args.slice(1).forEach((file) => printSummary({ file, ...summarize(readProfile(file), readWindow(file)) }, file));

  const { SCENARIOS } = require('./scenarios');
  const variant = optionValue(args, '--variant') ?? 'shim';
  const against = optionValue(args, '--against');
  const seconds = Number(optionValue(args, '--seconds') ?? DEFAULT_SECONDS);
  const wanted = args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const scenarios = SCENARIOS.filter(
    (s) => (wanted.length === 0 || wanted.includes(s.id)) && variant in s.variants && (against === undefined || against in s.variants),
  );
  if (scenarios.length === 0) throw new Error(`no scenario has the variant "${variant}"${against === undefined ? '' : ` and "${against}"`}`);

  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'otshim-profile-'));
  const summaries = {};
  for (const scenario of scenarios) {
    const title = `(${scenario.id}) ${scenario.title}`;
    const summary = profileVariant(directory, scenario, variant, seconds);
    printSummary(summary, `${title}, ${variant}`);
    summaries[`${scenario.id}:${variant}`] = summary;
    if (against !== undefined) {
      const baseline = profileVariant(directory, scenario, against, seconds);
      printSummary(baseline, `${title}, ${against}`);
      printDifference(summary, baseline, `${title}: what ${variant} adds to ${against}, per operation`);
      summaries[`${scenario.id}:${against}`] = baseline;
    }
  }
  fs.writeFileSync(path.join(directory, 'summary.json'), JSON.stringify(summaries, null, 2));
  console.log(`\nProfiles and summary.json in ${directory}`);
}

/** Runs one variant of a scenario in a child process under --cpu-prof; its summary. */
function profileVariant(directory, scenario, variant, seconds) {
  const name = `${scenario.id}-${variant.replace(/\W+/g, '_')}`;
  const file = path.join(directory, `${name}.cpuprofile`);
  const child = spawnSync(
    process.execPath,
    [
      ...['--cpu-prof', '--cpu-prof-dir', directory, '--cpu-prof-name', `${name}.cpuprofile`, '--cpu-prof-interval', '100'],
      ...[__filename, '--child', scenario.id, variant, String(seconds), windowFile(file)],
    ],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) throw new Error(`profiling (${scenario.id}) ${variant} failed`);
  return { file, ...summarize(readProfile(file), readWindow(file)) };
}

/**
 * The profiled process: warms the operation up, then runs it for `seconds` and records that
 * window (the profile's clock: monotonic microseconds), so start-up and warm-up are left out.
 */
async function runChild(scenarioId, variant, seconds, windowPath) {
  const { createEnvironment, closeEnvironment } = require('./setup');
  const { SCENARIOS } = require('./scenarios');
  const env = createEnvironment();
  const op = SCENARIOS.find((s) => s.id === scenarioId).variants[variant](env);
  const immediate = () => new Promise((resolve) => setImmediate(resolve));
  const runFor = async (ms) => {
    let operations = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let i = 0; i < 200; i++) op();
      operations += 200;
      await immediate();
    }
    return operations;
  };
  await runFor(1000);
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const operations = await runFor(seconds * 1000);
  const endUs = Number(process.hrtime.bigint() / 1000n);
  fs.writeFileSync(windowPath, JSON.stringify({ startUs, endUs, operations }));
  await closeEnvironment(env);
}

function readProfile(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const windowFile = (profileFile) => profileFile.replace(/\.cpuprofile$/, '.window.json');

function readWindow(profileFile) {
  try {
    return JSON.parse(fs.readFileSync(windowFile(profileFile), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Self time per function (the time samples spent in it) and inclusive time (samples with it
 * anywhere on the stack, counted once per sample), in microseconds from the profile's own
 * time deltas; and self time per package.
 */
function summarize(profile, window) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const self = new Map();
  const inclusive = new Map();
  const packages = new Map();
  let total = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (delta <= 0 || (window !== undefined && (at < window.startUs || at > window.endUs))) continue;
    let node = byId.get(profile.samples[i]);
    const frame = describe(node.callFrame);
    if (frame.category === 'idle') continue;
    total += delta;
    add(self, frame.key, delta, frame);
    add(packages, frame.category, delta);
    const seen = new Set();
    for (; node !== undefined; node = byId.get(parentOf.get(node.id))) {
      const onStack = describe(node.callFrame);
      if (onStack.category === 'root' || seen.has(onStack.key)) continue;
      seen.add(onStack.key);
      add(inclusive, onStack.key, delta, onStack);
    }
  }
  const share = (us) => Math.round((1000 * us) / total) / 10;
  // Sampled main-thread time per operation; only known when the window (and its count) is.
  const perOp = (us) => (window === undefined ? undefined : Math.round((1000 * us) / window.operations) / 1000);
  const rows = (map) =>
    [...map.values()]
      .sort((a, b) => b.us - a.us)
      .map((entry) => ({ function: entry.key, package: entry.category, percent: share(entry.us), usPerOp: perOp(entry.us) }));
  return {
    totalMs: Math.round(total / 1000),
    opsPerSecond: window === undefined ? undefined : Math.round((window.operations * 1e6) / (window.endUs - window.startUs)),
    usPerOp: perOp(total),
    packages: rows(packages).map(({ function: name, percent, usPerOp }) => ({ package: name, percent, usPerOp })),
    self: rows(self),
    inclusive: rows(inclusive).filter((row) => row.package === 'shim'),
  };
}

function add(map, key, us, frame) {
  const entry = map.get(key);
  if (entry !== undefined) entry.us += us;
  else map.set(key, { key, us, category: frame?.category ?? key });
}

/** A function's key (`name file:line`) and the package it belongs to. */
function describe(callFrame) {
  const { functionName, url, lineNumber } = callFrame;
  const name = functionName || '(anonymous)';
  let category;
  if (name === '(root)') category = 'root';
  else if (name === '(idle)') category = 'idle';
  else if (name === '(garbage collector)') category = 'gc';
  else if (name === '(program)') category = 'v8/native';
  else if (url.includes('/dist/cjs/')) category = 'shim';
  else if (url.includes('/node_modules/')) category = url.replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1');
  else if (url.startsWith(ROOT) || url.startsWith(`file://${ROOT}`)) category = 'bench';
  else category = url === '' ? 'v8/native' : 'node';
  const file =
    url === ''
      ? ''
      : ` ${url
          .replace(/^file:\/\//, '')
          .replace(`${ROOT}/`, '')
          .replace(/^node_modules\//, '')}:${lineNumber + 1}`;
  return { key: `${name}${file}`, category };
}

function printSummary(summary, title) {
  const perOp = summary.usPerOp === undefined ? '' : `, ${summary.usPerOp.toFixed(2)} µs per operation`;
  const window = summary.opsPerSecond === undefined ? 'whole run' : `steady loop only, ${summary.opsPerSecond.toLocaleString('en-US')} ops/s${perOp}`;
  console.log(`\n== ${title} ==  ${summary.totalMs} ms of samples (${window})\n   ${summary.file}`);
  const shown = summary.packages.filter((row) => row.percent >= 0.5);
  console.log(`  self time by package: ${shown.map((row) => `${row.package} ${row.percent}%`).join(', ')}`);
  console.log('  top self time:');
  for (const row of summary.self.slice(0, TOP))
    console.log(`    ${row.percent.toFixed(1).padStart(5)}%  ${formatUs(row.usPerOp)}  ${row.package.padEnd(28)} ${row.function}`);
  if (summary.inclusive.length > 0) console.log('  shim functions by inclusive time (callees included):');
  for (const row of summary.inclusive.slice(0, 12)) console.log(`    ${row.percent.toFixed(1).padStart(5)}%  ${formatUs(row.usPerOp)}  ${row.function}`);
}

/**
 * Per operation, what `summary` spends more than `baseline`: by package, and the functions
 * with the largest differences (self time). Both profiles must have their window (ops count).
 */
function printDifference(summary, baseline, title) {
  if (summary.usPerOp === undefined || baseline.usPerOp === undefined) return;
  console.log(`\n>> ${title}: ${summary.usPerOp.toFixed(2)} - ${baseline.usPerOp.toFixed(2)} = ${(summary.usPerOp - baseline.usPerOp).toFixed(2)} µs`);
  const difference = (rows, key) => {
    const before = new Map(baseline[rows].map((row) => [row[key], row.usPerOp]));
    const after = new Map(summary[rows].map((row) => [row[key], row.usPerOp]));
    const keys = new Set([...before.keys(), ...after.keys()]);
    const packageOf = new Map([...baseline[rows], ...summary[rows]].map((row) => [row[key], row.package]));
    return [...keys].map((name) => ({ name, package: packageOf.get(name), us: (after.get(name) ?? 0) - (before.get(name) ?? 0) })).sort((a, b) => b.us - a.us);
  };
  const packages = difference('packages', 'package').filter((row) => Math.abs(row.us) >= 0.01);
  console.log(`  by package: ${packages.map((row) => `${row.name} ${row.us >= 0 ? '+' : ''}${row.us.toFixed(2)}`).join(', ')}`);
  console.log('  largest additions (self time):');
  for (const row of difference('self', 'function').slice(0, TOP)) console.log(`    ${formatUs(row.us, true)}  ${row.package.padEnd(28)} ${row.name}`);
}

function formatUs(us, signed = false) {
  if (us === undefined) return '';
  const text = `${signed && us >= 0 ? '+' : ''}${us.toFixed(3)} µs`;
  return text.padStart(10);
}

function optionValue(args, name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

Promise.resolve()
  .then(main)
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
