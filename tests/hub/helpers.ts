import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { LabelConfigInput, TaskInput } from '../../src/shared/model';
import { LabelConfig, Task } from '../../src/shared/model';
import type { MutationInput, ReviewPolicy, Role } from '../../src/shared/sync';
import { Mutation } from '../../src/shared/sync';
import { hashToken } from '../../src/hub/auth/tokens';
import { openStorage, type StorageOptions } from '../../src/hub/storage/open';
import type { SqlDriver } from '../../src/hub/storage/driver';
import { PgDriver } from '../../src/hub/storage/pg-driver';
import { PgliteDriver } from '../../src/hub/storage/pglite-driver';
import { SqliteDriver } from '../../src/hub/storage/sqlite-driver';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import type { ActivityChainEvent } from '../../src/shared/metrics';

export const PG_URL = process.env.OUTRIGGER_PG_URL;
export const HOUR = 3_600_000;
export const T0 = 1_800_000_000_000;

export const tempDir = (prefix = 'hub-test-'): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/**
 * A fresh PostgreSQL-dialect storage: a new schema on the server at OUTRIGGER_PG_URL, or
 * in-process PGlite when no server is configured (so plain `npm test` covers the dialect).
 */
let sharedPglite: Promise<PGlite> | undefined;

/** Starts the shared PGlite (call from beforeAll with a long timeout: it can take 30 s+ on a busy machine). */
export const warmPglite = async (): Promise<void> => {
  if (PG_URL) return;
  sharedPglite ??= PgliteDriver.create();
  await sharedPglite;
};

