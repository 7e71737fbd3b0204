import type { ComparisonResult } from '../model';
import { ChunkBuffer, type DatasetWriter, type ExportRecord } from './record';

type Response = { id: string; model?: string; text: string };

/**
 * Ordered (better, worse) pairs a comparison yields: a full ranking expands to every pair of
 * it (better ranked first); otherwise a best pick beats each other response. A tie yields none.
 */
export const preferencePairs = (c: ComparisonResult, responseIds: readonly string[]): [string, string][] => {
  if (c.tie) return [];
  const known = new Set(responseIds);
  if (c.ranking.length >= 2) {
    const rank = c.ranking.filter((id) => known.has(id));
    const pairs: [string, string][] = [];
    for (let i = 0; i < rank.length; i++)
      for (let j = i + 1; j < rank.length; j++) pairs.push([rank[i] as string, rank[j] as string]);
    return pairs;
  }
  if (c.choice && known.has(c.choice))
    return responseIds.filter((id) => id !== c.choice).map((id) => [c.choice as string, id]);
  return [];
};

const comparisonOf = (r: ExportRecord): ComparisonResult | undefined =>
  r.results.find((x): x is ComparisonResult => x.type === 'comparison');

const fileFor = (base: string, r: ExportRecord, split: boolean): string =>
  split && r.split ? `${base}/${r.split}.jsonl` : `${base}.jsonl`;

/**
 * Preference pairs for DPO / reward models: one `{prompt, chosen, rejected, chosen_model?,
 * rejected_model?, task_id, annotator}` a line. A ranking of N responses gives every one of its
 * N·(N−1)/2 ordered pairs; a best pick gives one pair against each other response. **Ties are
 * dropped** (counted in the summary); a comparison with neither pick nor ranking gives nothing.
 *
 * Layout: `preferences/<split>.jsonl` per split, or `preferences.jsonl`.
 */
export const writePreferencePairs: DatasetWriter = async function* (records, ctx, skipped) {
  const files = new Map<string, ChunkBuffer>();
  for await (const r of records) {
    if (r.data.kind !== 'comparison') continue;
    const c = comparisonOf(r);
    if (!c) continue;
    if (c.tie) {
      skipped.add('ties give no preference pair (dropped)');
      continue;
    }
    const byId = new Map<string, Response>(r.data.responses.map((x) => [x.id, x]));
    const file = fileFor('preferences', r, ctx.split);
    let out = files.get(file);
    if (!out) files.set(file, (out = new ChunkBuffer(file)));
    for (const [a, b] of preferencePairs(c, [...byId.keys()])) {
      const chosen = byId.get(a) as Response;
      const rejected = byId.get(b) as Response;
      const line = {
        prompt: r.data.prompt,
        chosen: chosen.text,
        rejected: rejected.text,
        ...(chosen.model ? { chosen_model: chosen.model } : {}),
        ...(rejected.model ? { rejected_model: rejected.model } : {}),
        task_id: r.taskId,
        annotator: r.annotator,
      };
      if (out.push(`${JSON.stringify(line)}\n`)) yield out.take();
    }
  }
  if (files.size === 0) files.set('preferences.jsonl', new ChunkBuffer('preferences.jsonl'));
  for (const out of files.values()) yield out.take(true);
};

/**
 * Rankings and rubric ratings for reward models: one line per judged comparison `{prompt,
 * responses: [{id, model?, text, rank?, ratings}], choice, tie, justification, task_id,
 * annotator}`; `rank` is 1 for the best when a ranking was given, `ratings` maps each rubric
 * criterion to its score.
 *
 * Layout: `rankings/<split>.jsonl` per split, or `rankings.jsonl`.
 */
export const writeRankings: DatasetWriter = async function* (records, ctx) {
  const files = new Map<string, ChunkBuffer>();
  for await (const r of records) {
    if (r.data.kind !== 'comparison') continue;
    const c = comparisonOf(r);
    if (!c) continue;
    const file = fileFor('rankings', r, ctx.split);
    let out = files.get(file);
    if (!out) files.set(file, (out = new ChunkBuffer(file)));
    const line = {
      prompt: r.data.prompt,
      responses: r.data.responses.map((x) => {
        const rank = c.ranking.indexOf(x.id);
        return { ...x, ...(rank >= 0 ? { rank: rank + 1 } : {}), ratings: c.ratings[x.id] ?? {} };
      }),
      choice: c.choice,
      tie: c.tie,
      justification: c.justification,
      task_id: r.taskId,
      annotator: r.annotator,
    };
    if (out.push(`${JSON.stringify(line)}\n`)) yield out.take();
  }
  if (files.size === 0) files.set('rankings.jsonl', new ChunkBuffer('rankings.jsonl'));
  for (const out of files.values()) yield out.take(true);
};
