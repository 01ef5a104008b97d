import { BatchedLoader } from './batched-loader';

describe('BatchedLoader', () => {
  const loaderOver = (keys: string[], batchSize: number) => {
    const loads: string[][] = [];
    const loader = new BatchedLoader(keys, batchSize, async (batch: string[]) => {
      loads.push(batch);
      return new Map(batch.map((key) => [key, key.toUpperCase()]));
    });
    return { loader, loads };
  };

  it('loads each batch once, when one of its keys is first taken', async () => {
    const { loader, loads } = loaderOver(['a', 'b', 'c', 'd', 'e'], 2);
    expect(await Promise.all([loader.take('b'), loader.take('a')])).toEqual(['B', 'A']);
    expect(loads).toEqual([['a', 'b']]);
    expect(await loader.take('e')).toBe('E');
    expect(await loader.take('c')).toBe('C');
    expect(await loader.take('d')).toBe('D');
    expect(loads).toEqual([['a', 'b'], ['e'], ['c', 'd']]);
  });

  it('refuses keys it was not given, or taken before', async () => {
    const { loader } = loaderOver(['a'], 10);
    await loader.take('a');
    await expect(loader.take('a')).rejects.toThrow('no value was planned for a');
    await expect(loader.take('z')).rejects.toThrow('no value was planned for z');
  });

  it('fails the takers of a batch whose load failed, and only them', async () => {
    const loader = new BatchedLoader(['a', 'b', 'c'], 2, async (batch: string[]) => {
      if (batch.includes('a')) throw new Error('database down');
      return new Map(batch.map((key) => [key, key]));
    });
    await expect(loader.take('a')).rejects.toThrow('database down');
    await expect(loader.take('b')).rejects.toThrow('database down');
    expect(await loader.take('c')).toBe('c');
  });
});
