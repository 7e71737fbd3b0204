/**
 * Finishing writes (submit, skip) sent in the background while the next task is already on
 * screen. Reads that must see them (the history ← leads through) wait for `settled()`.
 *
 * A background finish that failed leaves its work with the task's session (kept as a draft and
 * retried by its autosaver). Until that draft is written, a read of the task would show it
 * without the work: `keepUnsaved` registers the session's save, and `settled()` (so every read
 * that waits for it) writes such work first.
 */
export class PendingWrites {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly unsaved = new Map<string, () => Promise<boolean>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const done = () => void this.pending.delete(p);
    p.then(done, done);
    return p;
  }

  get count(): number {
    return this.pending.size;
  }

  /** `taskId` was left with work its finish could not write; `save` writes it (true: written). */
  keepUnsaved(taskId: string, save: () => Promise<boolean>): void {
    this.unsaved.set(taskId, save);
  }

  /** Whether `taskId` has work not written yet (its prepared copy would not show it). */
  hasUnsaved(taskId: string): boolean {
    return this.unsaved.has(taskId);
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
    for (const [taskId, save] of [...this.unsaved]) {
      const ok = await save().catch(() => false);
      if (ok && this.unsaved.get(taskId) === save) this.unsaved.delete(taskId);
    }
  }
}
