import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The guides promise runnable snippets: every ```js block of these documents is run as a program
 * with `node`, against the build in dist/ (`npm test` builds first), and must exit 0 without
 * writing to stderr; a ```text block right after it is what it must print. A block marked
 * ```js fragment (a part of a program, e.g. a request handler) is not run.
 */
const DOCUMENTS = ['README.md', 'docs/getting-started.md', 'docs/context-interop.md'];

const root = join(__dirname, '../..');
// Inside the package, so that `require('opentracing-otel-shim')` resolves to this package
// (Node's self-reference through package.json "exports").
const scratch = join(root, '.tmp/docs-snippets');

interface Snippet {
  readonly document: string;
  readonly line: number;
  readonly code: string;
  readonly expected: string | undefined;
}

function snippetsOf(document: string): Snippet[] {
  const text = readFileSync(join(root, document), 'utf8');
  const blocks = [...text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)];
  const snippets: Snippet[] = [];
  blocks.forEach((block, i) => {
    if (block[1] !== 'js') return;
    const next = blocks[i + 1];
    const between = next === undefined ? '' : text.slice((block.index as number) + block[0].length, next.index);
    const expected = next !== undefined && next[1] === 'text' && between.trim() === '' ? next[2] : undefined;
    snippets.push({ document, line: text.slice(0, block.index).split('\n').length, code: block[2], expected });
  });
  return snippets;
}

function run(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd: root, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

const snippets = DOCUMENTS.flatMap(snippetsOf);

describe('runnable snippets in the docs', () => {
  beforeAll(() => mkdirSync(scratch, { recursive: true }));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('should find snippets to run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(3);
  });

  it.each(snippets.map((snippet) => [`${snippet.document}:${snippet.line}`, snippet] as const))(
    '%s should run and print what the guide says',
    async (name, snippet) => {
      const file = join(scratch, `${name.replace(/[^a-z0-9]+/gi, '-')}.js`);
      writeFileSync(file, snippet.code);
      const result = await run(file);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      if (snippet.expected !== undefined) expect(result.stdout).toBe(snippet.expected);
    },
  );

  it("should print the README usage snippet's trace, drawn as a tree on stdout", async () => {
    const [usage] = snippetsOf('README.md');
    const file = join(scratch, 'readme-usage.js');
    writeFileSync(file, usage.code);
    const result = await run(file);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^trace [0-9a-f]{32}\n/);
    expect(result.stdout).toContain('checkout');
  });
});
