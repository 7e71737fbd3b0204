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
    health: () => Promise.resolve(),
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
    leases: leases.map(([taskId, epoch]) => ({
      taskId,
      projectId: 'p',
      epoch,
      deviceId: 'd',
      expiresAt: 5000,
    })),
  });

  it('renews listed leases and ends the ones held when it asked that the hub no longer lists', async () => {
    leaseLocally('kept', 1);
    leaseLocally('gone', 1);
    const r = await pullFeed(apiAnswering(listing(['kept', 1])), store, 'd', () => 1000);
    expect(r).toMatchObject({ renewed: 1, revoked: 1 });
    expect(store.leases().map((l) => l.id)).toEqual(['kept']);
    expect(store.meta('cursor')).toBe('5');
  });

  it('keeps an unfinished task whose draft holds work when the hub ends its lease (shown expired), and drops one without', async () => {
    leaseLocally('drafted', 1);
    leaseLocally('empty-draft', 1);
    leaseLocally('untouched', 1);
    const draft = db.prepare('INSERT INTO drafts (task_id, annotation, saved_at) VALUES (?, ?, 0)');
    draft.run(
      'drafted',
      JSON.stringify({ results: [{ type: 'doc-class', id: 'c', group: 'g', labels: ['x'] }], activeMs: 5 }),
    );
    draft.run('empty-draft', JSON.stringify({ results: [], activeMs: 5 }));
    const r = await pullFeed(apiAnswering(listing()), store, 'd', () => 5);
    expect(r.revoked).toBe(3);
    const left = db.prepare('SELECT id, lease_expires_at FROM tasks').all();
    expect(left).toEqual([{ id: 'drafted', lease_expires_at: 5 }]);
    expect(db.prepare("SELECT count(*) AS n FROM drafts WHERE task_id = 'drafted'").get()).toEqual({ n: 1 });
    // Later pulls leave it where it is and do not count it again.
    const again = await pullFeed(apiAnswering(listing()), store, 'd', () => 2000);
    expect(again.revoked).toBe(0);
    expect(store.leases().map((l) => l.id)).toEqual(['drafted']);
  });

  it('ends a live lease at the pull time when the kept task was not yet expired', async () => {
    db.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, hub_lease_epoch, lease_expires_at) VALUES ('t', 'p', 'text', 't', 'in_progress', '{}', 0, 0, 1, 99999)",
    ).run();
    db.prepare('INSERT INTO drafts (task_id, annotation, saved_at) VALUES (?, ?, 0)').run(
      't',
      JSON.stringify({ results: [{ type: 'doc-class', id: 'c', group: 'g', labels: ['x'] }], activeMs: 1 }),
    );
    const r = await pullFeed(apiAnswering(listing()), store, 'd', () => 1000);
    expect(r.revoked).toBe(1);
    expect(db.prepare("SELECT status, lease_expires_at FROM tasks WHERE id = 't'").get()).toEqual({
      status: 'in_progress',
      lease_expires_at: 1000,
    });
  });

  it('leaves alone a lease granted while the pull was out (the hub listed its leases before it)', async () => {
    leaseLocally('old', 1);
    const r = await pullFeed(
      apiAnswering(listing(['old', 1]), () => leaseLocally('new', 3)),
      store,
      'd',
      () => 1000,
    );
    expect(r).toMatchObject({ renewed: 1, revoked: 0 });
    expect(
      store
        .leases()
        .map((l) => l.id)
        .sort(),
    ).toEqual(['new', 'old']);
  });
});
