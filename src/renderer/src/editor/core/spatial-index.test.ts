import { describe, expect, it } from 'vitest';
import { RecordStore } from './store';
import { SpatialIndex } from './spatial-index';

interface R {
  id: string;
  x: number;
  y: number;
  s: number;
}
const bounds = (r: R) => (r.s < 0 ? null : { minX: r.x, minY: r.y, maxX: r.x + r.s, maxY: r.y + r.s });

describe('SpatialIndex', () => {
  it('follows a store through adds, updates and removes', () => {
    const store = new RecordStore<R>();
    const index = new SpatialIndex<R>(bounds);
    store.listen((d) => index.apply(d));
    const a = { id: 'a', x: 0, y: 0, s: 10 };
    const b = { id: 'b', x: 100, y: 100, s: 10 };
    store.apply({ added: [a, b, { id: 'c', x: 0, y: 0, s: -1 }], updated: [], removed: [] });
    expect(index.size).toBe(2);
    expect(index.at(5, 5)).toEqual(['a']);
    expect(index.at(50, 50)).toEqual([]);
    store.apply({ added: [], updated: [[a, { ...a, x: 50, y: 50 }]], removed: [] });
    expect(index.at(5, 5)).toEqual([]);
    expect(index.at(55, 55)).toEqual(['a']);
    expect(index.at(49, 49, 1.5)).toEqual(['a']);
    store.apply({ added: [], updated: [], removed: [b] });
    expect(index.search({ minX: 0, minY: 0, maxX: 1000, maxY: 1000 })).toEqual(['a']);
  });

  it('bulk loads and culls 10,000 boxes to the viewport', () => {
    const index = new SpatialIndex<R>(bounds);
    const items: R[] = [];
    for (let i = 0; i < 10_000; i++)
      items.push({ id: String(i), x: (i % 100) * 40, y: Math.floor(i / 100) * 30, s: 20 });
    index.reset(items);
    expect(index.size).toBe(10_000);
    // A 400×300 window at the origin holds a 10×10 block of boxes.
    const ids = index.search({ minX: 0, minY: 0, maxX: 399, maxY: 299 });
    expect(ids.length).toBe(100);
    expect(index.boundsOfId('101')).toEqual({ minX: 40, minY: 30, maxX: 60, maxY: 50, id: '101' });
  });
});
