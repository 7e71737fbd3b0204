import { describe, expect, it } from 'vitest';
import { LabelConfig } from '../../../../shared/model';
import project from '../../../../../resources/demo/text-project.json';
import type { KeyLike } from '../core/keymap';
import { DEMO_TEXTS } from './demo-texts';
import { textKeys } from './text-keys';
import { TextEditorModel } from './text-model';

const config = LabelConfig.parse(project.labelConfig);
const keys = textKeys(config);
const text = DEMO_TEXTS[0]!.text;

const key = (k: string, code: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  code,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

const setup = () => {
  const model = new TextEditorModel({ text, config, initial: { results: [], activeMs: 0 } });
  const ctx = { model, paneFocused: true };
  const press = (k: KeyLike) => keys.dispatch(k, ctx);
  const labelWord = (word: string, hotkey: string) => {
    const start = [...text.slice(0, text.indexOf(word))].length;
    model.select(start, start + [...word].length, true);
    expect(press(key(hotkey, `Digit${hotkey}`))).toMatch(/^label:/);
  };
  return { model, ctx, press, labelWord };
};

describe('text key table', () => {
  it('cycles spans with . and , and leaves Tab alone (issue 19.2: the pane is one tab stop)', () => {
    const { model, press, labelWord } = setup();
    labelWord('Hà Nội', '3');
    labelWord('Outrigger Labs', '2');
    expect(press(key('Tab', 'Tab'))).toBeNull();
    expect(press(key('Tab', 'Tab', { shiftKey: true }))).toBeNull();
    press(key('Escape', 'Escape'));
    expect(press(key('.', 'Period'))).toBe('next-span');
    const first = model.session.get().selectedSpan;
    expect(press(key('.', 'Period'))).toBe('next-span');
    expect(model.session.get().selectedSpan).not.toBe(first);
    expect(press(key(',', 'Comma'))).toBe('prev-span');
    expect(model.session.get().selectedSpan).toBe(first);
  });

  it('draws a relation by keys: relation key, . to the target, Enter', () => {
    const { model, press, labelWord } = setup();
    labelWord('Nguyễn Thị Lan', '1');
    labelWord('Outrigger Labs', '2');
    press(key(',', 'Comma')); // back to the person
    expect(press(key('w', 'KeyW'))).toBe('relation:works_for');
    press(key('.', 'Period'));
    expect(press(key('Enter', 'Enter'))).toBe('finish-relation');
    expect(model.annotation().results.filter((r) => r.type === 'relation')).toHaveLength(1);
  });

  it('Esc clears first, then falls through; Backspace with nothing selected is not the editor’s', () => {
    const { press, labelWord } = setup();
    labelWord('Hà Nội', '3');
    expect(press(key('Escape', 'Escape'))).toBe('cancel');
    expect(press(key('Escape', 'Escape'))).toBeNull();
    expect(press(key('Backspace', 'Backspace'))).toBeNull();
    expect(press(key('Enter', 'Enter'))).toBeNull();
  });

  it('arrows move the caret only while the pane has focus', () => {
    const { ctx, press } = setup();
    ctx.paneFocused = false;
    expect(press(key('ArrowRight', 'ArrowRight', { shiftKey: true }))).toBeNull();
    ctx.paneFocused = true;
    expect(press(key('ArrowRight', 'ArrowRight', { shiftKey: true }))).toBe('caret-right');
  });

  it('class hotkeys with Shift match the physical digit', () => {
    const { model, press } = setup();
    expect(press(key('!', 'Digit1', { shiftKey: true }))).toBe('class:sentiment:positive');
    expect(model.annotation().results.some((r) => r.type === 'doc-class')).toBe(true);
  });
});
