import { BufferPool, PooledBytes } from './buffer-pool';

describe('BufferPool', () => {
  it('hands back the buffers it was given, up to its limit, and makes larger ones for larger needs', () => {
    const pool = new BufferPool(16, 1);
    const first = pool.take();
    const second = pool.take();
    pool.give([first, second]);
    expect(pool.take()).toBe(first);
    expect(pool.take()).not.toBe(second);
    expect(pool.take(64).length).toBe(64);
    pool.give([Buffer.alloc(64)]);
    expect(pool.take().length).toBe(16);
  });

  it('forgets its buffers when cleared', () => {
    const pool = new BufferPool(16, 4);
    const buffer = pool.take();
    pool.give([buffer]);
    pool.clear();
    expect(pool.take()).not.toBe(buffer);
  });
});

describe('PooledBytes', () => {
  it('returns its buffers to the pool only when the last holder lets go', () => {
    const pool = new BufferPool(8, 4);
    const buffer = pool.take();
    buffer.write('abcdefgh');
    const bytes = new PooledBytes([buffer.subarray(0, 3), buffer.subarray(5, 8)], [buffer], pool);
    expect(bytes.byteLength).toBe(6);
    expect(bytes.toBuffer().toString()).toBe('abcfgh');
    const first = bytes.hold();
    const second = bytes.hold();
    first();
    first();
    expect(pool.take()).not.toBe(buffer);
    second();
    expect(pool.take()).toBe(buffer);
    expect(() => bytes.hold()).toThrow('released');
  });
});
