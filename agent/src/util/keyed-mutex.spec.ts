import { KeyedMutex } from './keyed-mutex';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyedMutex', () => {
  it('never interleaves tasks of one key, in arrival order, even when one fails', async () => {
    const mutex = new KeyedMutex<string>();
    const events: string[] = [];
    const task = (name: string, fail = false) =>
      mutex.runExclusive('wg0', async () => {
        events.push(`${name}:start`);
        await tick();
        events.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a'), task('b', true), task('c')]);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('lets different keys run concurrently', async () => {
    const mutex = new KeyedMutex<string>();
    const events: string[] = [];
    const task = (key: string) =>
      mutex.runExclusive(key, async () => {
        events.push(`${key}:start`);
        await tick();
        events.push(`${key}:end`);
      });
    await Promise.all([task('wg0'), task('wg1')]);
    expect(events.slice(0, 2)).toEqual(['wg0:start', 'wg1:start']);
  });
});
