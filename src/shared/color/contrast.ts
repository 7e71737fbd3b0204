/**
 * WCAG 2.2 contrast (success criterion 1.4.3): relative luminance of an sRGB colour and the
 * contrast ratio of two colours, and the text colour to put on a colour the project chose (a
 * label's chip), so any label colour reads at ≥ 4.5:1.
 * https://www.w3.org/TR/WCAG22/#dfn-relative-luminance
 */

/** Minimum ratio for normal-size text at level AA. */
export const AA_TEXT = 4.5;

export type Rgb = readonly [number, number, number];

/** `#rgb` or `#rrggbb` (case-insensitive) → [r, g, b] in 0–255; throws on anything else. */
export const parseHex = (hex: string): Rgb => {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rgb or #rrggbb colour: ${hex}`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb;
};

export const toHex = (c: Rgb): string =>
  `#${c
    .map((v) =>
      Math.round(Math.min(255, Math.max(0, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;

/** WCAG relative luminance: 0 (black) to 1 (white). */
export const relativeLuminance = (color: string | Rgb): number => {
  const [r, g, b] = (typeof color === 'string' ? parseHex(color) : color).map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** (L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 to 21. */
export const contrastRatio = (a: string | Rgb, b: string | Rgb): number => {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
};

/**
 * The colour to write on background `bg`: `preferred` when it reaches `min`, else `preferred`
 * mixed towards black or white (whichever side reaches `min` first keeps the most of its hue),
 * else plain black or white, whichever contrasts more. Black or white always reach 4.5:1 on any
 * colour (the worst background, mid grey, gives 5.3:1 with black).
 */
export const readableOn = (bg: string, preferred?: string, min = AA_TEXT): string => {
  const back = parseHex(bg);
  const black: Rgb = [0, 0, 0];
  const white: Rgb = [255, 255, 255];
  if (preferred !== undefined) {
    const p = parseHex(preferred);
    if (contrastRatio(p, back) >= min) return toHex(p);
    for (let t = 0.1; t <= 1.0001; t += 0.1) {
      for (const end of [black, white]) {
        const mixed = p.map((v, i) => v + (end[i]! - v) * t) as unknown as Rgb;
        const rounded = parseHex(toHex(mixed));
        if (contrastRatio(rounded, back) >= min) return toHex(rounded);
      }
    }
  }
  return contrastRatio(black, back) >= contrastRatio(white, back) ? '#000000' : '#ffffff';
};
