import type { WorkspaceOutstanding, WorkspaceSummary } from '../../../../shared/contract';
import { describeSync, type SyncTone } from '../sync/sync-format';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The switcher's sync words for one workspace: the status bar's own wording for that state. */
export const describeWorkspaceSync = (
  w: WorkspaceSummary,
  now: number,
): { label: string; tone: SyncTone; title: string } => {
  if (w.kind === 'local')
    return { label: 'Local only', tone: 'local', title: 'Work stays on this computer: there is no hub.' };
  // The embedded demo hub runs only while its workspace is in use: its engine cannot be online.
  if (w.demo && !w.active && w.sync.status !== 'signed-out') {
    const { unsynced, refused } = w.outstanding;
    const label =
      unsynced > 0 ? `Paused · ${unsynced} unsynced` : refused > 0 ? `Paused · ${refused} refused` : 'Paused';
    return {
      label,
      tone: unsynced > 0 ? 'warn' : refused > 0 ? 'danger' : 'local',
      title:
        'The demo hub runs only while you work in it: its work is kept here and syncs when you switch back.',
    };
  }
  const d = describeSync(
    {
      status: w.sync.status,
      hubUrl: w.hubUrl,
      userName: w.userName,
      unsynced: w.outstanding.unsynced,
      refused: w.outstanding.refused,
      lastSyncAt: w.sync.lastSyncAt,
      lastError: w.sync.lastError,
      problem: w.sync.problem,
      nextRetryAt: null,
      conflicts: [],
      tokenWarning: null,
    },
    now,
  );
  return w.sync.status === 'signed-out'
    ? { ...d, label: 'Signed out', title: 'Not syncing: sign in again in Sync settings to send this work.' }
    : d;
};

/** "12 to label · 3 submitted". */
export const describeCounts = (w: WorkspaceSummary): string => {
  const left = w.counts.queued + w.counts.inProgress;
  const parts = [left === 0 ? 'nothing to label' : `${left} to label`];
  if (w.counts.submitted > 0) parts.push(`${w.counts.submitted} submitted`);
  if (w.counts.skipped > 0) parts.push(`${w.counts.skipped} skipped`);
  return parts.join(' · ');
};

/** What signing out would lose, in words: "1 submission waiting to send and 1 draft". */
export const describeLoss = (o: WorkspaceOutstanding): string => {
  const parts: string[] = [];
  if (o.unsynced > 0) parts.push(`${plural(o.unsynced, 'change')} waiting to send`);
  if (o.refused > 0) parts.push(`${plural(o.refused, 'refused submission')}`);
  if (o.drafts > 0) parts.push(`${plural(o.drafts, 'unsubmitted draft')}`);
  if (parts.length <= 1) return parts[0] ?? 'nothing';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
};

/**
 * What keeps each kind of outstanding work: only a sync delivers what waits to send; a draft
 * must be submitted first, and a refused submission resubmitted or exported.
 */
export const howToKeep = (o: WorkspaceOutstanding): string => {
  const steps: string[] = [];
  if (o.drafts > 0) steps.push(o.drafts === 1 ? 'submit the draft' : 'submit the drafts');
  if (o.refused > 0) steps.push('resubmit or export what was refused');
  if (o.unsynced > 0 || steps.length > 0) steps.push('let this workspace sync');
  if (steps.length === 0) return '';
  const list =
    steps.length === 1 ? steps[0]! : `${steps.slice(0, -1).join(', ')}, then ${steps[steps.length - 1]!}`;
  return `To keep your work, cancel, ${list}, and sign out after.`;
};

export const itemsText = (n: number): string => plural(n, 'item');
