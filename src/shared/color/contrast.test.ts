import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AA_TEXT, contrastRatio, parseHex, readableOn, relativeLuminance, toHex } from './contrast';

describe('WCAG relative luminance and contrast', () => {
  it('matches the formula at known points', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
    // sRGB 0x80: ((0.502 + 0.055) / 1.055) ^ 2.4 = 0.2158605
    expect(relativeLuminance('#808080')).toBeCloseTo(0.2158605, 6);
    // Pure green carries 0.7152 of the luminance.
    expect(relativeLuminance('#00ff00')).toBeCloseTo(0.7152, 10);
    // The linear part below 0.04045: 10/255/12.92.
    expect(relativeLuminance('#0a0a0a')).toBeCloseTo(10 / 255 / 12.92, 10);
  });

  it('gives the ratios WCAG quotes', () => {
    expect(contrastRatio('#000', '#fff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#fff', '#fff')).toBe(1);
    // #767676 on white is the classic lightest AA grey (4.54:1); #777 is just under.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(AA_TEXT);
    expect(contrastRatio('#123456', '#abcdef')).toBe(contrastRatio('#abcdef', '#123456'));
  });

  it('parses #rgb and #rrggbb and refuses the rest', () => {
    expect(parseHex('#AbC')).toEqual([0xaa, 0xbb, 0xcc]);
    expect(toHex(parseHex('#ff8787'))).toBe('#ff8787');
    expect(() => parseHex('red')).toThrow(/not a #rgb/);
  });

  it('keeps a preferred colour that already reads, and fixes one that does not', () => {
    expect(readableOn('#ffffff', '#1b1f24')).toBe('#1b1f24');
    const fixed = readableOn('#ffffff', '#ffd43b');
    expect(contrastRatio(fixed, '#ffffff')).toBeGreaterThanOrEqual(AA_TEXT);
  });

  it('reaches 4.5:1 on every background colour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0xffffff }), (a, b) => {
        const bg = `#${a.toString(16).padStart(6, '0')}`;
        const pref = `#${b.toString(16).padStart(6, '0')}`;
        expect(contrastRatio(readableOn(bg), bg)).toBeGreaterThanOrEqual(AA_TEXT);
        expect(contrastRatio(readableOn(bg, pref), bg)).toBeGreaterThanOrEqual(AA_TEXT);
      }),
    );
  });
});
