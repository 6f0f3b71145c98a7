'use strict';
// `npm run bench`: the same workloads through the OpenTelemetry API (the floor), this shim,
// @opentelemetry/shim-opentracing and jaeger-client, on one SDK provider per process.
// Each scenario runs in a process of its own (`node bench/index.js --scenario <id> --out
// <file>`), one after the other: in one process for all of them, the shim's call sites saw
// every tracer of every scenario, went polymorphic, and one scenario's figures depended on
// which others ran ((c) 0.82 x native beside the others, 0.89 alone). An application has one
// tracer setup. Method (docs/performance.md): within a scenario's process, many short rounds;
// in each, every variant of the scenario runs for a short slice, in a rotating order, so that
// variants compared with each other run moments apart, under the same load. A variant's ratio
// is the median of its per-round ratios to the baseline of the same round; its ops/s the
// median of its per-round figures. Time is the process's CPU time (process.cpuUsage), so time
// the process spends descheduled by other work on the machine is not counted; wall-clock
// figures come from the same samples. Then bench/e2e.js (scenario (h): batch processor,
// OTLP/HTTP protobuf, a receiver in another process) and bench/memory.js (--expose-gc) run in
// child processes. Results: tables on stdout and bench/results.json.
//
// Settings (environment; the scenarios' processes inherit them): BENCH_ROUNDS (default 50), BENCH_TIME_MS per variant and round
// (default 30), BENCH_WARMUP_MS per variant (default 600), BENCH_CLOCK=wall to time with
// performance.now() instead of CPU time, BENCH_SCENARIOS=a,c,f,g,o,h to run only those (an id,
// or a group: f = f1,f2; g = the growth scenarios; o = the shim overhead table; h = end to end),
// BENCH_SKIP_MEMORY=1, BENCH_RESULTS=path instead of bench/results.json; bench/e2e.js reads
// BENCH_E2E_ROUNDS and BENCH_E2E_SLICE_MS.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { propagation, trace } = require('@opentelemetry/api');
const { Bench } = require('tinybench');
const { BAGGAGE, SCENARIOS: ALL_SCENARIOS, sink } = require('./scenarios');
const { median, positiveIntegerFromEnv, quantile, rotate } = require('./stats');

const ROUNDS = positiveIntegerFromEnv('BENCH_ROUNDS', 50);
const TIME_MS = positiveIntegerFromEnv('BENCH_TIME_MS', 30);
const WARMUP_MS = positiveIntegerFromEnv('BENCH_WARMUP_MS', 600);
/** Target duration of one sample: long enough that the per-sample overhead is noise. */
const SAMPLE_MS = 1;
const SELECTED = process.env.BENCH_SCENARIOS ? process.env.BENCH_SCENARIOS.split(',').map((id) => id.trim()) : undefined;
const SCENARIOS = ALL_SCENARIOS.filter((s) => SELECTED === undefined || SELECTED.includes(s.id) || (s.group !== undefined && SELECTED.includes(s.group)));
const RUN_E2E = SELECTED === undefined || SELECTED.includes('h');
const RESULTS_FILE = path.resolve(process.env.BENCH_RESULTS || path.join(__dirname, 'results.json'));
const ROOT = path.join(__dirname, '..');

const CLOCK = process.env.BENCH_CLOCK === 'wall' ? 'wall' : 'cpu';
/** Milliseconds of CPU time used by this process (all its threads: the GC's work counts). */
const cpuClockMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const immediate = () => new Promise((resolve) => setImmediate(resolve));

async function main() {
  const args = process.argv.slice(2);
  const id = optionValue(args, '--scenario');
  if (id !== undefined) return runScenario(id, optionValue(args, '--out'));
  return runAll();
}

/**
 * The parent process: one child process per selected scenario, one after the other (never two
 * at once: they would compete for the cores), then the tables, the targets, (h), the memory
 * check and results.json from the merged rounds.
 */
