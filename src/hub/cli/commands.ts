import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { LEASE_RENEW_AFTER_MS, MIN_LEASE_MS, Role, WORKBENCH_SYNC_INTERVAL_MS } from '../../shared/sync';
import { seedDemoHub } from '../admin/demo';
import { InputError } from '../admin/errors';
import {
  addTasks,
  createProject,
  parseOnOff,
  parseRejectReasons,
  parseReviewPolicy,
  readProjectConfig,
  setAuthorAssets,
  setReviewPolicy,
} from '../admin/projects';
import { addGoldTasks } from '../admin/gold';
import { addUser, grantRole } from '../admin/users';
import { DEFAULT_LIMITS, type HubLimits } from '../http/limits';
import { createHub } from '../http/server';
import { defaultDecodeThreads } from '../push/decoder';
import { openStorage, SQLITE_FILE } from '../storage/open';
import type { SqlStorage } from '../storage/sql-storage';

type Values = Record<string, string | boolean | undefined>;
type Opt = { type: 'string' | 'boolean' };

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options: Record<string, Opt>;
  help: Record<string, string>;
  /** Resolves to the exit code, or -1 when the command keeps running (serve). */
  run(v: Values): Promise<number>;
}

export const str = (v: Values, k: string): string | undefined =>
  typeof v[k] === 'string' ? (v[k] as string) : undefined;
export const need = (v: Values, k: string): string => {
  const s = str(v, k);
  if (s === undefined || s === '') throw new InputError(`--${k} is required`);
  return s;
};
export const num = (v: Values, k: string, min: number, max: number): number | undefined => {
  const s = str(v, k);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InputError(`--${k} must be a number from ${min} to ${max}, got "${s}"`);
  return n;
};

/**
 * Refuses a lease the workbench could never renew (issue 16.6): shorter than the hub's renewal
 * threshold plus one workbench sync interval, it would end between two syncs.
 */
export const renewableLeaseHours = (hours: number | undefined): number | undefined => {
  if (hours === undefined || hours * 3_600_000 >= MIN_LEASE_MS) return hours;
  const secs = Math.round(hours * 3600);
  throw new InputError(
    `a lease of ${secs} s (${hours} h) is shorter than the lease renewal interval: the hub renews a lease at most ` +
      `every ${LEASE_RENEW_AFTER_MS / 1000} s, on a workbench sync (every ${WORKBENCH_SYNC_INTERVAL_MS / 1000} s), ` +
      `so it would expire before it can be renewed. Use --lease-hours ${MIN_LEASE_MS / 3_600_000} or more.`,
  );
};

/** --review / --review-seed / --reject-reasons, as given (undefined when absent). */
const reviewOpts = {
  review: { type: 'string' },
  'review-seed': { type: 'string' },
  'reject-reasons': { type: 'string' },
} as const;
const reviewHelp = {
  review: 'which submissions get reviewed: none (default), all, or a percent of the tasks (e.g. 10)',
  'review-seed': 'seed of the percent draw (default 0): the same seed picks the same tasks',
  'reject-reasons': 'the reasons a reviewer picks from to reject, separated by ";"',
};
const reviewSettings = (v: Values) => {
  const review = str(v, 'review');
  const seed = num(v, 'review-seed', 0, 2 ** 31 - 1);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new InputError(`--review-seed must be a whole number, got "${str(v, 'review-seed') ?? ''}"`);
  if (review === undefined && seed !== undefined) throw new InputError('--review-seed needs --review');
  const reasons = str(v, 'reject-reasons');
  return {
    reviewPolicy: review === undefined ? undefined : parseReviewPolicy(review, seed),
    rejectReasons: reasons === undefined ? undefined : parseRejectReasons(reasons),
  };
};

