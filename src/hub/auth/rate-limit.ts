import { LRUCache } from 'lru-cache';

/**
 * Counts failed sign-ins per client address in a sliding window (the hub's clock, so tests can
 * move it). Past the limit the address's bad tokens are answered 429 until the window passes;
 * the server never blocks a valid token with it. In memory: each hub process limits on its own.
 * The addresses kept are bounded: past `maxAddresses` the least recently failing one is
 * forgotten, never the whole table (a spray of addresses cannot reset everyone's count).
 */
export class AuthFailureLimiter {
  private readonly failures: LRUCache<string, number[]>;

  constructor(
    private readonly limit = 30,
    private readonly windowMs = 60_000,
    maxAddresses = 10_000,
  ) {
    this.failures = new LRUCache({ max: maxAddresses });
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.peek(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  /** Seconds until the address's next bad token gets 401 again, or 0 when it does now. */
  retryAfter(key: string, now: number): number {
    const list = this.recent(key, now);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil(((list[0] ?? now) + this.windowMs - now) / 1000));
  }

  fail(key: string, now: number): void {
    const list = this.recent(key, now);
    list.push(now);
    // Only the newest `limit` matter for the answer.
    this.failures.set(key, list.slice(-this.limit));
  }
}
