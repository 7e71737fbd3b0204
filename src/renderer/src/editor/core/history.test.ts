import { describe, expect, it } from 'vitest';
import { RecordStore, squashDiffs, invertDiff, emptyDiff } from './store';
import { History } from './history';

type Box = { id: string; x: number };
const setup = () => {
  const store = new RecordStore<Box>();
  const history = new History(store);
  return { store, history };
};

describe('RecordStore + History', () => {
  it('undoes and redoes single changes', () => {
    const { store, history } = setup();
    store.apply({ added: [{ id: 'a', x: 1 }], updated: [], removed: [] });
    store.apply({
      added: [],
      updated: [
        [
          { id: 'a', x: 1 },
          { id: 'a', x: 5 },
        ],
      ],
      removed: [],
    });
    expect(store.get('a')?.x).toBe(5);
    history.undo();
    expect(store.get('a')?.x).toBe(1);
    history.undo();
    expect(store.has('a')).toBe(false);
    history.redo();
    history.redo();
    expect(store.get('a')?.x).toBe(5);
  });

  it('makes a gesture one undo step and rolls it back on cancel', () => {
    const { store, history } = setup();
    store.apply({ added: [{ id: 'a', x: 0 }], updated: [], removed: [] });
    history.mark();
    for (let i = 1; i <= 10; i++) {
      store.apply({ added: [], updated: [[store.get('a')!, { id: 'a', x: i }]], removed: [] });
    }
    history.commit();
    expect(store.get('a')?.x).toBe(10);
    history.undo();
    expect(store.get('a')?.x).toBe(0);
    history.mark();
    store.apply({ added: [{ id: 'b', x: 3 }], updated: [], removed: [] });
    store.apply({ added: [], updated: [[store.get('a')!, { id: 'a', x: 99 }]], removed: [] });
    history.rollback();
    expect(store.has('b')).toBe(false);
    expect(store.get('a')?.x).toBe(0);
  });

  it('clears redo on a new change and ignores loads', () => {
    const { store, history } = setup();
    store.load([{ id: 'z', x: 1 }]);
    expect(history.canUndo).toBe(false);
    store.apply({ added: [{ id: 'a', x: 1 }], updated: [], removed: [] });
    history.undo();
    expect(history.canRedo).toBe(true);
    store.apply({ added: [{ id: 'c', x: 1 }], updated: [], removed: [] });
    expect(history.canRedo).toBe(false);
  });

  it('squashes add-then-remove to nothing and inverts updates', () => {
    const a = { id: 'a', x: 1 };
    const d = squashDiffs({ ...emptyDiff<Box>(), added: [a] }, { ...emptyDiff<Box>(), removed: [a] });
    expect(d).toEqual(emptyDiff());
    const inv = invertDiff({ added: [], removed: [], updated: [[a, { id: 'a', x: 2 }]] });
    expect(inv.updated[0]![1].x).toBe(1);
  });
});
