import type { Clock } from '../../../shared/clock';
import type { EventBus, Handlers } from '../dispatch';
import type { QueueService } from '../queue/service';
import type { SyncEngine } from '../sync/engine';
import { ReviewSync } from '../sync/review-sync';
import { ReviewService } from './service';

export type ReviewMethodName =
  | 'review.roles'
  | 'review.lease'
  | 'review.list'
  | 'review.open'
  | 'review.next'
  | 'review.saveDraft'
  | 'review.accept'
  | 'review.fix'
  | 'review.reject'
  | 'review.history'
  | 'review.progress'
  | 'tasks.reviewFeedback'
  | 'quality.report'
  | 'quality.createLot';
export type ReviewHandlers = Pick<Handlers, ReviewMethodName>;

/**
 * QA review behind the contract: the service (local tables, verdicts into the outbox) and its
 * sync side. `hooks` go to the sync engine, which is made after this (hence `engine` is lazy).
 */
export const createReview = (o: {
  queue: QueueService;
  events: EventBus;
  clock: Clock;
  engine: () => SyncEngine;
  onQueueChanged: () => void;
}) => {
  const identity = () => {
    const store = o.engine().store;
    const userId = store.meta('userId');
    const userName = store.meta('userName');
    return userId && userName ? { userId, userName } : null;
  };
  const service = new ReviewService(o.queue, o.clock, identity);
  service.onChange(() => o.events.emit('review.changed', { at: Math.trunc(o.clock()) }));
  const sync = new ReviewSync(service, o.engine, o.clock, (taskId) => {
    const last = service.feedback(taskId).feedback[0];
    if (last) o.events.emit('review.rework', { taskId, verdictId: last.verdictId });
    o.onQueueChanged();
  });
  const handlers: ReviewHandlers = {
    'review.roles': () => sync.roles(),
    'review.lease': (input) => sync.lease(input),
    'review.list': async (input) => service.list(input),
    'review.open': async (input) => service.open(input.submissionId),
    'review.next': async (input) => service.next(input.projectId, input.batch, input.after),
    'review.saveDraft': async (input) => service.saveDraft(input.submissionId, input.draft),
    'review.accept': async (input) => service.decide('review.accept', input),
    'review.fix': async (input) => service.decide('review.fix', input),
    'review.reject': async (input) => service.decide('review.reject', input),
    'review.history': (input) => sync.history(input.taskId, input.projectId),
    'review.progress': (input) => sync.progress(input.projectId),
    'tasks.reviewFeedback': async (input) => service.feedback(input.taskId),
    'quality.report': (input) => sync.quality(input.projectId),
    'quality.createLot': (input) => sync.createLot(input),
  };
  return { handlers, service, sync, hooks: sync.hooks() };
};
