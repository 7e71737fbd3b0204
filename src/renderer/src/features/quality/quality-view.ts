import type { Lot, QualityReport } from '../../../../shared/sync';
import { readableOn } from '../../../../shared/color/contrast';

/**
 * What the lead's quality screen shows, as strings: every figure the hub could not compute
 * (null) reads "—", never 0, so "no data" is never mistaken for "no agreement".
 */

export const NONE = '—';

/** A 0..1 ratio as 0.83 (two decimals), or "—" when undefined. */
export const ratio = (x: number | null): string => (x === null ? NONE : x.toFixed(2));

/** A kappa/alpha (may be negative), or "—" when undefined. */
export const coefficient = (x: number | null): string => (x === null ? NONE : x.toFixed(2));

/** A 0..1 ratio as a percentage with one decimal, or "—". */
export const percent = (x: number | null): string => (x === null ? NONE : `${(x * 100).toFixed(1)} %`);

const VERDICT_WORDS: Record<Lot['verdict'], string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export type LotRow = {
  id: string;
  batch: string;
  lotSize: string;
  level: string;
  aql: string;
  codeLetter: string;
  sampleSize: string;
  acRe: string;
  audited: string;
  defects: string;
  verdict: Lot['verdict'];
  verdictText: string;
  seed: string;
};

export const lotRows = (lots: readonly Lot[]): LotRow[] =>
  lots.map((l) => ({
    id: l.id,
    batch: l.batch,
    lotSize: String(l.lotSize),
    level: l.level,
    aql: l.aql.toFixed(l.aql < 1 ? 2 : 1),
    // The plan's letter differs from the code letter when the table's arrows were followed.
    codeLetter: l.planLetter === l.codeLetter ? l.codeLetter : `${l.codeLetter} → ${l.planLetter}`,
    sampleSize: l.inspectAll ? `${l.sampleSize} (all)` : String(l.sampleSize),
    acRe: `${l.ac} / ${l.re}`,
    audited: `${l.audited} of ${l.sampleSize}`,
    defects: String(l.defects),
    verdict: l.verdict,
    verdictText:
      l.verdict === 'rejected' && l.reworkItems > 0
        ? `${VERDICT_WORDS.rejected} (${l.reworkItems} up for full review)`
        : VERDICT_WORDS[l.verdict],
    seed: String(l.seed),
  }));

/**
 * The heatmap's colour for an agreement score: red (0) through amber (0.5) to green (1), the
 * same in both themes (the text on it is chosen by contrast); null has no colour.
 */
const STOPS: readonly [number, readonly [number, number, number]][] = [
  [0, [0xc6, 0x28, 0x28]],
  [0.5, [0xf2, 0xb1, 0x34]],
  [1, [0x2e, 0x8b, 0x57]],
];

export const heatColor = (score: number): string => {
  const s = Math.min(1, Math.max(0, score));
  const hi = STOPS.findIndex(([at]) => at >= s);
  const [a0, c0] = STOPS[Math.max(0, hi - 1)]!;
  const [a1, c1] = STOPS[hi]!;
  const t = a1 === a0 ? 0 : (s - a0) / (a1 - a0);
  return `#${c0
    .map((v, i) =>
      Math.round(v + (c1[i]! - v) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
};

export type HeatCell =
  | { kind: 'self' }
  | { kind: 'none' }
  | { kind: 'score'; text: string; tasks: number; background: string; color: string; label: string };

export type Heatmap = {
  annotators: { id: string; name: string }[];
  /** rows[i][j]: annotator i against annotator j (symmetric). */
  rows: HeatCell[][];
};

/** The annotator-pair matrix from the report's pairs (each unordered pair once). */
export const heatmap = (pairs: QualityReport['agreement']['pairs']): Heatmap => {
  const names = new Map<string, string>();
  for (const p of pairs) {
    names.set(p.a, p.aName);
    names.set(p.b, p.bName);
  }
  const annotators = [...names]
    .map(([id, name]) => ({ id, name }))
    .sort((x, y) => x.name.localeCompare(y.name) || x.id.localeCompare(y.id));
  const key = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
  const byPair = new Map(pairs.map((p) => [key(p.a, p.b), p]));
  const rows = annotators.map((r) =>
    annotators.map((c): HeatCell => {
      if (r.id === c.id) return { kind: 'self' };
      const p = byPair.get(key(r.id, c.id));
      if (!p || p.score === null) return { kind: 'none' };
      const background = heatColor(p.score);
      return {
        kind: 'score',
        text: ratio(p.score),
        tasks: p.tasks,
        background,
        color: readableOn(background),
        label: `${r.name} and ${c.name}: ${ratio(p.score)} over ${p.tasks} shared task${p.tasks === 1 ? '' : 's'}`,
      };
    }),
  );
  return { annotators, rows };
};

export type LabelRow = { label: string; tp: string; fp: string; fn: string; f1: string };

export const labelRows = (perLabel: QualityReport['agreement']['perLabel']): LabelRow[] =>
  perLabel.map((l) => ({
    label: l.label,
    tp: String(l.tp),
    fp: String(l.fp),
    fn: String(l.fn),
    f1: ratio(l.f1),
  }));

export type AnnotatorRow = {
  userId: string;
  name: string;
  goldTasks: string;
  goldScore: string;
  goldPassed: string;
  acceptedTasks: string;
  acceptedScore: string;
};

export const annotatorRows = (annotators: QualityReport['annotators']): AnnotatorRow[] =>
  [...annotators]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => ({
      userId: a.userId,
      name: a.name,
      goldTasks: String(a.gold.tasks),
      goldScore: ratio(a.gold.score),
      // "passed" means nothing without a gold task.
      goldPassed: a.gold.tasks === 0 ? NONE : `${a.gold.passed} of ${a.gold.tasks}`,
      acceptedTasks: String(a.vsAccepted.tasks),
      acceptedScore: ratio(a.vsAccepted.score),
    }));

/** The consensus counts in words: how many tasks agreed, how many wait for a reviewer. */
export const consensusWords = (c: QualityReport['consensus']): string => {
  if (c.tasks === 0) return 'No task has two or more submissions yet.';
  const review =
    c.needsReview === 0
      ? 'none waits for a reviewer'
      : `${c.needsReview} went to a reviewer (a tie or low agreement)`;
  return `${c.tasks} task${c.tasks === 1 ? '' : 's'} with two or more submissions: ${c.agreed} with a consensus (agreed, or settled by a reviewer), ${review}.`;
};
