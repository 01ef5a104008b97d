import { absoluteExpiry, idleCutoff, needsTouch, sessionState } from './session-timeouts';

const timeouts = { idleTimeoutS: 600, absoluteTimeoutS: 3600 };
const signIn = new Date('2026-12-07T10:00:00Z');
const at = (seconds: number) => new Date(signIn.getTime() + seconds * 1000);

describe('session timeouts', () => {
  const session = { lastSeenAt: signIn, expiresAt: absoluteExpiry(signIn, timeouts) };

  it('ends a session the absolute timeout after sign-in', () => {
    expect(session.expiresAt).toEqual(at(3600));
    expect(sessionState(session, at(3599), { ...timeouts, idleTimeoutS: 3600 })).toBe('active');
    expect(sessionState(session, at(3600), { ...timeouts, idleTimeoutS: 7200 })).toBe('expired');
  });

  it('ends a session unused for the idle timeout, and a use moves that deadline', () => {
    expect(sessionState(session, at(599), timeouts)).toBe('active');
    expect(sessionState(session, at(600), timeouts)).toBe('idle');
    expect(sessionState({ ...session, lastSeenAt: at(500) }, at(1000), timeouts)).toBe('active');
  });

  it('keeps the absolute end however busy the session is', () => {
    expect(sessionState({ ...session, lastSeenAt: at(3590) }, at(3600), timeouts)).toBe('expired');
  });

  it('writes a use down at most once a minute, sooner for short idle timeouts', () => {
    expect(needsTouch(session, at(59), timeouts)).toBe(false);
    expect(needsTouch(session, at(60), timeouts)).toBe(true);
    const short = { idleTimeoutS: 5, absoluteTimeoutS: 60 };
    expect(needsTouch(session, new Date(signIn.getTime() + 499), short)).toBe(false);
    expect(needsTouch(session, new Date(signIn.getTime() + 500), short)).toBe(true);
  });

  it('gives the idle cut-off for statements', () => {
    expect(idleCutoff(at(1000), timeouts)).toEqual(at(400));
  });
});
