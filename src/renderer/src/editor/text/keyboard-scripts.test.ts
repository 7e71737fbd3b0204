/**
 * Keyboard-made spans in every script the annotators label: Shift+arrows then a label key store
 * whole words (never an edge space) unless Alt chose characters; arrows follow the visual order
 * in right-to-left text; emoji, flags and hyphenated words are words.
 */
import { describe, expect, it } from 'vitest';
import { LabelConfig, type Annotation, type SpanResult } from '../../../../shared/model';
import { firstStrongDirection, logicalStep } from './direction';
import { TextEditorModel } from './text-model';

import project from '../../../../../resources/demo/text-project.json';

const config = LabelConfig.parse(project.labelConfig);
const empty: Annotation = { results: [], activeMs: 0 };
const cp = (text: string, needle: string): number => [...text.slice(0, text.indexOf(needle))].length;
const spans = (m: TextEditorModel) =>
  m.annotation().results.filter((r): r is SpanResult => r.type === 'span');

/** Caret at code point `at`, then Shift+arrow `n` times, then the label. */
const keyboardSpan = (
  m: TextEditorModel,
  at: number,
  n: number,
  key: 'ArrowLeft' | 'ArrowRight',
  alt = false,
) => {
  m.session.set({ selection: { anchor: at, focus: at } });
  for (let i = 0; i < n; i++) m.arrow(key, { extend: true, precise: alt });
  m.applyLabel('PER');
  const s = m.index.spans.get(m.session.get().selectedSpan!);
  return s ? [...m.doc.text].slice(s.start, s.end).join('') : null;
};

describe('keyboard selections snap to words', () => {
  it('a caret inside a word takes the whole word ("ñor Juan" was stored)', () => {
    const text = 'Ông Señor Juan đến.';
    const m = new TextEditorModel({ text, config, initial: empty });
    expect(keyboardSpan(m, cp(text, 'ñor'), 2, 'ArrowRight')).toBe('Señor Juan');
  });

  it('a caret after a word never starts the span on the space (" Trần" was stored)', () => {
    const text = 'Anh Trần Văn Nam';
    const m = new TextEditorModel({ text, config, initial: empty });
    expect(keyboardSpan(m, cp(text, ' Trần'), 1, 'ArrowRight')).toBe('Trần');
    expect(spans(m)[0]!.start).toBe(cp(text, 'Trần'));
  });

  it('Thai without spaces snaps to ICU words ("านที่" was stored)', () => {
    const text = 'สถานที่ทำงาน';
    const m = new TextEditorModel({ text, config, initial: empty });
    const got = keyboardSpan(m, 2, 1, 'ArrowRight')!;
    expect(got.startsWith('สถ')).toBe(true);
    expect(m.seg.isGraphemeBoundary(spans(m)[0]!.end)).toBe(true);
  });

  it('Alt keeps the characters chosen, whole grapheme clusters only', () => {
    const text = 'Anh Trần Văn';
    const m = new TextEditorModel({ text, config, initial: empty });
    expect(keyboardSpan(m, 3, 3, 'ArrowRight', true)).toBe(' Tr');
  });

  it('NFD input is stored NFC, offsets in code points of the NFC text', () => {
    const text = 'Anh Tra\u0302\u0300n Văn'.normalize('NFD');
    const m = new TextEditorModel({ text, config, initial: empty });
    expect(keyboardSpan(m, cp(m.doc.text, ' T'), 1, 'ArrowRight')).toBe('Trần');
    const s = spans(m)[0]!;
    expect([...m.doc.text].slice(s.start, s.end).join('')).toBe(s.text);
    expect(s.text).toBe(s.text.normalize('NFC'));
  });
});

describe('right-to-left text', () => {
  const text = 'قال مُحَمَّد شكرا.';

  it('knows the direction from the first strong character', () => {
    expect(firstStrongDirection(text)).toBe('rtl');
    expect(firstStrongDirection('  "Hello" مرحبا')).toBe('ltr');
    expect(firstStrongDirection('123 …')).toBeNull();
    expect(logicalStep('ArrowLeft', 'rtl')).toBe(1);
    expect(logicalStep('ArrowLeft', 'ltr')).toBe(-1);
  });

  it('Shift+← extends towards the end of an Arabic text, snapped (" مُحَمَّد" was stored)', () => {
    const m = new TextEditorModel({ text, config, initial: empty });
    expect(keyboardSpan(m, cp(text, ' مُحَمَّد'), 1, 'ArrowLeft')).toBe('مُحَمَّد');
  });

  it('a task marked ltr moves logically even over Arabic letters', () => {
    const m = new TextEditorModel({ text, config, initial: empty, direction: 'ltr' });
    expect(m.dirAt(0)).toBe('ltr');
    expect(keyboardSpan(m, cp(text, ' مُحَمَّد'), 1, 'ArrowRight')).toBe('مُحَمَّد');
  });
});

describe('emoji, flags and hyphenated words are words', () => {
  const text = 'Si Ana ay nag-aaral 👩‍💻 kasama 👨‍👩‍👧‍👦 👍🏽 sa 🇵🇭.';
  const m = () => new TextEditorModel({ text, config, initial: empty });

  it('a drag ending on a flag keeps it', () => {
    const model = m();
    const a = cp(text, 'sa 🇵🇭');
    // The DOM point lands inside the flag's second regional indicator.
    expect(model.select(a, cp(text, '🇵🇭') + 1, false)).toEqual([a, cp(text, '🇵🇭') + 2]);
  });

  it('ZWJ emoji are whole words for the keyboard and for snapping', () => {
    const model = m();
    for (const e of ['👩‍💻', '👨‍👩‍👧‍👦', '👍🏽']) {
      const at = cp(text, e);
      const w = model.seg.wordAt(at, 'start')!;
      expect([...text].slice(w.start, w.end).join('')).toBe(e);
    }
  });

  it('Tagalog prefixed words stay one word', () => {
    const model = m();
    const w = model.seg.wordAt(cp(text, 'aaral'), 'start')!;
    expect([...text].slice(w.start, w.end).join('')).toBe('nag-aaral');
  });

  it('a label key with nothing selected arms the label and says so', () => {
    const model = m();
    model.applyLabel('PER');
    expect(model.session.get().armedLabel).toBe('PER');
    expect(model.session.get().notice).toMatch(/Nothing is selected/);
    expect(spans(model)).toHaveLength(0);
  });
});
