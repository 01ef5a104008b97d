/**
 * Loads values for many keys in batches of consecutive keys, each batch when one of its keys is first asked
 * for, and lets go of each value once taken. A fleet scan holds the desired state of the nodes it is
 * checking, not of the whole fleet, in a few queries rather than one per node.
 */
export class BatchedLoader<K, V> {
  private readonly batchOf = new Map<K, number>();
  private readonly batches = new Map<number, Promise<Map<K, V>>>();
  private readonly untaken = new Map<number, number>();

  constructor(
    private readonly keys: readonly K[],
    private readonly batchSize: number,
    private readonly loadBatch: (keys: K[]) => Promise<Map<K, V>>,
  ) {
    keys.forEach((key, index) => this.batchOf.set(key, Math.floor(index / batchSize)));
  }

  /** The value of `key`, which must be one of the keys given; each key can be taken once. */
  async take(key: K): Promise<V> {
    const index = this.batchOf.get(key);
    if (index === undefined) throw new Error(`no value was planned for ${String(key)}`);
    this.batchOf.delete(key);
    let batch = this.batches.get(index);
    if (!batch) {
      const keys = this.keys.slice(index * this.batchSize, (index + 1) * this.batchSize);
      batch = this.loadBatch(keys);
      this.batches.set(index, batch);
      this.untaken.set(index, keys.length);
    }
    const untaken = this.untaken.get(index)! - 1;
    this.untaken.set(index, untaken);
    if (untaken === 0) {
      this.batches.delete(index);
      this.untaken.delete(index);
    }
    const values = await batch;
    const value = values.get(key) as V;
    values.delete(key);
    return value;
  }
}
