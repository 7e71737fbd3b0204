/** What the task header shows about the draft. */
export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/**
 * Debounced, serialized saving: every change restarts the delay; saves never overlap, so an older
 * draft can never land after a newer one; `flush()` saves at once and waits for every save in
 * flight (before submit, skip or leaving the task). A failed save keeps its value and is retried
 * by itself after a growing pause (and at the next flush), never dropped.
 */
export class Autosaver<T> {
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<boolean> = Promise.resolve(true);
  private current: SaveState = 'idle';
  private retryMs: number;

  constructor(
    private readonly save: (value: T) => Promise<boolean>,
    private readonly delayMs = 300,
    private readonly onState: (state: SaveState) => void = () => {},
    private readonly retry = { firstMs: 2000, maxMs: 30_000 },
  ) {
    this.retryMs = retry.firstMs;
  }

  get state(): SaveState {
    return this.current;
  }

  get hasUnsaved(): boolean {
    return this.pending !== null;
  }

  change(value: T): void {
    this.pending = { value };
    this.setState('pending');
    this.clearTimer();
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves what is pending now; resolves true when everything given so far is saved. */
  flush(): Promise<boolean> {
    this.clearTimer();
    const p = this.pending;
    this.pending = null;
    if (p) this.chain = this.chain.then(() => this.run(p.value));
    return this.chain;
  }

  /** Drops a pending (not yet started) save, e.g. when the task is submitted with that value. */
  cancel(): void {
    this.clearTimer();
    this.pending = null;
    if (this.current === 'pending') this.setState('idle');
  }

  /** Waits for the save in flight without starting a new one. */
  settled(): Promise<boolean> {
    return this.chain;
  }

  private async run(value: T): Promise<boolean> {
    this.setState('saving');
    let ok: boolean;
    try {
      ok = await this.save(value);
    } catch {
      ok = false;
    }
    if (!ok) {
      this.pending ??= { value };
      this.setState('error');
      // A newer change has its own timer; otherwise try this value again later.
      if (this.timer === null) {
        this.timer = setTimeout(() => void this.flush(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, this.retry.maxMs);
      }
      return false;
    }
    this.retryMs = this.retry.firstMs;
    this.setState(this.pending ? 'pending' : 'saved');
    return true;
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private setState(s: SaveState): void {
    if (s === this.current) return;
    this.current = s;
    this.onState(s);
  }
}
