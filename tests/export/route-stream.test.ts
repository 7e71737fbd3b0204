/**
 * The hub's export route streams: bytes leave while the export reads its pages, the zip holds
 * exactly what the CLI writes, a client that goes away stops the export (staged files
 * removed), and a failure midway reaches the workbench as an error with no file left. On
 * SQLite and PostgreSQL (the server at OUTRIGGER_PG_URL, else PGlite).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/hub/auth/tokens';
import { exportProject } from '../../src/hub/export/export';
import { createHub, type Hub } from '../../src/hub/http/server';
import { ExportService } from '../../src/main/core/export/service';
import { createHttpClient } from '../../src/main/core/sync/http';
import type { ExportJob } from '../../src/shared/contract';
import { ExportOptions } from '../../src/shared/export';
import { T0, warmPglite } from '../hub/helpers';
import { hubWith, imageTask } from './fixture';
import { zipEntries } from './zip-read';

const config = {
  tools: ['bbox'],
  labels: [
    { name: 'cat', color: '#ff0000' },
    { name: 'dog', color: '#00ff00' },
  ],
};
/** Four pages of 250 tasks; the first page alone fills several of COCO's 64 KiB pieces. */
const TASKS = 1000;
const PAGE_CALLS = TASKS / 250 + 1;
const TOKEN = 'token-lead-0123456789';
const boxes = (i: number) =>
  Array.from({ length: 4 }, (_, k) => ({
    type: 'bbox',
    id: `b${i}-${k}`,
    label: (i + k) % 3 ? 'cat' : 'dog',
    x: k * 10 + (i % 7),
    y: 5 + k,
    w: 20.25,
    h: 10.5,
  }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A GET of the export route over a real socket; `onFirstChunk` sees the first body bytes arrive. */
const fetchExport = (
  url: string,
  q: string,
  onFirstChunk?: (req: http.ClientRequest) => void,
): Promise<{ status: number; body: Buffer; trailers: NodeJS.Dict<string>; cut: boolean }> =>
  new Promise((resolve, reject) => {
    const req = http.get(
      `${url}/v1/projects/proj/export?${q}`,
      { headers: { authorization: `Bearer ${TOKEN}`, 'outrigger-protocol': '1.1' } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (parts.length === 0) onFirstChunk?.(req);
          parts.push(c);
        });
        const done = (cut: boolean) =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), trailers: res.trailers, cut });
        res.on('end', () => done(false));
        res.on('error', () => done(true));
        res.on('aborted', () => done(true));
        res.on('close', () => done(!res.complete));
      },
    );
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
  });

