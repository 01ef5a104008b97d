/**
 * Callers asking for the same key while a call is running share that call's promise instead of starting
 * (or queueing) another one.
 */
export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  run(key: K, call: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = call().finally(() => {
      if (this.inFlight.get(key) === started) this.inFlight.delete(key);
    });
    this.inFlight.set(key, started);
    return started;
  }

  /** Later callers start a fresh call: the running one may predate a change they must see. */
  forget(key: K): void {
    this.inFlight.delete(key);
  }
}
