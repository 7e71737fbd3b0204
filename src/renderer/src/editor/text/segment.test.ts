import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextDoc } from './doc';
import { Segmentation } from './segment';

const cps = (s: string): string[] => [...s];
const setup = (text: string) => {
  const doc = new TextDoc(text);
  return { doc, seg: new Segmentation(doc) };
};
/** Code-point offset of the first occurrence of `needle` (test helper; counts code points). */
const cpOf = (text: string, needle: string): number => cps(text.slice(0, text.indexOf(needle))).length;
const words = (text: string, needle: string, precise = false) => {
  const { doc, seg } = setup(text);
  const s = cpOf(doc.text, needle);
  const e = s + cps(needle).length;
  const r = precise ? seg.snapGraphemes(s, e) : seg.snapWords(s, e);
  return { r, doc, seg };
};

const VI = 'Nguyễn Thị Lan joined Outrigger Labs in Hà Nội on 3 March 2025.';
const HI = 'Priya Sharma (प्रिया शर्मा) announced it.';
const TH = 'สมชาย ใจดี ทำงานที่ธนาคารกรุงเทพ ในกรุงเทพมหานคร';
const EMOJI = 'Team 👩🏽‍💻 and 👍🏽 and 🇻🇳 done ✈️.';

describe('word snapping', () => {
  it('snaps a partial Vietnamese selection to whole words (NFC and NFD input)', () => {
    for (const input of [VI, VI.normalize('NFD')]) {
      const { doc, seg } = setup(input);
      expect(doc.text).toBe(VI.normalize('NFC'));
      const s = cpOf(doc.text, 'uyễn');
      const r = seg.snapWords(s, s + 2)!;
      expect(cps(doc.text).slice(r[0], r[1]).join('')).toBe('Nguyễn');
      const h = cpOf(doc.text, 'à Nội');
      const r2 = seg.snapWords(h, h + 3)!;
      expect(doc.slice(r2[0], r2[1])).toBe('Hà Nội');
    }
  });

  it('drops spaces and punctuation at the edges', () => {
    const { r, doc } = words(VI, ' Outrigger Labs ');
    expect(doc.slice(r![0], r![1])).toBe('Outrigger Labs');
    const { r: r2, doc: d2 } = words(VI, '2025.');
    expect(d2.slice(r2![0], r2![1])).toBe('2025');
  });

  it('keeps Devanagari words whole', () => {
    const { doc, seg } = setup(HI);
    const s = cpOf(doc.text, 'िया');
    const r = seg.snapWords(s, s + 1)!;
    expect(doc.slice(r[0], r[1])).toBe('प्रिया');
  });

  it('finds Thai words without spaces', () => {
    const { doc, seg } = setup(TH);
    const s = cpOf(doc.text, 'นาคาร');
    const r = seg.snapWords(s, s + 2)!;
    expect(doc.slice(r[0], r[1])).toBe('ธนาคาร');
  });

  it('returns null for whitespace only', () => {
    const { seg } = setup('a   b');
    expect(seg.snapWords(1, 4)).toBeNull();
  });
});

