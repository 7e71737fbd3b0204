import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration } from './format';

describe('formatDuration', () => {
  it('shows minutes, then hours and minutes', () => {
    expect(formatDuration(0)).toBe('0 min');
    expect(formatDuration(59_999)).toBe('0 min');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(65 * 60_000)).toBe('1 h 05 min');
    expect(formatDuration(-5)).toBe('0 min');
  });
});

describe('formatAgo', () => {
  it('says how long ago, coarsely', () => {
    const now = 1_000_000_000;
    expect(formatAgo(now - 10_000, now)).toBe('just now');
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
  });
});
