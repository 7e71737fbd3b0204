import type { ApiClient, ReviewView } from '../../../../shared/contract';
import type { PrepareCache } from '../task/prepare-cache';
import { PREPARE_AHEAD } from '../task/task-preparer';
import { reviewTaskView } from './review-model';

/**
 * The review queue's counterpart of `TaskPreparer`: while one review item is open, the next few
 * pending items of its project and batch (`review.next` order) are read and their assets
 * prepared in the same `PrepareCache` machinery the task screen uses (image decoded, text
 * segmented), so N or a verdict shows the next item at once.
 */
export class ReviewPreparer {
  private plan: { forId: string; ahead: ReviewView[] } | null = null;
  private generation = 0;

  constructor(
    private readonly api: ApiClient,
    readonly cache: PrepareCache,
  ) {}

  /** Re-plans for the open item and prepares the items it leads to. Safe to call often. */
  async refresh(current: ReviewView): Promise<void> {
    const gen = ++this.generation;
    const ahead: ReviewView[] = [];
    let after = current.submission.id;
    while (ahead.length < PREPARE_AHEAD) {
      const r = await this.api.call('review.next', {
        projectId: current.item.projectId,
        batch: current.item.batch,
        after,
      });
      if (gen !== this.generation) return;
      if (!r.ok || r.value === null) break;
      ahead.push(r.value);
      after = r.value.submission.id;
    }
    this.plan = { forId: current.submission.id, ahead };
    this.cache.want(ahead.map(reviewTaskView));
  }

  /** Whether N or a verdict on `currentId` has a prepared item to show. */
  hasNext(currentId: string): boolean {
    const next = this.nextOf(currentId);
    if (!next) return false;
    const state = this.cache.stateOf(next.task.id);
    return state === 'preparing' || state === 'ready';
  }

  /** The prepared item after `currentId`, handed over; null when none is prepared. */
  takeNext(currentId: string): { view: ReviewView; ready: boolean } | null {
    const next = this.nextOf(currentId);
    if (!next) return null;
    const taken = this.cache.take(next.task.id);
    return taken ? { view: next, ready: taken.ready } : null;
  }

  /** The item on screen moved on: plans made for another item no longer apply. */
  forget(): void {
    this.plan = null;
    this.generation++;
  }

  private nextOf(currentId: string): ReviewView | null {
    const p = this.plan;
    return p && p.forId === currentId ? (p.ahead[0] ?? null) : null;
  }
}
