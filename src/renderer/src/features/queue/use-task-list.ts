import { useCallback, useEffect, useRef, useState } from 'react';
import type { TaskSummary } from '../../../../shared/contract';
import type { TaskStatus } from '../../../../shared/model';
import { callOrToast, useConnection } from '../../hooks/api-context';

const PAGE = 200;

export interface TaskListState {
  total: number | null;
  row(index: number): TaskSummary | undefined;
  /** Loads the pages that hold rows [start, end]. */
  ensure(start: number, end: number): void;
}

/**
 * The queue's rows, fetched a page at a time as the virtual list scrolls to them. A filter change
 * or a `queue.changed` event starts a new generation; answers for an old one are dropped.
 */
export const useTaskList = (status: TaskStatus[] | undefined, search: string): TaskListState => {
  const { api } = useConnection();
  const [pages, setPages] = useState<ReadonlyMap<number, TaskSummary[]>>(new Map());
  const [total, setTotal] = useState<number | null>(null);
  const [generation, setGeneration] = useState(0);
  const requested = useRef(new Set<number>());
  const visible = useRef<[number, number]>([0, 0]);
  const genRef = useRef(0);
  // A string key, so a new array with the same statuses does not refetch.
  const statusKey = status?.join(',') ?? '';

  const load = useCallback(
    (page: number, gen: number, replace: boolean) => {
      requested.current.add(page);
      void callOrToast(api, 'tasks.list', {
        status: statusKey ? (statusKey.split(',') as TaskStatus[]) : undefined,
        search: search || undefined,
        limit: PAGE,
        offset: page * PAGE,
      }).then((r) => {
        if (!r || gen !== genRef.current) return;
        setTotal(r.total);
        setPages((prev) => new Map(replace ? [] : prev).set(page, r.items));
      });
    },
    [api, statusKey, search],
  );

  useEffect(() => {
    const gen = ++genRef.current;
    requested.current = new Set();
    const [start, end] = visible.current;
    const first = Math.floor(start / PAGE);
    load(first, gen, true);
    for (let p = first + 1; p <= Math.floor(end / PAGE); p++) load(p, gen, false);
  }, [load, generation]);

  useEffect(() => api.on('queue.changed', () => setGeneration((g) => g + 1)), [api]);

  const ensure = useCallback(
    (start: number, end: number) => {
      visible.current = [start, end];
      for (let p = Math.floor(start / PAGE); p <= Math.floor(end / PAGE); p++) {
        if (!requested.current.has(p)) load(p, genRef.current, false);
      }
    },
    [load],
  );

  return {
    total,
    row: (i) => pages.get(Math.floor(i / PAGE))?.[i % PAGE],
    ensure,
  };
};