async function runAll() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  // Read now, right after `npm run build`: others may edit src/ while the benchmark runs.
  const source = sourceRevision();
  const tasks = listTasks(SCENARIOS);

  console.log(
    `One process per scenario: ${SCENARIOS.length} scenarios, ${tasks.length} variants. In each, a warm-up of ${WARMUP_MS} ms per variant, ` +
      `then ${ROUNDS} rounds x ${TIME_MS} ms per variant (growth and overhead scenarios: half)`,
  );
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'otshim-bench-'));
  const children = [];
  let childrenMs = 0;
  try {
    for (const scenario of SCENARIOS) {
      const start = performance.now();
      children.push(runScenarioChild(scenario, path.join(directory, `${scenario.id}.json`)));
      childrenMs += performance.now() - start;
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
  const headers = children.flatMap((child) => child.headers);
  if (children.length > 0) console.log(`Checked: every variant does its scenario's work. Headers written:\n  ${headers.join('\n  ')}`);

  for (const task of tasks) task.batch = children.find((child) => task.key in child.batches).batches[task.key];
  // Round r of every scenario, as one record: what the summary, the tables and the targets read.
  const rounds = Array.from({ length: ROUNDS }, (_, r) => Object.assign({}, ...children.map((child) => child.rounds[r])));
  const childMs = (name) => children.reduce((sum, child) => sum + child.ms[name], 0);
  // Process start, module loading, the environment and the checks: what the children spent
  // besides warming up and measuring.
  const phases = {
    startUpSeconds: Math.round((childrenMs - childMs('warmUp') - childMs('measure')) / 1000),
    warmUpSeconds: Math.round(childMs('warmUp') / 1000),
    measureSeconds: Math.round(childMs('measure') / 1000),
  };
  const timed = (name, run) => {
    const start = performance.now();
    const result = run();
    phases[name] = Math.round((performance.now() - start) / 1000);
    return result;
  };

  const scenarios = summarise(tasks, rounds);
  printTable(scenarios.filter((s) => s.growth === undefined && !s.overhead));
  printOverheadTable(scenarios.filter((s) => s.overhead));
  printGrowthTable(scenarios.filter((s) => s.growth !== undefined));

  let endToEnd;
  if (RUN_E2E) {
    console.log('\nEnd to end (h) (bench/e2e.js: batch processor, OTLP/HTTP protobuf, receiver in another process)');
    endToEnd = timed('endToEndSeconds', () => runChild('e2e.js', []));
  }

  let memory;
  if (process.env.BENCH_SKIP_MEMORY === '1') {
    memory = { skipped: true };
  } else {
    console.log('\nMemory (bench/memory.js, node --expose-gc)');
    memory = timed('memorySeconds', () => runChild('memory.js', ['--expose-gc']));
  }

  const results = {
    date: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    phases,
    scenarioSeconds: Object.fromEntries(children.map((child) => [child.scenario, Math.round(child.ms.total / 100) / 10])),
    machine: machine(loadBefore),
    node: process.version,
    v8: process.versions.v8,
    source,
    packages: packageVersions(),
    settings: {
      isolation: 'one process per scenario',
      clock: CLOCK === 'cpu' ? 'process CPU time (process.cpuUsage)' : 'wall clock (performance.now)',
      rounds: ROUNDS,
      timeMsPerVariantAndRound: TIME_MS,
      timeScaleOfGrowthAndOverheadScenarios: 0.5,
      warmupMs: WARMUP_MS,
      sampleMs: SAMPLE_MS,
    },
    scenarios,
    targets: scenarios.flatMap((s) => s.targets.map((target) => ({ scenario: s.id, ...target }))),
    endToEnd,
    memory,
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  printTargets(scenarios, endToEnd, memory);
  const parts = Object.entries(phases).map(([name, seconds]) => `${name.replace(/Seconds$/, '')} ${seconds} s`);
  const cpuSeconds = Math.round(children.reduce((sum, child) => sum + child.cpuMs, 0) / 1000);
  console.log(`\nRun time ${results.durationSeconds} s (wall clock; ${parts.join(', ')}); CPU time ${cpuSeconds} s in the scenario processes`);
  console.log(`Wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

/**
 * Runs one scenario in a child process of its own (`--scenario <id> --out <file>`, the node
 * flags of this process, the same environment variables) and returns what it wrote. Throws
 * when the child fails; its error is on stderr already.
 */
function runScenarioChild(scenario, out) {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--scenario', scenario.id, '--out', out], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`(${scenario.id}) ${scenario.title}: its process exited with ${child.status ?? child.signal}`);
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

/**
 * A child process: one scenario, alone, so that the shim's call sites see only the tracer this
 * scenario uses, as in an application with one tracer setup (docs/performance.md, Method). Builds
 * the environment, checks every variant, warms up and calibrates, runs every round, and writes
 * to `out` its per-round figures (`{ hz, wallHz, samples }` per variant key), the batch sizes,
 * the headers written and its times.
 */
async function runScenario(id, out) {
  const start = performance.now();
  const scenario = ALL_SCENARIOS.find((s) => s.id === id);
  if (scenario === undefined) throw new Error(`no scenario "${id}"`);
  if (out === undefined) throw new Error('--out <file> is missing');
  const { closeEnvironment, createEnvironment } = require('./setup');
  const env = createEnvironment();
  const tasks = listTasks([scenario]).map((task) => ({ ...task, op: scenario.variants[task.variant](env) }));
  const headers = verify(env, tasks);
  const timeScale = scenario.timeScale ?? 1;

  process.stdout.write(`(${id}) ${scenario.title}, ${tasks.length} variants: checked; warm-up `);
  const warmUpStart = performance.now();
  await calibrate(tasks, WARMUP_MS * timeScale);
  const warmUpMs = performance.now() - warmUpStart;
  process.stdout.write(`${(warmUpMs / 1000).toFixed(1)} s; ${ROUNDS} rounds: `);

  const measureStart = performance.now();
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    // No forced GC between slices: a full collection with no span in flight lets V8 drop the
    // hidden classes of the shim's short-lived objects and deoptimise the code that uses them
    // (--trace-deopt: "weak objects"), which halved the shim's figures. Each variant pays for
    // the collections its own allocations cause, as in an application.
    rounds.push(await runBench(rotate(tasks, round), TIME_MS * timeScale));
    if ((round + 1) % 5 === 0) process.stdout.write(`${round + 1} `);
  }
  const measureMs = performance.now() - measureStart;
  process.stdout.write(`(${(measureMs / 1000).toFixed(1)} s)\n`);
  await closeEnvironment(env);

  const result = {
    scenario: id,
    batches: Object.fromEntries(tasks.map((task) => [task.key, task.batch])),
    rounds,
    headers,
    ms: { total: performance.now() - start, warmUp: warmUpMs, measure: measureMs },
    cpuMs: cpuClockMs(),
  };
  fs.writeFileSync(out, JSON.stringify(result));
}

/** One task per scenario and variant; a child adds its operation and, after calibration, its batch size. */
function listTasks(scenarios) {
  return scenarios.flatMap((scenario) =>
    Object.keys(scenario.variants).map((variant) => ({ scenario, variant, key: `${scenario.id}:${variant}`, batch: scenario.batch })),
  );
}

/**
 * Runs every operation once and checks it did the work it claims, so that a broken variant
 * cannot show up as a fast one: spans reach the exporter (or the no-op tracer's records) with
 * the expected attributes, events, links and parent; unsampled spans reach no exporter; extract
 * returns the injected trace id and both baggage items; baggage reaches the child. Throws on the
 * first failure; returns the headers each propagation variant wrote, for the report.
 */
function verify(env, tasks) {
  const exported = [];
  env.exporter.inspect = (spans) => exported.push(...spans);
  env.sampledExporter.inspect = (spans) => exported.push(...spans);
  const headers = [];
  try {
    check(env.jaegerClient.startSpan('probe').context().isSampled(), 'jaeger-client samples every span (const sampler)');
    for (const task of tasks) {
      exported.length = 0;
      env.noopTracer.inspect = task.scenario.overhead ? [] : undefined;
      sink.value = undefined;
      sink.carrier = undefined;
      task.op();
      const where = `(${task.scenario.id}) ${task.variant}`;
      const otel = !task.variant.startsWith('jaeger-client');
      const withLink = ['shim', 'native+link', 'official+link', 'official+link+deferred'].includes(task.variant);
      switch (task.scenario.id) {
        case 'a':
        case 'oa': {
          if (!otel) break;
          // The shim creates the kept parent's span when its first child needs it: only the child ends.
          const spans = task.scenario.overhead ? env.noopTracer.inspect.filter((record) => record.ended) : exported;
          check(spans.length === 1, `${where}: one span ended`);
          const span = spans[0];
          check(Object.keys(span.attributes).length === 5, `${where}: 5 attributes`);
          // The official shim also keeps `event` as an attribute; the two fields must be there.
          if (task.scenario.overhead) {
            check(span.events.length === 1 && span.ended, `${where}: 1 event, ended`);
          } else {
            const event = span.events[0];
            check(
              span.events.length === 1 && event.name === 'cache.miss' && 'key' in event.attributes && 'latency.ms' in event.attributes,
              `${where}: 1 event with the 2 fields`,
            );
          }
          const parentSpanId = task.scenario.overhead ? span.parentSpanId : span.parentSpanContext?.spanId;
          check(parentSpanId !== undefined, `${where}: has a parent`);
          if (withLink) check(span.links.length === 1, `${where}: one Link, to the parent`);
          break;
        }
        case 'b':
          if (otel) check(exported.length === 1 && exported[0].parentSpanContext === undefined, `${where}: one root span exported`);
          break;
        case 'ob':
          check(env.noopTracer.inspect.filter((record) => record.ended).length === 1, `${where}: one span ended`);
          break;
        case 'c':
        case 'oc':
        case 'd': {
          const got = readExtracted(sink.value);
          // jaeger-client strips leading zeros from its hex ids.
          check(/^[0-9a-f]{1,32}$/.test(got.traceId ?? ''), `${where}: extract returns the trace id`);
          for (const [key, value] of Object.entries(BAGGAGE)) check(got.baggage(key) === value, `${where}: extract returns baggage ${key}`);
          headers.push(`(${task.scenario.id}) ${task.variant}: ${Object.keys(sink.carrier).join(', ')}`);
          break;
        }
        case 'e':
        case 'oe':
          check(sink.value === 'acme', `${where}: the child reads the baggage item`);
          if (task.scenario.overhead) {
            const spans = env.noopTracer.inspect;
            check(spans.length === 2 && spans.every((span) => span.ended) && spans[1].parentSpanId !== undefined, `${where}: parent and child ended`);
          } else if (otel) {
            check(exported.length === 2 && exported[0].parentSpanContext?.spanId === exported[1].spanContext().spanId, `${where}: child and parent exported`);
            if (withLink) check(exported[0].links.length === 1, `${where}: the child has one Link, to the parent`);
          }
          break;
        case 'f1':
          if (otel) check(exported.length === 0, `${where}: the child of an unsampled parent is not exported`);
          break;
        case 'f2': {
          if (!otel) break;
          // 1% of 3,000 roots: 30 expected; outside 5-80 the sampler is not what it claims.
          for (let i = 1; i < 3000; i++) task.op();
          check(exported.length >= 5 && exported.length <= 80, `${where}: about 1% of 3,000 roots sampled (got ${exported.length})`);
          break;
        }
        default:
          if (task.scenario.growth !== undefined) verifyGrowth(task, exported, where);
      }
    }
  } finally {
    env.exporter.inspect = undefined;
    env.sampledExporter.inspect = undefined;
    env.noopTracer.inspect = undefined;
  }
  return headers;
}

function verifyGrowth(task, exported, where) {
  const n = Number(task.variant.split(' ').pop());
  const span = exported.find((s) => s.name !== 'parent');
  switch (task.scenario.growth.dimension) {
    case 'tags':
      check(exported.length === 1 && Object.keys(span.attributes).length === n, `${where}: ${n} attributes`);
      break;
    case 'logs':
      check(exported.length === 1 && span.events.length === n, `${where}: ${n} events`);
      break;
    case 'references':
      check(exported.length === 1 && span.links.length === n && span.parentSpanContext !== undefined, `${where}: a parent and ${n} Links`);
      break;
    case 'baggage':
      check(exported.length === 2 && (n === 0 || sink.value === 'value'), `${where}: 2 spans, the child reads item ${n}`);
      break;
  }
}

function readExtracted(value) {
  if (value === null || value === undefined) return { traceId: undefined, baggage: () => undefined };
  if (typeof value.getValue === 'function') {
    // An OpenTelemetry Context (the native variants).
    return { traceId: trace.getSpanContext(value)?.traceId, baggage: (key) => propagation.getBaggage(value)?.getEntry(key)?.value };
  }
  return {
    traceId: value.toTraceId(),
    baggage: (key) => (typeof value.getBaggageItem === 'function' ? value.getBaggageItem(key) : value.baggage?.[key]),
  };
}

function check(condition, what) {
  if (!condition) throw new Error(`benchmark check failed: ${what}`);
}

/**
 * Warms every variant of a scenario up (so the JIT has compiled it before the first timed
 * round) and sizes its batch so that one sample lasts about SAMPLE_MS: the per-sample
 * overhead (timer reads, the setImmediate that lets the SDK's export promises settle) is then
 * the same small share for every variant, whatever its speed.
 */
async function calibrate(tasks, warmupMs) {
  const results = await runBench(tasks, warmupMs);
  for (const task of tasks) {
    const perOpMs = 1000 / results[task.key].hz;
    task.batch = Math.max(20, Math.min(20000, Math.round(SAMPLE_MS / perOpMs)));
  }
}

/**
 * Runs the tasks one after the other with tinybench, `timeMs` each. Each sample runs the
 * operation `batch` times, then waits for setImmediate so that the promises the SDK's
 * SimpleSpanProcessor creates per span settle inside the timed window (their cost is part of
 * a span's cost). tinybench times the samples with the CPU clock (or the wall clock,
 * BENCH_CLOCK=wall); the task also adds up their wall-clock time, so both figures come from
 * the same samples.
 */
async function runBench(tasks, timeMs) {
  const clock = CLOCK === 'cpu' ? { now: cpuClockMs } : {};
  const bench = new Bench({ ...clock, time: timeMs, iterations: 10, warmup: false, throws: true });
  const wall = new Map(tasks.map((task) => [task.key, { ms: 0, ops: 0 }]));
  for (const task of tasks) {
    const { op, batch } = task;
    const spent = wall.get(task.key);
    bench.add(task.key, async () => {
      const start = performance.now();
      for (let i = 0; i < batch; i++) op();
      await immediate();
      spent.ms += performance.now() - start;
      spent.ops += batch;
    });
  }
  await bench.run();
  const results = {};
  for (const task of tasks) {
    const { latency, state } = bench.getTask(task.key).result;
    check(state === 'completed', `${task.key} completed`);
    const spent = wall.get(task.key);
    results[task.key] = {
      hz: (task.batch * 1000) / latency.mean,
      wallHz: (spent.ops * 1000) / spent.ms,
      samples: latency.samplesCount,
    };
  }
  return results;
}

function summarise(tasks, rounds) {
  return SCENARIOS.map((scenario) => {
    const baselineKey = `${scenario.id}:${scenario.baseline}`;
    const variants = tasks
      .filter((task) => task.scenario === scenario)
      .map((task) => {
        const perRound = rounds.map((round) => round[task.key]);
        const ratios = rounds.map((round) => round[task.key].hz / round[baselineKey].hz);
        const wallRatios = rounds.map((round) => round[task.key].wallHz / round[baselineKey].wallHz);
        return {
          name: task.variant,
          hz: Math.round(median(perRound.map((r) => r.hz))),
          nsPerOp: round1(median(perRound.map((r) => 1e9 / r.hz))),
          marginPercent: round2(marginOfError(perRound.map((r) => r.hz))),
          ratio: round3(median(ratios)),
          ratioP25: round3(quantile(ratios, 0.25)),
          ratioP75: round3(quantile(ratios, 0.75)),
          wallHz: Math.round(median(perRound.map((r) => r.wallHz))),
          wallRatio: round3(median(wallRatios)),
          hzPerRound: perRound.map((r) => Math.round(r.hz)),
          ratioPerRound: ratios.map(round3),
          batch: task.batch,
          samplesPerRound: Math.round(median(perRound.map((r) => r.samples))),
        };
      });
    const growth = scenario.growth === undefined ? undefined : summariseGrowth(scenario, rounds);
    const targets = (scenario.targets ?? []).map((target) => judge(scenario, target, rounds, growth));
    return {
      id: scenario.id,
      group: scenario.group,
      overhead: scenario.overhead === true,
      title: scenario.title,
      description: scenario.description,
      baseline: scenario.baseline,
      variants,
      growth,
      targets,
    };
  });
}

/**
 * A growth scenario's cost per added item, per family: in each round, the least-squares slope of
 * the time per span (ns of CPU time) against the count; the median over the rounds.
 */
function summariseGrowth(scenario, rounds) {
  const { counts, families } = scenario.growth;
  const slopesPerRound = {};
  const nsPerSpan = {};
  for (const family of families) {
    const costs = (round) => counts.map((n) => 1e9 / round[`${scenario.id}:${family} ${n}`].hz);
    slopesPerRound[family] = rounds.map((round) => slope(counts, costs(round)));
    nsPerSpan[family] = counts.map((_, i) => round1(median(rounds.map((round) => costs(round)[i]))));
  }
  return {
    dimension: scenario.growth.dimension,
    counts,
    families,
    nsPerSpan,
    nsPerItem: Object.fromEntries(families.map((family) => [family, round1(median(slopesPerRound[family]))])),
    slopesPerRound,
  };
}

/** One target, judged on the median of its per-round figure, with their interquartile range. */
function judge(scenario, target, rounds, growth) {
  const { kind, variant, of } = target;
  let perRound;
  let rule;
  if (kind === 'slope') {
    perRound = growth.slopesPerRound[variant].map((s, i) => s / growth.slopesPerRound[of][i]);
    rule = `${variant}'s cost per ${ITEM[growth.dimension]} <= ${target.max} x ${of}'s`;
  } else {
    const hz = (round, name) => round[`${scenario.id}:${name}`].hz;
    const wallHz = (round, name) => round[`${scenario.id}:${name}`].wallHz;
    if (kind === 'cost') {
      perRound = rounds.map((round) => hz(round, of) / hz(round, variant));
      rule = `${variant} costs <= ${target.max} x ${of}`;
      target = { ...target, wallValue: round3(median(rounds.map((round) => wallHz(round, of) / wallHz(round, variant)))) };
    } else {
      perRound = rounds.map((round) => hz(round, variant) / hz(round, of));
      rule = `${variant} ${target.strict ? '>' : '>='} ${target.min} x ${of}`;
      target = { ...target, wallValue: round3(median(rounds.map((round) => wallHz(round, variant) / wallHz(round, of)))) };
    }
  }
  const value = round3(median(perRound));
  const holds = kind === 'ratio' ? (target.strict ? value > target.min : value >= target.min) : value <= target.max;
  return { ...target, rule, value, interquartile: [round3(quantile(perRound, 0.25)), round3(quantile(perRound, 0.75))], holds };
}

const ITEM = { tags: 'tag', logs: 'log', references: 'reference', baggage: 'baggage item' };

/** Least-squares slope of ys against xs. */
function slope(xs, ys) {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

function printTable(scenarios) {
  if (scenarios.length === 0) return;
  const header = ['scenario', 'variant', 'ops/s', '±', 'ratio', 'ratio p25-p75', 'wall ops/s', 'wall ratio'];
  const rows = [];
  for (const scenario of scenarios) {
    for (const v of scenario.variants) {
      rows.push([
        `(${scenario.id}) ${scenario.title}`,
        v.name,
        v.hz.toLocaleString('en-US'),
        `${v.marginPercent.toFixed(1)}%`,
        `${v.ratio.toFixed(3)} x ${scenario.baseline}`,
        `${v.ratioP25.toFixed(2)}-${v.ratioP75.toFixed(2)}`,
        v.wallHz.toLocaleString('en-US'),
        v.wallRatio.toFixed(3),
      ]);
    }
  }
  const numeric = new Set([2, 3, 6, 7]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  let previous;
  for (const row of rows) {
    const shown = row[0] === previous ? ['', ...row.slice(1)] : row;
    previous = row[0];
    console.log(line(shown));
  }
  const clock = CLOCK === 'cpu' ? 'operations per second of process CPU time' : 'operations per second of wall-clock time';
  console.log(
    `\nops/s: ${clock}, median of ${ROUNDS} rounds; ±: 95% margin of error of the mean of the rounds' ops/s;\n` +
      'ratio: median of the per-round ratios to the baseline, and their interquartile range; wall: the same samples by the wall clock.',
  );
}

function printOverheadTable(scenarios) {
  if (scenarios.length === 0) return;
  console.log('\nShim overhead: ns of CPU time per operation on an OpenTelemetry tracer that does no work (no SDK)');
  const rows = scenarios.map((scenario) => {
    const ns = (name) => scenario.variants.find((v) => v.name === name)?.nsPerOp;
    const cost = scenario.targets[0];
    const deferred = ns('official+deferred');
    return [
      scenario.title.replace(/^overhead /, ''),
      ns('shim').toFixed(0),
      ns('official').toFixed(0),
      deferred === undefined ? '' : deferred.toFixed(0),
      cost.value.toFixed(2),
      `${cost.interquartile[0].toFixed(2)}-${cost.interquartile[1].toFixed(2)}`,
    ];
  });
  printRows(['scenario', 'shim ns', 'official ns', 'official+deferred ns', 'shim / official', 'p25-p75'], rows, new Set([1, 2, 3, 4, 5]));
  console.log(
    'ns: median over the rounds; shim / official: median of the per-round ratios of the times; official+deferred: the official\n' +
      "wrapper plus the clock reads and copies of a span created after startSpan (the shim's design), for information.",
  );
}

function printGrowthTable(scenarios) {
  if (scenarios.length === 0) return;
  console.log('\nGrowth: ns of CPU time per span (or per parent and child, for baggage) by count, and per added item (least-squares slope)');
  const rows = [];
  for (const scenario of scenarios) {
    const { counts, families, nsPerSpan, nsPerItem } = scenario.growth;
    const target = scenario.targets[0];
    for (const family of families) {
      rows.push([
        family === families[0] ? scenario.title.replace(/^growth: /, '') : '',
        family,
        counts.map((n, i) => `${n}: ${nsPerSpan[family][i].toFixed(0)}`).join('  '),
        nsPerItem[family].toFixed(0),
        family === target.variant ? `${target.value.toFixed(2)} (${target.interquartile[0].toFixed(2)}-${target.interquartile[1].toFixed(2)})` : '',
      ]);
    }
  }
  printRows(['items', 'variant', 'count: ns per span', 'ns per item', 'shim / native (p25-p75)'], rows, new Set([3]));
}

function printRows(header, rows, numeric) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  console.log(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row).trimEnd());
}

