import { describe, expect, it } from 'vitest';
import demo from '../../../../resources/demo/image-project.json';
import { LabelConfig, type AnnotationResult } from '../../../shared/model';
import { diffAnnotations, pinsFor } from '../../../shared/review';
import type { KeyLike } from './core/keymap';
import { ImageEditorEngine } from './image/engine/engine';
import { imageViewKeys } from './image/keys';
import { TextDoc } from './text/doc';
import { GHOST_PREFIX, textMarks, withGhosts } from './text/review-marks';
import { textViewKeys } from './text/text-keys';

const config = LabelConfig.parse(demo.labelConfig);
const box = (id: string, x: number): AnnotationResult => ({
  type: 'bbox',
  id,
  label: 'person',
  x,
  y: 10,
  w: 50,
  h: 40,
  rotation: 0,
  attributes: {},
});
const key = (k: string): KeyLike => ({
  key: k,
  code: /^[a-z]$/.test(k) ? `Key${k.toUpperCase()}` : k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
});

describe('a read-only editor (a version under review)', () => {
  it('refuses every edit to the document, from any command', () => {
    const engine = new ImageEditorEngine({
      config,
      image: { width: 400, height: 300 },
      initial: { results: [box('a', 10)], activeMs: 0 },
    });
    engine.store.readOnly = true;
    engine.select(['a']);
    engine.deleteSelected();
    engine.add([box('b', 100) as never]);
    engine.update([box('a', 99) as never]);
    expect(engine.annotation().results).toEqual([box('a', 10)]);
    expect(engine.history.canUndo).toBe(false);
    // Selecting still works: the reviewer looks region by region.
    expect(engine.session.get().selected.has('a')).toBe(true);
  });

  it('leaves letters to the review screen: only viewing keys in its tables', () => {
    const engine = new ImageEditorEngine({
      config,
      image: { width: 400, height: 300 },
      initial: { results: [box('a', 10)], activeMs: 0 },
    });
    const ctx = { engine, notify: () => {}, previous: () => null };
    const keys = imageViewKeys();
    for (const k of ['a', 'r', 'c', 'e', 'n', 'd', 'b', '1', 'delete'])
      expect(keys.dispatch(key(k), ctx)).toBeNull();
    expect(keys.dispatch(key('.'), ctx)).toBe('next-region');
    expect(keys.dispatch(key('f'), ctx)).toBe('fit');
    const text = textViewKeys();
    expect(text.actions.map((a) => a.id).sort()).toEqual([
      'cancel',
      'caret-left',
      'caret-right',
      'next-span',
      'prev-span',
    ]);
  });
});

describe('textMarks', () => {
  const doc = new TextDoc('Maria works at Acme.\nShe lives in Lyon.');
  const span = (id: string, start: number, end: number, label = 'PER'): AnnotationResult => ({
    type: 'span',
    id,
    label,
    start,
    end,
    text: [...doc.text].slice(start, end).join(''),
    attributes: {},
  });
  const before = [span('m', 0, 5), span('l', 34, 38, 'LOC'), span('a', 15, 19, 'ORG')];
  const after = [span('m', 0, 5, 'ORG'), span('s', 21, 24)];

  it('marks changes per span and puts removed spans back as ghosts in their blocks', () => {
    const diff = diffAnnotations(before, after);
    const marks = textMarks(doc, {
      diff,
      showDiff: true,
      pins: pinsFor([{ target: { kind: 'span', resultId: 'm' }, text: 'not an org' }], after),
    })!;
    expect(marks.change.get('m')).toBe('changed');
    expect(marks.change.get('s')).toBe('added');
    expect(marks.change.get(`${GHOST_PREFIX}a`)).toBe('removed');
    expect(marks.ghosts.get(0)?.map((g) => g.id)).toEqual([`${GHOST_PREFIX}a`]);
    expect(marks.ghosts.get(1)?.map((g) => g.id)).toEqual([`${GHOST_PREFIX}l`]);
    expect(marks.pins.get('m')?.map((p) => p.n)).toEqual([1]);
    expect(withGhosts([after[0] as never], marks.ghosts.get(0)).map((s) => s.id)).toEqual([
      'm',
      `${GHOST_PREFIX}a`,
    ]);
  });

  it('with the diff toggled off keeps the pins and marks nothing changed', () => {
    const marks = textMarks(doc, { diff: diffAnnotations(before, after), showDiff: false, pins: [] })!;
    expect(marks.change.size).toBe(0);
    expect(marks.ghosts.size).toBe(0);
    expect(textMarks(doc, undefined)).toBeNull();
  });
});
