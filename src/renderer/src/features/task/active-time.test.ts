import { describe, expect, it } from 'vitest';
import { ActiveTimer } from './active-time';

describe('ActiveTimer', () => {
  it('sums the gaps between interactions', () => {
    const t = new ActiveTimer(30_000);
    t.touch(1000);
    t.touch(3000);
    t.touch(4500);
    expect(t.ms).toBe(3500);
  });
  it('caps an idle gap', () => {
    const t = new ActiveTimer(30_000);
    t.touch(0);
    t.touch(3_600_000);
    t.touch(3_601_000);
    expect(t.ms).toBe(31_000);
  });
  it('ignores a clock that steps back', () => {
    const t = new ActiveTimer();
    t.touch(5000);
    t.touch(1000);
    t.touch(2000);
    expect(t.ms).toBe(1000);
  });
});
