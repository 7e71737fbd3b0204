import type { TaskView } from '../../../../shared/contract';
import { LOCAL_DELIVERY } from '../../../../shared/model';

/** A text task's view for the task screen's unit tests (one small project, no hub lease). */
export const textView = (id: string, over: Partial<TaskView> = {}): TaskView => ({
  task: { id, projectId: 'p', data: { kind: 'text', text: `text of ${id}` }, predictions: [], meta: {} },
  project: {
    id: 'p',
    name: 'P',
    kind: 'text',
    labelConfig: {
      version: 1,
      tools: ['doc-class'],
      labels: [],
      classes: [],
      relations: [],
      allowRotation: false,
      allowOverlappingSpans: true,
      rubric: [],
    },
    leaseHours: 72,
    overlap: 1,
  },
  status: 'queued',
  draft: null,
  submitted: null,
  leaseExpiresAt: null,
  delivery: LOCAL_DELIVERY,
  ...over,
});