function printTargets(scenarios, endToEnd, memory) {
  console.log('\nTargets (issue 17)');
  for (const scenario of scenarios) {
    for (const { rule, value, interquartile, wallValue, holds } of scenario.targets) {
      const wall = wallValue === undefined ? '' : `; wall clock ${wallValue.toFixed(3)}`;
      console.log(
        `  ${holds ? 'HOLDS ' : 'MISSES'}  (${scenario.id}) ${rule}: ${value.toFixed(3)} (p25-p75 ${interquartile[0].toFixed(2)}-${interquartile[1].toFixed(2)}${wall})`,
      );
    }
  }
  if (endToEnd !== undefined) {
    if (endToEnd.target !== undefined) {
      const { rule, value, interquartile, holds } = endToEnd.target;
      console.log(`  ${holds ? 'HOLDS ' : 'MISSES'}  (h) ${rule}: ${value.toFixed(3)} (p25-p75 ${interquartile[0].toFixed(2)}-${interquartile[1].toFixed(2)})`);
      const lost = endToEnd.variants.reduce((sum, v) => sum + v.dropped + v.failed, 0);
      console.log(`  ${lost === 0 ? 'HOLDS ' : 'MISSES'}  (h) every span produced is exported: ${lost} dropped or failed`);
    } else {
      console.log(`  MISSES  (h) end to end did not run: ${endToEnd.error}`);
    }
  }
  if (memory.heap !== undefined) {
    const { heap, retention } = memory;
    console.log(
      `  ${heap.holds ? 'HOLDS ' : 'MISSES'}  heap after ${heap.spans.toLocaleString('en-US')} spans within ${heap.limitMB} MB of the start: ${heap.deltaMB.toFixed(2)} MB`,
    );
    console.log(
      `  ${retention.holds ? 'HOLDS ' : 'MISSES'}  no finished SpanShim keeps its OpenTelemetry span: ${retention.reachable} of ${retention.kept.toLocaleString('en-US')} still reachable`,
    );
  } else if (!memory.skipped) {
    console.log(`  MISSES  memory check did not run: ${memory.error}`);
  }
}

