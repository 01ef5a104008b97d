/**
 * `npm run bench`: runs every benchmark of the project, each in its own process, and prints one table
 * (figure, target, measured, the floor measured in the same run, ratio). Needs `npm run build` and root.
 * `--only <name>` runs one; `--json <file>` also writes all rows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchRow, printRows } from './bench-report';

const ROOT = join(__dirname, '../..');
const TS = ['--require', 'ts-node/register/transpile-only'];

const BENCHMARKS: Array<{ name: string; args: string[] }> = [
  { name: 'agent', args: ['--import', 'tsx', 'agent/bench/agent-bench.ts'] },
  { name: 'peer-create', args: [...TS, 'scripts/bench/peer-create-bench.ts'] },
  // 100 wireguard-go processes saturate a 2-core box by themselves: 100 nodes share 10 interfaces here.
  { name: 'drift', args: [...TS, 'scripts/bench/drift-bench.ts', '--interfaces', '10'] },
  { name: 'reconcile', args: [...TS, 'scripts/bench/reconcile-bench.ts'] },
  { name: 'sync', args: [...TS, 'scripts/bench/sync-bench.ts'] },
  { name: 'load', args: [...TS, 'scripts/bench/load-bench.ts'] },
  { name: 'console', args: [...TS, 'scripts/bench/console-bench.ts'] },
  { name: 'enforcement', args: [...TS, 'scripts/bench/enforcement-bench.ts'] },
  { name: 'usage-accounting', args: [...TS, 'scripts/bench/usage-accounting-bench.ts'] },
  { name: 'audit', args: [...TS, 'scripts/bench/audit-bench.ts'] },
  // 1,000 simulated nodes × 1,000 peers, one panel then two: several minutes (scheduled scans run on the clock).
  { name: 'fleet', args: [...TS, 'scripts/bench/fleet-bench.ts'] },
];

function main(): void {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
  const dir = mkdtempSync(join(tmpdir(), 'wgfleet-bench-'));
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  for (const bench of BENCHMARKS.filter((b) => !only || b.name === only)) {
    const script = bench.args.find((part) => part.endsWith('.ts'));
    if (!script || !existsSync(join(ROOT, script))) continue;
    const out = join(dir, `${bench.name}.json`);
    console.log(`\n== ${bench.name}`);
    const run = spawnSync(process.execPath, [...bench.args, '--json', out], { cwd: ROOT, stdio: 'inherit' });
    // A benchmark exits non-zero when it misses a target; its rows still count. Only missing rows mean failure.
    if (!existsSync(out)) {
      failed.push(`${bench.name} (exit ${run.status})`);
      continue;
    }
    rows.push(
      ...(JSON.parse(readFileSync(out, 'utf8')) as BenchRow[]).map((row) => ({
        ...row,
        figure: `${bench.name}: ${row.figure}`,
      })),
    );
  }
  console.log('\n== all benchmarks');
  printRows(rows);
  if (failed.length) console.log(`benchmarks that did not finish: ${failed.join(', ')}`);
  const index = process.argv.indexOf('--json');
  if (index >= 0) writeFileSync(process.argv[index + 1], JSON.stringify(rows, null, 2));
  process.exitCode = failed.length || rows.some((row) => !row.ok) ? 1 : 0;
}

main();
