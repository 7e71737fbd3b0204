/**
 * The one definition of active time (issue 13.1); see README.md in this folder for the rule in
 * words. Input: the ordered stream of presence events one workbench session recorded (the
 * renderer's input heartbeats plus focus, visibility and task changes, stamped by the recorder).
 * Output: active milliseconds per task and for the session.
 *
 * Rule: between two consecutive presence signals (input, focus, blur, visible, hidden) the time
 * counts in full when the gap is at most the idle threshold, and not at all when it is longer;
 * of that time, only the stretches during which a workbench window was focused and visible and
 * the machine not suspended count, each to the task open in that window. Events are taken in
 * stream order (the order the recorder received them), never re-sorted by timestamp: clocks
 * only measure gaps. A gap is measured on the monotonic clock when both events carry the same
 * one, on the wall clock otherwise; a negative gap (a clock set back) counts nothing.
 */

import { z } from 'zod';

export const DEFAULT_IDLE_MS = 60_000;

/** The project's idle threshold, as the lead sets it in the project config (5 s – 30 min). */
export const IdleThreshold = z
  .number()
  .int()
  .min(5_000)
  .max(30 * 60_000);
export const IdleThresholdMs = IdleThreshold.default(DEFAULT_IDLE_MS);

export const PresenceKind = z.enum([
  /** Keys, pointer, wheel or scroll seen (raw, or one heartbeat per throttle period). */
  'input',
  'focus',
  'blur',
  'visible',
  'hidden',
  /** The task open in the window changed (taskId: the new one, or null for none). */
  'task',
  /** The machine goes to sleep / wakes (e.g. Electron's powerMonitor). */
  'suspend',
  'resume',
  /** The window closed. */
  'closed',
]);
export type PresenceKind = z.infer<typeof PresenceKind>;

export const PresenceEvent = z.object({
  kind: PresenceKind,
  /** Wall clock, ms since the Unix epoch. */
  at: z.number().finite(),
  /** Monotonic clock reading in ms (performance.now() of the recorder), when known. */
  mono: z.number().finite().optional(),
  /** Which monotonic clock `mono` is read from (a process or page id): it restarts with it. */
  clock: z.string().max(100).optional(),
  /** The workbench window (or tab) the event comes from. */
  window: z.string().max(100).default('main'),
  /** For kind 'task': the task now open in that window. */
  taskId: z.string().max(200).nullable().optional(),
});
export type PresenceEvent = z.input<typeof PresenceEvent>;

/** Signals that the person was there at that moment. Task changes and sleep are not: the app or the OS may cause them. */
const PRESENCE: ReadonlySet<PresenceKind> = new Set(['input', 'focus', 'blur', 'visible', 'hidden']);

interface WindowState {
  focused: boolean;
  visible: boolean;
  taskId: string | null;
  /** Sequence number of this window's last input or focus, to pick one of two focused windows. */
  touched: number;
}

export const ActiveInterval = z.object({
  /** Wall clock at the start of the stretch. */
  from: z.number(),
  ms: z.number().nonnegative(),
  taskId: z.string().nullable(),
});
export type ActiveInterval = z.infer<typeof ActiveInterval>;

export const ActiveTime = z.object({
  /** Active ms of the session (with and without a task open). */
  totalMs: z.number().nonnegative(),
  /** Active ms per task id. */
  byTaskMs: z.record(z.string(), z.number().nonnegative()),
  /** Active ms with no task open (queue screens, settings). */
  noTaskMs: z.number().nonnegative(),
  /** Counted stretches in order; neighbours of one task merged. */
  intervals: z.array(ActiveInterval),
  /**
   * Engaged time since the last presence signal, not yet counted: it counts if the next signal
   * comes within the threshold. A live display may show it while `now − last signal ≤ threshold`.
   */
  provisionalMs: z.number().nonnegative(),
});
export type ActiveTime = z.infer<typeof ActiveTime>;

/** The stretch between two consecutive events; `idx` is the stream index of the event ending it. */
interface Piece {
  from: number;
  ms: number;
  taskId: string | null;
  engaged: boolean;
  idx: number;
}

type Stamp = Pick<PresenceEvent, 'at' | 'mono' | 'clock'>;

/** Milliseconds from a to b: monotonic when both read the same clock; null when negative or not finite. */
export const gapMs = (a: Stamp, b: Stamp): number | null => {
  const d =
    a.mono !== undefined && b.mono !== undefined && a.clock !== undefined && a.clock === b.clock
      ? b.mono - a.mono
      : b.at - a.at;
  return Number.isFinite(d) && d >= 0 ? d : null;
};

/**
 * Incremental form of the derivation, for the recorder that shows active time live: push events
 * in stream order, read `result()` at any time. `deriveActiveTime` is the same over an array.
 */
