import { describe, expect, it } from 'vitest';
import type { ApiClient, ReviewView } from '../../../../shared/contract';
import { type AssetPreparer, PrepareCache } from '../task/prepare-cache';
import { textView } from '../task/test-views';
import { ReviewPreparer } from './review-preparer';

/** A pending review item of submission `id` on task `task-<id>`. */
const item = (id: string): ReviewView => {
  const t = textView(`task-${id}`);
  const version = {
    id,
    source: 'submission' as const,
    userId: 'ann',
    userName: 'Ann',
    at: 1,
    activeMs: 1,
    conflict: false,
    superseded: false,
    annotation: { results: [], activeMs: 1 },
  };
  return {
    item: {
      submissionId: id,
      taskId: t.task.id,
      projectId: 'p',
      projectName: 'P',
      kind: 'text',
      batch: 'b',
      title: id,
      annotatorId: 'ann',
      annotatorName: 'Ann',
      submittedAt: 1,
      activeMs: 1,
      version: 1,
      status: 'pending',
      decidedAt: null,
      delivery: null,
      leaseExpiresAt: 9e12,
      assetsReady: true,
      hasDraft: false,
    },
    task: t.task,
    project: t.project,
    rejectReasons: [],
    submission: version,
    previous: null,
    versions: [version],
    verdicts: [],
    draft: null,
  };
};

/** The core's `review.next` over a queue of submission ids; records what was asked. */
const fakeApi = (queue: string[]) => {
  const asked: string[] = [];
  const api: ApiClient = {
    call: (async (method: string, input: { after?: string }) => {
      await Promise.resolve();
      if (method !== 'review.next') throw new Error(method);
      asked.push(input.after ?? '');
      const at = input.after ? queue.indexOf(input.after) + 1 : 0;
      const id = queue[at];
      return { ok: true, value: id === undefined ? null : item(id) };
    }) as ApiClient['call'],
    on: () => () => {},
  };
  return { api, asked };
};

const assets = (): AssetPreparer & { prepared: string[] } => {
  const prepared: string[] = [];
  return {
    prepared,
    key: (v) => JSON.stringify(v.task.data),
    prepare: async (v) => void prepared.push(v.task.id),
    bytes: () => 10,
    release: () => {},
    handOver: () => {},
  };
};

describe('ReviewPreparer', () => {
  it('prepares the next pending items after the open one, and hands the first over', async () => {
    const { api, asked } = fakeApi(['s1', 's2', 's3', 's4', 's5']);
    const a = assets();
    const p = new ReviewPreparer(api, new PrepareCache(a, 1000));
    await p.refresh(item('s1'));
    expect(asked).toEqual(['s1', 's2', 's3']);
    expect(a.prepared).toEqual(['task-s2', 'task-s3', 'task-s4']);
    expect(p.hasNext('s1')).toBe(true);
    // A plan is for the item it was made for only.
    expect(p.hasNext('s2')).toBe(false);
    expect(p.takeNext('s1')?.view.submission.id).toBe('s2');
    expect(p.takeNext('s1')).toBeNull();
  });

  it('has nothing to offer at the end of the batch, or once the item moved on', async () => {
    const { api } = fakeApi(['s1']);
    const p = new ReviewPreparer(api, new PrepareCache(assets(), 1000));
    await p.refresh(item('s1'));
    expect(p.hasNext('s1')).toBe(false);
    expect(p.takeNext('s1')).toBeNull();
    const two = fakeApi(['s1', 's2']);
    const q = new ReviewPreparer(two.api, new PrepareCache(assets(), 1000));
    const pending = q.refresh(item('s1'));
    q.forget();
    await pending;
    expect(q.hasNext('s1')).toBe(false);
  });
});
