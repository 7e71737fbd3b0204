import { describe, expect, it } from 'vitest';
import { conllSpans, readConll } from './conll';

const TEXT = 'Nguyễn Thị Lan 😀 met Anna-Lee\r\nin Hà Nội.';

describe('CoNLL import', () => {
  it('reads IOB2 entities back to code-point spans of the text', () => {
    const file = [
      '-DOCSTART- -X- -X- O',
      '',
      'Nguyễn _ _ B-PER',
      'Thị _ _ I-PER',
      'Lan _ _ I-PER',
      '😀 _ _ O',
      'met _ _ O',
      'Anna _ _ B-PER',
      '- _ _ I-PER',
      'Lee _ _ I-PER',
      '',
      'in _ _ O',
      'Hà _ _ B-LOC',
      'Nội _ _ I-LOC',
      '. _ _ O',
      '',
    ].join('\n');
    const [doc] = readConll(file, 'a.conll');
    const spans = conllSpans(doc!, TEXT, 'a.conll', 't1');
    expect(spans.map((s) => [s.label, s.start, s.end, s.text])).toEqual([
      ['PER', 0, 14, 'Nguyễn Thị Lan'],
      ['PER', 21, 29, 'Anna-Lee'],
      ['LOC', 34, 40, 'Hà Nội'],
    ]);
    for (const s of spans) expect([...TEXT].slice(s.start, s.end).join('')).toBe(s.text);
  });

  it('reads IOB1 and BIOES; an I- never continues across a sentence break', () => {
    const tokens = (tags: string[]) =>
      readConll(tags.map((t, i) => `w${i}\t${t}`).join('\n'), 'a')[0]!.tokens;
    const text = 'w0 w1 w2 w3 w4';
    const spans = (tags: string[]) =>
      conllSpans({ line: 1, tokens: tokens(tags) }, text, 'a', 't').map((s) => `${s.label}:${s.text}`);
    expect(spans(['I-A', 'I-A', 'O', 'I-B', 'B-B'])).toEqual(['A:w0 w1', 'B:w3', 'B:w4']);
    expect(spans(['S-A', 'B-A', 'E-A', 'S-A', 'O'])).toEqual(['A:w0', 'A:w1 w2', 'A:w3']);
    const broken = readConll('-DOCSTART- O\nw0 B-A\n\nw1 I-A\n', 'a')[0]!;
    expect(conllSpans(broken, 'w0 w1', 'a', 't').map((s) => s.text)).toEqual(['w0', 'w1']);
  });

  it('without -DOCSTART-, each sentence is a text', () => {
    expect(readConll('a O\nb O\n\nc O\n', 'a').map((d) => d.tokens.map((t) => t.text))).toEqual([
      ['a', 'b'],
      ['c'],
    ]);
  });

  it('names the file, line and field', () => {
    expect(() => readConll('a O\nb\n', 'x.conll')).toThrow(
      'x.conll line 2: one field; a CoNLL line is "token … TAG"',
    );
    expect(() => readConll('a _ _ O\nb _ _ PER\n', 'x.conll')).toThrow(
      'x.conll line 2: field 4 ("PER") is not an IOB tag (O, B-X, I-X)',
    );
    const [doc] = readConll('a O\nbc O\n', 'x.conll');
    expect(() => conllSpans(doc!, 'a b c', 'x.conll', 't9')).toThrow(
      'x.conll line 2: token "bc" is not the text of task t9 at code point 2',
    );
  });
});
