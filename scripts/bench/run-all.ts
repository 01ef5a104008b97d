/**
 * `npm run bench`: runs every benchmark of the project, each in its own process, and prints one table
 * (figure, target, measured, the floor measured in the same run, ratio). Builds first; needs root.
 * `--only <name>` runs one and passes it the other flags, e.g. `--only fleet --nodes 200 --api-peers 1`
 * (each benchmark's flags are listed in benchmarks.ts; any other flag is an error); `--json <file>` also writes all rows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchArgsError, parseRunAllArgs, RunAllArgs, scriptArgs } from './bench-args';
import { BENCHMARKS } from './benchmarks';
import { BenchRow, printRows } from './bench-report';

const ROOT = join(__dirname, '../..');

function main(): void {
  let args: RunAllArgs;
  try {
    args = parseRunAllArgs(process.argv.slice(2), BENCHMARKS);
  } catch (error) {
    if (!(error instanceof BenchArgsError)) throw error;
    console.error(`bench: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  // Built after the flags are checked, so a mistyped flag is told at once, not after a minute of building.
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error(`bench: npm run build failed (exit ${build.status})`);
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wgfleet-bench-'));
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  for (const bench of BENCHMARKS.filter((b) => !args.only || b.name === args.only)) {
    const out = join(dir, `${bench.name}.json`);
    const argv = [...scriptArgs(bench, args.forwarded), '--json', out];
    console.log(`\n== ${bench.name}${args.forwarded.length ? ` ${args.forwarded.join(' ')}` : ''}`);
    const run = spawnSync(process.execPath, argv, { cwd: ROOT, stdio: 'inherit' });
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
  if (args.json) writeFileSync(args.json, JSON.stringify(rows, null, 2));
  process.exitCode = failed.length || rows.some((row) => !row.ok) ? 1 : 0;
}

main();
