import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/hub/auth/tokens';
import { createHub, type Hub } from '../../src/hub/http/server';
import { T0 } from '../hub/helpers';
import { hubWith, imageTask } from './fixture';

const config = { tools: ['bbox'], labels: [{ name: 'cat', color: '#ff0000' }] };
const box = { type: 'bbox', id: 'b', label: 'cat', x: 1, y: 2, w: 3, h: 4 };

describe('GET /v1/projects/:id/export', () => {
  let fx: Awaited<ReturnType<typeof hubWith>>;
  let hub: Hub;
  const auth = (who: string) => ({
    authorization: `Bearer token-${who}-0123456789`,
    'outrigger-protocol': '1.0',
  });
  beforeAll(async () => {
    fx = await hubWith({
      kind: 'image',
      labelConfig: config,
      tasks: [imageTask('a.png', 10, 10, [box]), imageTask('b.png', 10, 10, [box])],
    });
    for (const [name, role] of [
      ['lead', 'lead'],
      ['annie', 'annotator'],
    ] as const) {
      await fx.storage.addUser({ id: name, name, tokenHash: hashToken(`token-${name}-0123456789`) }, T0);
      await fx.storage.grantRole(name, fx.projectId, role);
    }
    hub = await createHub({ storage: fx.storage, dataDir: fx.dataDir });
  });
  afterAll(async () => {
    await hub.close();
    await fx.remove();
  });

  it('streams a zip of the dataset to a lead', async () => {
    const res = await hub.app.inject({
      method: 'GET',
      url: `/v1/projects/${fx.projectId}/export?format=coco&images=zip`,
      headers: auth('lead'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain('proj-coco.zip');
    expect(res.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(res.rawPayload.includes(Buffer.from('annotations.json'))).toBe(true);
    expect(res.rawPayload.includes(Buffer.from('images/a.png'))).toBe(true);
    // The count comes after the last byte, in a trailer (and in the manifest).
    expect(res.headers['x-outrigger-export-records']).toBeUndefined();
    expect(res.trailers['x-outrigger-export-records']).toBe('2');
    // Nothing staged is left once the zip is sent.
    await new Promise((r) => setTimeout(r, 50));
    const exportsDir = join(fx.dataDir, 'exports');
    expect(existsSync(exportsDir) ? readdirSync(exportsDir) : []).toEqual([]);
  });

  it('previews the counts per split and label to a lead only', async () => {
    const get = (q: string, who = 'lead') =>
      hub.app.inject({
        method: 'GET',
        url: `/v1/projects/${fx.projectId}/export/preview?${q}`,
        headers: auth(who),
      });
    const res = await get('format=coco&split=0.5,0.5,0&seed=3');
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.records).toBe(2);
    expect(p.perSplit.all.labels).toEqual({ cat: 2 });
    expect(p.perSplit.train.records + p.perSplit.val.records).toBe(2);
    expect((await get('format=coco&labels=dog')).json().results).toBe(0);
    expect((await get('format=coco', 'annie')).statusCode).toBe(403);
    const bad = await get('format=conll');
    expect([bad.statusCode, bad.json().error.field]).toEqual([400, 'query.format']);
  });

  it('answers 4xx naming the field', async () => {
    const get = (q: string, who = 'lead') =>
      hub.app.inject({ method: 'GET', url: `/v1/projects/${fx.projectId}/export?${q}`, headers: auth(who) });
    expect((await get('format=coco', 'annie')).statusCode).toBe(403);
    const cases: [string, number, string][] = [
      ['format=nope', 400, 'query.format'],
      ['format=coco&split=0.5,0.5', 400, 'query.split'],
      ['format=coco&split=0.5,0.5,0.5', 400, 'query.split'],
      ['format=coco&seed=-1', 400, 'query.seed'],
      ['format=coco&from=yesterday', 400, 'query.from'],
      ['format=coco&images=copy', 400, 'query.images'],
      ['format=coco&version=best', 400, 'query.version'],
      ['format=conll', 400, 'query.format'],
    ];
    for (const [q, status, field] of cases) {
      const res = await get(q);
      expect([q, res.statusCode, res.json().error.field]).toEqual([q, status, field]);
    }
    const missing = await hub.app.inject({
      method: 'GET',
      url: '/v1/projects/nope/export?format=coco',
      headers: auth('lead'),
    });
    expect(missing.statusCode).toBe(403);
  });

  it('never answers 5xx to any query (fuzz)', async () => {
    const keys = fc.constantFrom(
      'format',
      'version',
      'annotators',
      'labels',
      'from',
      'to',
      'split',
      'seed',
      'images',
      'x',
    );
    const values = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'coco',
        'yolo-detect',
        'conll',
        'latest',
        'zip',
        'none',
        '0.8,0.1,0.1',
        '1,0,0',
        '2026-01-01',
        '-1',
        '1e99',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(keys, values), { maxLength: 6 }), async (pairs) => {
        const q = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const res = await hub.app.inject({
          method: 'GET',
          url: `/v1/projects/${fx.projectId}/export?${q}`,
          headers: auth('lead'),
        });
        expect(res.statusCode, `${q}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