const MIB = 1024 * 1024;
/** `serve` flags for the hub's limits (http/limits.ts): flag → field, unit, range. */
const LIMIT_FLAGS = {
  'max-body-mb': {
    field: 'bodyBytes',
    unit: MIB,
    min: 1,
    max: 4096,
    help: 'largest request body after gzip, MiB',
  },
  'max-connections': {
    field: 'maxConnections',
    unit: 1,
    min: 1,
    max: 1_000_000,
    help: 'open connections at once',
  },
  'headers-timeout-s': {
    field: 'headersTimeoutMs',
    unit: 1000,
    min: 1,
    max: 3600,
    help: 'seconds to send the request headers',
  },
  'request-timeout-s': {
    field: 'requestTimeoutMs',
    unit: 1000,
    min: 1,
    max: 86_400,
    help: 'seconds to send a whole request, body included',
  },
  'idle-timeout-s': {
    field: 'idleTimeoutMs',
    unit: 1000,
    min: 1,
    max: 86_400,
    help: 'seconds a silent connection stays open',
  },
  'max-push-mutations': { field: 'pushMutations', unit: 1, min: 1, max: 5000, help: 'mutations in one push' },
  'max-user-storage-mb': {
    field: 'userStoredBytes',
    unit: MIB,
    min: 1,
    max: 1_048_576,
    help: 'what one user may make the hub store (annotations and mutation records), MiB',
  },
  'auth-failures-per-minute': {
    field: 'authFailuresPerMinute',
    unit: 1,
    min: 1,
    max: 100_000,
    help: 'failed sign-ins per address per minute before its bad tokens get 429',
  },
} as const satisfies Record<
  string,
  { field: keyof HubLimits; unit: number; min: number; max: number; help: string }
>;

const LIMIT_OPTIONS = Object.fromEntries(
  Object.keys(LIMIT_FLAGS).map((k) => [k, { type: 'string' }]),
) as Record<keyof typeof LIMIT_FLAGS, Opt>;
const LIMIT_HELP = Object.fromEntries(
  Object.entries(LIMIT_FLAGS).map(([k, f]) => [k, `${f.help} (default ${DEFAULT_LIMITS[f.field] / f.unit})`]),
);

const limitsFrom = (v: Values): Partial<HubLimits> => {
  const out: Partial<HubLimits> = {};
  for (const [flag, f] of Object.entries(LIMIT_FLAGS)) {
    const n = num(v, flag, f.min, f.max);
    if (n !== undefined) out[f.field] = Math.round(n * f.unit);
  }
  return out;
};

/** `--trust-proxy`: a hop count, or addresses / CIDRs (checked here, so a typo is exit 2). */
const trustProxyFrom = (s: string | undefined): number | string[] | undefined => {
  if (s === undefined) return undefined;
  if (/^\d+$/.test(s.trim())) return Number(s.trim());
  const list = s.split(',').map((a) => a.trim());
  for (const a of list) {
    const [addr, bits, extra] = a.split('/');
    const family = isIP(addr ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!family || !okBits || extra !== undefined)
      throw new InputError(`--trust-proxy: "${a}" is not an address, a CIDR or a hop count`);
  }
  return list;
};

export const storageOpts = { data: { type: 'string' }, pg: { type: 'string' } } as const;
export const storageHelp = {
  data: 'hub data folder (SQLite file and assets)',
  pg: 'PostgreSQL URL (postgres://…); assets stay in --data',
};

/** `user add` and `user grant`: a name, a role and the project it is on. */
const userRoleOpts = {
  ...storageOpts,
  name: { type: 'string' },
  role: { type: 'string' },
  project: { type: 'string' },
} as const;
const userRoleHelp = (name: string): Record<string, string> => ({
  ...storageHelp,
  name,
  role: 'annotator, reviewer, lead or admin',
  project: 'project id or name',
});

/** Opens the storage a command names; a missing or non-folder --data is the operator's mistake. */
const open = async (
  v: Values,
  { create }: { create: boolean },
): Promise<{ storage: SqlStorage; dataDir: string }> => {
  const dataDir = resolve(need(v, 'data'));
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory())
    throw new InputError(`--data ${dataDir}: not a folder`);
  const pg = str(v, 'pg');
  if (pg !== undefined && !/^postgres(ql)?:\/\//.test(pg))
    throw new InputError(`--pg must be a postgres:// URL, got "${pg}"`);
  if (!create && pg === undefined && !existsSync(join(dataDir, SQLITE_FILE))) {
    throw new InputError(`--data ${dataDir}: no hub here; run "npm run hub -- init --data ${dataDir}" first`);
  }
  try {
    const storage = await openStorage(pg !== undefined ? { pgUrl: pg } : { dataDir });
    return { storage, dataDir };
  } catch (e) {
    throw new Error(`cannot open the hub database: ${(e as Error).message}`, { cause: e });
  }
};

