/**
 * Active labeling time: the gaps between a person's interactions, each counted up to an idle cap,
 * so a task left open over lunch does not count as an hour of work.
 */
export class ActiveTimer {
  private last: number | null = null;
  private total = 0;

  constructor(private readonly idleCapMs = 30_000) {}

  /** Call on every interaction (key, pointer, wheel) with the current time in ms. */
  touch(now: number): void {
    if (this.last !== null && now > this.last) this.total += Math.min(now - this.last, this.idleCapMs);
    this.last = now;
  }

  get ms(): number {
    return Math.round(this.total);
  }
}