describe('grapheme snapping', () => {
  it('never splits an emoji ZWJ sequence, a skin tone or a flag', () => {
    const { doc, seg } = setup(EMOJI);
    const text = doc.text;
    for (const e of ['👩🏽‍💻', '👍🏽', '🇻🇳', '✈️']) {
      const s = cpOf(text, e);
      const len = cps(e).length;
      for (let i = 1; i < len; i++) expect(seg.isGraphemeBoundary(s + i)).toBe(false);
      expect(seg.snapGraphemes(s + 1, s + 2)).toEqual([s, s + len]);
      expect(doc.slice(s, s + len)).toBe(e);
    }
  });

  it('keeps combining marks with their base in NFD Vietnamese', () => {
    // NFD text as a single block is what the segmenter sees after NFC; check the raw NFD too.
    const nfd = 'Nguyễn'.normalize('NFD');
    const doc = new TextDoc(nfd);
    expect(doc.cpLength).toBe(6);
    const seg = new Segmentation(doc);
    expect(seg.isGraphemeBoundary(4)).toBe(true);
    expect(seg.snapGraphemes(3, 4)).toEqual([3, 4]);
    expect(cps(nfd).length).toBe(8); // e + U+0302 + U+0303: the editor never sees these apart
  });

  it('keeps Devanagari conjuncts and Thai vowels with their base', () => {
    const { doc, seg } = setup(HI);
    const s = cpOf(doc.text, 'प्रि');
    // प ् र ि: boundaries fall only at cluster edges
    const inside = [1, 2, 3].filter((i) => seg.isGraphemeBoundary(s + i));
    expect(inside.length).toBeLessThan(3);
    const [a, b] = seg.snapGraphemes(s + 1, s + 2);
    expect(seg.isGraphemeBoundary(a) && seg.isGraphemeBoundary(b)).toBe(true);
    const t = setup(TH);
    const th = cpOf(t.doc.text, 'ดี');
    expect(t.seg.isGraphemeBoundary(th + 1)).toBe(false);
  });

  it('treats CRLF as one cluster that blocks end before', () => {
    const text = 'Mumbai next year.\r\nThe launch\r\n\r\nEnd\tof\ttabs';
    const { doc, seg } = setup(text);
    expect(doc.blocks.map((b) => b.text)).toEqual(['Mumbai next year.', 'The launch', '', 'End\tof\ttabs']);
    const crAt = cpOf(text, '\r');
    expect(seg.isGraphemeBoundary(crAt)).toBe(true);
    expect(seg.isGraphemeBoundary(crAt + 1)).toBe(false);
    expect(seg.roundGrapheme(crAt + 1, -1)).toBe(crAt);
    expect(seg.roundGrapheme(crAt + 1, 1)).toBe(crAt + 2);
    // A selection across the line break keeps both words and the CRLF between them.
    const r = seg.snapWords(cpOf(text, 'year'), cpOf(text, 'The') + 2)!;
    expect(doc.slice(r[0], r[1])).toBe('year.\r\nThe');
    const tab = seg.snapWords(cpOf(text, 'End'), cpOf(text, 'tabs') + 4)!;
    expect(doc.slice(tab[0], tab[1])).toBe('End\tof\ttabs');
  });
});

describe('property: snapped ranges are cluster-aligned and round-trip', () => {
  const alphabet = [
    'a',
    ' ',
    'ễ',
    'e\u0302\u0303',
    'प्',
    'ि',
    'ท',
    'ี่',
    '👍🏽',
    '👩‍💻',
    '\r\n',
    '\n',
    '\t',
    '🇻🇳',
    '.',
  ];
  it('holds for random texts and ranges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (parts, x, y, precise) => {
          const { doc, seg } = setup(parts.join(''));
          const n = doc.cpLength;
          const a = x % (n + 1);
          const b = y % (n + 1);
          const r = precise ? seg.snapGraphemes(a, b) : seg.snapWords(a, b);
          if (!r) return;
          expect(r[0]).toBeLessThanOrEqual(r[1]);
          expect(seg.isGraphemeBoundary(r[0])).toBe(true);
          expect(seg.isGraphemeBoundary(r[1])).toBe(true);
          expect(cps(doc.text).slice(r[0], r[1]).join('')).toBe(doc.slice(r[0], r[1]));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('keyboard steps', () => {
  it('moves by words and by clusters', () => {
    const { doc, seg } = setup('Hi 👍🏽 Hà Nội');
    expect(seg.stepWord(0, 1)).toBe(2);
    // An emoji is a word stop (a person labels it as one), then the next word.
    expect(doc.slice(seg.stepWord(2, 1) - 2, seg.stepWord(2, 1))).toBe('👍🏽');
    const after = seg.stepWord(seg.stepWord(2, 1), 1);
    expect(doc.slice(after - 2, after)).toBe('Hà');
    const e = cpOf(doc.text, '👍🏽');
    expect(seg.stepGrapheme(e, 1)).toBe(e + 2);
    expect(seg.stepGrapheme(e + 2, -1)).toBe(e);
    expect(seg.stepWord(doc.cpLength, -1)).toBe(cpOf(doc.text, 'Nội'));
  });
});
