import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize, tokenizeByRegex } from './conll';

const samples = [
  'Nguyễn Văn A sống ở Hà Nội.',
  'Cafe\u0301 au lait 😀👍🏽 🇻🇳 flags',
  'नमस्ते दुनिया। हिन्दी',
  'สวัสดีครับ ภาษาไทย',
  'line one\r\nline two\u2028three\u00a0nbsp\u3000wide',
  'lone \ud800 high and \udc00 low surrogates_under_score 42nd',
  '　全角！？。テスト',
];

describe('tokenize (the CoNLL fast path)', () => {
  it('finds exactly the tokens of the TOKEN regex', () => {
    for (const t of samples) expect(tokenize(t)).toEqual(tokenizeByRegex(t));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (t) => {
        expect(tokenize(t)).toEqual(tokenizeByRegex(t));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (t) => {
        expect(tokenize(t)).toEqual(tokenizeByRegex(t));
      }),
      { numRuns: 3000 },
    );
  });
});
