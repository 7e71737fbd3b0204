import { describe, expect, it } from 'vitest';
import { getMoreMessage } from './get-more-message';

describe('getMoreMessage', () => {
  it('names the project the work came from, or says none had any', () => {
    expect(getMoreMessage({ leased: 3, projectId: 'b', projectName: 'Receipts', checked: 2 }, null)).toBe(
      'Got 3 more tasks from Receipts',
    );
    expect(getMoreMessage({ leased: 1, projectId: 'b', projectName: 'Receipts', checked: 1 }, null)).toBe(
      'Got 1 more task from Receipts',
    );
    expect(getMoreMessage({ leased: 0, projectId: null, projectName: null, checked: 3 }, null)).toBe(
      'None of your 3 projects has tasks for you right now',
    );
    expect(getMoreMessage({ leased: 0, projectId: 'a', projectName: 'A', checked: 1 }, 'Street scenes')).toBe(
      'Street scenes has no more tasks for you right now',
    );
  });
});
