import type { ReviewBatchCounts, ReviewFilter, ReviewItemStatus } from '../../../../shared/contract';

/** The review queue's filters as the screen holds them ('' = any). */
export interface QueueFilters {
  /** `projectId` + '/' + batch, or '' for every batch. */
  batch: string;
  annotatorId: string;
  status: ReviewItemStatus | 'all';
  /** yyyy-mm-dd from the date inputs (local days), or ''. */
  from: string;
  to: string;
}

export const noFilters: QueueFilters = { batch: '', annotatorId: '', status: 'pending', from: '', to: '' };

export const batchKey = (b: { projectId: string; batch: string }): string => `${b.projectId}/${b.batch}`;

/** Local midnight of a yyyy-mm-dd day, ms (the date inputs give local days). */
const dayStart = (day: string): number => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
};

/** The `review.list` input for the filters; a "to" day includes the whole day. */
export const listInput = (f: QueueFilters, limit = 500): ReviewFilter => {
  const slash = f.batch.indexOf('/');
  return {
    ...(slash > 0 ? { projectId: f.batch.slice(0, slash), batch: f.batch.slice(slash + 1) } : {}),
    ...(f.annotatorId ? { annotatorId: f.annotatorId } : {}),
    ...(f.status === 'all' ? {} : { status: [f.status] }),
    ...(f.from ? { from: dayStart(f.from) } : {}),
    ...(f.to ? { to: dayStart(f.to) + 86_400_000 } : {}),
    limit,
  };
};

export type StatusCounts = Record<ReviewItemStatus | 'all', number>;

/** Counts per status over the batches shown (every batch when none is picked). */
export const statusCounts = (batches: readonly ReviewBatchCounts[], batch: string): StatusCounts => {
  const c: StatusCounts = { all: 0, pending: 0, accepted: 0, fixed: 0, rejected: 0 };
  for (const b of batches) {
    if (batch && batchKey(b) !== batch) continue;
    c.pending += b.pending;
    c.accepted += b.accepted;
    c.fixed += b.fixed;
    c.rejected += b.rejected;
  }
  c.all = c.pending + c.accepted + c.fixed + c.rejected;
  return c;
};
