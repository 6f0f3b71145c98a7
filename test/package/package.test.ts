/**
 * The package as users get it: `npm pack` of the built dist/ (run `npm run build` first; `npm test`
 * does), installed into a fresh project outside this repository, then loaded with `require` and
 * `import` and type-checked by a consumer under each TypeScript module resolution.
 *
 * The tarball is installed with `npm install --offline --legacy-peer-deps`: it has no
 * dependencies of its own, so this needs neither the network nor a warm cache. The peer
 * dependencies are then symlinked from this repository's node_modules (what `npm ci` installed
 * from the lock file), in two steps: first only the two the core entry point needs
 * (`@opentelemetry/api`, `opentracing`), then the SDK packages `./jaeger` and `./sdk` need.
 * Node and tsc follow the links to their real paths, so there is one copy of each package.
 * Installing the peers with npm instead would need their registry metadata, which a cache filled
 * by `npm ci` from the lock file need not hold: on a fresh clone it would go to the network.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { internalsUnder } from './declarations';

const ROOT = join(__dirname, '../..');
const NAME = 'opentracing-otel-shim';
const ENTRIES = [NAME, `${NAME}/jaeger`, `${NAME}/sdk`, `${NAME}/propagators`];
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
/** What the core entry point needs (README: "depends on @opentelemetry/api and opentracing only"). */
const CORE_PEERS = ['@opentelemetry/api', 'opentracing'];
/** Every other peer dependency: the SDK packages ./jaeger and ./sdk build on. */
const SDK_PEERS = Object.keys(MANIFEST.peerDependencies).filter((name) => !CORE_PEERS.includes(name));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** The SDK 3.x compat project's node_modules, in the compat run (scripts/test-compat.mjs). */
const COMPAT_MODULES = process.env.OTSHIM_COMPAT_MODULES;

interface PackedFile {
  path: string;
}
type LoadReport = Record<string, { cjsNames?: string[]; esmNames?: string[]; notIdentical?: string[]; error?: string; message?: string }>;

let work: string;
let project: string;
let packed: PackedFile[];

/** Runs a command; fails with its output when it exits non-zero. Returns stdout. */
function run(command: string, args: string[], cwd: string): string {
  const env = { ...process.env };
  // The consumer project resolves its packages itself: no search path, no compat-run redirect.
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Links the peers into the consumer project: from the SDK 3.x compat project's packages in the
 * compat run (`OTSHIM_COMPAT_MODULES`), else, and for what that lacks (`opentracing`), from
 * this repository's. Peers neither has (the 2.x-only `sdk-trace-base` in the compat run) are
 * left out, as a 3.x application would not have them.
 */
function linkPeers(names: string[]): void {
  for (const name of names) {
    const from = [COMPAT_MODULES, join(ROOT, 'node_modules')].find((dir) => dir !== undefined && existsSync(join(dir, name)));
    if (from === undefined || (COMPAT_MODULES !== undefined && name === '@opentelemetry/sdk-trace-base')) continue;
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(from, name), link, 'junction');
  }
}

function loadEntries(ids: string[]): LoadReport {
  return JSON.parse(run(process.execPath, [join(project, 'load.cjs'), ...ids], project)) as LoadReport;
}

/**
 * Type-checks consumer files with a tsconfig of these compiler options; returns tsc's output.
 * skipLibCheck is off so that errors in the package's declarations show; `types: []` leaves
 * @types/node out, which the declarations must not need (and which triples tsc's time).
 */
