/**
 * Runs `refresh` for many callers at once and at most once per `maxAgeMs`: a caller arriving while a run is in
 * flight, or within `maxAgeMs` of the last successful one, shares it. A failed run is not kept.
 */
export class SharedRefresh {
  private inFlight: Promise<void> | null = null;
  private finishedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  run(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.now() - this.finishedAt < this.maxAgeMs) return Promise.resolve();
    const run = this.refresh()
      .then(() => {
        this.finishedAt = this.now();
      })
      .finally(() => {
        this.inFlight = null;
      });
    this.inFlight = run;
    return run;
  }
}
