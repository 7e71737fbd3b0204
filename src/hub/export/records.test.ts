import { describe, expect, it } from 'vitest';
import type { ExportRecord } from '../../shared/export';
import type { ExportTaskRow } from '../storage/exporting';
import type { ExportPages } from './reader';
import { hubRecords } from './records';

const data = JSON.stringify({
  kind: 'image',
  image: { sha256: 'a'.repeat(64), width: 10, height: 10, fileName: 'x.jpg' },
});
const annotation = JSON.stringify({ results: [], activeMs: 0 });
const row = (taskId: string, meta: string): ExportTaskRow => ({
  taskId,
  data,
  meta,
  submissions: [{ annotator: 'ann', annotation, receivedAt: 1, conflict: false }],
});
const pagesOf =
  (rows: ExportTaskRow[]): ExportPages =>
  () => ({
    async *[Symbol.asyncIterator]() {
      yield rows;
    },
  });
const all = async (rows: ExportTaskRow[]): Promise<ExportRecord[]> => {
  const out: ExportRecord[] = [];
  for await (const r of hubRecords(pagesOf(rows), { version: 'latest' })) out.push(r);
  return out;
};

describe('stored task meta', () => {
  it('gives each record its import name, read as JSON reads it', async () => {
    const metas = [
      JSON.stringify({ sourceId: 'photo 1.jpg' }),
      JSON.stringify({ sourceId: 'a "quoted" name\\with\ttab.jpg' }),
      JSON.stringify({ sourceId: 'Trần 👍.jpg' }),
      JSON.stringify({ sourceId: 'x.jpg', other: 'y' }),
      '{ "sourceId" : "spaced.jpg" }',
      JSON.stringify({ sourceId: '' }),
      '{}',
    ];
    const records = await all(metas.map((m, i) => row(`t${i}`, m)));
    expect(records.map((r) => r.sourceId)).toEqual([
      'photo 1.jpg',
      'a "quoted" name\\with\ttab.jpg',
      'Trần 👍.jpg',
      'x.jpg',
      'spaced.jpg',
      '',
      't6',
    ]);
  });

  it('names the task whose meta is not what was stored', async () => {
    await expect(all([row('bad', '{"sourceId":3}')])).rejects.toThrow(
      'task bad: stored task meta: sourceId: must be a string',
    );
    await expect(all([row('worse', '[1]')])).rejects.toThrow('task worse: stored task meta: value');
    await expect(all([row('broken', '{"sourceId":"x"')])).rejects.toThrow('task broken');
  });
});
