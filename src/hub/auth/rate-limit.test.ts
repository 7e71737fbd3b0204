import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from './rate-limit';

describe('AuthFailureLimiter', () => {
  it('limits an address past its failures until the window passes', () => {
    const l = new AuthFailureLimiter(2, 60_000);
    l.fail('a', 0);
    expect(l.retryAfter('a', 1)).toBe(0);
    l.fail('a', 1000);
    expect(l.retryAfter('a', 2000)).toBe(58);
    expect(l.retryAfter('b', 2000)).toBe(0);
    expect(l.retryAfter('a', 61_000)).toBe(0);
  });

  it('forgets only the least recently failing address when full, never the whole table', () => {
    const l = new AuthFailureLimiter(2, 60_000, 100);
    for (let i = 0; i < 99; i++) l.fail(`spray-${i}`, 0);
    l.fail('attacker', 1);
    l.fail('attacker', 2);
    l.fail('one-more', 3); // the 101st address
    expect(l.retryAfter('attacker', 4)).toBeGreaterThan(0);
    expect(l.retryAfter('spray-0', 4)).toBe(0);
  });
});
