import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codePointLength, codePointToUtf16, normalizeText, sliceCodePoints, utf16ToCodePoint } from './text';

describe('code point ↔ UTF-16 helpers', () => {
  it('counts and slices in code points around emoji, Devanagari, Thai and CRLF', () => {
    const t = 'a👍🏽 प्रिया\r\nกรุงเทพ 👩🏽‍💻!';
    expect(codePointLength(t)).toBe([...t].length);
    const cps = [...t];
    for (let s = 0; s <= cps.length; s++)
      for (let e = s; e <= cps.length; e++) expect(sliceCodePoints(t, s, e)).toBe(cps.slice(s, e).join(''));
  });

  it('round-trips every code point offset, and rounds an index inside a pair down', () => {
    const t = '😀x😀';
    expect(codePointToUtf16(t, 1)).toBe(2);
    expect(utf16ToCodePoint(t, 1)).toBe(0);
    expect(utf16ToCodePoint(t, 3)).toBe(2);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const n = codePointLength(s);
        for (let cp = 0; cp <= n; cp++) expect(utf16ToCodePoint(s, codePointToUtf16(s, cp))).toBe(cp);
      }),
    );
  });

  it('normalizes NFD Vietnamese to NFC, changing code-point counts', () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    expect(codePointLength(nfd)).toBe(8);
    expect(codePointLength(normalizeText(nfd))).toBe(6);
  });
});
