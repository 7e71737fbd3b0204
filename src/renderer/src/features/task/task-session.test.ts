import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient, Result, TaskView } from '../../../../shared/contract';
import type { Annotation } from '../../../../shared/model';
import { TaskSession } from './task-session';
import { textView } from './test-views';

const view = (status: TaskView['status'], submitted: Annotation | null = null): TaskView =>
  textView('t1', { status, submitted, task: { ...textView('t1').task, data: { kind: 'text', text: 'hi' } } });

const cls = (label: string): Annotation => ({
  results: [{ type: 'doc-class', id: 'c', group: 'g', labels: [label] }],
  activeMs: 0,
});

/** An in-memory ApiClient that records calls and answers from a table. */
const fakeApi = (answers: Partial<Record<string, (input: unknown) => Result<unknown>>> = {}) => {
  const calls: { method: string; input: unknown }[] = [];
  const api: ApiClient = {
    call: (async (method: string, input: unknown) => {
      calls.push({ method, input });
      await Promise.resolve();
      const answer = answers[method];
      if (answer) return answer(input);
      if (method === 'tasks.reopen') return { ok: true, value: view('in_progress') };
      return { ok: true, value: { savedAt: 1, submittedAt: 1, submissionId: 's', skippedAt: 1 } };
    }) as ApiClient['call'],
    on: () => () => {},
  };
  return { api, calls, methods: () => calls.map((c) => c.method) };
};

describe('TaskSession', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restores the draft, else the submitted annotation, else empty', () => {
    const { api } = fakeApi();
    expect(new TaskSession(api, view('queued'), vi.fn()).initial).toEqual({ results: [], activeMs: 0 });
    expect(new TaskSession(api, view('submitted', cls('a')), vi.fn()).initial).toEqual(cls('a'));
    const withDraft = {
      ...view('in_progress', cls('a')),
      draft: { taskId: 't1', annotation: cls('b'), savedAt: 1 },
    };
    expect(new TaskSession(api, withDraft, vi.fn()).initial).toEqual(cls('b'));
  });

  it('autosaves changes debounced, as one draft of the latest annotation', async () => {
    const f = fakeApi();
    const s = new TaskSession(f.api, view('queued'), vi.fn());
    s.change(cls('a'));
    s.change(cls('b'));
    expect(s.getSnapshot().saveState).toBe('pending');
    await vi.advanceTimersByTimeAsync(300);
    expect(f.methods()).toEqual(['tasks.saveDraft']);
    expect((f.calls[0]!.input as { annotation: Annotation }).annotation.results).toEqual(cls('b').results);
    expect(s.getSnapshot().saveState).toBe('saved');
    expect(s.getSnapshot().view.status).toBe('in_progress');
  });

  it('browsing a finished task changes nothing; changing it reopens it once', async () => {
    const f = fakeApi();
    const s = new TaskSession(f.api, view('submitted', cls('a')), vi.fn());
    expect(await s.submit()).toBe('done');
    expect(f.methods()).toEqual([]);
    s.change(cls('b'));
    await vi.advanceTimersByTimeAsync(300);
    s.change(cls('c'));
    await s.submit();
    expect(f.methods()).toEqual(['tasks.reopen', 'tasks.saveDraft', 'tasks.submit']);
    expect(s.getSnapshot().view.status).toBe('submitted');
  });

  it('reads the delivery record again when a sync answered the open task, keeping the annotation', async () => {
    const refused = {
      fromHub: true,
      waiting: null,
      answer: {
        mutationId: 'm',
        kind: 'rejected' as const,
        mutationKind: 'submit' as const,
        reason: 'NOT_FOUND',
        at: 5,
        resolution: null,
      },
    };
    const f = fakeApi({
      'tasks.open': () => ({ ok: true, value: { ...view('submitted'), delivery: refused } }),
    });
    const s = new TaskSession(f.api, view('submitted', cls('a')), vi.fn());
    s.change(cls('b'));
    await s.refreshDelivery();
    expect(s.getSnapshot().view.delivery).toEqual(refused);
    expect(s.getSnapshot().view.submitted).toEqual(cls('a'));
    expect(s.annotation).toEqual(cls('b'));
  });

  it('submits the latest annotation without a stale draft after it, and only once', async () => {
    const f = fakeApi();
    const s = new TaskSession(f.api, view('in_progress'), vi.fn());
    s.change(cls('a'));
    const [first, second] = await Promise.all([s.submit(), s.submit()]);
    expect([first, second]).toEqual(['done', 'failed']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.methods()).toEqual(['tasks.submit']);
  });

  it('reports a failed submit and keeps the work as a draft', async () => {
    const report = vi.fn();
    const f = fakeApi({
      'tasks.submit': () => ({ ok: false, error: { code: 'INTERNAL', message: 'disk full' } }),
    });
    const s = new TaskSession(f.api, view('in_progress'), report);
    s.change(cls('a'));
    expect(await s.submit()).toBe('failed');
    expect(report).toHaveBeenCalledWith('Not submitted', { code: 'INTERNAL', message: 'disk full' });
    await vi.advanceTimersByTimeAsync(300);
    expect(f.methods()).toEqual(['tasks.submit', 'tasks.saveDraft']);
  });

  it('retries a failed draft save and reports the failure once, not on every retry', async () => {
    const report = vi.fn();
    let down = true;
    const f = fakeApi({
      'tasks.saveDraft': () =>
        down
          ? { ok: false, error: { code: 'OFFLINE', message: 'host gone' } }
          : { ok: true, value: { savedAt: 1 } },
    });
    const s = new TaskSession(f.api, view('in_progress'), report);
    s.change(cls('a'));
    await vi.advanceTimersByTimeAsync(300 + 2000 + 4000);
    expect(f.methods()).toEqual(['tasks.saveDraft', 'tasks.saveDraft', 'tasks.saveDraft']);
    expect(report).toHaveBeenCalledTimes(1);
    expect(s.getSnapshot().saveState).toBe('error');
    down = false;
    await vi.advanceTimersByTimeAsync(8000);
    expect(s.getSnapshot().saveState).toBe('saved');
  });

  it('skip saves the pending draft first', async () => {
    const f = fakeApi();
    const s = new TaskSession(f.api, view('in_progress'), vi.fn());
    s.change(cls('a'));
    expect(await s.skip()).toBe('done');
    expect(f.methods()).toEqual(['tasks.saveDraft', 'tasks.skip']);
    expect(s.getSnapshot().view.status).toBe('skipped');
  });

  it('lets the presence signals reach the core before it submits or skips', async () => {
    const f = fakeApi();
    const order: string[] = [];
    const flush = vi.fn(async () => void order.push(`flush after ${f.methods().join(',') || 'nothing'}`));
    const s = new TaskSession(f.api, view('in_progress'), vi.fn(), flush);
    s.change(cls('a'));
    await s.submit();
    expect(order).toEqual(['flush after nothing']);
    expect(f.methods()).toEqual(['tasks.submit']);
    // The editor's figure is passed through untouched: the core sets active and wall time.
    expect((f.calls[0]!.input as { annotation: Annotation }).annotation.activeMs).toBe(0);
  });
});
