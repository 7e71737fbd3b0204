import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pushBatchOf } from '../../src/hub/push/decode';
import { openStorage } from '../../src/hub/storage/open';
import { QualityReport } from '../../src/shared/sync';
import { T0, submit, tempDir } from './helpers';
import { runCli as run } from './run-cli';

describe('hub CLI: quality', () => {
  const t = tempDir();
  const data = join(t.dir, 'data');
  afterAll(() => t.remove());

  it('adds gold tasks, sets the gold rate, makes a lot and prints the report', async () => {
    const lines = (ids: string[]) =>
      `${ids.map((id) => JSON.stringify({ id, text: `text ${id}` })).join('\n')}\n`;
    writeFileSync(join(t.dir, 'w1.jsonl'), lines(['a', 'b', 'c']));
    writeFileSync(join(t.dir, 'gold.jsonl'), lines(['g1']));
    writeFileSync(
      join(t.dir, 'answers.jsonl'),
      `${JSON.stringify({ id: 'g1', annotation: { results: [{ type: 'doc-class', id: 'c', group: 'g', labels: ['x'] }] } })}\n`,
    );
    writeFileSync(join(t.dir, 'bad.jsonl'), `${JSON.stringify({ id: 'zz', annotation: { results: [] } })}\n`);
    expect((await run('init', '--data', data)).code).toBe(0);
    const create = [
      'project',
      'create',
      '--data',
      data,
      '--name',
      'Texts',
      '--config',
      'resources/demo/text-project.json',
    ];
    expect((await run(...create, '--texts', join(t.dir, 'w1.jsonl'), '--batch', 'week-1')).code).toBe(0);
    const addGold = [
      'project',
      'add-tasks',
      '--data',
      data,
      '--project',
      'texts',
      '--batch',
      'gold',
      '--texts',
    ];
    // An answer file that misses a task names it, and adds nothing.
    expect(
      await run(...addGold, join(t.dir, 'gold.jsonl'), '--gold', join(t.dir, 'bad.jsonl')),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('no answer for task "g1"'),
    });
    expect(
      await run(...addGold, join(t.dir, 'gold.jsonl'), '--gold', join(t.dir, 'answers.jsonl')),
    ).toMatchObject({
      code: 0,
      out: 'added 1 gold tasks to project texts, batch "gold"\n',
    });
    expect(
      await run('quality', 'gold-rate', '--data', data, '--project', 'texts', '--percent', '60'),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('--percent must be a number from 0 to 50'),
    });
    expect(
      (await run('quality', 'gold-rate', '--data', data, '--project', 'texts', '--percent', '10')).code,
    ).toBe(0);

    // No submitted work yet: the lot is refused naming the batch.
    const lot = ['quality', 'lot', '--data', data, '--project', 'texts', '--batch', 'week-1'];
    expect(await run(...lot)).toMatchObject({ code: 2, err: expect.stringContaining('no submitted work') });
    expect(await run(...lot, '--aql', '3')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--aql must be one of'),
    });
    const s = await openStorage({ dataDir: data });
    await s.addUser({ id: 'ann', name: 'ann', tokenHash: 'h' }, T0);
    await s.grantRole('ann', 'texts', 'annotator');
    const leases = await s.claim({ userId: 'ann', deviceId: 'd', projectId: 'texts', count: 3 }, T0);
    await s.push(
      pushBatchOf({
        userId: 'ann',
        clientId: 'c',
        mutations: leases.map((l, i) => submit('c', i + 1, l.taskId, l.epoch)),
      }),
      T0,
    );
    await s.close();
    const made = await run(...lot, '--seed', '9');
    expect(made.code).toBe(0);
    // Three items (2–8 row, letter A; AQL 2.5 arrows down to C, n = 5): inspected whole.
    expect(made.out).toMatch(
      /N=3 level II AQL 2.5 {2}code A→C {2}n=3 \(all\) {2}Ac 0 Re 1 {2}audited 0\/3 {2}defects 0 {2}pending {2}seed 9/,
    );
    const report = await run('quality', 'report', '--data', data, '--project', 'texts', '--json');
    expect(report.code).toBe(0);
    const r = QualityReport.parse(JSON.parse(report.out));
    expect(r).toMatchObject({
      goldRate: 0.1,
      lots: [{ batch: 'week-1', lotSize: 3, verdict: 'pending', seed: 9 }],
    });
    const text = await run('quality', 'report', '--data', data, '--project', 'texts');
    expect(text.out).toContain('defect rule: a sampled item is a defect when');
    expect(text.out).toContain('week-1: N 3, lot texts:lot-1 under audit');
  });
});
