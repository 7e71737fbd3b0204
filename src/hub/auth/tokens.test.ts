import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from './rate-limit';
import { generateToken, hashesMatch, hashToken } from './tokens';

describe('tokens', () => {
  it('are random, prefixed, and stored as a sha256 that matches only itself', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).toMatch(/^otr_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashesMatch(hashToken(a), hashToken(a))).toBe(true);
    expect(hashesMatch(hashToken(a), hashToken(b))).toBe(false);
    expect(hashesMatch(hashToken(a), '')).toBe(false);
  });
});

describe('AuthFailureLimiter', () => {
  it('blocks an address after the limit until the window passes', () => {
    const l = new AuthFailureLimiter(2, 60_000);
    l.fail('a', 0);
    expect(l.retryAfter('a', 1)).toBe(0);
    l.fail('a', 1000);
    expect(l.retryAfter('a', 2000)).toBe(58);
    expect(l.retryAfter('b', 2000)).toBe(0);
    expect(l.retryAfter('a', 61_001)).toBe(0);
  });
});
