import { getEventListeners } from 'node:events';
import { pause, pollUntilInterrupted } from './polling';

// Jest's sandbox does not see process warnings; test/cli/cli-polling-and-qr.e2e-spec.ts checks the real command's
// stderr for MaxListenersExceededWarning.
describe('pollUntilInterrupted', () => {
  it('runs rounds until Ctrl-C, then leaves no signal handler behind', async () => {
    let rounds = 0;
    await pollUntilInterrupted(1, async () => {
      rounds += 1;
      if (rounds === 50) process.emit('SIGINT');
    });
    expect(rounds).toBe(50);
    expect(process.listenerCount('SIGINT')).toBe(0);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('asks again at once while a round says there is more, and stops on SIGTERM', async () => {
    const started = Date.now();
    let rounds = 0;
    await pollUntilInterrupted(60_000, async () => {
      rounds += 1;
      if (rounds === 3) process.emit('SIGTERM');
      return rounds < 3;
    });
    expect(rounds).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('pause', () => {
  it('ends early when stopped, and leaves no listener on the signal after 50 waits', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 50; i++) await pause(1, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);

    const started = Date.now();
    const waiting = pause(60_000, stop.signal);
    stop.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
