import { describe, expect, it } from 'vitest';
import type { AnnotationResult } from '../model/annotation';
import { diffAnnotations, diffInWords } from './diff';

const box = (
  id: string,
  x = 10,
  label = 'car',
  attributes: Record<string, string | boolean> = {},
): AnnotationResult => ({
  type: 'bbox',
  id,
  label,
  x,
  y: 20,
  w: 30,
  h: 40,
  rotation: 0,
  attributes,
});
const span = (id: string, start: number, end: number, label = 'PER'): AnnotationResult => ({
  type: 'span',
  id,
  label,
  start,
  end,
  text: 'x'.repeat(end - start),
  attributes: {},
});

describe('diffAnnotations', () => {
  it('finds added, removed and changed results by id, in a stable order', () => {
    const d = diffAnnotations([box('a'), box('b'), box('c')], [box('a'), box('b', 11), box('d')]);
    expect(d.changes.map((c) => [c.kind, c.id])).toEqual([
      ['changed', 'b'],
      ['added', 'd'],
      ['removed', 'c'],
    ]);
    expect(d.byId.get('b')?.fields).toEqual(['geometry']);
    expect(d.counts).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(diffInWords(d)).toBe('1 added, 1 removed, 1 changed');
  });

  it('treats identical versions and float noise as no change', () => {
    const d = diffAnnotations([box('a', 10)], [box('a', 10 + 1e-9)]);
    expect(d.changes).toEqual([]);
    expect(diffInWords(d)).toBe('No changes');
  });

  it('names what changed: label, attributes, span range', () => {
    const d = diffAnnotations(
      [box('a', 10, 'car', { occluded: false }), span('s', 0, 4), span('t', 5, 9)],
      [box('a', 10, 'truck', { occluded: true }), span('s', 0, 6), span('t', 5, 9, 'ORG')],
    );
    expect(d.byId.get('a')?.fields).toEqual(['label', 'attributes']);
    expect(d.byId.get('s')?.fields).toEqual(['range']);
    expect(d.byId.get('t')?.fields).toEqual(['label']);
  });

  it('ignores attribute key order and unset keys', () => {
    const d = diffAnnotations(
      [box('a', 10, 'car', { a: 'x', b: true })],
      [box('a', 10, 'car', { b: true, a: 'x' })],
    );
    expect(d.changes).toEqual([]);
  });

  it('matches classes by group, and an emptied group is a removal', () => {
    const before: AnnotationResult[] = [
      { type: 'image-class', id: 'class:weather', group: 'weather', labels: ['sunny'] },
      { type: 'image-class', id: 'class:time', group: 'time', labels: ['day'] },
    ];
    const after: AnnotationResult[] = [
      { type: 'image-class', id: 'other-id', group: 'weather', labels: ['rain'] },
      { type: 'image-class', id: 'class:time', group: 'time', labels: [] },
    ];
    const d = diffAnnotations(before, after);
    expect(d.changes.map((c) => [c.kind, c.id, c.fields])).toEqual([
      ['changed', 'other-id', ['labels']],
      ['removed', 'class:time', []],
    ]);
  });

  it('sees polygon vertices, keypoint visibility and relation ends', () => {
    const d = diffAnnotations(
      [
        {
          type: 'polygon',
          id: 'p',
          label: 'road',
          points: [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
          attributes: {},
        },
        { type: 'keypoints', id: 'k', label: 'person', points: [{ x: 1, y: 1, v: 2 }], attributes: {} },
        { type: 'relation', id: 'r', label: 'works-for', from: 's', to: 't' },
      ],
      [
        {
          type: 'polygon',
          id: 'p',
          label: 'road',
          points: [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
          attributes: {},
        },
        { type: 'keypoints', id: 'k', label: 'person', points: [{ x: 1, y: 1, v: 1 }], attributes: {} },
        { type: 'relation', id: 'r', label: 'works-for', from: 't', to: 's' },
      ],
    );
    expect(d.changes.map((c) => [c.id, c.fields])).toEqual([
      ['p', ['geometry']],
      ['k', ['geometry']],
      ['r', ['endpoints']],
    ]);
  });

  it('a result whose type changed under the same id is removed and added', () => {
    const d = diffAnnotations([box('a')], [span('a', 0, 3)]);
    expect(d.changes.map((c) => [c.kind, c.type])).toEqual([
      ['removed', 'bbox'],
      ['added', 'span'],
    ]);
  });

  it('compares the parts of a model-answer comparison', () => {
    const base = {
      type: 'comparison' as const,
      id: 'c',
      choice: 'a',
      tie: false,
      ranking: ['a', 'b'],
      ratings: { a: { help: 5 } },
      justification: 'x',
    };
    const d = diffAnnotations([base], [{ ...base, choice: 'b', ratings: { a: { help: 6 } } }]);
    expect(d.byId.get('c')?.fields).toEqual(['choice', 'ratings']);
  });
});
