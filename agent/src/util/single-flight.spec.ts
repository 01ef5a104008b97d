import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('shares one running call between concurrent callers, then starts a new one', async () => {
    const flight = new SingleFlight<string, number>();
    let calls = 0;
    const call = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return calls;
    };
    const shared = await Promise.all(Array.from({ length: 16 }, () => flight.run('wg0', call)));
    expect(shared).toEqual(Array(16).fill(1));
    expect(await flight.run('wg0', call)).toBe(2);
  });

  it('shares failures too and does not keep them', async () => {
    const flight = new SingleFlight<string, number>();
    const failing = () => Promise.reject(new Error('wg failed'));
    await expect(Promise.all([flight.run('k', failing), flight.run('k', failing)])).rejects.toThrow(
      'wg failed',
    );
    await expect(flight.run('k', async () => 7)).resolves.toBe(7);
  });

  it('starts a fresh call after forget, without disturbing the running one', async () => {
    const flight = new SingleFlight<string, string>();
    let release!: (value: string) => void;
    const first = flight.run('k', () => new Promise<string>((resolve) => (release = resolve)));
    flight.forget('k');
    const second = flight.run('k', async () => 'fresh');
    release('stale');
    expect(await Promise.all([first, second])).toEqual(['stale', 'fresh']);
    expect(await flight.run('k', async () => 'next')).toBe('next');
  });
});
