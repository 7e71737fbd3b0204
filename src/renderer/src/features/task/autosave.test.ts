import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver, type SaveState } from './autosave';

const deferred = () => {
  let resolve!: (v: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  return { promise, resolve };
};

describe('Autosaver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces: many quick changes make one save of the last value', async () => {
    const saved: number[] = [];
    const a = new Autosaver<number>(async (v) => (saved.push(v), true), 300);
    a.change(1);
    await vi.advanceTimersByTimeAsync(200);
    a.change(2);
    await vi.advanceTimersByTimeAsync(200);
    a.change(3);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(saved).toEqual([3]);
    expect(a.state).toBe('saved');
  });

  it('flush saves at once and waits for the save in flight', async () => {
    const saved: number[] = [];
    const a = new Autosaver<number>(async (v) => (saved.push(v), true), 300);
    a.change(7);
    expect(await a.flush()).toBe(true);
    expect(saved).toEqual([7]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual([7]);
  });

  it('never overlaps saves, so an older value cannot land last', async () => {
    const order: string[] = [];
    const first = deferred();
    const a = new Autosaver<number>(async (v) => {
      order.push(`start ${v}`);
      const ok = v === 1 ? await first.promise : true;
      order.push(`end ${v}`);
      return ok;
    }, 300);
    a.change(1);
    void a.flush();
    a.change(2);
    const done = a.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['start 1']);
    first.resolve(true);
    expect(await done).toBe(true);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('keeps a failed value and retries it on the next flush', async () => {
    const states: SaveState[] = [];
    let fail = true;
    const saved: number[] = [];
    const a = new Autosaver<number>(
      async (v) => {
        if (fail) return false;
        saved.push(v);
        return true;
      },
      300,
      (s) => states.push(s),
    );
    a.change(5);
    expect(await a.flush()).toBe(false);
    expect(a.state).toBe('error');
    expect(a.hasUnsaved).toBe(true);
    fail = false;
    expect(await a.flush()).toBe(true);
    expect(saved).toEqual([5]);
    expect(states).toEqual(['pending', 'saving', 'error', 'saving', 'saved']);
  });

  it('retries a failed save by itself, with growing pauses, until it lands', async () => {
    let failures = 2;
    const attempts: number[] = [];
    const a = new Autosaver<number>(
      async (v) => {
        attempts.push(Date.now());
        return failures-- <= 0 && v === 9;
      },
      300,
      undefined,
      { firstMs: 1000, maxMs: 5000 },
    );
    const t0 = Date.now();
    a.change(9);
    await vi.advanceTimersByTimeAsync(300);
    expect(a.state).toBe('error');
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.state).toBe('error');
    await vi.advanceTimersByTimeAsync(2000);
    expect(a.state).toBe('saved');
    expect(attempts.map((t) => t - t0)).toEqual([300, 1300, 3300]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts).toHaveLength(3);
  });

  it('treats a thrown save as a failure, not a crash', async () => {
    const a = new Autosaver<number>(async () => {
      throw new Error('gone');
    }, 300);
    a.change(1);
    expect(await a.flush()).toBe(false);
    expect(a.state).toBe('error');
  });

  it('cancel drops a pending save', async () => {
    const saved: number[] = [];
    const a = new Autosaver<number>(async (v) => (saved.push(v), true), 300);
    a.change(1);
    a.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual([]);
    expect(a.state).toBe('idle');
  });
});
