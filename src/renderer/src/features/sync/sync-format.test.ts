import { describe, expect, it } from 'vitest';
import type { SyncState } from '../../../../shared/contract';
import { describeSync, leaseWarning } from './sync-format';

const base: SyncState = {
  status: 'online',
  hubUrl: 'https://hub.example',
  userName: 'lan',
  unsynced: 0,
  lastSyncAt: 1_000_000,
  lastError: null,
  problem: null,
  nextRetryAt: null,
  conflicts: [],
  refused: 0,
  tokenWarning: null,
};

describe('describeSync', () => {
  it('says local only when signed out', () => {
    expect(describeSync({ ...base, status: 'signed-out', hubUrl: null }, 0)).toMatchObject({
      label: 'Local only',
      tone: 'local',
    });
  });
  it('counts unsynced work when offline and reassures', () => {
    const d = describeSync({ ...base, status: 'offline', unsynced: 12 }, 1_000_000 + 5 * 60_000);
    expect(d).toMatchObject({ label: 'Offline · 12 unsynced', tone: 'warn' });
    expect(d.title).toContain('does not answer. Your work is kept here');
    expect(d.title).toContain('5 min ago');
  });
  it('is calm when all is synced, and red on error', () => {
    expect(describeSync(base, 1_000_000).label).toBe('Synced');
    // Refused work is on no hub: never "Synced" (issue 16.2).
    expect(describeSync({ ...base, refused: 1 }, 1_000_000)).toMatchObject({
      label: 'Online · 1 refused',
      tone: 'danger',
    });
    expect(
      describeSync({ ...base, status: 'error', lastError: 'the hub did not accept the token' }, 0),
    ).toMatchObject({ tone: 'danger' });
  });
});

describe('leaseWarning', () => {
  const h = 3_600_000;
  it('is silent for far-off or missing expiry', () => {
    expect(leaseWarning(null, 0)).toBeNull();
    expect(leaseWarning(72 * h, 0)).toBeNull();
  });
  it('warns close to the end and after it', () => {
    expect(leaseWarning(3 * h + 1, 0)).toEqual({ text: 'expires in 3 h', expired: false });
    expect(leaseWarning(20 * 60_000, 0)).toEqual({ text: 'expires in 20 min', expired: false });
    expect(leaseWarning(5, 10)).toEqual({ text: 'lease expired', expired: true });
  });
});