function typeCheck(name: string, compilerOptions: Record<string, unknown>, files: string[]): string {
  const config = join(project, `tsconfig.${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, types: [], target: 'ES2022', ...compilerOptions }, files }),
  );
  const result = spawnSync(process.execPath, [TSC, '-p', config], { cwd: project, encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.trim();
}

/**
 * Uses real types from each entry point. Each `@ts-expect-error` line fails the check if the
 * export it uses had resolved to `any` (a declaration file that was not found).
 */
const CORE_CONSUMER = `
import type { Span as OtelSpan, SpanContext as OtelSpanContext, Tracer as OtelTracer } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { LINK_REF_TYPE_ATTRIBUTE, SpanContextShim, SpanShim, TracerShim, createTracerShim, withSpan } from '${NAME}';
import type { TracerShimOptions } from '${NAME}';

export function useCore(tracer: OtelTracer, options: TracerShimOptions): number {
  const shim: opentracing.Tracer = new TracerShim(tracer, options);
  const fromProvider: TracerShim = createTracerShim(undefined, { implicitParent: false });
  const span = shim.startSpan('op', { childOf: fromProvider.startSpan('parent') });
  if (span instanceof SpanShim) {
    const otelSpan: OtelSpan = span.getSpan();
    otelSpan.setAttribute(LINK_REF_TYPE_ATTRIBUTE, 'child_of');
  }
  const spanContext = span.context();
  if (spanContext instanceof SpanContextShim) {
    const otelContext: OtelSpanContext = spanContext.getSpanContext();
    otelContext.traceId.toUpperCase();
  }
  // @ts-expect-error withSpan returns what its function returns
  const wrong: string = withSpan(span, () => 1);
  // @ts-expect-error TracerShim is a class, not any
  const notAny: string = shim;
  return withSpan(span, () => 1) + wrong.length + notAny.length;
}
`;
/** The SDK line's provider and processor, under the names the consumer below uses. */
const SDK_IMPORT =
  COMPAT_MODULES === undefined
    ? `import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';`
    : `import { TracerProvider as BasicTracerProvider, SimpleSpanProcessor as SdkSimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
class SimpleSpanProcessor extends SdkSimpleSpanProcessor {
  constructor(exporter: SpanExporter) {
    super({ exporter });
  }
}`;
const SDK_CONSUMER = `
${SDK_IMPORT}
import * as opentracing from 'opentracing';
import { TracerShim } from '${NAME}';
import { JaegerTracer, initTracer, initTracerFromEnv } from '${NAME}/jaeger';
import { JaegerPropagator, propagatorFromEnv } from '${NAME}/propagators';
import type { JaegerConfig } from '${NAME}/jaeger';
import { BaggageSpanProcessor, TraceTreeExporter, createTracerConfig, createTracerProvider } from '${NAME}/sdk';

export async function useSdk(config: JaegerConfig): Promise<opentracing.Tracer[]> {
  const provider = new BasicTracerProvider({
    spanProcessors: [new BaggageSpanProcessor(), new SimpleSpanProcessor(new TraceTreeExporter())],
  });
  const shim = new TracerShim(provider, { httpHeadersPropagator: new JaegerPropagator(), textMapPropagator: propagatorFromEnv() });
  const fromEnv = createTracerProvider({ serviceName: 'checkout' });
  await fromEnv.forceFlush();
  // createTracerConfig fits the 2.x SDK's provider configuration
  new BasicTracerProvider(createTracerConfig({ serviceName: 'checkout' }));
  const jaeger: JaegerTracer = initTracer({ ...config, serviceName: 'checkout' });
  await jaeger.close();
  // @ts-expect-error initTracer needs a config
  initTracer();
  // @ts-expect-error JaegerTracer is a class, not any
  const notAny: string = initTracerFromEnv();
  return [shim, new TracerShim(fromEnv), jaeger, initTracerFromEnv(), notAny.length ? shim : jaeger];
}
`;

beforeAll(() => {
  const main = join(ROOT, 'dist/cjs/index.js');
  try {
    readFileSync(main);
  } catch {
    throw new Error(`${main} is missing: run \`npm run build\` first`);
  }
  work = mkdtempSync(join(tmpdir(), 'otshim-package-'));
  project = join(work, 'consumer');
  mkdirSync(project);
  // --ignore-scripts: test what dist/ holds now, never rebuild it under other running tests.
  const [pack] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT)) as {
    filename: string;
    files: PackedFile[];
  }[];
  packed = pack.files;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  run('npm', ['install', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-package-lock', join(work, pack.filename)], project);
  for (const script of ['load.cjs', 'use.mjs', 'api-only.cjs']) writeFileSync(join(project, script), readFileSync(join(__dirname, 'consumer', script)));
  for (const ext of ['cts', 'mts', 'ts']) {
    writeFileSync(join(project, `core.${ext}`), CORE_CONSUMER);
    writeFileSync(join(project, `sdk.${ext}`), SDK_CONSUMER);
  }
  linkPeers(CORE_PEERS);
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('should contain only dist/, docs/, the README, the CHANGELOG, package.json and the license', () => {
    const unexpected = packed
      .map((file) => file.path)
      .filter((path) => !/^(dist\/|docs\/|README\.md$|CHANGELOG\.md$|package\.json$|LICEN[SC]E(\.md|\.txt)?$)/.test(path));
    expect(unexpected).toEqual([]);
  });

  it('should declare no internals in its .d.ts and .d.mts files (no @internal, no non-private `_` member)', () => {
    // The installed copy is the tarball's content. The list names each offender by file and member.
    expect(internalsUnder(join(project, 'node_modules', NAME), 'dist')).toEqual([]);
  });

  it('should contain every file package.json points to', () => {
    const targets = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.add(value.replace(/^\.\//, ''));
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect([MANIFEST.main, MANIFEST.module, MANIFEST.types, MANIFEST.exports, MANIFEST.typesVersions]);
    const paths = new Set(packed.map((file) => file.path));
    expect([...targets].filter((target) => !paths.has(target))).toEqual([]);
  });
});

describe('with only @opentelemetry/api and opentracing installed', () => {
  it('should load the core entry point with require and import', () => {
    const report = loadEntries([NAME])[NAME];
    expect(report.error).toBeUndefined();
    expect(report.esmNames).toEqual(report.cjsNames);
    expect(report.notIdentical).toEqual([]);
  });

  it('should load ./jaeger, ./sdk and ./propagators, whose api-only parts work without an SDK', () => {
    const report = JSON.parse(run(process.execPath, ['api-only.cjs'], project)) as Record<string, unknown>;
    expect(report).toEqual({
      exported: ['a TraceTreeExporter drew 1 trace', 'uber-trace-id', 'baggage kept: 1', 'JaegerSpanContext 1:2:0:1'],
      initTracer: expect.stringMatching(/^Error: opentracing-otel-shim needs an OpenTelemetry trace SDK and found none: install @opentelemetry\/sdk-trace/),
      createTracerProvider: expect.stringMatching(/^Error: opentracing-otel-shim needs .* install @opentelemetry\/sdk-trace/),
      propagatorFromEnv: 'uber-trace-id',
    });
  });

  it('should type-check a consumer of the core entry point (module node16)', () => {
    expect(typeCheck('core', { module: 'node16', moduleResolution: 'node16' }, ['core.cts', 'core.mts'])).toBe('');
  });
});

describe('with every peer dependency installed', () => {
  beforeAll(() => linkPeers(SDK_PEERS));

  it.each(ENTRIES)('should export the same objects from %s to require and to import', (id) => {
    const report = loadEntries([id])[id];
    expect(report.error).toBeUndefined();
    expect(report.cjsNames!.length).toBeGreaterThan(0);
    expect(report.esmNames).toEqual(report.cjsNames);
    expect(report.notIdentical).toEqual([]);
  });

  it('should trace through the real SDK from an ES module, with spans crossing require and import', () => {
    const result = JSON.parse(run(process.execPath, ['use.mjs'], project)) as Record<string, unknown>;
    expect(result).toEqual({
      names: ['child', 'parent'],
      parentKind: 1, // SpanKind.SERVER
      childParentIsParent: true,
      childIsSpanShim: true,
      headers: ['uber-trace-id'],
      withSpan: 'ran',
      functions: ['function', 'function', 'function', 'function'],
    });
  });

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }, ['core.cts', 'core.mts', 'sdk.cts', 'sdk.mts']],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, ['core.cts', 'core.mts', 'sdk.cts', 'sdk.mts']],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['core.ts', 'sdk.ts']],
    ['node10', { module: 'commonjs', moduleResolution: 'node10' }, ['core.ts', 'sdk.ts']],
  ])('should type-check a consumer of all entry points (moduleResolution %s)', (name, options, files) => {
    expect(typeCheck(name, options, files)).toBe('');
  });
});
