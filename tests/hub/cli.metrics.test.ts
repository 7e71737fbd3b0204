import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/hub/storage/open';
import { appendLinks, genesisHead } from '../../src/shared/metrics';
import { TeamMetrics } from '../../src/shared/sync';
import { HOUR, T0, outcome, seed, tempDir } from './helpers';
import { runCli as run } from './run-cli';

const EVIL = '=HYPERLINK("http://x.example","pay me")';

describe('hub CLI: metrics', () => {
  const t = tempDir();
  const data = join(t.dir, 'data');
  const metrics = (...a: string[]) => run('metrics', '--data', data, '--project', 'p1', ...a);
  const day = new Date(T0).toISOString().slice(0, 10);

  beforeAll(async () => {
    expect((await run('init', '--data', data)).code).toBe(0);
    const s = await openStorage({ dataDir: data });
    await seed(s, { tasks: 6, users: { ann: 'annotator', lee: 'lead' }, batch: 'week-1' });
    await s.addUser({ id: 'evil', name: EVIL, tokenHash: 'h' }, T0);
    await s.grantRole('evil', 'p1', 'annotator');
    await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 3 }, T0);
    await s.claim({ userId: 'evil', deviceId: 'd2', projectId: 'p1', count: 1 }, T0);
    const ann = appendLinks(genesisHead('c-ann'), [
      outcome('task.submitted', 'p1:t0', T0 + 2_000, 60_000, 60_000 + 5_000),
      outcome('task.submitted', 'p1:t1', T0 + 3_000, 120_000, 120_000 + 5_000),
      outcome('task.skipped', 'p1:t2', T0 + 4_000, 30_000, 30_000 + 5_000),
    ]).links;
    const evil = appendLinks(genesisHead('c-evil'), [
      outcome('task.submitted', 'p1:t3', T0 + 5_000, 45_500, 45_500 + 5_000),
    ]).links;
    await s.recordActivity({ userId: 'ann', chainId: 'c-ann', links: ann }, T0 + HOUR / 2);
    await s.recordActivity({ userId: 'evil', chainId: 'c-evil', links: evil }, T0 + HOUR / 2);
    await s.close();
  });
  afterAll(() => t.remove());

  it('prints the team table as CSV, hand-computed, with formula cells defused', async () => {
    const r = await metrics('--from', day, '--to', day, '--csv');
    expect(r).toMatchObject({ code: 0, err: '' });
    const lines = r.out.split('\r\n');
    expect(lines[0]).toBe(
      'annotator,user_id,tasks,skipped,active_hours,tasks_per_hour,median_s_per_task,p90_s_per_task,skip_rate,first_pass_acceptance,rework_rate,gold_tasks,gold_accuracy,agreement_tasks,agreement,flags',
    );
    // ann: 2 submitted (60 s, 120 s) + 1 skipped (30 s) → 210 s active; 2 ÷ (210/3600) = 34.286/h;
    // median 90 s; p90 = 60 + 0.9 × 60 = 114 s; skip rate 1/3.
    expect(lines).toContain('ann,ann,2,1,0.0583,34.286,90,114,0.3333,,,0,,0,,0');
    // A name that is a formula is shown as text: apostrophe, then RFC 4180 quoting.
    expect(lines).toContain(
      `"'=HYPERLINK(""http://x.example"",""pay me"")",evil,1,0,0.0126,79.121,45.5,45.5,0,,,0,,0,,0`,
    );
    expect(lines.at(-1)).toBe('');
  });

  it('prints the raw per-task rows for payroll, and JSON of both', async () => {
    const rows = await metrics('--from', day, '--to', day, '--rows');
    expect(rows.code).toBe(0);
    expect(rows.out.split('\r\n').slice(0, 5)).toEqual([
      'user_id,annotator,task_id,project_id,batch,outcome,submitted_at,active_s,wall_s',
      `ann,ann,p1:t0,p1,week-1,submitted,${new Date(T0 + 2_000).toISOString()},60,65`,
      `ann,ann,p1:t1,p1,week-1,submitted,${new Date(T0 + 3_000).toISOString()},120,125`,
      `ann,ann,p1:t2,p1,week-1,skipped,${new Date(T0 + 4_000).toISOString()},30,35`,
      `evil,"'=HYPERLINK(""http://x.example"",""pay me"")",p1:t3,p1,week-1,submitted,${new Date(T0 + 5_000).toISOString()},45.5,50.5`,
    ]);
    const json = await metrics('--from', day, '--to', day, '--json');
    const m = TeamMetrics.parse(JSON.parse(json.out));
    // By name: "=" sorts before "a".
    expect(m.members.map((x) => [x.userId, x.submitted])).toEqual([
      ['evil', 1],
      ['ann', 2],
    ]);
    expect(m.daily).toEqual([
      { userId: 'ann', day, submitted: 2, activeMs: 210_000 },
      { userId: 'evil', day, submitted: 1, activeMs: 45_500 },
    ]);
    expect(JSON.parse((await metrics('--from', day, '--to', day, '--rows', '--json')).out)).toHaveLength(4);
  });

  it('filters by batch and range, and names a bad argument', async () => {
    expect(
      (await metrics('--from', day, '--to', day, '--batch', 'week-2', '--csv')).out.split('\r\n'),
    ).toHaveLength(2);
    const before = new Date(T0 - 86_400_000).toISOString().slice(0, 10);
    expect((await metrics('--from', before, '--to', before)).out).toContain('(no submissions in this range)');
    expect((await metrics('--from', day, '--to', day)).out).toMatch(/^annotator +tasks/m);
    expect(await metrics('--from', 'yesterday')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--from must be a date'),
    });
    expect(await metrics('--from', day, '--to', before)).toMatchObject({
      code: 2,
      err: expect.stringContaining('--from: from must be before to'),
    });
    expect(await metrics('--csv', '--json')).toMatchObject({
      code: 2,
      err: expect.stringContaining('choose one'),
    });
    expect(await run('metrics', '--data', data, '--project', 'nope')).toMatchObject({ code: 2 });
  });
});
