import { describe, expect, it } from 'vitest';
import { TextDoc } from './doc';

describe('TextDoc', () => {
  it('maps code points and UTF-16 both ways around astral characters', () => {
    const doc = new TextDoc('a😀b👍🏽c');
    expect(doc.cpLength).toBe([...doc.text].length);
    for (let cp = 0; cp <= doc.cpLength; cp++) expect(doc.u16ToCp(doc.cpToU16(cp))).toBe(cp);
    expect(doc.slice(1, 2)).toBe('😀');
    expect(doc.slice(3, 5)).toBe('👍🏽');
    expect(doc.u16ToCp(2)).toBe(1); // inside the pair rounds down
  });

  it('normalizes NFD to NFC once', () => {
    const doc = new TextDoc('Hà Nội'.normalize('NFD'));
    expect(doc.text).toBe('Hà Nội'.normalize('NFC'));
    expect(doc.cpLength).toBe(6);
  });

  it('cuts long lines into blocks at spaces, keeping offsets contiguous', () => {
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const doc = new TextDoc(`${words}\n${words}`, 100);
    expect(doc.blocks.length).toBeGreaterThan(10);
    for (const b of doc.blocks) expect(b.cpEnd - b.cpStart).toBeLessThanOrEqual(100);
    const joined = doc.blocks.map((b) => b.text).join('');
    expect(joined).toBe(words + words);
    for (const b of doc.blocks) expect(doc.slice(b.cpStart, b.cpEnd)).toBe(b.text);
    expect(doc.blockAt(doc.blocks[5]!.cpStart)).toBe(5);
    expect(doc.blockAt(doc.blocks[5]!.cpStart + 1)).toBe(5);
  });

  it('cuts a spaceless Thai line at a cluster boundary', () => {
    const th = 'ทำงานที่ธนาคารกรุงเทพ'.repeat(20);
    const doc = new TextDoc(th, 50);
    for (const b of doc.blocks.slice(1)) {
      // a block never starts with a combining vowel or tone mark
      expect(/^\p{M}/u.test(b.text)).toBe(false);
    }
    expect(doc.blocks.map((b) => b.text).join('')).toBe(th);
  });

  it('has one empty block for empty text and lines for blank lines', () => {
    expect(new TextDoc('').blocks).toHaveLength(1);
    expect(new TextDoc('a\n\nb').blocks.map((b) => [b.cpStart, b.cpEnd])).toEqual([
      [0, 1],
      [2, 2],
      [3, 4],
    ]);
  });
});
