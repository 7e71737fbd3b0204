import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/hub/auth/tokens';
import { openStorage } from '../../src/hub/storage/open';
import { tempDir } from './helpers';
import { runCli } from './run-cli';

const run = runCli;

/** rocket.jpg with an EXIF APP1 segment saying orientation 6 (rotate 90°): displayed portrait. */
const rotatedJpeg = (): Buffer => {
  const src = readFileSync('resources/demo/images/rocket.jpg');
  const tiff = Buffer.from([
    0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0,
  ]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const app1 = Buffer.concat([
    Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]),
    body,
  ]);
  return Buffer.concat([src.subarray(0, 2), app1, src.subarray(2)]);
};

describe('hub CLI', () => {
  const t = tempDir();
  const data = join(t.dir, 'data');
  beforeAll(() => {
    mkdirSync(join(t.dir, 'imgs/sub'), { recursive: true });
    copyFileSync('resources/demo/images/rocket.jpg', join(t.dir, 'imgs/rocket.jpg'));
    writeFileSync(join(t.dir, 'imgs/sub/rotated.jpg'), rotatedJpeg());
    writeFileSync(join(t.dir, 'imgs/notes.txt'), 'not an image');
    writeFileSync(
      join(t.dir, 'texts.jsonl'),
      `${JSON.stringify({ id: 'a', text: 'Nguye\u0302\u0303n' })}\n\n${JSON.stringify({ id: 7, text: 'two' })}\n`,
    );
    writeFileSync(
      join(t.dir, 'bad.jsonl'),
      `${JSON.stringify({ id: 'a', text: 'ok' })}\n{"id":"b","txt":"typo"}\n`,
    );
    writeFileSync(join(t.dir, 'bad-config.json'), JSON.stringify({ tools: [] }));
    writeFileSync(
      join(t.dir, 'config.json'),
      JSON.stringify({ tools: ['bbox'], labels: [{ name: 'car', color: '#ff0000', hotkey: '1' }] }),
    );
  });
  afterAll(() => t.remove());

  it('lists its commands and gives each a --help', async () => {
    const top = await run('--help');
    expect(top.code).toBe(0);
    for (const c of ['init', 'project create', 'user add', 'serve']) expect(top.out).toContain(c);
    for (const c of [['init'], ['project', 'create'], ['user', 'add'], ['serve']]) {
      const h = await run(...c, '--help');
      expect(h.code).toBe(0);
      expect(h.out).toContain(`npm run hub -- ${c.join(' ')}`);
    }
  });

  it('initializes, imports images (displayed size after EXIF rotation), texts (NFC) and comparisons, adds users', async () => {
    expect((await run('init', '--data', data)).code).toBe(0);
    const img = await run(
      'project',
      'create',
      '--data',
      data,
      '--name',
      'Cars',
      '--config',
      join(t.dir, 'config.json'),
      '--images',
      join(t.dir, 'imgs'),
    );
    expect(img).toMatchObject({ code: 0, err: '' });
    expect(img.out).toContain('with 2 tasks');
    const txt = await run(
      'project',
      'create',
      '--data',
      data,
      '--name',
      'Texts',
      '--config',
      'resources/demo/text-project.json',
      '--texts',
      join(t.dir, 'texts.jsonl'),
    );
    expect(txt.code).toBe(0);
    const cmp = await run(
      'project',
      'create',
      '--data',
      data,
      '--config',
      'resources/demo/comparison-project.json',
      '--comparisons',
      'resources/demo/comparisons.jsonl',
    );
    expect(cmp.out).toContain('comparison');
    const user = await run(
      'user',
      'add',
      '--data',
      data,
      '--name',
      'ann',
      '--role',
      'annotator',
      '--project',
      'Cars',
    );
    expect(user.code).toBe(0);
    const token = /token \(shown once, keep it safe\): (\S+)/.exec(user.out)?.[1] ?? '';
    expect(
      (
        await run(
          'user',
          'grant',
          '--data',
          data,
          '--name',
          'ann',
          '--role',
          'annotator',
          '--project',
          'texts',
        )
      ).code,
    ).toBe(0);
    expect((await run('user', 'add', '--data', data, '--name', 'root', '--role', 'admin')).code).toBe(0);

    const s = await openStorage({ dataDir: data });
    try {
      const ann = await s.findUserByTokenHash(hashToken(token));
      expect(ann?.memberships.map((m) => m.projectId)).toEqual(['cars', 'texts']);
      const claimed = await s.claim(
        { userId: ann?.id ?? '', deviceId: 'd', projectId: 'cars', count: 5 },
        Date.now(),
      );
      const dims = claimed.map((l) =>
        l.task.data.kind === 'image'
          ? [l.task.meta.sourceId, l.task.data.image.width, l.task.data.image.height]
          : [],
      );
      const [, w, h] = dims.find((d) => d[0] === 'rocket.jpg') ?? [];
      expect(dims).toContainEqual(['sub/rotated.jpg', h, w]);
      const texts = await s.claim(
        { userId: ann?.id ?? '', deviceId: 'd', projectId: 'texts', count: 5 },
        Date.now(),
      );
      expect(texts.map((l) => [l.taskId, l.task.data.kind === 'text' ? l.task.data.text : ''])).toEqual([
        ['texts:a', 'Nguy\u1ec5n'],
        ['texts:7', 'two'],
      ]);
    } finally {
      await s.close();
    }
  });

  it('names what is wrong in one line and exits 2', async () => {
    /** `project create` with a config and a source of tasks (files under the test's folder). */
    const create = (
      dataDir: string,
      name: string,
      config: string,
      source: string,
      from: string,
    ): string[] => [
      ...['project', 'create', '--data', dataDir, '--name', name],
      ...['--config', join(t.dir, config), source, join(t.dir, from)],
    ];
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['init'], /--data is required/],
      [['user', 'add', '--data', data, '--bogus'], /Unknown option '--bogus'/],
      [
        ['user', 'add', '--data', data, '--name', 'x', '--role', 'boss'],
        /--role must be one of annotator, reviewer, lead, admin/,
      ],
      [['user', 'add', '--data', data, '--name', 'x', '--role', 'annotator'], /--project is required/],
      [
        ['user', 'add', '--data', data, '--name', 'x', '--role', 'annotator', '--project', 'nope'],
        /--project nope: no project/,
      ],
      [
        ['user', 'add', '--data', data, '--name', 'ann', '--role', 'annotator', '--project', 'cars'],
        /already exists/,
      ],
      [create(join(t.dir, 'nohub'), 'X', 'config.json', '--images', 'imgs'), /no hub here; run .*init/],
      [create(data, 'X', 'missing.json', '--images', 'imgs'), /--config .*missing\.json: no such file/],
      [create(data, 'X', 'bad-config.json', '--images', 'imgs'), /bad-config\.json: labelConfig\.tools: /],
      [create(data, 'X', 'config.json', '--images', 'none'), /--images .*none: no such folder/],
      [create(data, 'X', 'config.json', '--texts', 'bad.jsonl'), /bad\.jsonl line 2: text: /],
      [
        ['project', 'create', '--data', data, '--name', 'X', '--config', join(t.dir, 'config.json')],
        /exactly one of --images/,
      ],
      [create(data, 'Cars', 'config.json', '--images', 'imgs'), /already exists/],
      [['serve', '--data', data, '--port', 'http'], /--port must be a number/],
      [['serve', '--data', data, '--trust-proxy', 'proxy.example'], /--trust-proxy: "proxy.example" is not/],
      [['serve', '--data', data, '--trust-proxy', '10.0.0.0/33'], /--trust-proxy: "10.0.0.0\/33" is not/],
      [
        ['serve', '--data', data, '--max-user-storage-mb', '0'],
        /--max-user-storage-mb must be a number from 1/,
      ],
    ];
    for (const [argv, re] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err, argv.join(' ')).toMatch(re);
    }
  });
});
