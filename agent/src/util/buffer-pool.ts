/**
 * Buffers of one size, kept for reuse. Touching fresh memory costs page faults: on the small VMs agents run
 * on, about 3 ms per MB, which for a 10,000-peer dump (3 MB of JSON) cost more than converting it. Reused
 * buffers are already mapped. At most `maxPooled` buffers are kept; the rest go to the garbage collector.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly bufferBytes: number,
    private readonly maxPooled: number,
  ) {}

  /** A buffer of at least `minBytes` (a larger one than usual is made for that caller and not pooled). */
  take(minBytes = 0): Buffer {
    if (minBytes > this.bufferBytes) return Buffer.allocUnsafeSlow(minBytes);
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes);
  }

  give(buffers: readonly Buffer[]): void {
    for (const buffer of buffers) {
      if (this.free.length >= this.maxPooled) return;
      if (buffer.length === this.bufferBytes) this.free.push(buffer);
    }
  }

  clear(): void {
    this.free.length = 0;
  }
}

/**
 * Bytes written into pooled buffers, which several answers may send at once: each sender holds them while
 * sending, and the buffers go back to the pool when the last one lets go.
 */
export class PooledBytes {
  private holders = 0;
  private released = false;

  constructor(
    /** The written part of each buffer, in order. */
    readonly chunks: readonly Buffer[],
    private readonly buffers: readonly Buffer[],
    private readonly pool: BufferPool,
  ) {}

  get byteLength(): number {
    return this.chunks.reduce((total, chunk) => total + chunk.length, 0);
  }

  /** Call before sending; call the returned function once the bytes are no longer read. */
  hold(): () => void {
    // The buffers may already be written again by someone else: sending them would send wrong bytes.
    if (this.released) throw new Error('pooled bytes used after they were released');
    this.holders += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.holders -= 1;
      if (this.holders === 0) {
        this.released = true;
        this.pool.give(this.buffers);
      }
    };
  }

  /** One copy of all the bytes (for callers that parse them rather than send them). */
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
