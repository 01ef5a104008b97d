import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * Each table belongs to the module whose entity declares it, and only that module's SQL names it. Another module
 * reads it through the owner's exported reader or, inside one statement that must join across modules, through
 * the view the owner publishes, named by the owner's constant (`from ${PUBLISHED_PEERS} p`), never literally.
 */

const ROOT = join(__dirname, '..', '..');
const MODULES = join(ROOT, 'src', 'modules');
const MIGRATIONS = join(ROOT, 'src', 'migrations');

/** Tables a migration creates without an entity declaring them, and the module whose store owns each. */
const TABLES_WITHOUT_ENTITY: Record<string, string> = {
  drift_reports: 'drift',
  peer_usage: 'lifecycle',
  peer_alert_state: 'lifecycle',
};

/** SQL words that can follow `from`, `join`, `into`, `update` or `using` without being a table's name. */
const NOT_A_TABLE = new Set(['lateral', 'only', 'set', 'select', 'values']);

/** Stands for an interpolated `${...}`: never an identifier, so an interpolated name is never taken literally. */
const INTERPOLATION = '\u27e8expr\u27e9';

/** The text of every string and template literal of a TypeScript source, interpolations blanked out. */
function literalsOf(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node))
      texts.push(
        node.head.text + node.templateSpans.map((span) => INTERPOLATION + span.literal.text).join(''),
      );
    ts.forEachChild(node, visit);
  };
  visit(file);
  return texts;
}

/**
 * The relations a piece of SQL names literally after `from`, `join`, `into`, `update` or `using`: not a function
 * (a parenthesis right after the name: `jsonb_to_recordset(`, `unnest(`; `into peers (id, ...)` is a table), a
 * column (`p.id`), a `lateral` subquery or a name the statement's own `with` defines.
 */
function relationsIn(sql: string): string[] {
  const ctes = new Set(
    [
      ...sql.matchAll(
        /(?:\bwith(?:\s+recursive)?|,)\s+"?([a-z_][a-z0-9_]*)"?\s+as\s+(?:not\s+)?(?:materialized\s+)?\(/gi,
      ),
    ].map((match) => match[1].toLowerCase()),
  );
  const names: string[] = [];
  for (const match of sql.matchAll(
    /\b(?:from|join|into|update|using)\s+(?:(?:lateral|only)\s+)?("?)([a-z_][a-z0-9_]*)\1(?![a-z0-9_.(])/gi,
  )) {
    const name = match[2].toLowerCase();
    if (!NOT_A_TABLE.has(name) && !ctes.has(name)) names.push(name);
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(spec|e2e-spec|test)\.ts$/.test(entry.name) ? [path] : [];
  });
}

interface ModuleFile {
  path: string;
  module: string;
  source: string;
}

function moduleFiles(): ModuleFile[] {
  return sourceFiles(MODULES).map((path) => ({
    path: relative(ROOT, path),
    module: relative(MODULES, path).split(/[\\/]/)[0],
    source: readFileSync(path, 'utf8'),
  }));
}

function migrationsText(): string {
  return sourceFiles(MIGRATIONS)
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
}

/** Table → owning module: the entities' `tableName`s where they live, then the tables without an entity. */
function tableOwners(files: readonly ModuleFile[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files)
    for (const match of file.source.matchAll(/@Entity\(\{[^}]*\btableName:\s*'([a-z_][a-z0-9_]*)'/g))
      owners.set(match[1], file.module);
  for (const [table, module] of Object.entries(TABLES_WITHOUT_ENTITY)) owners.set(table, module);
  return owners;
}

/** Published view → owning module: where the constant other modules interpolate is defined. */
function viewOwners(files: readonly ModuleFile[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files)
    for (const match of file.source.matchAll(/export const [A-Z_]+ = '(published_[a-z0-9_]+)'/g))
      owners.set(match[1], file.module);
  return owners;
}

interface Violation {
  file: string;
  table: string;
}

/** What `scanned` names of other modules' tables and views, owners taken from `files`. */
function violations(files: readonly ModuleFile[], scanned: readonly ModuleFile[] = files): Violation[] {
  const tables = tableOwners(files);
  const views = viewOwners(files);
  const found = new Map<string, Violation>();
  const add = (file: string, table: string): void => {
    found.set(`${file} ${table}`, { file, table });
  };
  for (const file of scanned)
    for (const literal of literalsOf(file.path, file.source)) {
      for (const table of relationsIn(literal)) {
        const owner = tables.get(table);
        if (owner !== undefined && owner !== file.module) add(file.path, table);
      }
      for (const [view, owner] of views)
        if (owner !== file.module && literal.toLowerCase().includes(view)) add(file.path, view);
    }
  return [...found.values()].sort((a, b) => `${a.file} ${a.table}`.localeCompare(`${b.file} ${b.table}`));
}

describe('SQL reads and writes only its own module’s tables', () => {
  const files = moduleFiles();

  it('finds the tables a statement names, and nothing else', () => {
    const source = `
      import { thing } from 'from-a-package';
      // Reads from peers in a comment, which is no statement.
      const INSERT = \`insert into "peers" (id) select id from jsonb_to_recordset(?::jsonb) as p(id uuid)\`;
      const q = \`with fresh as (\${INSERT}), gone as (delete from pending_removals r using nodes n where n.id = r.node_id)
        select f.id from fresh f
        join lateral (select 1 from node_managed_keys k where k.peer_id = f.id) k on true
        left join \${PUBLISHED_NODES} pn on pn.id = f.node_id
        cross join unnest(?::uuid[]) as u(id)
        where extract(epoch from f.created_at) > 0\`;
      const u = 'update peer_sync_state s set applied_version = 1 where s.peer_id = ?';
      const text = 'on conflict (node_id) do update set x = excluded.x';
    `;
    const found = literalsOf('planted.ts', source).flatMap(relationsIn);
    expect(found.sort()).toEqual([
      'node_managed_keys',
      'nodes',
      'peer_sync_state',
      'peers',
      'pending_removals',
    ]);
  });

  it('reports a planted statement on another module’s table, and a published view named literally', () => {
    const planted: ModuleFile = {
      path: 'src/modules/sync/planted.ts',
      module: 'sync',
      source: `const a = 'select p.id from peers p join peer_sync_state s on s.peer_id = p.id';
               const b = \`select id from published_nodes\`;
               const c = \`select id from \${PUBLISHED_PEERS}\`;`,
    };
    expect(violations(files, [planted])).toEqual([
      { file: planted.path, table: 'peers' },
      { file: planted.path, table: 'published_nodes' },
    ]);
  });

  it('knows the owner of every table and published view a migration creates', () => {
    const migrations = migrationsText();
    const created = (kind: string): string[] => [
      ...new Set(
        [...migrations.matchAll(new RegExp(`create ${kind} "?([a-z_][a-z0-9_]*)`, 'gi'))].map(
          (match) => match[1],
        ),
      ),
    ];
    const tables = tableOwners(files);
    const views = viewOwners(files);
    expect(created('table').filter((table) => !tables.has(table))).toEqual([]);
    expect(created('view').filter((view) => !views.has(view))).toEqual([]);
  });

  it('finds no statement on another module’s table', () => {
    expect(violations(files)).toEqual([]);
  });
});
