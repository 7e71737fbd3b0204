/**
 * Finishing writes (submit, skip) sent in the background while the next task is already on
 * screen. Reads that must see them (the history ← leads through) wait for `settled()`.
 */
export class PendingWrites {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const done = () => void this.pending.delete(p);
    p.then(done, done);
    return p;
  }

  get count(): number {
    return this.pending.size;
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
