import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sha256Hex, assetPath } from '../../src/hub/assets/store';
import { pushBatchOf } from '../../src/hub/push/decode';
import { openStorage } from '../../src/hub/storage/open';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import { LabelConfig, type ProjectKind, Task, type TaskData } from '../../src/shared/model';
import { Mutation } from '../../src/shared/sync';
import { T0, openPgStorage, tempDir } from '../hub/helpers';

export interface FixtureTask {
  sourceId: string;
  data: TaskData;
  /** Submissions in order, each by an annotator (default "ann"). */
  submissions?: { annotator?: string; results: unknown[] }[];
}

/** A label config of boxes and polygons labelled cat or dog (export tests). */
export const catDogConfig = {
  tools: ['bbox', 'polygon'],
  labels: [
    { name: 'cat', color: '#ff0000' },
    { name: 'dog', color: '#00ff00' },
  ],
};

/** A stored box result as a client sends it (no rotation or attributes). */
export const box = (id: string, label: string, x = 1) => ({ type: 'bbox', id, label, x, y: 2, w: 3, h: 4 });

/** An image task whose asset file exists in the hub's store (bytes: its name). */
export const imageTask = (name: string, width: number, height: number, results?: unknown[]): FixtureTask => ({
  sourceId: name,
  data: {
    kind: 'image',
    image: {
      sha256: sha256Hex(Buffer.from(name)),
      width,
      height,
      mime: 'image/png',
      bytes: name.length,
      fileName: name,
    },
  },
  submissions: results ? [{ results }] : [],
});

/**
 * A SQLite (or PostgreSQL) hub holding one project whose tasks were leased and submitted through the real
 * claim and push paths (tests of exports).
 */
export const hubWith = async (opts: {
  kind: ProjectKind;
  labelConfig: unknown;
  tasks: FixtureTask[];
  overlap?: number;
  projectId?: string;
  /** On PostgreSQL (the server at OUTRIGGER_PG_URL, else PGlite) instead of SQLite. */
  pg?: boolean;
}): Promise<{
  storage: SqlStorage;
  dataDir: string;
  projectId: string;
  dir: string;
  remove: () => Promise<void>;
}> => {
  const t = tempDir('export-test-');
  const dataDir = `${t.dir}/data`;
  const pg = opts.pg ? await openPgStorage() : undefined;
  const storage = pg?.storage ?? (await openStorage({ dataDir }));
  const projectId = opts.projectId ?? 'proj';
  const assets = [];
  for (const task of opts.tasks) {
    if (task.data.kind !== 'image') continue;
    assets.push(task.data.image);
    const p = assetPath(dataDir, task.data.image.sha256);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, task.sourceId);
  }
  await storage.createProject(
    {
      id: projectId,
      name: 'Export test',
      kind: opts.kind,
      labelConfig: LabelConfig.parse(opts.labelConfig),
      leaseHours: 72,
      overlap: opts.overlap ?? 3,
    },
    opts.tasks.map((x) => ({
      task: Task.parse({
        id: `${projectId}:${x.sourceId}`,
        projectId,
        data: x.data,
        meta: { sourceId: x.sourceId },
      }),
      ...(x.data.kind === 'image' ? { assetSha256: x.data.image.sha256 } : {}),
    })),
    assets,
    T0,
  );
  const names = new Set(opts.tasks.flatMap((x) => (x.submissions ?? []).map((s) => s.annotator ?? 'ann')));
  let now = T0 + 1000;
  for (const name of names) {
    await storage.addUser({ id: `u-${name}`, name, tokenHash: sha256Hex(Buffer.from(name)) }, T0);
    await storage.grantRole(`u-${name}`, projectId, 'annotator');
  }
  for (const name of names) {
    const leases = await storage.claim({ userId: `u-${name}`, deviceId: 'd', projectId, count: 1000 }, now);
    const clientId = randomUUID();
    const muts: Mutation[] = [];
    for (const x of opts.tasks) {
      const l = leases.find((y) => y.taskId === `${projectId}:${x.sourceId}`);
      for (const s of x.submissions ?? []) {
        if ((s.annotator ?? 'ann') !== name) continue;
        if (!l) throw new Error(`no lease of ${x.sourceId} for ${name}`);
        muts.push(
          Mutation.parse({
            mutationId: randomUUID(),
            clientId,
            seq: muts.length + 1,
            kind: 'submit',
            taskId: l.taskId,
            leaseEpoch: l.epoch,
            payload: { annotation: { results: s.results, activeMs: 1 } },
          }),
        );
      }
    }
    now += 1000;
    if (muts.length) await storage.push(pushBatchOf({ userId: `u-${name}`, clientId, mutations: muts }), now);
  }
  return {
    storage,
    dataDir,
    projectId,
    dir: t.dir,
    remove: async () => {
      await storage.close();
      await pg?.drop();
      t.remove();
    },
  };
};
