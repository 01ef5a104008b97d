/**
 * The command line of `npm run bench`: which benchmark to run and the flags it forwards to it. Every flag a
 * benchmark reads is declared here, so a mistyped or misplaced flag stops the run before anything starts instead
 * of being ignored while the benchmark runs with its defaults (and its figures are then quoted for the flag).
 */

/** A flag's value: a number, any text, or none (a switch). */
export type FlagKind = 'number' | 'text' | 'switch';

export interface Benchmark {
  name: string;
  /** Node's arguments up to and including the script. */
  command: string[];
  /** The flags the script reads, by name without the dashes. */
  flags: Record<string, FlagKind>;
  /** Flags run-all passes unless the user gives them. */
  defaults?: string[];
}

export interface RunAllArgs {
  /** The one benchmark to run; null for all of them. */
  only: string | null;
  /** Where to write every row as JSON. */
  json: string | null;
  /** Flags for the one benchmark, as given. */
  forwarded: string[];
}

export class BenchArgsError extends Error {
  override name = 'BenchArgsError';
}

/** Reads run-all's own flags (`--only`, `--json`) and checks every other flag against the chosen benchmark. */
export function parseRunAllArgs(argv: readonly string[], benchmarks: readonly Benchmark[]): RunAllArgs {
  const args = splitEquals(argv);
  const result: RunAllArgs = { only: null, json: null, forwarded: [] };
  const given: Array<{ flag: string; value: string | undefined }> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--') || arg === '--') throw new BenchArgsError(`unexpected argument "${arg}"`);
    const next = args[i + 1];
    const value = next !== undefined && !next.startsWith('--') ? next : undefined;
    if (arg === '--only' || arg === '--json') {
      if (value === undefined) throw new BenchArgsError(`${arg} needs a value`);
      result[arg === '--only' ? 'only' : 'json'] = value;
      i++;
      continue;
    }
    given.push({ flag: arg, value });
    if (value !== undefined) i++;
  }
  const names = benchmarks.map((b) => b.name);
  const chosen = result.only === null ? null : benchmarks.find((b) => b.name === result.only);
  if (chosen === undefined) {
    throw new BenchArgsError(`--only: no benchmark "${result.only}"; there are ${names.join(', ')}`);
  }
  for (const { flag, value } of given) {
    if (chosen === null) {
      throw new BenchArgsError(
        `${flag} is a flag of one benchmark: name it with --only <${names.join('|')}>`,
      );
    }
    const kind = chosen.flags[flag.slice(2)];
    if (kind === undefined) {
      const known = Object.keys(chosen.flags).map((name) => `--${name}`);
      throw new BenchArgsError(
        `unknown flag ${flag} for the ${chosen.name} benchmark; it takes ${[...known, '--json'].join(', ')}`,
      );
    }
    if (result.forwarded.includes(flag)) throw new BenchArgsError(`${flag} is given twice`);
    if (kind === 'switch' && value !== undefined) {
      throw new BenchArgsError(`${flag} takes no value (got "${value}")`);
    }
    if (kind !== 'switch' && value === undefined) throw new BenchArgsError(`${flag} needs a value`);
    if (kind === 'number' && !Number.isFinite(Number(value))) {
      throw new BenchArgsError(`${flag} must be a number (got "${value}")`);
    }
    result.forwarded.push(flag, ...(value === undefined ? [] : [value]));
  }
  return result;
}

/** The benchmark's script arguments: the flags given, then each default the user did not give. */
export function scriptArgs(benchmark: Benchmark, forwarded: readonly string[]): string[] {
  const defaults = benchmark.defaults ?? [];
  const kept: string[] = [];
  for (let i = 0; i < defaults.length; i++) {
    const flag = defaults[i];
    const hasValue = benchmark.flags[flag.slice(2)] !== 'switch';
    if (!forwarded.includes(flag)) kept.push(flag, ...(hasValue ? [defaults[i + 1]] : []));
    if (hasValue) i++;
  }
  return [...benchmark.command, ...forwarded, ...kept];
}

/** `--name=value` as `--name value`. */
function splitEquals(argv: readonly string[]): string[] {
  return argv.flatMap((arg) => {
    const match = /^(--[^=]+)=(.*)$/.exec(arg);
    return match ? [match[1], match[2]] : [arg];
  });
}
