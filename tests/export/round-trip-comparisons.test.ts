import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ComparisonTasks,
  comparisonOfPairs,
  readPreferencePairs,
  readRankings,
  type ComparisonTask,
} from '../../src/hub/import/comparisons';
import { WRITERS, preferencePairs, type ExportRecord } from '../../src/shared/export';
import { collect, ctxOf, textRecord } from '../../src/shared/export/test-helpers';
import type { ComparisonResult } from '../../src/shared/model';

/**
 * Comparison exports read back by the hub's importers (the functions `hub import predictions`
 * runs): rankings JSONL gives every comparison back whole; preference pairs give back the pick
 * or ranking that yields the same pairs — ties, ratings and the justification are not in a pair
 * file, and with two responses a ranking comes back as a pick.
 */
const TEXTS = ['Yes.', 'No 😀', 'e\u0301 — maybe', 'नमस्ते', '👩‍👩‍👧 "quoted"\nline', 'Hà Nội'];
const cfg = { tools: ['comparison'] };

const comparisonTask = fc
  .tuple(
    fc.constantFrom('Which is better?', 'Résumé 😀?', 'Q'),
    fc.shuffledSubarray(TEXTS, { minLength: 2, maxLength: 4 }),
  )
  .map(([prompt, texts]) => ({
    prompt,
    responses: texts.map((text, i) => ({ id: `r${i}`, ...(i % 2 ? { model: `m${i}` } : {}), text })),
  }));

/** A judgement of a task: a pick, a (partial) ranking, a tie, with ratings and a justification. */
const judgement = (ids: string[]): fc.Arbitrary<ComparisonResult> =>
  fc
    .record({
      kind: fc.constantFrom('pick', 'ranking', 'tie'),
      pick: fc.constantFrom(...ids),
      order: fc.shuffledSubarray(ids, { minLength: 2 }),
      ratings: fc.dictionary(
        fc.constantFrom(...ids),
        fc.dictionary(fc.constantFrom('helpful', 'safe'), fc.integer({ min: 1, max: 5 }), { minKeys: 1 }),
      ),
      justification: fc.constantFrom('', 'clearer 😀', 'a\nb'),
    })
    .map((j) => ({
      type: 'comparison' as const,
      id: 'c',
      choice: j.kind === 'pick' ? j.pick : null,
      tie: j.kind === 'tie',
      ranking: j.kind === 'ranking' ? j.order : [],
      ratings: j.ratings,
      justification: j.justification,
    }));

const dataset = comparisonTask
  .chain((t) =>
    fc.tuple(
      fc.constant(t),
      fc.array(judgement(t.responses.map((r) => r.id)), { minLength: 1, maxLength: 3 }),
    ),
  )
  .map(([t, judged]) => {
    // One version per annotator (a pair file cannot always tell one annotator's versions apart).
    const records: ExportRecord[] = judged.map((c, i) => ({
      ...textRecord('t1', '', [], { annotator: `ann${i}` }),
      taskId: `p:t1`,
      data: { kind: 'comparison', prompt: t.prompt, responses: t.responses },
      results: [{ ...c, id: `c${i}` }],
    }));
    const task: ComparisonTask = { taskId: 'p:t1', sourceId: 't1', ...t };
    return { records, task };
  });

const written = async (format: 'preference-pairs' | 'rankings', records: ExportRecord[]): Promise<string> => {
  const { files } = await collect(WRITERS[format], records, ctxOf('comparison', cfg));
  return [...files.values()].join('');
};
const sortPairs = (p: [string, string][]) => p.map((x) => x.join('>')).sort();

