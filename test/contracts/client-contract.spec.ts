import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/*
 * The console and the CLI call the panel through @wgfleet/client, typed by the panel's OpenAPI document, so a
 * request or answer field that does not exist must be a compile error in both (docs/API.md). These tests run
 * the TypeScript compiler on each workspace's own tsconfig: a small file calling the API the way that
 * workspace does, and the workspace's real code against a schema whose field was renamed.
 */

const ROOT = resolve(__dirname, '..', '..');
const WEB = join(ROOT, 'web');
const CLI = join(ROOT, 'cli');
/** The console reads the client's source (tsconfig paths), the CLI its built declarations. */
const SCHEMA_FILES = [
  join(ROOT, 'packages/client/src/schema.ts'),
  join(ROOT, 'packages/client/dist/schema.d.ts'),
];

interface Problem {
  file: string;
  code: number;
  message: string;
  /** The source text the diagnostic points at (a field name, for the problems these tests make). */
  at: string;
}

/** Compiles `roots` (default: the project's own files) with `replaced` files' text swapped in. */
function compile(project: string, replaced: Record<string, string>, roots?: string[]): Problem[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(project, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${project}/tsconfig.json`);
  const options = { ...config.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => replaced[resolve(file)] ?? readFile(file);
  host.fileExists = (file) => resolve(file) in replaced || ts.sys.fileExists(file);
  const program = ts.createProgram(roots ?? config.fileNames, options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const start = diagnostic.start ?? 0;
    return {
      file: diagnostic.file ? diagnostic.file.fileName.slice(ROOT.length + 1) : '(options)',
      code: diagnostic.code,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      at: diagnostic.file?.text.slice(start, start + (diagnostic.length ?? 0)) ?? '',
    };
  });
}

/** Compiles one file that sits in `project`'s source folder beside the code it imports. */
function compileUse(project: string, fileName: string, text: string): Problem[] {
  const file = join(project, 'src', fileName);
  return compile(project, { [file]: text }, [file]);
}

const UNKNOWN_PROPERTY = 2353; // Object literal may only specify known properties
const NOT_ASSIGNABLE = 2322; // here: a body field the document does not name is typed never
const NO_SUCH_PROPERTY = 2339; // Property does not exist on type

/** The console's way: openapi-fetch calls on the shared `api`, answers unwrapped with expectOk. */
const consoleUse = (requestField: string, answerField: string) => `
import { api, expectOk } from './api';

export async function use(id: string): Promise<unknown> {
  const peer = await expectOk(
    api.PATCH('/api/peers/{id}', { params: { path: { id } }, body: { ${requestField}: 25, version: 1 } }),
  );
  return peer.${answerField};
}
`;

/** The CLI's way: the commands' PanelApi methods, which take and give the document's types. */
const cliUse = (requestField: string, answerField: string) => `
import { PanelApi } from './panel-api';

export async function use(panel: PanelApi, id: string): Promise<unknown> {
  const peer = await panel.updatePeer(id, { ${requestField}: 25, version: 1 });
  return peer.${answerField};
}
`;

describe.each([
  // openapi-fetch alone lets an unknown body field through; @wgfleet/client types it never (TS2322).
  { way: 'console', project: WEB, use: consoleUse, unknownField: NOT_ASSIGNABLE },
  // PanelApi's methods take the body's type, so TypeScript's own excess property check applies (TS2353).
  { way: 'CLI', project: CLI, use: cliUse, unknownField: UNKNOWN_PROPERTY },
])("the $way's calls are checked against the OpenAPI document", ({ project, use, unknownField }) => {
  it('compiles a use with the fields the document has', () => {
    expect(compileUse(project, 'contract-use.ts', use('persistent_keepalive', 'has_preshared_key'))).toEqual(
      [],
    );
  });

  it('fails on a request field and an answer field the document does not have', () => {
    const problems = compileUse(project, 'contract-use.ts', use('keepalive', 'client_secret'));
    expect(problems).toEqual([
      expect.objectContaining({ code: unknownField, at: 'keepalive' }),
      expect.objectContaining({ code: NO_SUCH_PROPERTY, at: 'client_secret' }),
    ]);
  });
});

describe('a field renamed in the OpenAPI document', () => {
  // What `npm run openapi` would generate after the panel renamed persistent_keepalive everywhere.
  const renamed = Object.fromEntries(
    SCHEMA_FILES.map((file) => [
      file,
      ts.sys.readFile(file)?.replace(/\bpersistent_keepalive(\??:)/g, 'keepalive_seconds$1') ?? '',
    ]),
  );

  it.each([
    { way: 'console', project: WEB, files: ['web/src/pages/peers.tsx'] },
    // The command-line options and the fleet file's rules are both typed by the request bodies.
    { way: 'CLI', project: CLI, files: ['cli/src/field-options.ts', 'cli/src/fleet/fleet-file.ts'] },
  ])('breaks the $way at compile time where it uses the field', ({ project, files }) => {
    for (const schema of SCHEMA_FILES) expect(renamed[schema]).toContain('keepalive_seconds');
    const problems = compile(project, renamed);
    const aboutTheField = (problem: Problem) =>
      `${problem.at} ${problem.message}`.includes('persistent_keepalive');
    for (const file of files) {
      expect(problems.filter((problem) => problem.file === file && aboutTheField(problem))).not.toEqual([]);
    }
    // Every error is the renamed field, where it is written or read.
    expect(problems.filter((problem) => !aboutTheField(problem))).toEqual([]);
  });
});
