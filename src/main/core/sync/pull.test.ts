import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/db/helpers';
import type { PullResponse } from '../../../shared/sync';
import { openDatabase, type Db } from '../db/open';
import type { HubApi } from './hub-api';
import { pullFeed } from './pull';
import { SyncStore } from './store';

describe('pullFeed', () => {
  let cleanup: () => void;
  let db: Db;
  let store: SyncStore;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    db = openDatabase(path.join(dir, 'w.db'));
    db.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    store = new SyncStore(db);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });
  const leaseLocally = (id: string, epoch: number) =>
    db
      .prepare(
        "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, hub_lease_epoch, lease_expires_at) VALUES (?, 'p', 'text', ?, 'queued', '{}', 0, 0, ?, 9)",
      )
      .run(id, id, epoch);
  const apiAnswering = (res: PullResponse, whileAsked: () => void = () => undefined): HubApi => ({
    me: () => Promise.reject(new Error('unused')),
    project: () => Promise.reject(new Error('unused')),
    lease: () => Promise.reject(new Error('unused')),
    push: () => Promise.reject(new Error('unused')),
    preparePush: () => Promise.reject(new Error('unused')),
    pushPrepared: () => Promise.reject(new Error('unused')),
    pull: async () => {
      whileAsked();
      return res;
    },
  });
  const listing = (...leases: [string, number][]): PullResponse => ({
    events: [],
    cursor: '5',
    hasMore: false,
    serverTime: 1000,
    leases: leases.map(([taskId, epoch]) => ({ taskId, projectId: 'p', epoch, deviceId: 'd', expiresAt: 5000 })),
  });

  it('renews listed leases and ends the ones held when it asked that the hub no longer lists', async () => {
    leaseLocally('kept', 1);
    leaseLocally('gone', 1);
    const r = await pullFeed(apiAnswering(listing(['kept', 1])), store, 'd', () => 1000);
    expect(r).toMatchObject({ renewed: 1, revoked: 1 });
    expect(store.leases().map((l) => l.id)).toEqual(['kept']);
    expect(store.meta('cursor')).toBe('5');
  });

  it('leaves alone a lease granted while the pull was out (the hub listed its leases before it)', async () => {
    leaseLocally('old', 1);
    const r = await pullFeed(apiAnswering(listing(['old', 1]), () => leaseLocally('new', 3)), store, 'd', () => 1000);
    expect(r).toMatchObject({ renewed: 1, revoked: 0 });
    expect(store.leases().map((l) => l.id).sort()).toEqual(['new', 'old']);
  });
});
