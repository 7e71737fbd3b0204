import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../shared/contract';
import { type AssetPreparer, PrepareCache } from './prepare-cache';
import { TaskPreparer } from './task-preparer';
import { textView } from './test-views';

/** A core with queued tasks q1…q5 and no history; assets are ready at once. */
const fakeApi = (): ApiClient =>
  ({
    call: (method: string, input: { taskId?: string; status?: string[] }) => {
      const queued = ['q1', 'q2', 'q3', 'q4', 'q5'];
      if (method === 'tasks.list') {
        const ids = input.status?.includes('queued') ? queued : [];
        return Promise.resolve({ ok: true, value: { items: ids.map((id) => ({ id })), total: ids.length } });
      }
      if (method === 'tasks.history') return Promise.resolve({ ok: true, value: [] });
      if (method === 'tasks.open') return Promise.resolve({ ok: true, value: textView(input.taskId!) });
      return Promise.reject(new Error(`unexpected ${method}`));
    },
    on: () => () => undefined,
  }) as unknown as ApiClient;

const readyAssets: AssetPreparer = {
  key: (v) => JSON.stringify(v.task.data),
  prepare: () => Promise.resolve(),
  bytes: () => 10,
  release: () => undefined,
  handOver: () => undefined,
};

describe('TaskPreparer', () => {
  it('carries its plan over to the task Enter opened: a second Enter needs no new reads', async () => {
    const preparer = new TaskPreparer(fakeApi(), new PrepareCache(readyAssets, 1000));
    await preparer.refresh('q1');
    await Promise.resolve();
    expect(preparer.hasNext('q1')).toBe(true);
    expect(preparer.takeNext('q1')?.view.task.id).toBe('q2');
    // No refresh for q2 yet: the next one in the same queue order is already prepared.
    expect(preparer.plannedFor).toBe('q2');
    expect(preparer.hasNext('q2')).toBe(true);
    // Where ← and → lead is not known for q2 until it is read.
    expect(preparer.step('q2', 'back')).toBeNull();
    expect(preparer.takeNext('q2')?.view.task.id).toBe('q3');
    expect(preparer.takeNext('q1')).toBeNull();
  });

  it('a refresh still reading for the task left is dropped once Enter moved on', async () => {
    const preparer = new TaskPreparer(fakeApi(), new PrepareCache(readyAssets, 1000));
    await preparer.refresh('q1');
    const stale = preparer.refresh('q1');
    preparer.takeNext('q1');
    await stale;
    expect(preparer.plannedFor).toBe('q2');
  });
});
