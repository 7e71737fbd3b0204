import { z } from 'zod';
import { preferencePairs } from '../../shared/export';
import type { ComparisonResult } from '../../shared/model';
import { InputError } from '../admin/errors';
import { parseJsonLines } from './parse';

export interface ComparisonTask {
  taskId: string;
  sourceId: string;
  prompt: string;
  responses: readonly { id: string; model?: string | undefined; text: string }[];
}

export interface ComparisonFound {
  task: ComparisonTask;
  result: ComparisonResult;
}

/** A comparison file's judgements by task, and the lines of tasks not in the project. */
export type ComparisonReader = (
  text: string,
  file: string,
  tasks: ComparisonTasks,
) => { found: ComparisonFound[]; unmatched: string[] };

/**
 * A project's comparison tasks, found by the exported `task_id` (ours), else by the prompt
 * (the first task with it whose responses hold the texts named).
 */
export class ComparisonTasks {
  private readonly byId = new Map<string, ComparisonTask>();
  private readonly byPrompt = new Map<string, ComparisonTask[]>();
  constructor(tasks: readonly ComparisonTask[]) {
    for (const t of tasks) {
      this.byId.set(t.taskId, t);
      this.byPrompt.set(t.prompt, [...(this.byPrompt.get(t.prompt) ?? []), t]);
    }
  }
  find(
    taskId: string | undefined,
    prompt: string,
    texts: readonly string[],
    where: string,
  ): ComparisonTask | undefined {
    const byId = taskId === undefined ? undefined : this.byId.get(taskId);
    if (byId) {
      if (byId.prompt !== prompt)
        throw new InputError(`${where}: $.prompt: is not the prompt of task ${byId.taskId}`);
      return byId;
    }
    return this.byPrompt.get(prompt)?.find((t) => texts.every((x) => t.responses.some((r) => r.text === x)));
  }
}

/** The task's response with this text, or an InputError naming the field. */
const responseByText = (task: ComparisonTask, text: string, where: string): string => {
  const r = task.responses.find((x) => x.text === text);
  if (!r) throw new InputError(`${where}: is the text of no response of task ${task.taskId}`);
  return r.id;
};

const PairLine = z
  .object({
    prompt: z.string(),
    chosen: z.string(),
    rejected: z.string(),
    chosen_model: z.string().optional(),
    rejected_model: z.string().optional(),
    task_id: z.string().optional(),
    annotator: z.string().optional(),
  })
  .passthrough();

/**
 * The comparison that yields exactly these (better, worse) pairs, the reverse of
 * `preferencePairs`: one response beating every other is a pick (`choice`); pairs forming a
 * strict order of k ≥ 2 responses are a ranking; anything else (a cycle, a partial pick) is
 * no comparison Outrigger writes, and null is returned.
 */
export const comparisonOfPairs = (
  pairs: readonly (readonly [string, string])[],
  responseIds: readonly string[],
): Pick<ComparisonResult, 'choice' | 'ranking'> | null => {
  const key = (a: string, b: string) => `${a}\u0000${b}`;
  const set = new Set(pairs.map(([a, b]) => key(a, b)));
  if (set.size !== pairs.length || pairs.some(([a, b]) => a === b)) return null;
  const winners = new Set(pairs.map(([a]) => a));
  if (winners.size === 1) {
    const [choice] = winners as Set<string>;
    const others = responseIds.filter((id) => id !== choice);
    if (others.length === pairs.length && others.every((id) => set.has(key(choice!, id))))
      return { choice: choice!, ranking: [] };
  }
  const members = [...new Set(pairs.flat())];
  const wins = new Map(members.map((m) => [m, 0]));
  for (const [a] of pairs) wins.set(a, wins.get(a)! + 1);
  const ranking = [...members].sort((a, b) => wins.get(b)! - wins.get(a)!);
  const k = ranking.length;
  if (pairs.length !== (k * (k - 1)) / 2) return null;
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++) if (!set.has(key(ranking[i]!, ranking[j]!))) return null;
  return { choice: null, ranking };
};