export class ActiveTimeTracker {
  private readonly idleMs: number;
  private readonly windows = new Map<string, WindowState>();
  private suspended = false;
  private seq = 0;
  private prev: Stamp | null = null;
  /** Stretches since the last presence signal, and their summed gap. */
  private pending: Piece[] = [];
  private events = 0;
  private lastCounted = -1;
  private pendingGap = 0;
  private pendingBroken = false;
  private readonly out: ActiveTime = {
    totalMs: 0,
    byTaskMs: {},
    noTaskMs: 0,
    intervals: [],
    provisionalMs: 0,
  };

  private readonly onCount: ((counted: ActiveInterval) => void) | undefined;

  /** `onCount` hears each stretch the moment it counts (the recorder stores them as they come). */
  constructor(options: { idleMs?: number; onCount?: (counted: ActiveInterval) => void } = {}) {
    this.idleMs = IdleThresholdMs.parse(options.idleMs ?? DEFAULT_IDLE_MS);
    this.onCount = options.onCount;
  }

  /** The threshold this tracker applies. */
  get thresholdMs(): number {
    return this.idleMs;
  }

  private windowOf(id: string): WindowState {
    let w = this.windows.get(id);
    if (!w) this.windows.set(id, (w = { focused: false, visible: true, taskId: null, touched: -1 }));
    return w;
  }

  /** The window the person works in: focused, visible, most recently touched; none while asleep. */
  private engaged(): WindowState | null {
    if (this.suspended) return null;
    let best: WindowState | null = null;
    for (const w of this.windows.values())
      if (w.focused && w.visible && (!best || w.touched > best.touched)) best = w;
    return best;
  }

  push(input: PresenceEvent): void {
    const e = PresenceEvent.parse(input);
    const idx = this.events++;
    if (this.prev) {
      const d = gapMs(this.prev, e);
      const w = this.engaged();
      if (d === null) this.pendingBroken = true;
      else {
        this.pendingGap += d;
        if (this.pendingGap > this.idleMs) this.pending = [];
        else if (d > 0)
          this.pending.push({
            from: this.prev.at,
            ms: d,
            taskId: w?.taskId ?? null,
            engaged: w !== null,
            idx,
          });
      }
    }
    this.prev = e;
    if (PRESENCE.has(e.kind)) {
      if (!this.pendingBroken && this.pendingGap <= this.idleMs)
        for (const p of this.pending) if (p.engaged) this.count(p);
      this.pending = [];
      this.pendingGap = 0;
      this.pendingBroken = false;
    }
    this.apply(e);
  }

  private apply(e: z.infer<typeof PresenceEvent>): void {
    const w = this.windowOf(e.window);
    switch (e.kind) {
      case 'input':
        // Keys reach only a focused window; an input from a window never seen focused says it is.
        if (w.touched < 0) w.focused = true;
        w.touched = ++this.seq;
        break;
      case 'focus':
        w.focused = true;
        w.touched = ++this.seq;
        break;
      case 'blur':
        w.focused = false;
        break;
      case 'visible':
        w.visible = true;
        break;
      case 'hidden':
        w.visible = false;
        break;
      case 'task':
        w.taskId = e.taskId ?? null;
        break;
      case 'suspend':
        this.suspended = true;
        break;
      case 'resume':
        this.suspended = false;
        break;
      case 'closed':
        this.windows.delete(e.window);
        break;
    }
  }

  private count(p: Piece): void {
    this.out.totalMs += p.ms;
    if (p.taskId === null) this.out.noTaskMs += p.ms;
    else this.out.byTaskMs[p.taskId] = (this.out.byTaskMs[p.taskId] ?? 0) + p.ms;
    const last = this.out.intervals[this.out.intervals.length - 1];
    // Stretches that follow each other in the stream with one task make one interval.
    if (last && last.taskId === p.taskId && this.lastCounted === p.idx - 1) last.ms += p.ms;
    else this.out.intervals.push({ from: p.from, ms: p.ms, taskId: p.taskId });
    this.lastCounted = p.idx;
    this.onCount?.({ from: p.from, ms: p.ms, taskId: p.taskId });
  }

  result(): ActiveTime {
    const provisionalMs = this.pendingBroken
      ? 0
      : this.pending.reduce((s, p) => s + (p.engaged ? p.ms : 0), 0);
    return {
      totalMs: this.out.totalMs,
      byTaskMs: { ...this.out.byTaskMs },
      noTaskMs: this.out.noTaskMs,
      intervals: this.out.intervals.map((i) => ({ ...i })),
      provisionalMs,
    };
  }
}

/** Active time of one session's event stream (in the order recorded). */
export const deriveActiveTime = (
  events: readonly PresenceEvent[],
  options: { idleMs?: number } = {},
): ActiveTime => {
  const t = new ActiveTimeTracker(options);
  for (const e of events) t.push(e);
  return t.result();
};
