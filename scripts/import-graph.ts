/**
 * `npx tsx scripts/import-graph.ts`: the panel's import graph (src/, specs left out). Prints the imports from
 * one feature module into another, the upward ones (a module importing a module above it in `MODULE_LAYERS` of
 * eslint.config.mjs) and the cycles between modules, between folders (common/<x>, config, database, each
 * module, ...) and between files (type-only imports count: a cycle of types is still a knot to untie).
 * Exits 1 on an upward import or any cycle, so `scripts/test.sh` keeps them from coming back.
 * `--json` prints the figures alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');

type Edge = { from: string; to: string };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

/** Every relative import of a file, `import type`, `export … from` and `import('…')` types included. */
function fileImports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.flatMap(({ fileName }) => resolveImport(file, fileName) ?? []);
}

/** The folder a file belongs to: `modules/<m>`, `common/<x>`, `config`, `database`, ... or `src` for the root files. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  if (parts.length === 1) return 'src';
  if (parts[0] === 'modules' || parts[0] === 'common') return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

const moduleOf = (folder: string): string | undefined =>
  folder.startsWith('modules/') ? folder.slice('modules/'.length) : undefined;

/** Strongly connected components with more than one member (Tarjan): the cycles of a graph. */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return found;
}

function distinct(edges: Edge[]): Edge[] {
  const seen = new Map(edges.map((edge) => [`${edge.from}\0${edge.to}`, edge]));
  return [...seen.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

async function main(): Promise<void> {
  // The order lives in eslint.config.mjs, which lint reads too; an ES module, so it is imported, not required.
  const { MODULE_LAYERS } = (await import(pathToFileURL(join(ROOT, 'eslint.config.mjs')).href)) as {
    MODULE_LAYERS: string[];
  };
  const layer = new Map(MODULE_LAYERS.map((name, position) => [name, position]));

  const fileEdges = sourceFiles(SRC).flatMap((file) =>
    fileImports(file).map((target) => ({ from: relative(SRC, file), to: relative(SRC, target) })),
  );
  const folderEdges = distinct(
    fileEdges
      .map(({ from, to }) => ({ from: folderOf(join(SRC, from)), to: folderOf(join(SRC, to)) }))
      .filter(({ from, to }) => from !== to),
  );
  const crossModuleImports = fileEdges.filter(({ from, to }) => {
    const source = moduleOf(folderOf(join(SRC, from)));
    const target = moduleOf(folderOf(join(SRC, to)));
    return source !== undefined && target !== undefined && source !== target;
  });
  const moduleEdges = distinct(
    crossModuleImports.map(({ from, to }) => ({
      from: moduleOf(folderOf(join(SRC, from)))!,
      to: moduleOf(folderOf(join(SRC, to)))!,
    })),
  );
  const unplaced = [...new Set(moduleEdges.flatMap(({ from, to }) => [from, to]))].filter(
    (m) => !layer.has(m),
  );
  const upward = crossModuleImports.filter(({ from, to }) => {
    const source = layer.get(moduleOf(folderOf(join(SRC, from)))!) ?? -1;
    const target = layer.get(moduleOf(folderOf(join(SRC, to)))!) ?? Infinity;
    return target >= source;
  });
  const figures = {
    crossModuleImports: crossModuleImports.length,
    moduleDependencies: moduleEdges.length,
    upwardImports: upward.length,
    moduleCycles: cycles(moduleEdges),
    folderCycles: cycles(folderEdges),
    fileCycles: cycles(fileEdges),
    modulesMissingFromLayers: unplaced,
  };

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    console.log(`Module dependencies (${moduleEdges.length}, from ${crossModuleImports.length} imports):`);
    for (const { from, to } of moduleEdges) console.log(`  ${from} → ${to}`);
    console.log(`Upward imports (${upward.length}):`);
    for (const { from, to } of upward) console.log(`  ${from} → ${to}`);
    for (const [name, found] of [
      ['Module cycles', figures.moduleCycles],
      ['Folder cycles', figures.folderCycles],
      ['File cycles', figures.fileCycles],
    ] as const) {
      console.log(`${name} (${found.length}):`);
      for (const members of found) console.log(`  ${members.join(' ↔ ')}`);
    }
    if (unplaced.length > 0) console.log(`Modules missing from MODULE_LAYERS: ${unplaced.join(', ')}`);
  }
  const failed =
    upward.length > 0 ||
    unplaced.length > 0 ||
    figures.moduleCycles.length + figures.folderCycles.length + figures.fileCycles.length > 0;
  process.exitCode = failed ? 1 : 0;
}

void main();