/** The comparison these pairs come from, if the writer would write exactly them, in this order. */
const exactComparison = (
  pairs: readonly (readonly [string, string])[],
  responseIds: readonly string[],
): Pick<ComparisonResult, 'choice' | 'ranking'> | null => {
  const c = comparisonOfPairs(pairs, responseIds);
  if (!c) return null;
  const again = preferencePairs(
    { type: 'comparison', id: '', tie: false, ratings: {}, justification: '', ...c },
    responseIds,
  );
  return again.length === pairs.length && again.every(([a, b], i) => a === pairs[i]![0] && b === pairs[i]![1])
    ? c
    : null;
};

/**
 * Splits one task's and annotator's run of pairs into the fewest comparisons the writer would
 * write them as (a run holds several versions when one annotator's submissions follow each
 * other); null when there is no such split.
 */
const splitRun = (
  pairs: readonly (readonly [string, string])[],
  responseIds: readonly string[],
): { from: number; c: Pick<ComparisonResult, 'choice' | 'ranking'> }[] | null => {
  const n = pairs.length;
  // best[i]: the fewest comparisons covering pairs[i..n), with the first one's end.
  const best: ({ count: number; to: number; c: Pick<ComparisonResult, 'choice' | 'ranking'> } | null)[] = [];
  best[n] = { count: 0, to: n, c: { choice: null, ranking: [] } };
  for (let i = n - 1; i >= 0; i--) {
    best[i] = null;
    for (let j = n; j > i; j--) {
      const rest = best[j];
      if (!rest || (best[i] && best[i]!.count <= rest.count + 1)) continue;
      const c = exactComparison(pairs.slice(i, j), responseIds);
      if (c) best[i] = { count: rest.count + 1, to: j, c };
    }
  }
  if (!best[0]) return null;
  const out: { from: number; c: Pick<ComparisonResult, 'choice' | 'ranking'> }[] = [];
  for (let i = 0; i < n; i = best[i]!.to) out.push({ from: i, c: best[i]!.c });
  return out;
};

/**
 * Preference pairs JSONL (what the `preference-pairs` writer writes, and DPO datasets):
 * `{prompt, chosen, rejected, task_id?, annotator?}` a line. A run of lines of one task and
 * annotator holds one comparison (or, when one annotator's versions follow each other, the
 * fewest comparisons that the writer would write as exactly those lines); the responses are
 * matched to the task's by their text. The pairs come back as the pick or ranking that gives
 * them. What a pair file cannot carry: ties (no pairs are written for them), ratings, the
 * justification, a pick given beside a ranking (the ranking's pairs are written), with two
 * responses whether the preference was a pick or a ranking (it comes back as a pick), and
 * where two versions by one annotator follow each other, the border between them when their
 * pairs also read as one comparison. Errors name the file, the line and the field.
 */
export const readPreferencePairs: ComparisonReader = (text, file, tasks) => {
  const found: ComparisonFound[] = [];
  const unmatched: string[] = [];
  type Run = { task: ComparisonTask; who: string; lines: number[]; pairs: [string, string][] };
  let run: Run | undefined;
  const close = (): void => {
    if (!run) return;
    const ids = run.task.responses.map((r) => r.id);
    const parts = splitRun(run.pairs, ids);
    if (!parts)
      throw new InputError(
        `${file} lines ${run.lines[0]}–${run.lines[run.lines.length - 1]}: the pairs of task ${run.task.taskId}${run.who ? ` by ${run.who}` : ''} are no pick or ranking Outrigger writes`,
      );
    for (const { from, c } of parts)
      found.push({
        task: run.task,
        result: {
          type: 'comparison',
          id: `pairs-${run.lines[from]}`,
          ...c,
          tie: false,
          ratings: {},
          justification: '',
        },
      });
    run = undefined;
  };
  for (const { line, value } of parseJsonLines(PairLine, text, file)) {
    const where = `${file} line ${line}`;
    const task = tasks.find(value.task_id, value.prompt, [value.chosen, value.rejected], where);
    if (!task) {
      unmatched.push(`line ${line}`);
      continue;
    }
    const pair: [string, string] = [
      responseByText(task, value.chosen, `${where}: $.chosen`),
      responseByText(task, value.rejected, `${where}: $.rejected`),
    ];
    const who = value.annotator ?? '';
    if (run && (run.task !== task || run.who !== who)) close();
    run ??= { task, who, lines: [], pairs: [] };
    run.lines.push(line);
    run.pairs.push(pair);
  }
  close();
  return { found, unmatched };
};