describe('comparison exports read back through the importers', () => {
  it('rankings JSONL: every comparison comes back whole (pick, tie, ranking, ratings, justification)', async () => {
    await fc.assert(
      fc.asyncProperty(dataset, async ({ records, task }) => {
        const back = readRankings(
          await written('rankings', records),
          'rankings.jsonl',
          new ComparisonTasks([task]),
        );
        expect(back.unmatched).toEqual([]);
        expect(back.found.map((f) => ({ ...f.result, id: 'c' }))).toEqual(
          records.map((r) => ({ ...r.results[0], id: 'c' })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('preference pairs: each judged comparison gives back the same pairs; ties and ratings do not come back', async () => {
    await fc.assert(
      fc.asyncProperty(dataset, async ({ records, task }) => {
        const ids = task.responses.map((r) => r.id);
        const back = readPreferencePairs(
          await written('preference-pairs', records),
          'pairs.jsonl',
          new ComparisonTasks([task]),
        );
        expect(back.unmatched).toEqual([]);
        // Every version with pairs, in order.
        const expected = records
          .map((r) => r.results[0] as ComparisonResult)
          .filter((c) => preferencePairs(c, ids).length > 0);
        expect(back.found.map((f) => sortPairs(preferencePairs(f.result, ids)))).toEqual(
          expected.map((c) => sortPairs(preferencePairs(c, ids))),
        );
        back.found.forEach((f, i) => {
          const c = expected[i]!;
          expect(f.result).toMatchObject({ tie: false, ratings: {}, justification: '' });
          // A pick of three or more comes back a pick; a ranking of three or more, that ranking.
          if (ids.length > 2 && c.ranking.length < 2) expect(f.result.choice).toBe(c.choice);
          if (c.ranking.length > 2) expect(f.result.ranking).toEqual(c.ranking);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('turns pairs into the pick or ranking that gives them, or refuses', () => {
    const ids = ['a', 'b', 'c'];
    expect(
      comparisonOfPairs(
        [
          ['b', 'a'],
          ['b', 'c'],
        ],
        ids,
      ),
    ).toEqual({ choice: 'b', ranking: [] });
    expect(
      comparisonOfPairs(
        [
          ['c', 'a'],
          ['c', 'b'],
          ['a', 'b'],
        ],
        ids,
      ),
    ).toEqual({ choice: null, ranking: ['c', 'a', 'b'] });
    expect(comparisonOfPairs([['a', 'b']], ids)).toEqual({ choice: null, ranking: ['a', 'b'] });
    expect(comparisonOfPairs([['a', 'b']], ['a', 'b'])).toEqual({ choice: 'a', ranking: [] });
    expect(
      comparisonOfPairs(
        [
          ['a', 'b'],
          ['b', 'c'],
          ['c', 'a'],
        ],
        ids,
      ),
    ).toBeNull();
    expect(
      comparisonOfPairs(
        [
          ['a', 'b'],
          ['b', 'c'],
        ],
        ids,
      ),
    ).toBeNull();
  });

  describe('bad input names the file, the line and the field', () => {
    const task: ComparisonTask = {
      taskId: 'p:t1',
      sourceId: 't1',
      prompt: 'Q',
      responses: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
        { id: 'c', text: 'C' },
      ],
    };
    const tasks = new ComparisonTasks([task]);
    const pairs = (...lines: unknown[]) =>
      readPreferencePairs(lines.map((l) => JSON.stringify(l)).join('\n'), 'p.jsonl', tasks);
    const ranks = (...lines: unknown[]) =>
      readRankings(lines.map((l) => JSON.stringify(l)).join('\n'), 'r.jsonl', tasks);

    it('preference pairs', () => {
      expect(() => readPreferencePairs('{"prompt":"Q"', 'p.jsonl', tasks)).toThrow(
        /^p\.jsonl line 1: not valid JSON/,
      );
      expect(() => pairs({ prompt: 'Q', chosen: 'A', rejected: 'B' }, { prompt: 'Q', chosen: 'A' })).toThrow(
        /^p\.jsonl line 2: \$\.rejected: /,
      );
      expect(() => pairs({ prompt: 'Q', chosen: 'A', rejected: 'Z', task_id: 'p:t1' })).toThrow(
        'p.jsonl line 1: $.rejected: is the text of no response of task p:t1',
      );
      expect(() => pairs({ prompt: 'Other', chosen: 'A', rejected: 'B', task_id: 'p:t1' })).toThrow(
        'p.jsonl line 1: $.prompt: is not the prompt of task p:t1',
      );
      expect(() =>
        pairs(
          { prompt: 'Q', chosen: 'A', rejected: 'B', annotator: 'ann' },
          { prompt: 'Q', chosen: 'A', rejected: 'A', annotator: 'ann' },
        ),
      ).toThrow('p.jsonl lines 1–2: the pairs of task p:t1 by ann are no pick or ranking Outrigger writes');
      // One annotator's two versions in a row: split where the writer's order says so.
      const two = pairs(
        { prompt: 'Q', chosen: 'A', rejected: 'B', annotator: 'ann' },
        { prompt: 'Q', chosen: 'A', rejected: 'C', annotator: 'ann' },
        { prompt: 'Q', chosen: 'C', rejected: 'A', annotator: 'ann' },
        { prompt: 'Q', chosen: 'C', rejected: 'B', annotator: 'ann' },
      );
      expect(two.found.map((f) => [f.result.choice, f.result.id])).toEqual([
        ['a', 'pairs-1'],
        ['c', 'pairs-3'],
      ]);
      expect(pairs({ prompt: 'Unknown', chosen: 'A', rejected: 'B' }).unmatched).toEqual(['line 1']);
    });

    it('rankings', () => {
      const line = {
        prompt: 'Q',
        responses: [
          { id: 'a', text: 'A', rank: 1 },
          { id: 'b', text: 'B', rank: 2 },
        ],
        choice: 'a',
      };
      expect(ranks(line).found[0]!.result).toMatchObject({ choice: 'a', ranking: ['a', 'b'] });
      expect(() => ranks(line, { ...line, responses: [{ text: 'A' }] })).toThrow(
        /^r\.jsonl line 2: \$\.responses: /,
      );
      expect(() => ranks({ ...line, responses: [{ text: 'A' }, { text: 'B', rank: 0 }] })).toThrow(
        /^r\.jsonl line 1: \$\.responses\[1\]\.rank: /,
      );
      expect(() =>
        ranks({
          ...line,
          responses: [
            { text: 'A', rank: 1 },
            { text: 'B', rank: 1 },
          ],
        }),
      ).toThrow('r.jsonl line 1: $.responses: two responses share a rank');
      expect(() => ranks({ ...line, choice: 'z' })).toThrow(
        'r.jsonl line 1: $.choice: is the id of no response on the line',
      );
      expect(() => ranks({ ...line, task_id: 'p:t1', responses: [{ text: 'A' }, { text: 'Nope' }] })).toThrow(
        'r.jsonl line 1: $.responses[1].text: is the text of no response of task p:t1',
      );
      expect(() => ranks({ ...line, responses: [{ text: 'A' }, { text: 'A' }] })).toThrow(
        'r.jsonl line 1: $.responses: names one response of task p:t1 twice',
      );
    });
  });
});
