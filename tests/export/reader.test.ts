import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readerPages } from '../../src/hub/export/reader';
import { storagePages } from '../../src/hub/export/records';
import { exportPagePlan, type ExportFilter, type ExportTaskRow } from '../../src/hub/storage/exporting';
import { SQLITE_FILE } from '../../src/hub/storage/open';
import { hubWith, imageTask } from './fixture';

const box = (id: string, label: string) => ({ type: 'bbox', id, label, x: 1, y: 2, w: 3, h: 4 });
const all = async (pages: AsyncIterable<ExportTaskRow[]>): Promise<ExportTaskRow[][]> => {
  const out: ExportTaskRow[][] = [];
  for await (const p of pages) out.push(p);
  return out;
};

describe('export reader thread', () => {
  let hub: Awaited<ReturnType<typeof hubWith>>;
  beforeAll(async () => {
    hub = await hubWith({
      kind: 'image',
      labelConfig: { tools: ['bbox'], labels: [{ name: 'cat', color: '#ff0000' }] },
      tasks: [
        {
          ...imageTask('a.png', 10, 10),
          submissions: [{ results: [box('1', 'cat')] }, { annotator: 'bob', results: [] }],
        },
        ...Array.from({ length: 23 }, (_, i) =>
          imageTask(`n${i}.png`, 20, 20, i % 3 ? [box(`x${i}`, 'cat')] : undefined),
        ),
      ],
    });
  });
  afterAll(() => hub.remove());

  it('reads the same pages as the storage, under every filter', async () => {
    const file = join(hub.dataDir, SQLITE_FILE);
    const filters: ExportFilter[] = [{}, { annotators: ['bob'] }, { from: 0, to: 1 }, { batches: ['nope'] }];
    for (const f of filters) {
      const viaThread = await all(readerPages(file, hub.projectId, 5, 1)(f));
      expect(viaThread).toEqual(await all(storagePages(hub.storage, hub.projectId, 5)(f)));
      expect(viaThread.length).toBe(5);
    }
  });

  it('stops its thread when the consumer stops early, and names a failure', async () => {
    const file = join(hub.dataDir, SQLITE_FILE);
    for await (const page of readerPages(file, hub.projectId, 2)({})) {
      expect(page.length).toBe(2);
      break;
    }
    await expect(all(readerPages(join(hub.dir, 'missing.sqlite'), hub.projectId)({}))).rejects.toThrow(
      /reading the export: .*(unable to open|does not exist)/,
    );
  });

  it("reads submissions without scanning the users table (a hub's many annotators)", async () => {
    // Statistics taken while the hub had two users (createProject analyzes), then many more.
    await hub.storage.db.exec('ANALYZE');
    for (let i = 0; i < 50; i++)
      await hub.storage.addUser({ id: `many${i}`, name: `many${i}`, tokenHash: `${i}`.padStart(64, 'h') }, 1);
    for (const f of [{}, { annotators: ['bob'] }] as ExportFilter[]) {
      const plan = exportPagePlan('sqlite', hub.projectId, 5, f);
      const steps = await hub.storage.db.all(`EXPLAIN QUERY PLAN ${plan.subsSql}`, ['[]', ...plan.subsTail]);
      const details = steps.map((r) => String(r.detail));
      // Scanning users once to build the annotator filter's list is fine; per row is not.
      const perRowScan = details.some(
        (d, i) => /^SCAN u\b/.test(d) && !/^LIST SUBQUERY/.test(details[i - 1] ?? ''),
      );
      expect(perRowScan, details.join(' | ')).toBe(false);
    }
  });
});
