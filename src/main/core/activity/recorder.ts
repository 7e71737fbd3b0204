import { randomUUID } from 'node:crypto';
import {
  ActiveTimeTracker,
  DEFAULT_IDLE_MS,
  type ActiveInterval,
  type PresenceEvent,
  type ReportedSignal,
  type StampedSignal,
} from '../../../shared/metrics';
import type { ActivityLog } from '../db/activity';

export type RecorderOptions = {
  /** Wall clock, ms epoch (the services' Clock). */
  clock: () => number;
  /** A monotonic clock in ms for this app run (performance.now in production). */
  monotonic: () => number;
  /** The idle threshold of the task's project (absent config: 60 s). */
  idleOf: (taskId: string) => number;
};

/** Events kept for a late tracker's replay (about two days of steady work). */
const MAX_HISTORY = 200_000;

/** Signals kept in memory before they go to disk as one chain link (unless a task change writes them first). */
const MAX_PENDING_SIGNALS = 500;

export type Drained = { signals: StampedSignal[]; active: ActiveInterval[] };

/**
 * Records active time in the main process (issue 13.2). The renderer only reports that input,
 * focus, visibility or the open task changed, and how long ago (bounded by the report's own
 * size); the recorder stamps each signal with its own clocks, derives active time with the one
 * definition (`ActiveTimeTracker`) and keeps the counted stretches and the signals until a write
 * puts them in the chain (`flushInto`, inside the transaction of a task change, or on its own).
 *
 * Thresholds differ per project: one tracker per threshold in use sees every signal, and a
 * stretch counts through the tracker of its task's project (with no task open: 60 s).
 */
export class ActivityRecorder {
  readonly session = randomUUID();
  private readonly trackers = new Map<number, ActiveTimeTracker>();
  /** This run's presence events, replayed into a tracker for a threshold first seen later. */
  private readonly history: PresenceEvent[] = [];
  private pendingSignals: StampedSignal[] = [];
  private pendingActive: ActiveInterval[] = [];
  private replaying = false;
  private lastMono = -Infinity;
  private lastAt = -Infinity;
  private readonly idleCache = new Map<string, number>();

  constructor(private readonly o: RecorderOptions) {
    this.tracker(DEFAULT_IDLE_MS);
  }

  private idleOf(taskId: string | null): number {
    if (taskId === null) return DEFAULT_IDLE_MS;
    let ms = this.idleCache.get(taskId);
    if (ms === undefined) this.idleCache.set(taskId, (ms = this.o.idleOf(taskId)));
    return ms;
  }

  private tracker(idleMs: number): ActiveTimeTracker {
    let t = this.trackers.get(idleMs);
    if (t) return t;
    t = new ActiveTimeTracker({
      idleMs,
      onCount: (s) => {
        if (this.idleOf(s.taskId) === idleMs) this.credit(s);
      },
    });
    // Catch up silently: what the other trackers counted of the past is already credited.
    this.trackers.set(idleMs, t);
    this.replaying = true;
    for (const e of this.history) t.push(e);
    this.replaying = false;
    return t;
  }

  private credit(s: ActiveInterval): void {
    if (this.replaying) return;
    const last = this.pendingActive[this.pendingActive.length - 1];
    // Stretches that follow each other for one task make one row.
    if (last && last.taskId === s.taskId && Math.abs(last.from + last.ms - s.from) <= 1) last.ms += s.ms;
    else this.pendingActive.push({ ...s });
  }

  /** Stamps and records one window's reported signals. */
  report(window: string, signals: readonly ReportedSignal[]): void {
    const now = this.o.clock();
    const mono = this.o.monotonic();
    for (const s of signals) {
      // Never before a signal already recorded: a report cannot reach back past the last one.
      const m = Math.max(mono - s.ago, this.lastMono);
      const at = Math.max(Math.trunc(now - s.ago), this.lastAt);
      this.lastMono = m;
      this.lastAt = at;
      const taskId = s.kind === 'task' ? (s.taskId ?? null) : undefined;
      if (taskId) this.tracker(this.idleOf(taskId));
      this.push({ k: s.kind, at, mono: m, w: window, ...(taskId !== undefined ? { t: taskId } : {}) });
    }
  }

  /** The OS says the machine sleeps or wakes (Electron's powerMonitor). */
  power(kind: 'suspend' | 'resume'): void {
    const at = Math.max(Math.trunc(this.o.clock()), this.lastAt);
    const m = Math.max(this.o.monotonic(), this.lastMono);
    this.lastAt = at;
    this.lastMono = m;
    this.push({ k: kind, at, mono: m, w: 'system' });
  }

  private push(s: StampedSignal): void {
    const e: PresenceEvent = {
      kind: s.k,
      at: s.at,
      mono: s.mono,
      clock: this.session,
      window: s.w,
      ...(s.t !== undefined ? { taskId: s.t } : {}),
    };
    this.history.push(e);
    if (this.history.length > MAX_HISTORY) this.history.splice(0, this.history.length - MAX_HISTORY / 2);
    for (const t of this.trackers.values()) t.push(e);
    this.pendingSignals.push(s);
  }

  /** Whether enough is pending that it should go to disk without waiting for a task change. */
  get full(): boolean {
    return this.pendingSignals.length >= MAX_PENDING_SIGNALS;
  }

  get hasPending(): boolean {
    return this.pendingSignals.length > 0 || this.pendingActive.length > 0;
  }

  /** Active ms counted but not yet written, with their start at or after `since`. */
  pendingActiveSince(since: number): number {
    return this.pendingActive.reduce((n, s) => n + (s.from >= since ? s.ms : 0), 0);
  }

  /** Takes what is pending, to be written by `writeDrained` (or put back by `undrain` on rollback). */
  drain(): Drained {
    const d = { signals: this.pendingSignals, active: this.pendingActive };
    this.pendingSignals = [];
    this.pendingActive = [];
    return d;
  }

  /** Writes drained signals (one chain link) and stretches; call inside the change's transaction. */
  writeDrained(d: Drained, log: ActivityLog): void {
    if (d.signals.length > 0)
      log.appendPresence({ type: 'presence', session: this.session, signals: d.signals });
    log.addActive(d.active);
  }

  /** The transaction did not commit: the drained records go back in front of what came since. */
  undrain(d: Drained): void {
    this.pendingSignals = [...d.signals, ...this.pendingSignals];
    this.pendingActive = [...d.active, ...this.pendingActive];
  }

  /** A project's config changed (a lease from the hub): thresholds are looked up again. */
  forgetThresholds(): void {
    this.idleCache.clear();
  }
}
