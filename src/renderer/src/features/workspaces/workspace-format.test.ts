import { describe, expect, it } from 'vitest';
import type { WorkspaceSummary } from '../../../../shared/contract';
import { describeCounts, describeLoss, describeWorkspaceSync, howToKeep } from './workspace-format';

const hub = (over: Partial<WorkspaceSummary> = {}): WorkspaceSummary => ({
  id: 'hub-a',
  kind: 'hub',
  name: 'hub.example.org',
  hubUrl: 'https://hub.example.org',
  demo: false,
  userName: 'ann',
  active: false,
  counts: {
    queued: 4,
    inProgress: 1,
    submitted: 3,
    skipped: 0,
    submittedToday: 0,
    skippedToday: 0,
    activeMsToday: 0,
  },
  sync: { status: 'online', lastSyncAt: 1, lastError: null, problem: null },
  outstanding: { unsynced: 0, refused: 0, drafts: 0, total: 0 },
  ...over,
});

describe('workspace words', () => {
  it('says "Synced" only when nothing waits and nothing was refused', () => {
    expect(describeWorkspaceSync(hub(), 2).label).toBe('Synced');
    const waiting = hub({ outstanding: { unsynced: 2, refused: 0, drafts: 0, total: 2 } });
    expect(describeWorkspaceSync(waiting, 2).label).toBe('Online · 2 unsynced');
    const refused = hub({ outstanding: { unsynced: 0, refused: 1, drafts: 0, total: 1 } });
    expect(describeWorkspaceSync(refused, 2)).toMatchObject({ label: 'Online · 1 refused', tone: 'danger' });
    expect(
      describeWorkspaceSync(
        hub({ sync: { status: 'signed-out', lastSyncAt: null, lastError: null, problem: null } }),
        2,
      ).label,
    ).toBe('Signed out');
    expect(describeWorkspaceSync(hub({ kind: 'local', hubUrl: null }), 2).label).toBe('Local only');
    // The demo hub is stopped while another workspace is in use: never "Synced" then.
    expect(describeWorkspaceSync(hub({ demo: true }), 2).label).toBe('Paused');
    expect(describeWorkspaceSync(hub({ demo: true, active: true }), 2).label).toBe('Synced');
  });

  it('counts the queue and names every kind of work signing out would lose', () => {
    expect(describeCounts(hub())).toBe('5 to label · 3 submitted');
    expect(describeLoss({ unsynced: 1, refused: 0, drafts: 0, total: 1 })).toBe('1 change waiting to send');
    expect(describeLoss({ unsynced: 2, refused: 1, drafts: 1, total: 4 })).toBe(
      '2 changes waiting to send, 1 refused submission and 1 unsubmitted draft',
    );
  });
  it('says what keeps each kind of work: a draft is submitted, not synced', () => {
    expect(howToKeep({ unsynced: 0, refused: 0, drafts: 1, total: 1 })).toBe(
      'To keep your work, cancel, submit the draft, then let this workspace sync, and sign out after.',
    );
    expect(howToKeep({ unsynced: 2, refused: 0, drafts: 0, total: 2 })).toBe(
      'To keep your work, cancel, let this workspace sync, and sign out after.',
    );
    expect(howToKeep({ unsynced: 0, refused: 1, drafts: 2, total: 3 })).toContain(
      'submit the drafts, resubmit or export what was refused, then let this workspace sync',
    );
  });
});
