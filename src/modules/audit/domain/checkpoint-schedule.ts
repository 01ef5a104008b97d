/** The last checkpoint: its seq and when it was signed. */
export interface LastCheckpoint {
  seq: number;
  time: Date;
}

export interface CheckpointPolicy {
  /** Sign once this many events were sealed since the last checkpoint ... */
  every: number;
  /** ... or once this many seconds passed since it, if any event was sealed meanwhile. */
  intervalS: number;
}

/** Whether the chain's head at `headSeq` deserves a new checkpoint now. */
export function checkpointDue(
  last: LastCheckpoint | null,
  headSeq: number,
  now: Date,
  policy: CheckpointPolicy,
): boolean {
  if (headSeq <= (last?.seq ?? 0)) return false;
  if (last === null) return true;
  return headSeq - last.seq >= policy.every || now.getTime() - last.time.getTime() >= policy.intervalS * 1000;
}