const Rating = z.record(z.string(), z.number().int());
const RankedResponse = z
  .object({
    id: z.string().min(1).optional(),
    model: z.string().optional(),
    text: z.string(),
    rank: z.number().int().min(1).optional(),
    ratings: Rating.optional(),
  })
  .passthrough();
const RankingLine = z
  .object({
    prompt: z.string(),
    responses: z.array(RankedResponse).min(2),
    choice: z.string().min(1).nullable().optional(),
    tie: z.boolean().optional(),
    justification: z.string().max(10_000).optional(),
    task_id: z.string().optional(),
    annotator: z.string().optional(),
  })
  .passthrough();

/**
 * Rankings and ratings JSONL (what the `rankings` writer writes): one judged comparison a line,
 * `{prompt, responses: [{id?, text, rank?, ratings?}], choice, tie, justification, task_id?}`.
 * Everything a comparison holds comes back: the pick, the tie, the ranking (by `rank`, 1 the
 * best), each response's ratings and the justification; responses are matched to the task's by
 * id when the ids and texts agree, else by text. Empty ratings are left out. Errors name the
 * file, the line and the field.
 */
export const readRankings: ComparisonReader = (text, file, tasks) => {
  const found: ComparisonFound[] = [];
  const unmatched: string[] = [];
  for (const { line, value } of parseJsonLines(RankingLine, text, file)) {
    const where = `${file} line ${line}`;
    const task = tasks.find(
      value.task_id,
      value.prompt,
      value.responses.map((r) => r.text),
      where,
    );
    if (!task) {
      unmatched.push(`line ${line}`);
      continue;
    }
    // The line's response ids (or texts, without ids) → the task's ids.
    const idOf = new Map<string, string>();
    const ids = value.responses.map((r, k) => {
      const same =
        r.id === undefined ? undefined : task.responses.find((x) => x.id === r.id && x.text === r.text);
      const id = same?.id ?? responseByText(task, r.text, `${where}: $.responses[${k}].text`);
      if (r.id !== undefined) idOf.set(r.id, id);
      return id;
    });
    if (new Set(ids).size !== ids.length)
      throw new InputError(`${where}: $.responses: names one response of task ${task.taskId} twice`);
    const ranks = value.responses.flatMap((r, k) =>
      r.rank === undefined ? [] : [[r.rank, ids[k]!] as const],
    );
    if (new Set(ranks.map(([r]) => r)).size !== ranks.length)
      throw new InputError(`${where}: $.responses: two responses share a rank`);
    let choice: string | null = null;
    if (value.choice != null) {
      choice = idOf.get(value.choice) ?? null;
      if (choice === null) throw new InputError(`${where}: $.choice: is the id of no response on the line`);
    }
    const ratings: Record<string, Record<string, number>> = {};
    value.responses.forEach((r, k) => {
      if (r.ratings && Object.keys(r.ratings).length) ratings[ids[k]!] = r.ratings;
    });
    found.push({
      task,
      result: {
        type: 'comparison',
        id: `ranking-${line}`,
        choice,
        tie: value.tie ?? false,
        ranking: [...ranks].sort((a, b) => a[0] - b[0]).map(([, id]) => id),
        ratings,
        justification: value.justification ?? '',
      },
    });
  }
  return { found, unmatched };
};
