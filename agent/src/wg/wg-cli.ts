import { execFile, spawn } from 'node:child_process';

/**
 * A `wg` (or `ip`, for what wg does not set) run that failed; the message carries the tool's own words, with any
 * secret we handed it blanked out.
 */
export class WgCommandError extends Error {
  constructor(
    readonly subcommand: string,
    readonly stderr: string,
    tool = 'wg',
  ) {
    super(`${tool} ${subcommand} failed: ${stderr || 'no error output'}`);
    this.name = 'WgCommandError';
  }
}

const MAX_ERROR_CHARS = 1000;
// 10,000 peers dump to about 2 MB; leave ample room before execFile gives up.
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

function cleanStderr(stderr: string, secrets: readonly string[]): string {
  let text = stderr.trim();
  for (const secret of secrets) text = text.split(secret).join('[redacted]');
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

/**
 * The environment a `wg` process gets: PATH and wg's own WG_* settings, nothing else. The agent's
 * environment may hold AGENT_SECRET; no child ever sees it.
 */
export function wgEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = { PATH: env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' };
  for (const [name, value] of Object.entries(env)) if (name.startsWith('WG_')) kept[name] = value;
  return kept;
}

function subcommandOf(args: readonly string[]): string {
  return args.slice(0, 2).join(' ');
}

/** Runs `ip` (from PATH, as wg is) with an argument array, for the link settings wg does not own (MTU). */
export function execIp(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { env: wgEnvironment() }, (error, _stdout, stderr) => {
      if (error)
        reject(new WgCommandError(subcommandOf(args), cleanStderr(stderr || error.message, []), 'ip'));
      else resolve();
    });
  });
}

/** Runs wg with an argument array (never through a shell) and resolves with its stdout. */
export function execWg(
  binary: string,
  args: readonly string[],
  secrets: readonly string[] = [],
): Promise<string> {
  return execWgRaw(binary, args, secrets).then((stdout) => stdout.toString('utf8'));
}

/** Like execWg, with stdout as bytes: large outputs are not turned into one big string. */
export function execWgRaw(
  binary: string,
  args: readonly string[],
  secrets: readonly string[] = [],
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const options = { encoding: 'buffer' as const, maxBuffer: MAX_OUTPUT_BYTES, env: wgEnvironment() };
    execFile(binary, args, options, (error, stdout, stderr) => {
      if (error)
        reject(
          new WgCommandError(subcommandOf(args), cleanStderr(stderr.toString() || error.message, secrets)),
        );
      else resolve(stdout);
    });
  });
}

/** Runs wg and hands its stdout to `onOutput` piece by piece, as it arrives. */
export function streamWg(
  binary: string,
  args: readonly string[],
  onOutput: (piece: Buffer) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: wgEnvironment() });
    let stderr = '';
    let failure: Error | null = null;
    child.stdout!.on('data', (piece: Buffer) => {
      if (failure) return;
      try {
        onOutput(piece);
      } catch (error) {
        failure = error as Error;
        child.kill();
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new WgCommandError(subcommandOf(args), error.message)));
    child.on('close', (code) => {
      if (failure) reject(failure);
      else if (code === 0) resolve();
      else reject(new WgCommandError(subcommandOf(args), cleanStderr(stderr, [])));
    });
  });
}

/** Runs wg with its stdout going straight into an open file, so the output never passes through this process. */
export function execWgToFile(binary: string, args: readonly string[], fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', fd, 'pipe'], env: wgEnvironment() });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new WgCommandError(subcommandOf(args), error.message)));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new WgCommandError(subcommandOf(args), cleanStderr(stderr, []))),
    );
  });
}
