'use strict';
// Memory checks of issue 5; `npm run bench` runs this at the end. Alone:
//   node --expose-gc bench/memory.js [--out results.json] [--spans 1000000]
//
// 1. Steady heap: after 1,000,000 spans started and finished through the shim (scenario (a)'s
//    workload: childOf, tags, setTag, log), the heap used after a full GC is within 5 MB of
//    what it was before them.
// 2. No retention: 10,000 finished SpanShim objects (and their contexts) are kept alive; after
//    a full GC, none of their OpenTelemetry SDK spans may still be reachable. Each SDK span is
//    watched through a WeakRef and a FinalizationRegistry, taken with `span.getSpan()` before
//    `finish()`. The same check with the SDK spans also held on purpose must find all of them
//    reachable (the control: it shows the check can see a leak); @opentelemetry/shim-opentracing
//    is measured the same way for comparison.
// 3. Heap kept alive per finished span an application holds on to, for both shims.
const fs = require('node:fs');
const { closeEnvironment, createEnvironment } = require('./setup');
const { ot } = require('./scenarios');

const LIMIT_MB = 5;
const KEPT = 10_000;
const CHUNK = 10_000;
const MB = 2 ** 20;

const immediate = () => new Promise((resolve) => setImmediate(resolve));
const heapUsed = () => process.memoryUsage().heapUsed;

/**
 * Full collections with event-loop turns between them: WeakRef targets stay alive until the
 * job that created them ends, and finalisation callbacks run in later turns.
 */
async function fullGc() {
  for (let i = 0; i < 4; i++) {
    await immediate();
    globalThis.gc();
  }
  await immediate();
}

async function steadyHeap(env, spans) {
  const op = ot.lifecycle(env.shim);
  for (let i = 0; i < 20_000; i++) op();
  await fullGc();
  const exportedBefore = env.exporter.exported;
  const before = heapUsed();
  let peak = before;
  const started = performance.now();
  for (let done = 0; done < spans; done += CHUNK) {
    for (let i = 0; i < CHUNK; i++) op();
    // Lets the SDK's export promises settle, as a server's event loop would between requests.
    await immediate();
    peak = Math.max(peak, heapUsed());
  }
  const seconds = (performance.now() - started) / 1000;
  await fullGc();
  const after = heapUsed();
  const deltaMB = (after - before) / MB;
  return {
    spans,
    exported: env.exporter.exported - exportedBefore,
    seconds: round(seconds, 1),
    beforeMB: round(before / MB, 2),
    afterMB: round(after / MB, 2),
    peakMB: round(peak / MB, 2),
    deltaMB: round(deltaMB, 2),
    limitMB: LIMIT_MB,
    holds: Math.abs(deltaMB) <= LIMIT_MB && env.exporter.exported - exportedBefore === spans,
  };
}

/** The scenario (a) span, with its context read (which creates its SpanContextShim), finished. */
function finishedSpan(tracer, parent, i, beforeFinish) {
  const span = tracer.startSpan('kept', { childOf: parent, tags: { component: 'bench', 'http.method': 'GET', index: i } });
  span.setTag('http.status_code', 200);
  span.log({ event: 'cache.miss', key: 'user:42', 'latency.ms': 3 });
  span.context().toSpanId();
  if (beforeFinish !== undefined) beforeFinish(span);
  span.finish();
  return span;
}

/** How many of the SDK spans behind `KEPT` finished, still-referenced span shims stay reachable. */
async function retention(tracer, holdSdkSpans) {
  const parent = tracer.startSpan('parent');
  const kept = [];
  const refs = [];
  const held = [];
  let finalized = 0;
  const registry = new FinalizationRegistry(() => finalized++);
  for (let i = 0; i < KEPT; i++) {
    kept.push(
      finishedSpan(tracer, parent, i, (span) => {
        const sdkSpan = span.getSpan();
        refs.push(new WeakRef(sdkSpan));
        registry.register(sdkSpan, i);
        if (holdSdkSpans) held.push(sdkSpan);
      }),
    );
  }
  await fullGc();
  const reachable = refs.filter((ref) => ref.deref() !== undefined).length;
  // The shims (and the control's SDK spans) must have been alive through the collection.
  if (kept.length !== KEPT || held.length !== (holdSdkSpans ? KEPT : 0)) throw new Error('kept spans lost');
  return { kept: KEPT, reachable, finalized };
}

/** Heap a finished span keeps alive while the application holds its shim, in bytes. */
async function bytesPerKeptSpan(tracer) {
  const parent = tracer.startSpan('parent');
  finishedSpan(tracer, parent, -1);
  await fullGc();
  const before = heapUsed();
  const kept = [];
  for (let i = 0; i < KEPT; i++) kept.push(finishedSpan(tracer, parent, i));
  await fullGc();
  const bytes = (heapUsed() - before) / kept.length;
  return Math.round(bytes);
}

async function main() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  const args = process.argv.slice(2);
  const out = valueOf(args, '--out');
  const spans = Number(valueOf(args, '--spans') ?? 1_000_000);
  const env = createEnvironment();

  const heap = await steadyHeap(env, spans);
  console.log(
    `  heap used after GC: ${heap.beforeMB} MB before, ${heap.afterMB} MB after ${spans.toLocaleString('en-US')} shim spans ` +
      `(${heap.seconds} s, ${heap.exported.toLocaleString('en-US')} exported): ${signed(heap.deltaMB)} MB, limit ${LIMIT_MB} MB; peak ${heap.peakMB} MB`,
  );

  const shim = await retention(env.shim, false);
  const control = await retention(env.shim, true);
  const official = await retention(env.official, false);
  const result = {
    heap,
    retention: { ...shim, holds: shim.reachable === 0 && control.reachable === KEPT, control, official },
    keptBytesPerFinishedSpan: { shim: await bytesPerKeptSpan(env.shim), official: await bytesPerKeptSpan(env.official) },
  };
  console.log(
    `  ${KEPT.toLocaleString('en-US')} finished SpanShims kept: ${shim.reachable} of their SDK spans reachable after GC ` +
      `(${shim.finalized} finalised); control holding the SDK spans: ${control.reachable} reachable; ` +
      `@opentelemetry/shim-opentracing: ${official.reachable} reachable`,
  );
  console.log(
    `  heap per finished span still held by the application: shim ${result.keptBytesPerFinishedSpan.shim} B, ` +
      `@opentelemetry/shim-opentracing ${result.keptBytesPerFinishedSpan.official} B`,
  );
  if (out !== undefined) fs.writeFileSync(out, JSON.stringify(result));
  await closeEnvironment(env);
}

function valueOf(args, name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;
const signed = (x) => (x >= 0 ? `+${x}` : `${x}`);

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