const role = (v: Values): Role => {
  const r = Role.safeParse(need(v, 'role'));
  if (!r.success)
    throw new InputError(`--role must be one of ${Role.options.join(', ')}, got "${str(v, 'role') ?? ''}"`);
  return r.data;
};

export const withStorage = async <T>(
  v: Values,
  create: boolean,
  fn: (s: SqlStorage, dataDir: string) => Promise<T>,
): Promise<T> => {
  const { storage, dataDir } = await open(v, { create });
  try {
    return await fn(storage, dataDir);
  } finally {
    await storage.close();
  }
};

export const BASE_COMMANDS: Command[] = [
  {
    name: 'init',
    usage: '--data <dir> [--pg <url>]',
    summary: 'Create (or migrate) a hub: its data folder and database.',
    options: storageOpts,
    help: storageHelp,
    run: (v) =>
      withStorage(v, true, async (s, dataDir) => {
        process.stdout.write(
          `hub ready: data in ${dataDir}, database ${s.dialect === 'sqlite' ? join(dataDir, SQLITE_FILE) : 'PostgreSQL'}\n`,
        );
        return 0;
      }),
  },
  {
    name: 'project create',
    usage:
      '--data <dir> --name <name> --config <file.json> (--images <folder> | --texts <file.jsonl> | --comparisons <file.jsonl>)',
    summary:
      'Create a project from a folder of images, or a JSONL of texts or of model-response comparisons.',
    options: {
      ...storageOpts,
      name: { type: 'string' },
      config: { type: 'string' },
      images: { type: 'string' },
      texts: { type: 'string' },
      comparisons: { type: 'string' },
      'lease-hours': { type: 'string' },
      overlap: { type: 'string' },
      batch: { type: 'string' },
      'author-assets': { type: 'string' },
      ...reviewOpts,
    },
    help: {
      ...storageHelp,
      name: 'project name (default: the config file\'s "name")',
      config: 'label config JSON, bare or as {name, kind, leaseHours, overlap, labelConfig}',
      images: 'folder of images (png, jpg, webp, gif, bmp, tiff), read recursively',
      texts: 'JSONL, one {id?, text, title?} per line',
      comparisons: 'JSONL, one {id?, prompt, responses:[{id, model?, text}]} per line',
      'lease-hours': 'lease window (default 72)',
      overlap: 'annotators per task (default 1)',
      batch: 'the batch its tasks join (default "default")',
      'author-assets':
        "on|off: authors may see their finished tasks' images again after the lease (default on; off when the client requires removal at lease end)",
      ...reviewHelp,
    },
    run: async (v) => {
      const cfg = await readProjectConfig(need(v, 'config'));
      const name = str(v, 'name') ?? cfg.name;
      if (!name) throw new InputError('--name is required (the config file has no "name")');
      const input = {
        name,
        labelConfig: cfg.labelConfig,
        kind: cfg.kind,
        images: str(v, 'images'),
        texts: str(v, 'texts'),
        comparisons: str(v, 'comparisons'),
        leaseHours: renewableLeaseHours(num(v, 'lease-hours', 0.01, 24 * 60) ?? cfg.leaseHours),
        overlap: num(v, 'overlap', 1, 20) ?? cfg.overlap,
        batch: str(v, 'batch'),
        reviewPolicy: reviewSettings(v).reviewPolicy ?? cfg.reviewPolicy,
        rejectReasons: reviewSettings(v).rejectReasons ?? cfg.rejectReasons,
        authorAssets: parseOnOff('author-assets', str(v, 'author-assets') ?? 'on'),
      };
      if ([input.images, input.texts, input.comparisons].filter((x) => x !== undefined).length !== 1) {
        throw new InputError(
          'give exactly one of --images <folder>, --texts <file.jsonl>, --comparisons <file.jsonl>',
        );
      }
      return withStorage(v, false, async (s, dataDir) => {
        const { project, taskCount } = await createProject(s, dataDir, input);
        process.stdout.write(
          `created project ${project.id} ("${project.name}", ${project.kind}) with ${taskCount} tasks\n`,
        );
        return 0;
      });
    },
  },
  {
    name: 'project add-tasks',
    usage:
      '--data <dir> --project <id or name> --batch <name> (--images <folder> | --texts <file.jsonl> | --comparisons <file.jsonl>)',
    summary: "Add tasks to a project's batch (new or existing); ids the project already has are refused.",
    options: {
      ...storageOpts,
      project: { type: 'string' },
      batch: { type: 'string' },
      images: { type: 'string' },
      texts: { type: 'string' },
      comparisons: { type: 'string' },
      gold: { type: 'string' },
    },
    help: {
      ...storageHelp,
      project: 'project id or name',
      gold: 'JSONL of known answers, one {id, annotation} per line: the tasks become gold tasks',
      batch: 'batch name (a lead hands a batch over; reviewers audit it)',
      images: 'folder of images, read recursively',
      texts: 'JSONL, one {id?, text, title?} per line',
      comparisons: 'JSONL, one {id?, prompt, responses:[{id, model?, text}]} per line',
    },
    run: async (v) => {
      const input = {
        project: need(v, 'project'),
        batch: need(v, 'batch'),
        images: str(v, 'images'),
        texts: str(v, 'texts'),
        comparisons: str(v, 'comparisons'),
      };
      const gold = str(v, 'gold');
      return withStorage(v, false, async (s, dataDir) => {
        const r =
          gold === undefined
            ? await addTasks(s, dataDir, input)
            : await addGoldTasks(s, dataDir, { ...input, gold });
        process.stdout.write(
          `added ${r.taskCount} ${gold === undefined ? '' : 'gold '}tasks to project ${r.projectId}, batch "${r.batch}"\n`,
        );
        return 0;
      });
    },
  },
  {
    name: 'project asset-access',
    usage: '--data <dir> --project <id or name> --author-assets on|off',
    summary:
      "Whether authors may fetch their finished tasks' images again after the lease (off: removed at lease end).",
    options: { ...storageOpts, project: { type: 'string' }, 'author-assets': { type: 'string' } },
    help: {
      ...storageHelp,
      project: 'project id or name',
      'author-assets': 'on (the default for new projects) or off',
    },
    run: async (v) => {
      const allowed = parseOnOff('author-assets', need(v, 'author-assets'));
      const project = need(v, 'project');
      return withStorage(v, false, async (s) => {
        const id = await setAuthorAssets(s, { project, allowed });
        process.stdout.write(
          `project ${id}: authors ${allowed ? 'may' : 'may not'} see their finished tasks' images after the lease\n`,
        );
        return 0;
      });
    },
  },
  {
    name: 'project review-policy',
    usage:
      '--data <dir> --project <id or name> --review none|all|<percent> [--review-seed N] [--reject-reasons "a;b"]',
    summary: 'Set which submissions get reviewed from now on, and the reasons a reviewer may reject with.',
    options: { ...storageOpts, project: { type: 'string' }, ...reviewOpts },
    help: { ...storageHelp, project: 'project id or name', ...reviewHelp },
    run: async (v) => {
      need(v, 'review');
      const { reviewPolicy, rejectReasons } = reviewSettings(v);
      const project = need(v, 'project');
      return withStorage(v, false, async (s) => {
        const p = await setReviewPolicy(s, {
          project,
          reviewPolicy: reviewPolicy ?? 'none',
          ...(rejectReasons ? { rejectReasons } : {}),
        });
        const policy =
          typeof p.reviewPolicy === 'string'
            ? p.reviewPolicy
            : `${p.reviewPolicy.percent}% (seed ${p.reviewPolicy.seed})`;
        process.stdout.write(
          `project ${p.id}: review ${policy}; reject reasons: ${p.rejectReasons.length > 0 ? p.rejectReasons.join('; ') : '(free text)'}\n`,
        );
        return 0;
      });
    },
  },
  {
    name: 'user add',
    usage: '--data <dir> --name <name> --role annotator|reviewer|lead|admin [--project <id or name>]',
    summary:
      'Add a user with a role on a project (admin without --project: hub admin); prints their token once.',
    options: userRoleOpts,
    help: userRoleHelp('user name (unique)'),
    run: async (v) => {
      const input = { name: need(v, 'name'), role: role(v), project: str(v, 'project') };
      return withStorage(v, false, async (s) => {
        const u = await addUser(s, input);
        process.stdout.write(
          `added ${input.name} (${u.userId}) as ${input.role} on ${u.projectId}\ntoken (shown once, keep it safe): ${u.token}\n`,
        );
        return 0;
      });
    },
  },
  {
    name: 'user grant',
    usage: '--data <dir> --name <name> --role <role> [--project <id or name>]',
    summary: 'Give an existing user a role on another project.',
    options: userRoleOpts,
    help: userRoleHelp('existing user name'),
    run: async (v) => {
      const input = { name: need(v, 'name'), role: role(v), project: str(v, 'project') };
      return withStorage(v, false, async (s) => {
        const g = await grantRole(s, input);
        process.stdout.write(`${input.name} is now ${input.role} on ${g.projectId}\n`);
        return 0;
      });
    },
  },
  {
    name: 'demo',
    usage: '--data <dir> [--pg <url>] [--demo <resources/demo>]',
    summary:
      'Seed an empty hub with the demo projects and demo-annotator/reviewer/lead users; prints their tokens.',
    options: { ...storageOpts, demo: { type: 'string' } },
    help: { ...storageHelp, demo: 'demo data folder (default resources/demo)' },
    run: (v) =>
      withStorage(v, true, async (s, dataDir) => {
        const demo = await seedDemoHub(s, dataDir, resolve(str(v, 'demo') ?? 'resources/demo'));
        for (const p of demo.projects)
          process.stdout.write(`project ${p.id} (${p.kind}): ${p.taskCount} tasks\n`);
        for (const [r, u] of Object.entries(demo.users))
          process.stdout.write(`${r.padEnd(9)} ${u.name}: ${u.token}\n`);
        return 0;
      }),
  },
  {
    name: 'serve',
    usage:
      '--data <dir> [--pg <url>] [--port N] [--host 127.0.0.1] [--decode-threads N] [--trust-proxy <addrs|hops>] [limits…]',
    summary:
      'Serve the hub API (JSON logs on stdout, tokens redacted); SIGINT/SIGTERM finish in-flight requests, then stop.',
    options: {
      ...storageOpts,
      port: { type: 'string' },
      host: { type: 'string' },
      'decode-threads': { type: 'string' },
      'trust-proxy': { type: 'string' },
      ...LIMIT_OPTIONS,
    },
    help: {
      ...storageHelp,
      port: 'TCP port (default 8080; 0 picks a free one)',
      host: 'address to bind (default 127.0.0.1; 0.0.0.0 for a team)',
      'decode-threads': `threads that parse and check pushed work beside the database work (default ${defaultDecodeThreads()}; 0 = none)`,
      'trust-proxy':
        'the reverse proxy in front of the hub, whose X-Forwarded-For names the client: its addresses or CIDRs, comma-separated (e.g. 127.0.0.1,10.0.0.0/8), or a hop count (default: none; the client is the connection peer)',
      ...LIMIT_HELP,
    },
    run: async (v) => {
      const port = num(v, 'port', 0, 65535) ?? 8080;
      if (!Number.isInteger(port))
        throw new InputError(`--port must be a whole number, got "${str(v, 'port') ?? ''}"`);
      const decodeThreads = num(v, 'decode-threads', 0, 16) ?? defaultDecodeThreads();
      if (!Number.isInteger(decodeThreads))
        throw new InputError(
          `--decode-threads must be a whole number, got "${str(v, 'decode-threads') ?? ''}"`,
        );
      const { storage, dataDir } = await open(v, { create: false });
      const limits = limitsFrom(v);
      const trustProxy = trustProxyFrom(str(v, 'trust-proxy'));
      const hub = await createHub({
        storage,
        dataDir,
        logger: { level: 'info' },
        decodeThreads,
        limits,
        ...(trustProxy !== undefined ? { trustProxy } : {}),
      });
      const url = await hub.listen({ port, host: str(v, 'host') ?? '127.0.0.1' });
      hub.app.log.info({ url, storage: storage.dialect }, 'hub listening');
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        hub.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
        void hub
          .close()
          .then(() => storage.close())
          .then(
            () => process.exit(0),
            () => process.exit(1),
          );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      return -1;
    },
  },
];
