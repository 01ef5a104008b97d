/** Numbered, one-line steps for a person to follow: what happened, the key facts, how long it took. */
/** A step's failure, already told on its line. */
export class StepFailed extends Error {
  constructor(
    readonly step: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StepFailed';
  }
}

/** scripts/demo.sh pads its own step line to the same width. */
const TITLE_WIDTH = 36;

export class Narrator {
  private next: number;

  /** `first`: the number of the first step told here (the shell script tells the ones before). */
  constructor(first: number) {
    this.next = first;
  }

  /** Runs one step and prints one line: the facts on success, the error on failure (then rethrows). */
  async step<T>(title: string, run: () => Promise<T>, facts: (value: T) => string): Promise<T> {
    const number = this.next++;
    const started = Date.now();
    const head = `${String(number).padStart(2)}. ${title.padEnd(TITLE_WIDTH)}`;
    try {
      const value = await run();
      console.log(`${head} ${facts(value)} (${seconds(Date.now() - started)})`);
      return value;
    } catch (error) {
      const failure = new StepFailed(number, error);
      console.log(`${head} FAILED: ${failure.message}`);
      throw failure;
    }
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A public key shortened for reading: its first 8 characters. */
export function shortKey(key: string): string {
  return `${key.slice(0, 8)}…`;
}
