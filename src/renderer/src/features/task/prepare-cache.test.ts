import { describe, expect, it } from 'vitest';
import { type AssetPreparer, PrepareCache } from './prepare-cache';
import { textView } from './test-views';

const view = textView;

/** Assets whose preparation each test settles by hand; records what was prepared and released. */
const fakeAssets = (bytesOf: (id: string) => number = () => 40) => {
  const log: string[] = [];
  const waiting = new Map<string, { ok: () => void; fail: (e: Error) => void }>();
  const assets: AssetPreparer = {
    key: (v) => JSON.stringify(v.task.data),
    prepare: (v) =>
      new Promise<void>((ok, fail) => {
        log.push(`prepare ${v.task.id}`);
        waiting.set(v.task.id, { ok, fail });
      }),
    bytes: (v) => bytesOf(v.task.id),
    release: (v) => void log.push(`release ${v.task.id}`),
    handOver: (v) => void log.push(`handOver ${v.task.id}`),
  };
  const settle = async (id: string, error?: Error) => {
    const w = waiting.get(id)!;
    if (error) w.fail(error);
    else w.ok();
    await Promise.resolve();
    await Promise.resolve();
  };
  return { assets, log, settle };
};

describe('PrepareCache', () => {
  it('prepares the wanted tasks in order and hands one over ready', async () => {
    const { assets, log, settle } = fakeAssets();
    const cache = new PrepareCache(assets, 1000);
    cache.want([view('a'), view('b')]);
    expect(log).toEqual(['prepare a', 'prepare b']);
    expect(cache.stateOf('a')).toBe('preparing');
    await settle('a');
    expect(cache.stateOf('a')).toBe('ready');
    expect(cache.stats()).toMatchObject({ entries: 2, ready: 1, bytes: 80 });
    const got = cache.take('a');
    expect(got).toMatchObject({ ready: true, view: { task: { id: 'a' } } });
    expect(log).toContain('handOver a');
    // Handed over once: its assets now belong to the editor, not the cache.
    expect(cache.take('a')).toBeNull();
    expect(log).not.toContain('release a');
  });

  it('a task still preparing is handed over too (the editor takes its assets in flight)', () => {
    const { assets } = fakeAssets();
    const cache = new PrepareCache(assets, 1000);
    cache.want([view('a')]);
    expect(cache.take('a')).toMatchObject({ ready: false });
  });

  it('stays within the budget: later tasks wait, and the first is always prepared', () => {
    const { assets, log } = fakeAssets(() => 40);
    const cache = new PrepareCache(assets, 100);
    cache.want([view('a'), view('b'), view('c')]);
    expect(log).toEqual(['prepare a', 'prepare b']);
    expect(cache.stats().bytes).toBeLessThanOrEqual(100);
    const huge = new PrepareCache(fakeAssets(() => 500).assets, 100);
    huge.want([view('x'), view('y')]);
    expect(huge.has('x')).toBe(true);
    expect(huge.has('y')).toBe(false);
  });

  it('evicts what is no longer wanted, and what no longer fits after the order changes', () => {
    const { assets, log } = fakeAssets(() => 40);
    const cache = new PrepareCache(assets, 100);
    cache.want([view('a'), view('b')]);
    cache.want([view('c'), view('b')]);
    expect(log).toEqual(['prepare a', 'prepare b', 'release a', 'prepare c']);
    cache.want([view('d'), view('e'), view('b')]);
    expect(log.slice(4)).toEqual(['release c', 'prepare d', 'prepare e', 'release b']);
    expect(cache.stats().entries).toBe(2);
  });

  it('replaces a changed view but keeps its assets while they are the same (status, draft, delivery)', async () => {
    const { assets, log, settle } = fakeAssets();
    const cache = new PrepareCache(assets, 1000);
    cache.want([view('a')]);
    await settle('a');
    cache.want([view('a')]);
    expect(log).toEqual(['prepare a']); // unchanged: kept as it is
    const drafted = view('a', {
      draft: { taskId: 'a', annotation: { results: [], activeMs: 5 }, savedAt: 7 },
    });
    cache.want([drafted]);
    // The same text: nothing released or prepared again, and still ready.
    expect(log).toEqual(['prepare a']);
    expect(cache.stateOf('a')).toBe('ready');
    expect(cache.take('a')).toMatchObject({ ready: true, view: { draft: { savedAt: 7 } } });
  });

  it('prepares a task again when what its assets are made of changed', async () => {
    const { assets, log, settle } = fakeAssets();
    const cache = new PrepareCache(assets, 1000);
    cache.want([view('a')]);
    await settle('a');
    const edited = view('a');
    edited.task.data = { kind: 'text', text: 'another text' };
    cache.want([edited]);
    expect(log).toEqual(['prepare a', 'release a', 'prepare a']);
    expect(cache.stateOf('a')).toBe('preparing');
    cache.want([view('b')]);
    cache.invalidate('b');
    expect(cache.has('b')).toBe(false);
    expect(log.at(-1)).toBe('release b');
  });

  it('a failed preparation releases its assets, is not handed over, and is tried again', async () => {
    const { assets, log, settle } = fakeAssets();
    const cache = new PrepareCache(assets, 1000);
    cache.want([view('a')]);
    await settle('a', new Error('image request failed: HTTP 404'));
    expect(cache.stateOf('a')).toBe('failed');
    expect(log).toEqual(['prepare a', 'release a']);
    expect(cache.stats().bytes).toBe(0);
    expect(cache.take('a')).toBeNull();
    cache.want([view('a')]);
    expect(log.at(-1)).toBe('prepare a');
  });

  it('a preparation that ends after its task was released changes nothing', async () => {
    const { assets, settle } = fakeAssets();
    const cache = new PrepareCache(assets, 1000);
    cache.want([view('a')]);
    cache.want([]);
    await settle('a');
    expect(cache.has('a')).toBe(false);
    cache.clear();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });
});
