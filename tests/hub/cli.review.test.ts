import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/hub/storage/open';
import { runCli } from './run-cli';
import { tempDir } from './helpers';

const run = runCli;

describe('hub CLI: batches and review policy', () => {
  const t = tempDir();
  const data = join(t.dir, 'data');
  afterAll(() => t.remove());
  const lines = (ids: string[]) =>
    `${ids.map((id) => JSON.stringify({ id, text: `text ${id}` })).join('\n')}\n`;

  it('creates a project into a batch with a review policy, adds batches, and changes the policy', async () => {
    writeFileSync(join(t.dir, 'w1.jsonl'), lines(['a', 'b']));
    writeFileSync(join(t.dir, 'w2.jsonl'), lines(['c', 'd', 'e']));
    writeFileSync(join(t.dir, 'dup.jsonl'), lines(['e', 'f']));
    expect((await run('init', '--data', data)).code).toBe(0);
    const created = await run(
      'project',
      'create',
      '--data',
      data,
      '--name',
      'Texts',
      '--config',
      'resources/demo/text-project.json',
      '--texts',
      join(t.dir, 'w1.jsonl'),
      '--batch',
      'week-1',
      '--review',
      '25%',
      '--review-seed',
      '42',
      '--reject-reasons',
      'wrong label; missed entity',
    );
    expect(created).toMatchObject({ code: 0, err: '' });
    const added = await run(
      'project',
      'add-tasks',
      '--data',
      data,
      '--project',
      'Texts',
      '--batch',
      'week-2',
      '--texts',
      join(t.dir, 'w2.jsonl'),
    );
    expect(added).toMatchObject({ code: 0, out: 'added 3 tasks to project texts, batch "week-2"\n' });

    // Operator mistakes: one line naming the problem, exit 2, nothing added.
    const mistakes: [string[], RegExp][] = [
      [
        ['--project', 'texts', '--batch', 'w3', '--texts', join(t.dir, 'dup.jsonl')],
        /already has task texts:e/,
      ],
      [
        ['--project', 'nope', '--batch', 'w3', '--texts', join(t.dir, 'w2.jsonl')],
        /--project nope: no project/,
      ],
      [
        ['--project', 'texts', '--batch', 'w3', '--images', 'resources/demo/images'],
        /holds text tasks, not image tasks/,
      ],
      [['--project', 'texts', '--batch', ' x', '--texts', join(t.dir, 'w2.jsonl')], /--batch: a batch name/],
      [['--project', 'texts', '--texts', join(t.dir, 'w2.jsonl')], /--batch is required/],
    ];
    for (const [args, message] of mistakes) {
      const r = await run('project', 'add-tasks', '--data', data, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect(
      (await run('project', 'review-policy', '--data', data, '--project', 'texts', '--review', '120')).err,
    ).toMatch(/--review must be none, all or a percent from 0 to 100, got "120"/);
    expect(
      (
        await run(
          'project',
          'review-policy',
          '--data',
          data,
          '--project',
          'texts',
          '--review',
          'all',
          '--review-seed',
          '3',
        )
      ).code,
    ).toBe(2);

    const s1 = await openStorage({ dataDir: data });
    expect(await s1.getProject('texts')).toMatchObject({
      reviewPolicy: { percent: 25, seed: 42 },
      rejectReasons: ['wrong label', 'missed entity'],
    });
    expect((await s1.progress('texts', 0)).batches.map((b) => [b.batch, b.tasks])).toEqual([
      ['week-1', 2],
      ['week-2', 3],
    ]);
    await s1.close();

    const set = await run(
      'project',
      'review-policy',
      '--data',
      data,
      '--project',
      'Texts',
      '--review',
      'all',
    );
    expect(set).toMatchObject({
      code: 0,
      out: 'project texts: review all; reject reasons: wrong label; missed entity\n',
    });
    const s2 = await openStorage({ dataDir: data });
    expect(await s2.getProject('texts')).toMatchObject({ reviewPolicy: 'all' });
    await s2.close();
    expect((await run('--help')).out).toContain('project review-policy');
  });
});