export const openPgStorage = async (): Promise<{
  storage: SqlStorage;
  label: string;
  drop: () => Promise<void>;
}> => {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  if (!PG_URL) {
    // PGlite takes many seconds to start here: one instance per test file, one schema per test.
    sharedPglite ??= PgliteDriver.create();
    const db = await sharedPglite;
    return {
      storage: await openStorage({ pglite: db, schema }),
      label: 'PGlite',
      drop: async () => void (await db.exec(`DROP SCHEMA ${schema} CASCADE`)),
    };
  }
  const storage = await openStorage({ pgUrl: PG_URL, schema, poolSize: 4 } satisfies StorageOptions);
  return {
    storage,
    label: 'PostgreSQL server',
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
};

/** A fresh, unmigrated PostgreSQL-dialect driver on its own schema (server or the shared PGlite). */
export const openPgDriver = async (): Promise<{ db: SqlDriver; drop: () => Promise<void> }> => {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  if (!PG_URL) {
    sharedPglite ??= PgliteDriver.create();
    const pglite = await sharedPglite;
    return {
      db: await PgliteDriver.attach(pglite, schema),
      drop: async () => void (await pglite.exec(`DROP SCHEMA ${schema} CASCADE`)),
    };
  }
  const db = new PgDriver(PG_URL, schema, 2);
  await db.ensureSchema();
  // Dropped over a connection of its own: the driver is closed by then.
  return {
    db,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
};

export const textConfig = (over: Partial<LabelConfigInput> = {}): LabelConfig =>
  LabelConfig.parse({ tools: ['span'], labels: [{ name: 'PER', color: '#ff0000' }], ...over });

export const textTasks = (projectId: string, n: number): { task: Task }[] =>
  Array.from({ length: n }, (_, i) => ({
    task: Task.parse({
      id: `${projectId}:t${i}`,
      projectId,
      data: { kind: 'text', text: `text ${i}` },
    } satisfies TaskInput),
  }));

/** A project with `n` text tasks and users holding the given roles on it; tokens are "token-<name>". */
export const seed = async (
  s: SqlStorage,
  opts: {
    projectId?: string;
    tasks?: number;
    overlap?: number;
    leaseHours?: number;
    users?: Record<string, Role>;
    reviewPolicy?: ReviewPolicy;
    rejectReasons?: string[];
    batch?: string;
  } = {},
): Promise<{ projectId: string }> => {
  const projectId = opts.projectId ?? 'p1';
  await s.createProject(
    {
      id: projectId,
      name: `Project ${projectId}`,
      kind: 'text',
      labelConfig: textConfig(),
      leaseHours: opts.leaseHours ?? 1,
      overlap: opts.overlap ?? 1,
      ...(opts.reviewPolicy ? { reviewPolicy: opts.reviewPolicy } : {}),
      ...(opts.rejectReasons ? { rejectReasons: opts.rejectReasons } : {}),
      ...(opts.batch ? { batch: opts.batch } : {}),
    },
    textTasks(projectId, opts.tasks ?? 10),
    [],
    T0,
  );
  const users: Record<string, Role> = opts.users ?? { ann: 'annotator', bob: 'annotator' };
  for (const [name, role] of Object.entries(users)) {
    if (!(await s.findUserByName(name)))
      await s.addUser({ id: name, name, tokenHash: hashToken(tokenOf(name)) }, T0);
    await s.grantRole(name, projectId, role);
  }
  return { projectId };
};

const tokenOf = (name: string): string => `token-${name}-0123456789abcdef`;

export const submit = (
  clientId: string,
  seq: number,
  taskId: string,
  leaseEpoch: number,
  over: { [K in keyof MutationInput]?: unknown } = {},
): Mutation =>
  Mutation.parse({
    mutationId: randomUUID(),
    clientId,
    seq,
    kind: 'submit',
    taskId,
    leaseEpoch,
    payload: {
      annotation: { results: [{ type: 'doc-class', id: 'c1', group: 'g', labels: ['x'] }], activeMs: 10 },
    },
    ...over,
  });

export const mutation = (
  kind: 'skip' | 'release',
  clientId: string,
  seq: number,
  taskId: string,
  leaseEpoch: number,
): Mutation =>
  Mutation.parse({ mutationId: randomUUID(), clientId, seq, kind, taskId, leaseEpoch, payload: {} });

/** A verdict mutation (review.accept / review.fix / review.reject) on a leased review item. */
export const verdict = (
  kind: 'review.accept' | 'review.fix' | 'review.reject',
  clientId: string,
  seq: number,
  review: { taskId: string; epoch: number; submissionId: string },
  payload: Record<string, unknown> = {},
): Mutation =>
  Mutation.parse({
    mutationId: randomUUID(),
    clientId,
    seq,
    kind,
    taskId: review.taskId,
    leaseEpoch: review.epoch,
    payload: {
      submissionId: review.submissionId,
      ...(kind === 'review.reject' ? { reason: 'wrong label' } : {}),
      ...(kind === 'review.fix'
        ? {
            annotation: {
              results: [{ type: 'doc-class', id: 'c1', group: 'g', labels: ['fixed'] }],
              activeMs: 5,
            },
          }
        : {}),
      ...payload,
    },
  });

/**
 * A project with `tasks` text tasks and users with roles, written as raw rows of the version-1
 * schema (for upgrade tests: the store's own writes use columns later migrations added).
 */
export const seedRawV1 = async (
  db: SqlDriver,
  opts: { tasks: number; users: Record<string, Role>; projectId?: string },
): Promise<void> => {
  const p = opts.projectId ?? 'p1';
  await db.run(
    'INSERT INTO projects (id, name, kind, label_config, config_version, lease_hours, overlap, created_at) VALUES (?, ?, ?, ?, 1, 1, 1, ?)',
    [p, `Project ${p}`, 'text', JSON.stringify(textConfig()), T0],
  );
  for (let i = 0; i < opts.tasks; i++)
    await db.run(
      "INSERT INTO tasks (id, project_id, seq, data, predictions, meta) VALUES (?, ?, ?, ?, '[]', '{}')",
      [`${p}:t${i}`, p, i + 1, JSON.stringify({ kind: 'text', text: `text ${i}` })],
    );
  for (const [name, role] of Object.entries(opts.users)) {
    await db.run('INSERT INTO users (id, name, token_hash, feed_seq, created_at) VALUES (?, ?, ?, 0, ?)', [
      name,
      name,
      hashToken(tokenOf(name)),
      T0,
    ]);
    await db.run('INSERT INTO memberships (user_id, project_id, role) VALUES (?, ?, ?)', [name, p, role]);
  }
};

export type OpenUnmigrated = () => Promise<{ db: SqlDriver; drop: () => Promise<void> }>;

/** Fresh unmigrated drivers on each engine, for upgrade tests. */
export const unmigratedEngines: [string, OpenUnmigrated][] = [
  [
    'SQLite',
    async () => {
      const t = tempDir();
      return { db: new SqliteDriver(join(t.dir, 'hub.sqlite')), drop: async () => t.remove() };
    },
  ],
  ['PostgreSQL dialect', () => openPgDriver()],
];

/** A task event of an activity chain (issue 13), in project p1. */
export const outcome = (
  kind: 'task.submitted' | 'task.skipped',
  taskId: string,
  at: number,
  activeMs: number,
  wallMs = activeMs + 1_000,
  spans = 0,
): ActivityChainEvent => ({
  type: 'task',
  kind,
  taskId,
  at,
  activeMs,
  wallMs,
  data: { projectId: 'p1', spans },
});

/** A task event carrying per-label counts (`data.labels`, as the workbench sends them, or not). */
export const labelled = (
  taskId: string,
  at: number,
  labels: unknown,
  kind: 'task.submitted' | 'task.skipped' = 'task.submitted',
): ActivityChainEvent => ({
  type: 'task',
  kind,
  taskId,
  at,
  activeMs: 10_000,
  wallMs: 11_000,
  data: { projectId: 'p1', labels },
});
