/** The exit codes scripts rely on (docs/API.md, Scripts and exit codes). */
export const EXIT = {
  ok: 0,
  error: 1,
  /** drift found (`drift --exit-code`), changes pending (`diff`, `plan --exit-code`). */
  changes: 2,
  /** at least one node could not be checked (`drift --exit-code`). */
  unknown: 3,
  /** a rollout halted at a gate (`rollout start|resume|rollback|status --watch`): a node needs a decision. */
  halted: 3,
  /** the plan no longer matches the node (`apply --plan`). */
  stalePlan: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the user can act on: its message says what to do, its exit code what kind of failure it was. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Drift statuses of the checked nodes → one exit code: any unknown node wins, because it might hide drift. */
export function driftExitCode(statuses: readonly string[]): ExitCode {
  if (statuses.some((status) => status === 'unknown')) return EXIT.unknown;
  if (statuses.some((status) => status === 'drift')) return EXIT.changes;
  return EXIT.ok;
}
