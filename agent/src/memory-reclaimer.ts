import { getHeapStatistics } from 'node:v8';

/** V8 heap in use plus the memory held by Buffers. */
export function heapAndBuffersBytes(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}

/**
 * Hands memory back once the agent is idle. A 10,000-peer dump, or a burst of writes, leaves megabytes of
 * garbage that V8 keeps until its own heap limits push it to a full collection, so the agent's RSS would sit
 * tens of megabytes above its idle size. When no request has been in flight for `idleMs` and the heap (with
 * Buffers) grew by `growthBytes` since the last collection, one full collection runs: never in the middle
 * of a burst, where it would only add latency.
 * Needs node's --expose-gc (bin/wgfleet-agent passes it); without it this does nothing.
 */
export class MemoryReclaimer {
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private baseline: number;

  constructor(
    private readonly collect: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
    private readonly options: { idleMs: number; growthBytes: number; measure: () => number } = {
      idleMs: 100,
      growthBytes: 2 * 1024 * 1024,
      measure: heapAndBuffersBytes,
    },
  ) {
    this.baseline = options.measure();
  }

  /** Call when a request starts; call the returned function once its answer is sent (or abandoned). */
  begin(): () => void {
    this.inFlight += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
      if (this.inFlight > 0 || !this.collect) return;
      this.timer = setTimeout(() => this.collectIfGrown(), this.options.idleMs);
      this.timer.unref();
    };
  }

  private collectIfGrown(): void {
    this.timer = null;
    if (this.options.measure() - this.baseline < this.options.growthBytes) return;
    this.collect!();
    this.baseline = this.options.measure();
  }
}
