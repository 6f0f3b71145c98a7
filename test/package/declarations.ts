/**
 * Finds internals in published declaration files: what a `.d.ts` or `.d.mts` file declares that
 * users must not see. The rule (the house style: "nothing `_`-prefixed or `@internal` reaches the
 * published `.d.ts` files", issue 16) is read from the files' syntax with TypeScript's parser:
 * - a declaration whose doc comment says `@internal` (the build's `stripInternal` removes those);
 * - a `_`-prefixed member of a class, interface or object type that is not `private` (`private`
 *   members are emitted without their types and cannot be used from outside; a `protected` one
 *   can, by any subclass, so it counts, as do the overrides of OpenTracing's `_startSpan`-style
 *   hooks, which `opentracing`'s own declarations already declare);
 * - a `_`-prefixed name a module exports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * `_`-prefixed members that are public on purpose, as `Class.member`, each with the reason.
 * `ReportedSpan` is jaeger-client's finished span (src/span.js): its reporters and tests read
 * these four fields, and docs/migrating-from-jaeger-client.md lists them.
 */
export const PUBLIC_UNDERSCORE_MEMBERS: ReadonlySet<string> = new Set([
  'ReportedSpan._tags',
  'ReportedSpan._logs',
  'ReportedSpan._startTime',
  'ReportedSpan._duration',
]);

/** Every `.d.ts` and `.d.mts` file under `dir`, as paths relative to `root`, sorted. */
export function declarationFiles(dir: string, root: string = dir): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...declarationFiles(path, root));
    else if (/\.d\.m?ts$/.test(entry.name)) found.push(relative(root, path).split('\\').join('/'));
  }
  return found.sort();
}

/** The internals one declaration file's text shows, each as `file: Owner.member (why)`. */
export function internalsIn(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (what: string, why: string): void => {
    if (!PUBLIC_UNDERSCORE_MEMBERS.has(what)) found.push(`${file}: ${what} (${why})`);
  };

  const visit = (node: ts.Node, owner: string): void => {
    const name = declaredName(node);
    const qualified = owner === '' ? (name ?? '') : `${owner}.${name ?? ''}`;
    if (name !== undefined && isInternalTagged(node, text)) report(qualified, '@internal');
    else if (name?.startsWith('_')) {
      if (isMember(node)) {
        const modifiers = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
        if (!modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword)) {
          report(qualified, modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.ProtectedKeyword) ? 'protected' : 'public');
        }
      } else if (ts.isExportSpecifier(node) || isExported(node)) report(qualified, 'exported');
    }
    // Members are named after the class, interface or type alias they belong to.
    const childOwner = isContainer(node) && name !== undefined ? qualified : owner;
    ts.forEachChild(node, (child) => visit(child, childOwner));
  };
  visit(source, '');
  return found;
}

/**
 * Every internal in the declaration files under `root`/`dir` (see `internalsIn`), with paths
 * from `root` (`dist/types/index.d.ts` for a package root and `dist`).
 */
export function internalsUnder(root: string, dir: string): string[] {
  return declarationFiles(join(root, dir), root).flatMap((file) => internalsIn(file, readFileSync(join(root, file), 'utf8')));
}

function declaredName(node: ts.Node): string | undefined {
  if (ts.isExportSpecifier(node)) return node.name.text;
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText()).join(', ');
  const name = (node as { name?: ts.Node }).name;
  if (name === undefined || !(ts.isDeclarationStatement(node) || isMember(node))) return undefined;
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText();
}

function isMember(node: ts.Node): boolean {
  return ts.isClassElement(node) || ts.isTypeElement(node);
}

function isContainer(node: ts.Node): boolean {
  return ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isModuleDeclaration(node) || isMember(node);
}

function isExported(node: ts.Node): boolean {
  if (!ts.canHaveModifiers(node)) return false;
  return (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

/** Whether the doc comment right before `node` holds an `@internal` tag (as `stripInternal` reads it). */
function isInternalTagged(node: ts.Node, text: string): boolean {
  const start = ts.isVariableDeclaration(node) ? node.parent.parent.getFullStart() : node.getFullStart();
  return (ts.getLeadingCommentRanges(text, start) ?? []).some((range) => /@internal\b/.test(text.slice(range.pos, range.end)));
}
