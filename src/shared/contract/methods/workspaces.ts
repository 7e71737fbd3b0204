import { z } from 'zod';
import { SyncProblem } from '../problem-words';
import { SyncStatus } from './sync';
import { QueueCounts } from './tasks';

/**
 * A workspace: the local-only one, or one per hub signed in to. Each has its own database and
 * assets, so tasks with the same id on two hubs never share state.
 */
export const WorkspaceKind = z.enum(['local', 'hub']);
export type WorkspaceKind = z.infer<typeof WorkspaceKind>;

/** Work of a workspace that is on no hub yet: what signing out without delivering would lose. */
export const WorkspaceOutstanding = z.object({
  /** Submissions, skips and releases waiting to be sent (outbox rows). */
  unsynced: z.number().int().nonnegative(),
  /** Work the hub refused that no one has resubmitted, exported or discarded. */
  refused: z.number().int().nonnegative(),
  /** Open tasks with a saved draft (labeled, not submitted). */
  drafts: z.number().int().nonnegative(),
  /** The sum: the number the sign-out confirmation states. */
  total: z.number().int().nonnegative(),
});
export type WorkspaceOutstanding = z.infer<typeof WorkspaceOutstanding>;

export const WorkspaceSummary = z.object({
  id: z.string(),
  kind: WorkspaceKind,
  /** What the switcher shows: the hub's host (or "Demo hub"), "This computer" for local. */
  name: z.string(),
  hubUrl: z.string().nullable(),
  /** The embedded demo hub's workspace (its hub runs only while it is the one in use). */
  demo: z.boolean(),
  userName: z.string().nullable(),
  active: z.boolean(),
  counts: QueueCounts,
  /** Read from this workspace's own sync engine. */
  sync: z.object({
    status: SyncStatus,
    lastSyncAt: z.number().int().nullable(),
    lastError: z.string().nullable(),
    /** The last failure as a `SyncProblem` (worded by the renderer); null when none. */
    problem: SyncProblem.nullable(),
  }),
  outstanding: WorkspaceOutstanding,
});
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;

export const WorkspaceList = z.object({
  activeId: z.string(),
  workspaces: z.array(WorkspaceSummary),
});
export type WorkspaceList = z.infer<typeof WorkspaceList>;

const WorkspaceId = z.string().min(1).max(100);

export const workspaceMethods = {
  /** Every workspace with its counts and sync state; the active one first is not implied. */
  'workspaces.list': { input: z.object({}).strict(), output: WorkspaceList },
  /** Makes another workspace the one every task and sync method works on. */
  'workspaces.switch': {
    input: z.object({ workspaceId: WorkspaceId }).strict(),
    output: WorkspaceList,
  },
  /**
   * Signs out of a hub and removes its workspace from this computer. Refused (CONFLICT, with the
   * count) while work is on no hub yet, unless `discard` echoes exactly that count: the number
   * the person confirmed. The local workspace cannot be signed out of.
   */
  'workspaces.signOut': {
    input: z
      .object({
        workspaceId: WorkspaceId,
        discard: z.object({ count: z.number().int().nonnegative() }).strict().optional(),
      })
      .strict(),
    output: z.object({ lost: z.number().int().nonnegative(), list: WorkspaceList }),
  },
} as const;

export const workspaceEvents = {
  /** A workspace was added, removed or switched to, or one's counts or sync state moved. */
  'workspaces.changed': WorkspaceList,
} as const;
