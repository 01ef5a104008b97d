/** Idle and absolute session lifetimes, in seconds (SESSION_IDLE_TIMEOUT_S, SESSION_ABSOLUTE_TIMEOUT_S). */
export interface SessionTimeouts {
  idleTimeoutS: number;
  absoluteTimeoutS: number;
}

export interface SessionTimes {
  lastSeenAt: Date;
  /** The absolute end, fixed at sign-in. */
  expiresAt: Date;
}

export type SessionState = 'active' | 'idle' | 'expired';

/** When a session signed in at `now` ends, whatever happens. */
export function absoluteExpiry(now: Date, timeouts: SessionTimeouts): Date {
  return new Date(now.getTime() + timeouts.absoluteTimeoutS * 1000);
}

/** A session is usable until its absolute end and while it was seen within the idle timeout. */
export function sessionState(session: SessionTimes, now: Date, timeouts: SessionTimeouts): SessionState {
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= timeouts.idleTimeoutS * 1000) return 'idle';
  return 'active';
}

/**
 * Whether a use at `now` must be written down as the session's last sight. Not every request writes: within a
 * tenth of the idle timeout (at most a minute) the idle deadline moves too little to matter, so a busy console
 * costs one write a minute, not one per request; a session thus ends at most that much before its idle timeout.
 */
export function needsTouch(session: SessionTimes, now: Date, timeouts: SessionTimeouts): boolean {
  const slackMs = Math.min(60_000, timeouts.idleTimeoutS * 100);
  return now.getTime() - session.lastSeenAt.getTime() >= slackMs;
}

/** Sessions last seen before this are idle: a statement's cut-off for the idle timeout. */
export function idleCutoff(now: Date, timeouts: SessionTimeouts): Date {
  return new Date(now.getTime() - timeouts.idleTimeoutS * 1000);
}
