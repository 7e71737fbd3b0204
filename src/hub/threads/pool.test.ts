import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { threadSource } from './bundle';
import { ThreadPool, orderedMap } from './pool';

// A thread that squares numbers, slower for small ones (so replies come back out of order),
// throws on 13 and exits on -1: the protocol of serve.ts, written out in plain JavaScript.
const SQUARES = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, input }) => {
  if (input === -1) process.exit(3);
  if (input === 13) return parentPort.postMessage({ id, error: 'unlucky' });
  const until = Date.now() + (input < 3 ? 30 : 0);
  while (Date.now() < until);
  parentPort.postMessage({ id, output: input * input });
});
`;

const asNumber = (raw: unknown): number => {
  if (typeof raw !== 'number') throw new Error('not a number');
  return raw;
};

describe('ThreadPool and orderedMap', () => {
  it('yields every result in input order, whichever thread finishes first', async () => {
    const pool = new ThreadPool<number, number>(SQUARES, 3, asNumber);
    try {
      const inputs = Array.from({ length: 12 }, (_, i) => i);
      const out: number[] = [];
      for await (const x of orderedMap(inputs, (i) => pool.run(i), 4)) out.push(x);
      expect(out).toEqual(inputs.map((i) => i * i));
    } finally {
      await pool.close();
    }
  });

  it('keeps at most `ahead` jobs in flight and pulls inputs lazily', async () => {
    let running = 0;
    let most = 0;
    const pulled: number[] = [];
    const inputs = async function* () {
      for (let i = 0; i < 10; i++) {
        pulled.push(i);
        yield i;
      }
    };
    const run = async (i: number) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return i;
    };
    const seen: number[] = [];
    for await (const x of orderedMap(inputs(), run, 3)) {
      seen.push(x);
      // Never more than `ahead` inputs pulled beyond what was yielded.
      expect(pulled.length).toBeLessThanOrEqual(seen.length + 3);
    }
    expect(seen).toEqual([...Array(10).keys()]);
    expect(most).toBeLessThanOrEqual(3);
  });

  it('rejects a failing job alone, and every job of a thread that stops', async () => {
    const pool = new ThreadPool<number, number>(SQUARES, 1, asNumber);
    try {
      await expect(pool.run(13)).rejects.toThrow('unlucky');
      expect(await pool.run(4)).toBe(16);
      const stopped = pool.run(-1);
      const queued = pool.run(5);
      await expect(stopped).rejects.toThrow('exit code 3');
      await expect(queued).rejects.toThrow('exit code 3');
    } finally {
      await pool.close();
    }
  });

  it('checks each reply with the parser it was given', async () => {
    const pool = new ThreadPool<number, string>(SQUARES, 1, (raw) => {
      if (typeof raw !== 'string') throw new Error('expected text');
      return raw;
    });
    try {
      await expect(pool.run(2)).rejects.toThrow('expected text');
    } finally {
      await pool.close();
    }
  });

  it('throws a failing job where its result would be yielded', async () => {
    const pool = new ThreadPool<number, number>(SQUARES, 2, asNumber);
    try {
      const out: number[] = [];
      await expect(
        (async () => {
          for await (const x of orderedMap([1, 2, 13, 4], (i) => pool.run(i), 4)) out.push(x);
        })(),
      ).rejects.toThrow('unlucky');
      expect(out).toEqual([1, 4]);
    } finally {
      await pool.close();
    }
  });
});

describe('threadSource', () => {
  it('bundles a TypeScript entry into a source a thread runs', async () => {
    const source = threadSource(join(__dirname, 'serve-echo.fixture.ts'));
    expect(source).not.toBeNull();
    const pool = new ThreadPool<unknown, unknown>(source!, 1, (x) => x);
    try {
      expect(await pool.run({ a: [1, 2] })).toEqual({ echoed: { a: [1, 2] } });
    } finally {
      await pool.close();
    }
  });

  it('is null for an entry that is not there as TypeScript (a bundled build)', () => {
    expect(threadSource(join(__dirname, 'no-such-entry.ts'))).toBeNull();
    expect(threadSource(join(__dirname, 'pool.js'))).toBeNull();
  });
});
