import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '../..');
const FIXTURE = join(__dirname, 'fixtures/types-jaeger-client.ts');
const DECLARATIONS = join(ROOT, 'dist/types/jaeger/index.d.ts');

/** Type errors of the fixture, with `jaeger-client` resolved by `paths` (or by node_modules without). */
function typeErrors(paths?: ts.MapLike<string[]>): string[] {
  const program = ts.createProgram([FIXTURE], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    baseUrl: ROOT,
    paths,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('type declarations', () => {
  beforeAll(() => {
    if (!existsSync(DECLARATIONS)) throw new Error(`${DECLARATIONS} is missing: run npm run build first`);
  });

  it('should be code that compiles against @types/jaeger-client itself', () => {
    expect(typeErrors()).toEqual([]);
  });

  it('should compile code written against @types/jaeger-client with opentracing-otel-shim/jaeger in its place', () => {
    expect(typeErrors({ 'jaeger-client': [DECLARATIONS] })).toEqual([]);
  });
});
