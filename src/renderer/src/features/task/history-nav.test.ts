import { describe, expect, it } from 'vitest';
import { historyStep } from './history-nav';

const h = [{ id: 'c' }, { id: 'b' }, { id: 'a' }];

describe('historyStep', () => {
  it('goes back from the current task to the newest finished one, then further', () => {
    expect(historyStep(h, 'current', 'back')).toEqual({ kind: 'open', taskId: 'c' });
    expect(historyStep(h, 'c', 'back')).toEqual({ kind: 'open', taskId: 'b' });
    expect(historyStep(h, 'a', 'back')).toEqual({ kind: 'none' });
  });
  it('goes forward through history and then to the next task', () => {
    expect(historyStep(h, 'a', 'forward')).toEqual({ kind: 'open', taskId: 'b' });
    expect(historyStep(h, 'c', 'forward')).toEqual({ kind: 'next' });
    expect(historyStep(h, 'current', 'forward')).toEqual({ kind: 'none' });
  });
  it('has nowhere to go back to without history', () => {
    expect(historyStep([], 'x', 'back')).toEqual({ kind: 'none' });
  });
});
