import type { QueueCounts } from '../../../../shared/contract';
import type { TaskStatus } from '../../../../shared/model';

export type FilterKey = 'all' | TaskStatus;

export const filters: { key: FilterKey; label: string }[] = [
  { key: 'all', label: 'All' },
  { key: 'queued', label: 'Queued' },
  { key: 'in_progress', label: 'In progress' },
  { key: 'submitted', label: 'Submitted' },
  { key: 'skipped', label: 'Skipped' },
];

export const filterCount = (counts: QueueCounts, key: FilterKey): number => {
  switch (key) {
    case 'all':
      return counts.queued + counts.inProgress + counts.submitted + counts.skipped;
    case 'queued':
      return counts.queued;
    case 'in_progress':
      return counts.inProgress;
    case 'submitted':
      return counts.submitted;
    case 'skipped':
      return counts.skipped;
  }
};

export const filterStatuses = (key: FilterKey): TaskStatus[] | undefined =>
  key === 'all' ? undefined : [key];
