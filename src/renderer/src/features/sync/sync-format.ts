import { syncProblemWords, type SyncState } from '../../../../shared/contract';
import { formatAgo } from '../status-bar/format';

export type SyncTone = 'local' | 'ok' | 'busy' | 'warn' | 'danger';

/**
 * The last failure in words a person understands (null when there is none), with the
 * technical line apart: shown one click away, never instead of the words.
 */
export const syncProblemText = (s: SyncState): { words: string; detail: string | null } | null => {
  if (s.status === 'online' || s.status === 'signed-out' || s.status === 'syncing') return null;
  if (s.problem === null && s.lastError === null) return null;
  return { words: syncProblemWords(s.problem ?? 'unknown', s.hubUrl), detail: s.lastError };
};

/** What the status bar says about sync, in a few words, plus the longer hover text. */
export const describeSync = (s: SyncState, now: number): { label: string; tone: SyncTone; title: string } => {
  const unsynced = s.unsynced > 0 ? `${s.unsynced} unsynced` : 'all synced';
  const last = s.lastSyncAt ? `last sync ${formatAgo(s.lastSyncAt, now)}` : 'never synced';
  const hub = s.hubUrl ? `${s.userName ?? 'signed in'} on ${s.hubUrl}` : '';
  switch (s.status) {
    case 'signed-out':
      return {
        label: 'Local only',
        tone: 'local',
        title: 'Work is stored on this computer only. Sign in to a hub in Sync settings.',
      };
    case 'syncing':
      return {
        label: s.unsynced > 0 ? `Syncing ${s.unsynced}…` : 'Syncing…',
        tone: 'busy',
        title: `${hub}; ${last}`,
      };
    case 'online':
      // "Synced" only when nothing waits and nothing was refused (refused work is on no hub).
      if (s.refused > 0)
        return {
          label: `Online · ${s.refused} refused${s.unsynced > 0 ? ` · ${unsynced}` : ''}`,
          tone: 'danger',
          title: `The hub refused ${s.refused === 1 ? 'one piece' : `${s.refused} pieces`} of your work: it is on no hub. Open Sync to resubmit, export or discard it. ${hub}; ${last}`,
        };
      return {
        label: s.unsynced > 0 ? `Online · ${unsynced}` : 'Synced',
        tone: 'ok',
        title: `${hub}; ${last}`,
      };
    case 'offline':
      return {
        label: `Offline · ${unsynced}`,
        tone: 'warn',
        title: `${syncProblemWords(s.problem ?? 'hub-unreachable', s.hubUrl)} ${capitalFirst(last)}.`,
      };
    case 'error':
      return {
        label: `Sync error · ${unsynced}`,
        tone: 'danger',
        title: `${syncProblemWords(s.problem ?? 'unknown', s.hubUrl)} ${capitalFirst(last)}.`,
      };
  }
};

const capitalFirst = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);

/** "last sync 5 min ago" for the status bar; empty before the first sync. */
export const lastSyncText = (s: SyncState, now: number): string =>
  s.lastSyncAt ? formatAgo(s.lastSyncAt, now) : '';

/** Leases closer than this to their end are flagged on the task. */
export const LEASE_WARNING_MS = 12 * 3_600_000;

/** "expires in 3 h" when a lease is close to its end, "lease expired" after it; null otherwise. */
export const leaseWarning = (
  expiresAt: number | null,
  now: number,
): { text: string; expired: boolean } | null => {
  if (expiresAt === null) return null;
  const left = expiresAt - now;
  if (left <= 0) return { text: 'lease expired', expired: true };
  if (left > LEASE_WARNING_MS) return null;
  const minutes = Math.ceil(left / 60_000);
  return {
    text: minutes < 60 ? `expires in ${minutes} min` : `expires in ${Math.floor(minutes / 60)} h`,
    expired: false,
  };
};