/** Runs bench/<script> in a child process with `nodeFlags`; it writes its results as JSON to `--out`. */
function runChild(script, nodeFlags) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'otshim-bench-')), 'out.json');
  const child = spawnSync(process.execPath, [...nodeFlags, path.join(__dirname, script), '--out', out], { stdio: 'inherit' });
  try {
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } catch (error) {
    return { error: `bench/${script} exited with ${child.status ?? child.signal}: ${error.message}` };
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

function machine(loadBefore) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim(),
    logicalCpus: cpus.length,
    availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    totalMemoryGB: round2(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageBefore: loadBefore.map(round2),
    loadAverageAfter: os.loadavg().map(round2),
  };
}

function packageVersions() {
  const names = [
    '@opentelemetry/api',
    '@opentelemetry/core',
    '@opentelemetry/sdk-trace-base',
    '@opentelemetry/context-async-hooks',
    '@opentelemetry/shim-opentracing',
    '@opentelemetry/exporter-trace-otlp-proto',
    'jaeger-client',
    'opentracing',
    'tinybench',
  ];
  const versions = { 'opentracing-otel-shim': readVersion(ROOT) };
  for (const name of names) versions[name] = readVersion(path.join(ROOT, 'node_modules', name));
  return versions;
}

/** The commit measured, and whether src/ had uncommitted changes (dist/ is built from it). */
function sourceRevision() {
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return undefined;
  return { commit: head.stdout.trim(), srcModified: git('status', '--porcelain', '--', 'src').stdout.trim() !== '' };
}

function readVersion(directory) {
  try {
    return JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** 95% margin of error of the mean of `values`, in percent of the mean (normal approximation). */
function marginOfError(values) {
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  if (values.length < 2 || mean === 0) return 0;
  const variance = values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1);
  return (100 * 1.96 * Math.sqrt(variance / values.length)) / mean;
}

function optionValue(args, name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

const round2 = (x) => Math.round(x * 100) / 100;
const round3 = (x) => Math.round(x * 1000) / 1000;
const round1 = (x) => Math.round(x * 10) / 10;

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
