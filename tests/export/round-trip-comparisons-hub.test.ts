import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferencePairs } from '../../src/shared/export';
import type { ComparisonResult, Prediction } from '../../src/shared/model';
import { hubWith } from './fixture';
import { exportCli, importPredictionsCli } from './import-cli';

/**
 * Comparison exports through the hub's own commands: `hub export` of a comparison project's
 * judgements, `hub import predictions` of the file (or the per-split folder) into the same
 * project, compared with what was submitted; a bad line imports nothing.
 */
type Hub = Awaited<ReturnType<typeof hubWith>>;

const responses = [
  { id: 'a', model: 'm1', text: 'Paris 😀' },
  { id: 'b', model: 'm2', text: 'Lyon, e\u0301' },
  { id: 'c', text: 'नमस्ते "Nice"' },
];
const base = { type: 'comparison', tie: false, ranking: [], ratings: {}, justification: '' };
const JUDGED: Record<string, unknown> = {
  t1: {
    ...base,
    id: 'x1',
    choice: 'b',
    ratings: { b: { helpful: 5 }, a: { helpful: 2 } },
    justification: 'why 😀',
  },
  t2: { ...base, id: 'x2', choice: null, ranking: ['c', 'a', 'b'] },
  t3: { ...base, id: 'x3', choice: null, tie: true, justification: 'same' },
};

const predicted = async (fx: Hub, taskId: string, model: string): Promise<ComparisonResult[]> => {
  const row = await fx.storage.db.get('SELECT predictions FROM tasks WHERE id = ?', [taskId]);
  const all = JSON.parse(String(row?.predictions ?? '[]')) as Prediction[];
  return all.filter((p) => p.model === model).flatMap((p) => p.results) as ComparisonResult[];
};

describe('comparison formats: hub export → hub import predictions', () => {
  let fx: Hub;
  beforeAll(async () => {
    fx = await hubWith({
      kind: 'comparison',
      labelConfig: { tools: ['comparison'] },
      tasks: Object.entries(JUDGED).map(([sourceId, result]) => ({
        sourceId,
        data: { kind: 'comparison', prompt: `Which city? (${sourceId})`, responses },
        submissions: [{ results: [result] }],
      })),
    });
  });
  afterAll(() => fx.remove());

  const exportTo = async (format: string, out: string, ...more: string[]) => {
    const e = await exportCli(fx, format, join(fx.dir, out), ...more);
    expect(e, format).toMatchObject({ code: 0, err: '' });
    return join(fx.dir, out);
  };

  it('rankings bring every judgement back whole', async () => {
    const out = await exportTo('rankings', 'out-rankings');
    expect(await importPredictionsCli(fx, 'rankings', join(out, 'rankings.jsonl'), 'm-r')).toMatchObject({
      code: 0,
    });
    for (const [sourceId, want] of Object.entries(JUDGED)) {
      const got = await predicted(fx, `proj:${sourceId}`, 'm-r');
      expect(got.map((r) => ({ ...r, id: 'x' }))).toEqual([{ ...(want as object), id: 'x' }]);
    }
  });

  it('preference pairs (a split into a folder) bring back the same pairs; the tie has none', async () => {
    const out = await exportTo('preference-pairs', 'out-pairs', '--split', '0.5,0.5,0', '--seed', '4');
    expect(await importPredictionsCli(fx, 'preference-pairs', join(out, 'preferences'), 'm-p')).toMatchObject(
      { code: 0 },
    );
    const ids = responses.map((r) => r.id);
    for (const [sourceId, want] of Object.entries(JUDGED)) {
      const got = await predicted(fx, `proj:${sourceId}`, 'm-p');
      const pairs = preferencePairs(want as ComparisonResult, ids);
      expect(got.map((r) => preferencePairs(r, ids))).toEqual(pairs.length ? [pairs] : []);
    }
    expect((await predicted(fx, 'proj:t1', 'm-p'))[0]).toMatchObject({
      choice: 'b',
      ratings: {},
      justification: '',
    });
    expect((await predicted(fx, 'proj:t2', 'm-p'))[0]).toMatchObject({
      choice: null,
      ranking: ['c', 'a', 'b'],
    });
  });

  it('a bad line imports nothing and names the file, line and field', async () => {
    const out = await exportTo('preference-pairs', 'out-pairs-bad');
    const lines = readFileSync(join(out, 'preferences.jsonl'), 'utf8').trim().split('\n');
    const bad = { ...JSON.parse(lines[1]!), rejected: 'Marseille' };
    const file = join(fx.dir, 'bad.jsonl');
    writeFileSync(file, `${lines[0]}\n${JSON.stringify(bad)}\n`);
    const r = await importPredictionsCli(fx, 'preference-pairs', file, 'bad');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file} line 2: $.rejected: is the text of no response of task proj:t1`);
    for (const id of Object.keys(JUDGED)) expect(await predicted(fx, `proj:${id}`, 'bad')).toEqual([]);
  });
});
