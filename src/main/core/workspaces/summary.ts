import type { WorkspaceOutstanding, WorkspaceSummary } from '../../../shared/contract/methods/workspaces';
import type { WorkbenchInternals } from '../workbench';
import type { WorkspaceEntry } from './registry';

/** Open tasks holding a saved draft: labeled here, not submitted anywhere. */
const openDrafts = (wb: WorkbenchInternals): number =>
  wb.db
    .prepare<[], { n: number }>(
      `SELECT COUNT(*) AS n FROM drafts d JOIN tasks t ON t.id = d.task_id
       WHERE t.status IN ('queued', 'in_progress')`,
    )
    .get()!.n;

/**
 * What signing out would lose, read from the records that prove it: the outbox (not yet
 * acknowledged by the hub), the refusals no one acted on, and the open drafts.
 */
export const outstandingWork = (wb: WorkbenchInternals): WorkspaceOutstanding => {
  const state = wb.sync.state();
  const drafts = openDrafts(wb);
  return {
    unsynced: state.unsynced,
    refused: state.refused,
    drafts,
    total: state.unsynced + state.refused + drafts,
  };
};

export const summarize = async (
  entry: WorkspaceEntry,
  wb: WorkbenchInternals,
  active: boolean,
): Promise<WorkspaceSummary> => {
  const state = wb.sync.state();
  return {
    id: entry.id,
    kind: entry.kind,
    name: entry.name,
    hubUrl: entry.hubUrl,
    demo: entry.demo,
    userName: state.userName,
    active,
    counts: await wb.queue.counts(),
    sync: {
      status: state.status,
      lastSyncAt: state.lastSyncAt,
      lastError: state.lastError,
      problem: state.problem,
    },
    outstanding: outstandingWork(wb),
  };
};