for (const dialect of ['SQLite', 'PostgreSQL'] as const) {
  describe(`the streamed export route on ${dialect}`, () => {
    let fx: Awaited<ReturnType<typeof hubWith>>;
    let hub: Hub;
    let url: string;
    /** Which pass over the pages (a split reads them twice) and which page call of it. */
    const pages = { pass: 0, call: 0 };
    let gate: ((pass: number, call: number) => Promise<void>) | undefined;
    const exportsDir = () => join(fx.dataDir, 'exports');
    const leftovers = () => (existsSync(exportsDir()) ? readdirSync(exportsDir()) : []);

    beforeAll(async () => {
      if (dialect === 'PostgreSQL') await warmPglite();
      fx = await hubWith({
        pg: dialect === 'PostgreSQL',
        kind: 'image',
        labelConfig: config,
        tasks: Array.from({ length: TASKS }, (_, i) => imageTask(`img${i}.png`, 200, 100, boxes(i))),
      });
      await fx.storage.addUser({ id: 'lead', name: 'lead', tokenHash: hashToken(TOKEN) }, T0);
      await fx.storage.grantRole('lead', fx.projectId, 'lead');
      const read = fx.storage.exportPage.bind(fx.storage);
      fx.storage.exportPage = async (projectId, after, size, filter) => {
        if (after === undefined) {
          pages.pass++;
          pages.call = 0;
        }
        const call = ++pages.call;
        await gate?.(pages.pass, call);
        return read(projectId, after, size, filter);
      };
      hub = await createHub({ storage: fx.storage, dataDir: fx.dataDir, clock: () => T0 });
      url = await hub.listen();
    }, 180_000);
    afterAll(async () => {
      await hub?.close();
      await fx?.remove();
    });
    beforeEach(() => {
      gate = undefined;
      pages.pass = 0;
    });

    it('sends the first bytes while the first pages are read, the count in the trailer', async () => {
      let firstByte!: () => void;
      const arrived = new Promise<void>((r) => (firstByte = r));
      // The second page waits for the first byte (at most 3 s: a route that wrote everything first fails below).
      gate = async (_pass, call) => {
        if (call === 2) await Promise.race([arrived, sleep(3000)]);
      };
      let pageAtFirstByte = -1;
      const res = await fetchExport(url, 'format=coco', () => {
        pageAtFirstByte = pages.call;
        firstByte();
      });
      expect(res.status).toBe(200);
      expect(res.cut).toBe(false);
      expect(pageAtFirstByte).toBeGreaterThan(0);
      expect(pageAtFirstByte).toBeLessThanOrEqual(2);
      expect(pages.call).toBe(PAGE_CALLS);
      expect(res.trailers['x-outrigger-export-records']).toBe(String(TASKS));
      const manifest = JSON.parse((await zipEntries(res.body)).get('outrigger-export.json')!.toString());
      expect(manifest.records).toBe(TASKS);
      await sleep(50);
      expect(leftovers()).toEqual([]);
    });

    it.each([
      ['coco', 'format=coco&images=zip&split=0.6,0.3,0.1&seed=7', { split: [0.6, 0.3, 0.1], seed: 7 }],
      [
        'yolo-detect',
        'format=yolo-detect&images=zip&split=0.5,0.5,0&seed=3',
        { split: [0.5, 0.5, 0], seed: 3 },
      ],
      ['csv', 'format=csv&images=zip', {}],
    ] as const)('zips exactly what the CLI writes: %s', async (format, q, extra) => {
      const res = await fetchExport(url, q);
      expect(res.status).toBe(200);
      const cliDir = mkdtempSync(join(tmpdir(), 'cli-export-'));
      try {
        const cli = await exportProject({
          storage: fx.storage,
          dataDir: fx.dataDir,
          projectId: fx.projectId,
          options: ExportOptions.parse({ format, images: 'zip', ...extra }),
          out: join(cliDir, 'out.zip'),
          now: T0,
        });
        const [streamed, written] = await Promise.all([zipEntries(res.body), zipEntries(cli.path)]);
        expect([...streamed.keys()].sort()).toEqual([...written.keys()].sort());
        for (const [name, bytes] of written) expect(streamed.get(name)!.equals(bytes), name).toBe(true);
        expect(streamed.size).toBeGreaterThan(TASKS);
      } finally {
        rmSync(cliDir, { recursive: true, force: true });
      }
      await sleep(50);
      expect(leftovers()).toEqual([]);
    });

    it('stops the export when the client goes away, and removes its staged files', async () => {
      let gone!: () => void;
      const disconnected = new Promise<void>((r) => (gone = r));
      let stagedWhileRunning: string[] = [];
      // A split reads the pages twice: the writing pass is the second. Its third page waits for the cut.
      gate = async (pass, call) => {
        if (pass !== 2 || call !== 3) return;
        const [stage] = leftovers();
        stagedWhileRunning = stage ? readdirSync(join(exportsDir(), stage)) : [];
        await Promise.race([disconnected, sleep(5000)]);
        await sleep(200);
      };
      const res = await fetchExport(url, 'format=coco&split=0.5,0.5,0&seed=1', (req) => {
        req.destroy();
        gone();
      });
      expect(res.cut).toBe(true);
      // COCO with a split streams one split's file and stages the other's.
      expect(stagedWhileRunning.length).toBeGreaterThan(0);
      for (let i = 0; i < 50 && leftovers().length; i++) await sleep(100);
      expect(leftovers()).toEqual([]);
      await sleep(300);
      expect([pages.pass, pages.call]).toEqual([2, 3]);
    });

    it('reaches the workbench as an error with no file when the hub fails midway', async () => {
      const out = mkdtempSync(join(tmpdir(), 'wb-export-'));
      const jobs: ExportJob[] = [];
      const service = new ExportService({
        db: {} as never,
        projects: () => Promise.resolve([]),
        defaultDir: out,
        assetPath: () => null,
        annotator: () => 'lead',
        emit: (j) => jobs.push(j),
        clock: () => Date.now(),
        hub: {
          client: () => ({
            http: createHttpClient({
              baseUrl: url,
              getToken: () => TOKEN,
              clock: Date.now,
              random: Math.random,
            }),
            hubUrl: url,
          }),
          roles: () => Promise.reject(new Error('not asked')),
        },
      });
      const request = {
        projectId: fx.projectId,
        source: 'hub' as const,
        options: ExportOptions.parse({ format: 'coco' }),
      };
      try {
        gate = async (_pass, call) => {
          if (call === 3) {
            await sleep(300); // the first pieces reach the workbench
            throw new Error('the disk went away');
          }
        };
        const failed = await service.settled((await service.start(request)).exportId);
        expect(failed.state).toBe('failed');
        expect(failed.message).toMatch(/stopped sending the export after \d+ bytes/);
        expect(jobs.some((j) => j.state === 'running' && (j.bytes ?? 0) > 0)).toBe(true);
        expect(readdirSync(out)).toEqual([]);
        for (let i = 0; i < 50 && leftovers().length; i++) await sleep(100);
        expect(leftovers()).toEqual([]);

        // The same export, unhindered: finished with the hub's count, the zip in place.
        gate = undefined;
        const done = await service.settled((await service.start(request)).exportId);
        expect([done.state, done.records, done.total]).toEqual(['finished', TASKS, TASKS]);
        expect(readdirSync(out)).toEqual([done.path!.split('/').pop()]);
        expect((await zipEntries(done.path!)).has('annotations.json')).toBe(true);
      } finally {
        await service.close();
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}
