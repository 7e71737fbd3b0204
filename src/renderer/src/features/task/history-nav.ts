/**
 * Moving through finished work with the arrow keys. `history` is `tasks.history`: finished tasks,
 * newest first. The open task is either one of them or the current unfinished task, which sits
 * just after the newest finished one.
 */
export type HistoryStep = { kind: 'open'; taskId: string } | { kind: 'next' } | { kind: 'none' };

export const historyStep = (
  history: readonly { id: string }[],
  currentId: string,
  direction: 'back' | 'forward',
): HistoryStep => {
  const i = history.findIndex((t) => t.id === currentId);
  if (direction === 'back') {
    const target = i === -1 ? history[0] : history[i + 1];
    return target ? { kind: 'open', taskId: target.id } : { kind: 'none' };
  }
  if (i === -1) return { kind: 'none' };
  if (i === 0) return { kind: 'next' };
  return { kind: 'open', taskId: history[i - 1]!.id };
};
