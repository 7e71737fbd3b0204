import type { ReportedSignal } from '../../../../shared/metrics';

type Kind = ReportedSignal['kind'];

/** What the reporter sends (the contract's `activity.report`). */
export type SendReport = (window: string, signals: ReportedSignal[]) => Promise<number | null>;

/** At most one input signal per this period: enough for active time, cheap on the wire. */
export const INPUT_PERIOD_MS = 1_000;

/**
 * The renderer's part of active time (issue 13.2): it says that input arrived, that the window
 * gained or lost focus or visibility, or that another task opened — never how much time that
 * was. The core stamps the signals and derives active time (src/shared/metrics). Signals of one
 * moment go in one call; inputs are throttled to one per `INPUT_PERIOD_MS` (the first of each
 * period, so a pause is undercounted by less than a period, never overcounted).
 */
export class PresenceReporter {
  private queue: { kind: Kind; taskId?: string | null; t: number }[] = [];
  private lastInput = -Infinity;
  private scheduled = false;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(activeMsToday: number) => void>();

  constructor(
    private readonly send: SendReport,
    readonly window: string,
    private readonly now: () => number = () => performance.now(),
    private readonly schedule: (fn: () => void) => void = (fn) => void setTimeout(fn, 0),
  ) {}

  /** A key, pointer, wheel or scroll input. */
  input = (): void => {
    const t = this.now();
    if (t - this.lastInput < INPUT_PERIOD_MS) return;
    this.lastInput = t;
    this.enqueue('input');
  };

  signal(kind: Exclude<Kind, 'input' | 'task'>): void {
    this.enqueue(kind);
  }

  /** The task open in this window (null: none, e.g. the queue screen). */
  task(taskId: string | null): void {
    this.enqueue('task', taskId);
  }

  /** Hears today's active time from each answer. */
  onActiveToday(l: (ms: number) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private enqueue(kind: Kind, taskId?: string | null): void {
    this.queue.push({ kind, ...(taskId !== undefined ? { taskId } : {}), t: this.now() });
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => void this.flush());
  }

  /** Sends what is queued; resolves once every report so far was answered (before a submit). */
  flush = (): Promise<void> => {
    this.scheduled = false;
    if (this.queue.length > 0) {
      const now = this.now();
      const signals: ReportedSignal[] = this.queue.splice(0, 200).map((q) => ({
        kind: q.kind,
        ...(q.taskId !== undefined ? { taskId: q.taskId } : {}),
        ago: Math.min(10_000, Math.max(0, Math.round(now - q.t))),
      }));
      if (this.queue.length > 0) this.schedule(() => void this.flush());
      const prev = this.inFlight;
      this.inFlight = prev
        .then(() => this.send(this.window, signals))
        .then((ms) => {
          if (ms !== null) for (const l of this.listeners) l(ms);
        })
        .catch(() => undefined);
    }
    return this.inFlight;
  };

  /** Listens to this page's input, focus and visibility; returns the stop function. */
  attach(win: Window): () => void {
    const opts = { capture: true, passive: true } as const;
    const inputs = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'scroll'] as const;
    const focus = () => this.signal('focus');
    const blur = () => this.signal('blur');
    const visibility = () => this.signal(win.document.visibilityState === 'hidden' ? 'hidden' : 'visible');
    const hide = () => {
      this.signal('closed');
      void this.flush();
    };
    for (const k of inputs) win.addEventListener(k, this.input, opts);
    win.addEventListener('focus', focus);
    win.addEventListener('blur', blur);
    win.document.addEventListener('visibilitychange', visibility);
    win.addEventListener('pagehide', hide);
    // Where the page starts: focused or not, visible or not.
    if (win.document.visibilityState === 'hidden') this.signal('hidden');
    this.signal(win.document.hasFocus() ? 'focus' : 'blur');
    return () => {
      for (const k of inputs) win.removeEventListener(k, this.input, opts);
      win.removeEventListener('focus', focus);
      win.removeEventListener('blur', blur);
      win.document.removeEventListener('visibilitychange', visibility);
      win.removeEventListener('pagehide', hide);
    };
  }
}
