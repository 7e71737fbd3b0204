import { gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type Role } from '../../src/shared/sync';
import { addUser } from '../../src/hub/admin/users';
import { createProject } from '../../src/hub/admin/projects';
import type { HubLimits } from '../../src/hub/http/limits';
import { createHub, type Hub } from '../../src/hub/http/server';
import { openStorage } from '../../src/hub/storage/open';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import { openPgStorage, T0, tempDir, textConfig } from './helpers';

export interface HttpFixture {
  hub: Hub;
  storage: SqlStorage;
  dataDir: string;
  tokens: WorldTokens;
  imageProject: string;
  textProject: string;
  clock: { now: number };
  call(
    method: string,
    url: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: Buffer },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export type WorldRole = 'ann' | 'rev' | 'lee' | 'padmin' | 'other' | 'root';
export type WorldTokens = Record<WorldRole, string>;

/**
 * An image project (demo images) and a text project, and one user per role: `ann` annotator,
 * `rev` reviewer, `lee` lead, `padmin` admin of the image project; `other` annotator of the
 * text project only; `root` hub admin.
 */
export const seedWorld = async (
  storage: SqlStorage,
  dataDir: string,
  tick: () => number,
): Promise<{ tokens: WorldTokens; imageProject: string; textProject: string }> => {
  const img = await createProject(
    storage,
    dataDir,
    {
      name: 'Images',
      labelConfig: textConfig({ tools: ['bbox'] }),
      images: 'resources/demo/images',
      leaseHours: 1,
    },
    tick,
  );
  const txt = await createProject(
    storage,
    dataDir,
    { name: 'Texts', labelConfig: textConfig(), texts: 'resources/demo/texts.jsonl' },
    tick,
  );
  const user = async (name: string, role: Role, project?: string) =>
    (await addUser(storage, { name, role, ...(project ? { project } : {}) }, tick)).token;
  const tokens = {
    ann: await user('ann', 'annotator', 'images'),
    rev: await user('rev', 'reviewer', 'images'),
    lee: await user('lee', 'lead', 'images'),
    padmin: await user('padmin', 'admin', 'images'),
    other: await user('other', 'annotator', 'texts'),
    root: await user('root', 'admin'),
  };
  return { tokens, imageProject: img.project.id, textProject: txt.project.id };
};

/** A hub on SQLite with an image project (demo images) and a text project, and one user per role. */
export const httpFixture = async (
  opts: {
    limits?: Partial<HubLimits>;
    decodeThreads?: number;
    trustProxy?: string[];
    /** On the PostgreSQL dialect (a server at OUTRIGGER_PG_URL, else PGlite) instead of SQLite. */
    pg?: boolean;
  } = {},
): Promise<HttpFixture> => {
  const t = tempDir();
  const { pg, ...hubOpts } = opts;
  const onPg = pg ? await openPgStorage() : undefined;
  const storage = onPg?.storage ?? (await openStorage({ dataDir: t.dir }));
  const clock = { now: T0 };
  const tick = (): number => clock.now;
  const { tokens, imageProject, textProject } = await seedWorld(storage, t.dir, tick);
  const hub = await createHub({ storage, dataDir: t.dir, clock: tick, ...hubOpts });
  return {
    hub,
    storage,
    dataDir: t.dir,
    tokens,
    imageProject,
    textProject,
    clock,
    call: (method, url, o = {}) =>
      hub.app.inject({
        method: method as 'GET',
        url,
        headers: {
          [PROTOCOL_HEADER]: PROTOCOL_VERSION,
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.body !== undefined || o.raw ? { 'content-type': 'application/json' } : {}),
          ...o.headers,
        },
        ...(o.raw ? { payload: o.raw } : o.body !== undefined ? { payload: JSON.stringify(o.body) } : {}),
      }),
    close: async () => {
      await hub.close();
      await storage.close();
      await onPg?.drop();
      t.remove();
    },
  };
};

export const gzipJson = (v: unknown): Buffer => gzipSync(Buffer.from(JSON.stringify(v)));
