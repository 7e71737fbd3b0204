import type { ApiClient, TaskView } from '../../../../shared/contract';
import { type HistoryStep, historyStep } from './history-nav';
import type { PrepareCache } from './prepare-cache';

/** How many tasks ahead in queue order are prepared (the cache's budget may stop it sooner). */
export const PREPARE_AHEAD = 3;

interface Plan {
  /** The task these answers are for. */
  forTask: string;
  /** What Enter opens next (claimNext's choice once this task is finished). */
  next: string | null;
  /** The unfinished tasks after this one, in queue order (`next` first). */
  ahead: string[];
  /** null: not read for this task yet (the plan was carried over from the previous task). */
  back: HistoryStep | null;
  forward: HistoryStep | null;
}

/**
 * Decides which tasks to prepare while one is open (the next few in queue order, and the finished
 * tasks ← and → lead to) and reads their views; `PrepareCache` holds them. Queue order is
 * `tasks.claimNext`'s: other tasks in progress first, then queued ones, each by queue position.
 * Reads wait for the writes still under way (`settled`), so a submission sent in the background
 * is in the history before it is read.
 */
export class TaskPreparer {
  private plan: Plan | null = null;
  private generation = 0;

  constructor(
    private readonly api: ApiClient,
    readonly cache: PrepareCache,
    private readonly settled: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Re-plans for the open task and prepares what it leads to. Safe to call often. */
  async refresh(currentId: string): Promise<void> {
    const gen = ++this.generation;
    await this.settled();
    if (gen !== this.generation) return;
    const [progress, queued, history] = await Promise.all([
      this.api.call('tasks.list', { status: ['in_progress'], limit: PREPARE_AHEAD + 1, offset: 0 }),
      this.api.call('tasks.list', { status: ['queued'], limit: PREPARE_AHEAD, offset: 0 }),
      this.api.call('tasks.history', { limit: 500 }),
    ]);
    if (gen !== this.generation || !progress.ok || !queued.ok) return;
    const ahead = [...progress.value.items, ...queued.value.items]
      .map((t) => t.id)
      .filter((id) => id !== currentId)
      .slice(0, PREPARE_AHEAD);
    const list = history.ok ? history.value : [];
    const back = history.ok ? historyStep(list, currentId, 'back') : ({ kind: 'none' } as const);
    const forward = history.ok ? historyStep(list, currentId, 'forward') : ({ kind: 'none' } as const);
    const ids = [...ahead];
    // ← right after Enter is common (a second look at what was just submitted): prepared second.
    if (back.kind === 'open' && !ids.includes(back.taskId)) ids.splice(1, 0, back.taskId);
    if (forward.kind === 'open' && !ids.includes(forward.taskId)) ids.push(forward.taskId);
    const opened = await Promise.all(ids.map((taskId) => this.api.call('tasks.open', { taskId })));
    if (gen !== this.generation) return;
    const views = opened.flatMap((r) => (r.ok ? [r.value] : []));
    this.plan = { forTask: currentId, next: ahead[0] ?? null, ahead, back, forward };
    this.cache.want(views);
  }

  /**
   * The prepared task Enter leads to from `currentId`, handed over; null if none is prepared.
   * Plans made for `currentId` no longer apply; the plan carries over to the task taken (its next
   * is the one after it in the same queue order, already prepared), so a second Enter before the
   * next `refresh` answers still opens a prepared task. `refresh` replaces the carried plan.
   */
  takeNext(currentId: string): { view: TaskView; ready: boolean } | null {
    const p = this.plan;
    if (!p || p.forTask !== currentId || !p.next) return null;
    const taken = this.cache.take(p.next);
    if (!taken) return null;
    this.forget();
    const ahead = p.ahead.slice(1);
    this.plan = { forTask: p.next, next: ahead[0] ?? null, ahead, back: null, forward: null };
    return taken;
  }

  /** The task the current plan is for (null: none made yet). */
  get plannedFor(): string | null {
    return this.plan?.forTask ?? null;
  }

  /** Whether Enter from `currentId` has a prepared task to show. */
  hasNext(currentId: string): boolean {
    const p = this.plan;
    if (!p || p.forTask !== currentId || !p.next) return false;
    const state = this.cache.stateOf(p.next);
    return state === 'preparing' || state === 'ready';
  }

  /** Where ← or → leads from `currentId` as last read; null when not known yet. */
  step(currentId: string, direction: 'back' | 'forward'): HistoryStep | null {
    const p = this.plan;
    if (!p || p.forTask !== currentId) return null;
    return (direction === 'back' ? p.back : p.forward) ?? null;
  }

  /** The prepared finished task `taskId`, handed over; null if it is not prepared. */
  take(taskId: string): { view: TaskView; ready: boolean } | null {
    return this.cache.take(taskId);
  }

  /** The open task moved on: plans made for another task no longer apply. */
  forget(): void {
    this.plan = null;
    this.generation++;
  }
}
