/**
 * Text offsets. Spans are stored as [start, end) Unicode code-point offsets into NFC text (as
 * Python, spaCy and Hugging Face count); JavaScript strings index UTF-16 code units, so the
 * editor converts only at its edge with these helpers.
 */

export const normalizeText = (text: string): string => text.normalize('NFC');

export const codePointLength = (text: string): number => {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
};

/** Text covered by [start, end) code points. */
export const sliceCodePoints = (text: string, start: number, end: number): string =>
  text.slice(codePointToUtf16(text, start), codePointToUtf16(text, end));

/** UTF-16 index of code point `cp` (clamped to the text's end). */
export const codePointToUtf16 = (text: string, cp: number): number => {
  let i = 0;
  let n = 0;
  while (n < cp && i < text.length) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
    n++;
  }
  return i;
};

/** Code-point offset of UTF-16 index `u` (an index inside a surrogate pair rounds down). */
export const utf16ToCodePoint = (text: string, u: number): number => {
  let n = 0;
  let i = 0;
  while (i < u && i < text.length) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLow(text.charCodeAt(i + 1));
    if (pair && i + 1 >= u) break;
    i += pair ? 2 : 1;
    n++;
  }
  return n;
};

const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
