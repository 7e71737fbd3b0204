import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/db/helpers';
import { leaseSetDigest, type PullResponse } from '../../../shared/sync';
import { openDatabase, type Db } from '../db/open';
import { QueueService } from '../queue/service';
import type { HubApi } from './hub-api';
import { pullFeed } from './pull';
import { SyncStore } from './store';

describe('pullFeed', () => {
  let cleanup: () => void;
  let db: Db;
  let store: SyncStore;
  let queue: QueueService;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    db = openDatabase(path.join(dir, 'w.db'));
    db.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    store = new SyncStore(db);
    queue = new QueueService(db, { clock: () => 0 });
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
    activity: () => Promise.reject(new Error('unused')),
    project: () => Promise.reject(new Error('unused')),
    lease: () => Promise.reject(new Error('unused')),
    heldLeases: () => Promise.reject(new Error('unused')),
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
    const r = await pullFeed(apiAnswering(listing(['kept', 1])), queue, store, 'd', () => 1000);
    expect(r).toMatchObject({ renewed: 1, revoked: 1 });
    expect(queue.hub.leases().map((l) => l.id)).toEqual(['kept']);
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
    const r = await pullFeed(apiAnswering(listing()), queue, store, 'd', () => 5);
    expect(r.revoked).toBe(3);
    const left = db.prepare('SELECT id, lease_expires_at FROM tasks').all();
    expect(left).toEqual([{ id: 'drafted', lease_expires_at: 5 }]);
    expect(db.prepare("SELECT count(*) AS n FROM drafts WHERE task_id = 'drafted'").get()).toEqual({ n: 1 });
    // Later pulls leave it where it is and do not count it again.
    const again = await pullFeed(apiAnswering(listing()), queue, store, 'd', () => 2000);
    expect(again.revoked).toBe(0);
    expect(queue.hub.leases().map((l) => l.id)).toEqual(['drafted']);
  });

  it('keeps a task in progress (open, no region drawn) when the hub ends its lease, so a Submit after the pull is taken', async () => {
    leaseLocally('untouched', 1);
    leaseLocally('open', 2);
    leaseLocally('dismissed', 3);
    db.prepare("UPDATE tasks SET status = 'in_progress' WHERE id IN ('open', 'dismissed')").run();
    db.prepare('INSERT INTO drafts (task_id, annotation, saved_at) VALUES (?, ?, 0)').run(
      'dismissed',
      JSON.stringify({ results: [], activeMs: 5, dismissedSuggestions: ['s1'] }),
    );
    const r = await pullFeed(apiAnswering(listing()), queue, store, 'd', () => 5);
    expect(r.revoked).toBe(3);
    expect(db.prepare('SELECT id, status, lease_expires_at FROM tasks ORDER BY id').all()).toEqual([
      { id: 'dismissed', status: 'in_progress', lease_expires_at: 5 },
      { id: 'open', status: 'in_progress', lease_expires_at: 5 },
    ]);
    // The person's Submit lands after the pull: kept, and sent under the lease it was made under.
    for (const id of ['open', 'dismissed'])
      await expect(queue.submit(id, { results: [], activeMs: 0 })).resolves.toMatchObject({ submittedAt: 0 });
    expect(queue.outbox.read(0, 10).map((m) => [m.kind, m.taskId, m.leaseEpoch])).toEqual([
      ['submit', 'open', 2],
      ['submit', 'dismissed', 3],
    ]);
  });

  it('ends a live lease at the pull time when the kept task was not yet expired', async () => {
    db.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, hub_lease_epoch, lease_expires_at) VALUES ('t', 'p', 'text', 't', 'in_progress', '{}', 0, 0, 1, 99999)",
    ).run();
    db.prepare('INSERT INTO drafts (task_id, annotation, saved_at) VALUES (?, ?, 0)').run(
      't',
      JSON.stringify({ results: [{ type: 'doc-class', id: 'c', group: 'g', labels: ['x'] }], activeMs: 1 }),
    );
    const r = await pullFeed(apiAnswering(listing()), queue, store, 'd', () => 1000);
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
      queue,
      store,
      'd',
      () => 1000,
    );
    expect(r).toMatchObject({ renewed: 1, revoked: 0 });
    expect(
      queue.hub
        .leases()
        .map((l) => l.id)
        .sort(),
    ).toEqual(['new', 'old']);
  });

  /** A hub answering each request in turn from `answers`, recording what was asked. */
  const scripted = (...answers: PullResponse[]) => {
    const asked: { leases?: string | undefined; leasesSince?: string | undefined }[] = [];
    const api: HubApi = {
      ...apiAnswering(listing()),
      pull: async (q) => {
        asked.push({ leases: q.leases, leasesSince: q.leasesSince });
        const next = answers.shift();
        if (!next) throw new Error('no more answers');
        return next;
      },
    };
    return { api, asked };
  };
  const delta = (live: [string, number][], extra: Partial<PullResponse> = {}): PullResponse => ({
    ...listing(),
    leases: [],
    leaseMode: 'delta',
    leaseDigest: leaseSetDigest(live.map(([taskId, epoch]) => ({ taskId, epoch }))),
    leaseExpiry: { p: 9000 },
    leaseMark: '1000',
    ...extra,
  });

  it('asks for a lease delta and, from a 1.0 hub that answers with the full list, reconciles as before', async () => {
    leaseLocally('kept', 1);
    leaseLocally('gone', 1);
    const { api, asked } = scripted(listing(['kept', 1]));
    const r = await pullFeed(api, queue, store, 'd', () => 1000);
    expect(asked).toEqual([{ leases: 'delta', leasesSince: undefined }]);
    expect(r).toMatchObject({ requests: 1, fullLeaseLists: 1, renewed: 1, revoked: 1 });
    expect(queue.hub.leases().map((l) => l.id)).toEqual(['kept']);
  });

  it('renews every live lease from a delta whose digest matches, in one request, and keeps its mark', async () => {
    leaseLocally('a', 1);
    leaseLocally('b', 2);
    const { api } = scripted(
      delta([
        ['a', 1],
        ['b', 2],
      ]),
    );
    const r = await pullFeed(api, queue, store, 'd', () => 5);
    expect(r).toMatchObject({ requests: 1, fullLeaseLists: 0, renewed: 2, revoked: 0 });
    // The hub's clock is 995 ms ahead of ours: its expiry 9000 is our 8005.
    expect(queue.hub.leases().map((l) => l.lease_expires_at)).toEqual([8005, 8005]);
    expect(store.meta('leaseMark')).toBe('1000');
    const again = scripted(
      delta([
        ['a', 1],
        ['b', 2],
      ]),
    );
    await pullFeed(again.api, queue, store, 'd', () => 5);
    expect(again.asked).toEqual([{ leases: 'delta', leasesSince: '1000' }]);
  });

  it('falls back to the full list when the digest differs, and ends what the hub no longer holds', async () => {
    leaseLocally('a', 1);
    leaseLocally('lost', 1);
    const { api, asked } = scripted(delta([['a', 1]]), listing(['a', 1]));
    const r = await pullFeed(api, queue, store, 'd', () => 5);
    expect(asked.map((a) => a.leases)).toEqual(['delta', 'full']);
    expect(r).toMatchObject({ requests: 2, fullLeaseLists: 1, revoked: 1 });
    expect(queue.hub.leases().map((l) => l.id)).toEqual(['a']);
  });
});
