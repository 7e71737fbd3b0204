import { describe, expect, it } from 'vitest';
import { mapAsync } from './pipeline';

/** A source that says whether it was closed (its finally ran). */
const source = (n: number) => {
  const state = { closed: false, taken: 0 };
  async function* gen(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < n; i++) {
        state.taken++;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, it: gen() };
};

describe('mapAsync', () => {
  it('maps every value in order, as it is taken', async () => {
    const { state, it } = source(5);
    const out: number[] = [];
    for await (const v of mapAsync(it, (x) => x * 10)) out.push(v);
    expect(out).toEqual([0, 10, 20, 30, 40]);
    expect(state.closed).toBe(true);
  });

  it('closes its source when the consumer stops early', async () => {
    const { state, it } = source(100);
    for await (const v of mapAsync(it, (x) => x)) if (v === 2) break;
    expect(state).toEqual({ closed: true, taken: 3 });
  });

  it('closes its source and fails when the mapping throws', async () => {
    const { state, it } = source(100);
    const m = mapAsync(it, (x) => {
      if (x === 3) throw new Error('stop at 3');
      return x;
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const v of m) seen.push(v);
      })(),
    ).rejects.toThrow('stop at 3');
    expect(seen).toEqual([0, 1, 2]);
    expect(state.closed).toBe(true);
  });
});
