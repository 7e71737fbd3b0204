import type { MethodOutput } from '../../../../shared/contract';

/** What "Get more tasks" says afterwards: how many, from which project, or that none had work. */
export const getMoreMessage = (r: MethodOutput<'tasks.getMore'>, asked: string | null): string => {
  const tasks = (n: number) => `${n} more ${n === 1 ? 'task' : 'tasks'}`;
  if (r.leased > 0) return `Got ${tasks(r.leased)} from ${r.projectName ?? 'the hub'}`;
  if (asked) return `${asked} has no more tasks for you right now`;
  return r.checked > 1
    ? `None of your ${r.checked} projects has tasks for you right now`
    : 'The hub has no more tasks for you right now';
};
