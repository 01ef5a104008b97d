import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Modules are layered: each may import only the modules listed before it in `MODULE_LAYERS` of
 * eslint.config.mjs, and lint fails on an upward import. Proved here by linting planted files.
 */

const ROOT = join(__dirname, '..', '..');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** Lints `source` as if it were the file `filePath`; the messages of the rules that fired. */
function lint(filePath: string, source: string): string[] {
  const run = spawnSync('node', [ESLINT, '--format', 'json', '--stdin', '--stdin-filename', filePath], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

function moduleLayers(): string[] {
  const run = spawnSync(
    'node',
    [
      '--input-type=module',
      '-e',
      "console.log(JSON.stringify((await import('./eslint.config.mjs')).MODULE_LAYERS))",
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(run.stdout) as string[];
}

describe('module layers', () => {
  it('places every module of src/modules', () => {
    const modules = readdirSync(join(ROOT, 'src', 'modules'));
    expect([...moduleLayers()].sort()).toEqual([...modules].sort());
  });

  it('fails lint on an import of a module above', () => {
    const upward = "import { DriftScanner } from '../drift';\nexport const scanner = DriftScanner;\n";
    expect(lint('src/modules/nodes/planted.ts', upward)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*'nodes' may import only the modules below it/),
    ]);
    const upwardFromDomain =
      "import type { NodeDriftReport } from '../../drift/domain/drift-report';\nexport type Report = NodeDriftReport;\n";
    expect(lint('src/modules/peers/domain/planted.ts', upwardFromDomain)).toEqual([
      expect.stringMatching(/'peers' may import only the modules below it/),
    ]);
  }, 60_000);

  it('lets a module import the modules below it, through their public files only', () => {
    const downward = "import { NodesService } from '../nodes';\nexport const nodes = NodesService;\n";
    expect(lint('src/modules/drift/planted.ts', downward)).toEqual([]);
    const internal = "import { NodesStore } from '../nodes/nodes.store';\nexport const store = NodesStore;\n";
    expect(lint('src/modules/drift/planted.ts', internal)).toEqual([
      expect.stringMatching(/Import another module through its public files/),
    ]);
  }, 60_000);

  it('keeps the shared vocabulary of common/domain at the bottom, below config', () => {
    const upward =
      "import { APP_CONFIG } from '../../config/app-config';\nexport const token = APP_CONFIG;\n";
    expect(lint('src/common/domain/planted.ts', upward)).toEqual([
      expect.stringMatching(/common\/domain imports nothing outside itself/),
    ]);
  }, 60_000);
});
