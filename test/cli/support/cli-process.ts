/**
 * Runs the wgfleet command the way users run it: the bundled file (cli/dist/wgfleet.cjs, bundled afresh once per
 * test file) in a child process, with its own config file path so a developer's contexts never leak in.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestPanel } from '../../support/panel';

export const CLI_DIR = join(__dirname, '..', '..', '..', 'cli');
export const CLI_BUNDLE = join(CLI_DIR, 'dist', 'wgfleet.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Bundles the CLI from its current sources (esbuild, about a second). */
export async function bundleCli(): Promise<void> {
  await promisify(execFile)('npm', ['run', 'bundle', '-w', '@wgfleet/cli'], { cwd: join(CLI_DIR, '..') });
}

/** The panel's URL as a child process reaches it. */
export function panelUrl(panel: TestPanel): string {
  const address = panel.app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

type RunOptions = { env?: Record<string, string | undefined>; stdin?: string };

/** A command still running: what it printed so far, and its end. */
export interface RunningCli {
  child: ChildProcess;
  output: () => CliResult;
  done: Promise<CliResult>;
}

export interface CliSession {
  configPath: string;
  env: Record<string, string>;
  run: (args: string[], options?: RunOptions) => Promise<CliResult>;
  start: (args: string[], options?: RunOptions) => RunningCli;
  cleanup: () => Promise<void>;
}

export async function cliSession(env: Record<string, string>): Promise<CliSession> {
  const dir = await mkdtemp(join(tmpdir(), 'wgcl-'));
  const configPath = join(dir, 'config.json');
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    WGFLEET_CONFIG: configPath,
    ...env,
  };
  const start = (args: string[], options: RunOptions = {}): RunningCli => {
    const merged = Object.fromEntries(
      Object.entries({ ...base, ...options.env }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { env: merged, cwd: dir });
    const result: CliResult = { code: -1, stdout: '', stderr: '' };
    child.stdout!.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
    child.stdin!.end(options.stdin ?? '');
    const done = new Promise<CliResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ ...result, code: code ?? -1 }));
    });
    return { child, output: () => ({ ...result }), done };
  };
  return {
    configPath,
    env: base,
    run: (args, options) => start(args, options).done,
    start,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
