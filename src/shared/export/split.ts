import type { AnnotationResult } from '../model';
import type { Split } from './record';

export type SplitRatios = readonly [train: number, val: number, test: number];

/** 32-bit FNV-1a of a string, then a murmur3 finalizer: a stable, well-mixed order key. */
export const hash32 = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** The labels a task's results carry (region and span labels, chosen classes). */
export const labelsOf = (results: readonly AnnotationResult[]): string[] => {
  const out = new Set<string>();
  for (const r of results) {
    if ('label' in r) out.add(r.label);
    else if (r.type === 'image-class' || r.type === 'doc-class') for (const l of r.labels) out.add(l);
  }
  return [...out];
};

const SPLIT_NAMES: readonly Split[] = ['train', 'val', 'test'];

/**
 * A seeded, stratified train/val/test split. Each item is filed under its rarest label (by how
 * many items carry it; items without labels form their own stratum), so rare classes reach
 * every split in proportion instead of by luck. Strata are walked rarest first and, inside
 * each, items in an order fixed by the seed and the item id; each item goes to the split
 * furthest below its share so far, which keeps every stratum and the whole in proportion.
 * The same items, ratios and seed always give the same split, whatever order they come in.
 */
export const stratifiedSplit = (
  items: readonly { id: string; labels: readonly string[] }[],
  ratios: SplitRatios,
  seed: number,
): Map<string, Split> => {
  const total = ratios[0] + ratios[1] + ratios[2];
  if (!(total > 0) || ratios.some((r) => r < 0 || !Number.isFinite(r)))
    throw new Error('split ratios must be three non-negative numbers with a positive sum');
  const share = ratios.map((r) => r / total);
  const freq = new Map<string, number>();
  for (const it of items) for (const l of new Set(it.labels)) freq.set(l, (freq.get(l) ?? 0) + 1);
  const strata = new Map<string, { id: string; key: number }[]>();
  for (const it of items) {
    let rare = '';
    let rareN = Infinity;
    for (const l of it.labels) {
      const n = freq.get(l) ?? 0;
      if (n < rareN || (n === rareN && l < rare)) {
        rare = l;
        rareN = n;
      }
    }
    const k = rareN === Infinity ? '\u0000none' : rare;
    let list = strata.get(k);
    if (!list) strata.set(k, (list = []));
    list.push({ id: it.id, key: hash32(`${seed}\u0000${it.id}`) });
  }
  const order = [...strata.keys()].sort(
    (a, b) => (freq.get(a) ?? Infinity) - (freq.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const out = new Map<string, Split>();
  for (const k of order) {
    const list = (strata.get(k) ?? []).sort(
      (a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    // Largest deficit within the stratum, ties to the earlier split.
    const assigned = [0, 0, 0];
    list.forEach((it, i) => {
      let best = 0;
      let bestDef = -Infinity;
      for (let s = 0; s < 3; s++) {
        const def = (share[s] as number) * (i + 1) - (assigned[s] as number);
        if (def > bestDef + 1e-12) {
          best = s;
          bestDef = def;
        }
      }
      assigned[best]!++;
      out.set(it.id, SPLIT_NAMES[best] as Split);
    });
  }
  return out;
};
