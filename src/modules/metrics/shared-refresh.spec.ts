import { SharedRefresh } from './shared-refresh';

describe('SharedRefresh', () => {
  let clock: number;
  let runs: number;
  let release: (() => void) | null;
  let fail: boolean;
  const refresh = () =>
    new Promise<void>((resolve, reject) => {
      runs++;
      release = () => (fail ? reject(new Error('database down')) : resolve());
    });
  const settle = async () => {
    release?.();
    await new Promise((resolve) => setImmediate(resolve));
  };

  beforeEach(() => {
    clock = 1_000;
    runs = 0;
    release = null;
    fail = false;
  });

  it('lets concurrent callers share one run', async () => {
    const shared = new SharedRefresh(refresh, 0, () => clock);
    const calls = [shared.run(), shared.run(), shared.run()];
    await settle();
    await Promise.all(calls);
    expect(runs).toBe(1);
  });

  it('serves callers from the last run until it is maxAgeMs old', async () => {
    const shared = new SharedRefresh(refresh, 5_000, () => clock);
    const first = shared.run();
    await settle();
    await first;
    clock += 4_999;
    await shared.run();
    expect(runs).toBe(1);
    clock += 1;
    const next = shared.run();
    await settle();
    await next;
    expect(runs).toBe(2);
  });

  it('keeps no failed run: the next caller tries again', async () => {
    const shared = new SharedRefresh(refresh, 5_000, () => clock);
    fail = true;
    const first = shared.run();
    await settle();
    await expect(first).rejects.toThrow('database down');
    fail = false;
    const second = shared.run();
    await settle();
    await second;
    expect(runs).toBe(2);
  });
});
