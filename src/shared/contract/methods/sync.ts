import { z } from 'zod';
import { ProjectKind } from '../../model';
import { SyncProblem } from '../problem-words';

/** What the status bar shows: signed-out means "local only" (no hub configured). */
export const SyncStatus = z.enum(['signed-out', 'online', 'offline', 'syncing', 'error']);
export type SyncStatus = z.infer<typeof SyncStatus>;

/** Work the hub kept but flagged (a late submit over someone else's), or refused outright. */
export const SyncConflict = z.object({
  mutationId: z.string(),
  taskId: z.string(),
  title: z.string(),
  kind: z.enum(['conflict', 'rejected']),
  /** What the hub answered: a submission, a skip or a release. */
  mutationKind: z.enum(['submit', 'skip', 'release']),
  /** For rejected: the hub's reason (NO_LEASE, STALE_LEASE, …). */
  reason: z.string().nullable(),
  at: z.number().int(),
});
export type SyncConflict = z.infer<typeof SyncConflict>;

export const SyncState = z.object({
  status: SyncStatus,
  hubUrl: z.string().nullable(),
  userName: z.string().nullable(),
  /** Outbox rows the hub has not acknowledged yet. */
  unsynced: z.number().int().nonnegative(),
  /** Local clock, ms; null before the first good sync. */
  lastSyncAt: z.number().int().nullable(),
  /** The technical line of the last failure (request, socket error, hub answer). */
  lastError: z.string().nullable(),
  /** The same failure as one of a closed set, worded by `syncProblemWords`; null when none. */
  problem: SyncProblem.nullable(),
  /** When the background loop tries again after a failure (local clock, ms). */
  nextRetryAt: z.number().int().nullable(),
  /** Open answers the person has to see: flagged conflicts and refusals, newest first. */
  conflicts: z.array(SyncConflict),
  /** Refusals no one has acted on: "Synced" means this and `unsynced` are both 0. */
  refused: z.number().int().nonnegative(),
  /** Set when the token is stored without OS protection (no keyring, web mode). */
  tokenWarning: z.string().nullable(),
});
export type SyncState = z.infer<typeof SyncState>;

const empty = z.object({}).strict();

export const syncMethods = {
  'sync.state': { input: empty, output: SyncState },
  /** Checks the token against the hub, stores it and starts syncing. */
  'sync.signIn': {
    input: z.object({ hubUrl: z.url({ protocol: /^https?$/ }), token: z.string().min(1).max(500) }).strict(),
    output: SyncState,
  },
  /** Forgets the token; unsynced work stays in the outbox for the next sign-in. */
  'sync.signOut': { input: empty, output: SyncState },
  /** Runs one push/pull cycle now and answers with the state after it. */
  'sync.now': { input: empty, output: SyncState },
  /**
   * Leases more tasks from the hub: from the named project, else from the first of the person's
   * annotator projects that has work. Says which project they came from (null when none had any)
   * and how many projects were asked.
   */
  'tasks.getMore': {
    input: z
      .object({ projectId: z.string().optional(), count: z.number().int().min(1).max(500).default(20) })
      .strict(),
    output: z.object({
      leased: z.number().int(),
      projectId: z.string().nullable(),
      projectName: z.string().nullable(),
      checked: z.number().int(),
    }),
  },
  /** The hub projects the signed-in person annotates (what "Get more tasks" can lease from). */
  'tasks.hubProjects': {
    input: empty,
    output: z.object({
      projects: z.array(z.object({ id: z.string(), name: z.string(), kind: ProjectKind })),
    }),
  },
  /**
   * The OS's view of the network, from a shell that has one (web mode: the page's
   * `navigator.onLine` and its online/offline events). Offline: sync spends no retries until it
   * returns; online: the hub is probed at once.
   */
  'sync.networkChanged': {
    input: z.object({ online: z.boolean() }).strict(),
    output: z.object({}).strict(),
  },
  /**
   * Fetches a finished task's image again when its file is gone (its lease ended). `forbidden`:
   * the hub refuses it (the project requires images removed at lease end); `unavailable`: the
   * hub cannot be asked now (signed out, offline) — try again later.
   */
  'tasks.refetchImage': {
    input: z.object({ taskId: z.string().min(1) }).strict(),
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('ready') }),
      z.object({ status: z.literal('forbidden') }),
      z.object({ status: z.literal('unavailable'), detail: z.string() }),
    ]),
  },
  /** Gives a leased task back to the hub; it leaves the local queue. */
  'tasks.release': {
    input: z.object({ taskId: z.string().min(1) }).strict(),
    output: z.object({ releasedAt: z.number().int() }),
  },
  /** Sends refused work again under the task's current lease (the hub leased it again). */
  'tasks.resubmitRefused': {
    input: z.object({ taskId: z.string().min(1) }).strict(),
    output: z.object({ submissionId: z.string(), submittedAt: z.number().int() }),
  },
  /** Accepts the hub's refusal: closed as discarded, kept here as history only. */
  'tasks.discardRefused': {
    input: z.object({ taskId: z.string().min(1) }).strict(),
    output: z.object({ discardedAt: z.number().int() }),
  },
  /** The task's last submission as a JSON file (for refused work: nothing else holds it). */
  'tasks.exportSubmission': {
    input: z.object({ taskId: z.string().min(1) }).strict(),
    output: z.object({ fileName: z.string(), json: z.string() }),
  },
} as const;

export const syncEvents = {
  'sync.stateChanged': SyncState,
  /** An image of a leased task arrived and was verified: a screen waiting for it can show it now. */
  'sync.assetReady': z.object({ sha256: z.string() }),
} as const;
