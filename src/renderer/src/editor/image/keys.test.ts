import { describe, expect, it } from 'vitest';
import demo from '../../../../../resources/demo/image-project.json';
import { LabelConfig, type Annotation, type AnnotationResult } from '../../../../shared/model';
import type { KeyLike } from '../core/keymap';
import { ImageEditorEngine } from './engine/engine';
import { imageKeys, type ImageKeyContext } from './keys';

const config = LabelConfig.parse(demo.labelConfig);
const keys = imageKeys(config);

const box = (id: string, x: number, label = 'person'): AnnotationResult => ({
  type: 'bbox',
  id,
  label,
  x,
  y: 10,
  w: 50,
  h: 40,
  rotation: 0,
  attributes: {},
});

/** A key descriptor as the browser would send it on a US layout. */
const key = (k: string, mods: Partial<Pick<KeyLike, 'shiftKey' | 'ctrlKey' | 'altKey'>> = {}): KeyLike => {
  const code = /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : /^[0-9]$/.test(k) ? `Digit${k}` : k;
  return { key: k, code, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods };
};

const setup = (
  results: AnnotationResult[] = [],
  clipboard: AnnotationResult[] = [],
  previous: Annotation | null = null,
) => {
  const engine = new ImageEditorEngine({
    config,
    image: { width: 4000, height: 3000 },
    initial: { results, activeMs: 0 },
    clipboard,
  });
  engine.setViewport({ width: 1000, height: 800 });
  engine.setCamera({ x: 0, y: 0, scale: 1 });
  const notes: string[] = [];
  const ctx: ImageKeyContext = {
    engine,
    notify: (t) => notes.push(t),
    previous: () => previous,
  };
  const press = (k: string, mods: Parameters<typeof key>[1] = {}) => keys.dispatch(key(k, mods), ctx);
  return { engine, notes, press };
};

describe('image key table', () => {
  it('switches tools and labels by key, and toggles a class without JSON in action ids', () => {
    const { engine, press } = setup([box('a', 10)]);
    expect(press('v')).toBe('tool:select');
    expect(engine.session.get().tool).toBe('select');
    expect(press('p')).toBe('tool:polygon');
    expect(engine.session.get().tool).toBe('polygon');
    expect(press('v')).toBe('tool:select');
    engine.select(['a']);
    expect(press('w')).toBe('label:animal');
    expect(engine.region('a')?.label).toBe('animal');
    expect(press('1')).toBe('class:scene:person');
    expect(engine.annotation().results.find((r) => r.type === 'image-class')).toMatchObject({
      group: 'scene',
      labels: ['person'],
    });
  });

  it('cycles regions with . and , — Tab is not bound, so it moves focus (issue 19.2)', () => {
    const { engine, press } = setup([box('a', 10), box('b', 100), box('c', 200)]);
    expect(keys.matching(key('Tab'))).toEqual([]);
    expect(keys.matching(key('Tab', { shiftKey: true }))).toEqual([]);
    expect(press('.')).toBe('next-region');
    expect([...engine.session.get().selected]).toEqual(['a']);
    press('.');
    press('.');
    expect([...engine.session.get().selected]).toEqual(['c']);
    press('.');
    expect([...engine.session.get().selected]).toEqual(['a']);
    expect(press(',')).toBe('prev-region');
    expect([...engine.session.get().selected]).toEqual(['c']);
  });

  it('Esc clears the selection first, and only then falls through to the task (skip)', () => {
    const { engine, press } = setup([box('a', 10)]);
    engine.select(['a']);
    expect(press('Escape')).toBe('cancel');
    expect(engine.session.get().selected.size).toBe(0);
    expect(press('Escape')).toBeNull();
    // Backspace with nothing selected or drawn is not the editor's either; Enter neither.
    expect(press('Backspace')).toBeNull();
    expect(press('Enter')).toBeNull();
  });

  it('arrows nudge a selection and fall through without one (task history)', () => {
    const { engine, press } = setup([box('a', 10)]);
    expect(press('ArrowRight')).toBeNull();
    engine.select(['a']);
    expect(press('ArrowRight')).toBe('nudge');
    expect(press('ArrowDown', { shiftKey: true })).toBe('nudge-far');
    expect(engine.region('a')).toMatchObject({ x: 11, y: 20 });
  });

  it('pastes from the host clipboard into another task, and copies from the previous task', () => {
    const shared: AnnotationResult[] = [];
    const first = setup([box('a', 10)], shared);
    first.engine.select(['a']);
    expect(first.press('c', { ctrlKey: true })).toBe('copy');
    const next = setup([], shared, { results: [box('p1', 5), box('p2', 300)], activeMs: 0 });
    expect(next.press('v', { ctrlKey: true })).toBe('paste');
    expect(next.engine.regions()).toHaveLength(1);
    expect(next.press('v', { ctrlKey: true, shiftKey: true })).toBe('copy-previous');
    expect(next.engine.regions()).toHaveLength(3);
    expect(next.notes).toEqual(['Pasted 1 region(s)', 'Copied 2 region(s) from the previous task']);
    const alone = setup();
    alone.press('v', { ctrlKey: true, shiftKey: true });
    expect(alone.notes).toEqual(['No previous task to copy from']);
  });

  it('draws a box with no pointer: I inserts it, arrows move it, Alt+arrows resize it', () => {
    const { engine, press } = setup();
    expect(press('i')).toBe('insert');
    const [r] = engine.regions();
    expect(r?.type).toBe('bbox');
    expect([...engine.session.get().selected]).toEqual([r!.id]);
    const before = engine.region(r!.id) as { x: number; w: number; h: number };
    expect(press('ArrowRight', { altKey: true })).toBe('resize');
    press('ArrowDown', { altKey: true, shiftKey: true });
    press('ArrowRight', { shiftKey: true });
    expect(engine.region(r!.id)).toMatchObject({ x: before.x + 10, w: before.w + 1, h: before.h + 10 });
    expect(press('e')).toBe('label:object');
    expect(engine.region(r!.id)?.label).toBe('object');
  });

  it('derives the toolbar tooltips and the cheat sheet from the same table', () => {
    expect(keys.tip('tool:bbox')).toBe('Box tool (B)');
    expect(keys.tip('zoom-in')).toBe('Zoom in (+, =)');
    expect(keys.tip('undo')).toBe('Undo (Ctrl+Z)');
    const titles = keys.sections().map((s) => s.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Labels', 'Image classes', 'Tools', 'Edit', 'View', 'Mouse']),
    );
    expect(keys.conflicts()).toEqual([]);
  });
});
