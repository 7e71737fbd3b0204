import { describe, expect, it } from 'vitest';
import type { AnnotationResult, ChoiceGroup } from '../../../../shared/model';
import { chosenLabels, findClassByHotkey, toggleClass } from './class-toggle';

const opt = (name: string, hotkey?: string) => ({ name, color: '#123456', hotkey, attributes: [] });
const scene: ChoiceGroup = {
  name: 'scene',
  multiple: false,
  options: [opt('person', '1'), opt('animal', '2')],
};
const topics: ChoiceGroup = {
  name: 'topics',
  multiple: true,
  options: [opt('business', 'shift+1'), opt('travel'), opt('science')],
};
let n = 0;
const id = () => `r${++n}`;
const box: AnnotationResult = {
  type: 'bbox',
  id: 'b1',
  label: 'person',
  x: 0,
  y: 0,
  w: 1,
  h: 1,
  rotation: 0,
  attributes: {},
};

describe('toggleClass', () => {
  it('adds a result for a group that has none, leaving others alone', () => {
    const out = toggleClass([box], 'image-class', scene, 'person', id);
    expect(out[0]).toBe(box);
    expect(out[1]).toMatchObject({ type: 'image-class', group: 'scene', labels: ['person'] });
  });

  it('replaces the choice in a single-choice group, keeping the result id', () => {
    const first = toggleClass([], 'image-class', scene, 'person', id);
    const second = toggleClass(first, 'image-class', scene, 'animal', id);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ id: first[0]!.id, labels: ['animal'] });
  });

  it('removes the result when its only label is toggled off', () => {
    const on = toggleClass([box], 'image-class', scene, 'person', id);
    expect(toggleClass(on, 'image-class', scene, 'person', id)).toEqual([box]);
  });

  it('adds and removes in a multi-choice group, in the config order', () => {
    let r = toggleClass([], 'doc-class', topics, 'science', id);
    r = toggleClass(r, 'doc-class', topics, 'business', id);
    expect(chosenLabels(r, 'doc-class', 'topics')).toEqual(['business', 'science']);
    r = toggleClass(r, 'doc-class', topics, 'science', id);
    expect(chosenLabels(r, 'doc-class', 'topics')).toEqual(['business']);
  });

  it('keeps image and document classes of the same group name apart', () => {
    const r = toggleClass([], 'doc-class', scene, 'person', id);
    expect(chosenLabels(r, 'image-class', 'scene')).toEqual([]);
  });

  it('drops a prediction score once the user changes the choice', () => {
    const predicted: AnnotationResult = {
      type: 'image-class',
      id: 'p',
      group: 'scene',
      labels: ['person'],
      score: 0.9,
    };
    const [r] = toggleClass([predicted], 'image-class', scene, 'animal', id);
    expect(r).toEqual({ type: 'image-class', id: 'p', group: 'scene', labels: ['animal'] });
  });
});

describe('findClassByHotkey', () => {
  const key = (k: string, code: string, shiftKey = false) => ({
    key: k,
    code,
    shiftKey,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
  });
  it('finds the option whose hotkey was pressed', () => {
    expect(findClassByHotkey([scene, topics], key('2', 'Digit2'))).toEqual({ group: scene, label: 'animal' });
    expect(findClassByHotkey([scene, topics], key('!', 'Digit1', true))).toEqual({
      group: topics,
      label: 'business',
    });
    expect(findClassByHotkey([scene, topics], key('3', 'Digit3'))).toBeNull();
  });
});
