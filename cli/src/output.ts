import { Command } from 'commander';
import pc from 'picocolors';
import { cell, renderTable } from './table';

export type Colors = ReturnType<typeof pc.createColors>;
type Env = Record<string, string | undefined>;

/** Colour only on a terminal, never with NO_COLOR or --no-color; FORCE_COLOR forces it. */
export function colorEnabled(stream: { isTTY?: boolean }, env: Env, flag: boolean): boolean {
  if (!flag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** Where a command writes: tables and text for people, JSON with `-o json`. */
export class Output {
  readonly color: Colors;

  constructor(
    readonly json: boolean,
    colors: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    this.color = pc.createColors(colors);
  }

  static for(command: Command): Output {
    const options = command.optsWithGlobals<{ output?: string; color?: boolean }>();
    return new Output(
      options.output === 'json',
      colorEnabled(process.stdout, process.env, options.color !== false),
    );
  }

  write(text: string): void {
    this.stdout.write(text);
  }

  line(text = ''): void {
    this.stdout.write(text + '\n');
  }

  /** Messages about the work (progress, notes) go to stderr, so stdout stays the result. */
  note(text: string): void {
    this.stderr.write(text + '\n');
  }

  /** A command's outcome: a sentence for people, `value` as JSON with `-o json`. */
  result(sentence: string, value: unknown): void {
    if (this.json) this.printJson(value);
    else this.line(sentence);
  }

  printJson(value: unknown): void {
    this.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  table(headers: string[], rows: unknown[][]): void {
    if (rows.length === 0) {
      this.note('(none)');
      return;
    }
    this.stdout.write(
      renderTable(
        headers.map((header) => this.color.bold(header)),
        rows.map((row) => row.map(cell)),
      ),
    );
  }

  /** A drift, job or cluster member status, coloured by what it means. */
  status(status: string): string {
    if (status === 'in_sync' || status === 'succeeded' || status === 'applied' || status === 'healthy')
      return this.color.green(status);
    if (
      status === 'drift' ||
      status === 'pending' ||
      status === 'running' ||
      status === 'queued' ||
      status === 'draining'
    )
      return this.color.yellow(status);
    if (status === 'unknown' || status === 'failed' || status === 'unhealthy') return this.color.red(status);
    return status;
  }
}

/** The `-o, --output` option every command that prints a result takes. */
export function withOutputOption(command: Command): Command {
  return command.option('-o, --output <format>', 'table (default) or json', 'table');
}
