import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openQueue, tempDir, textTask } from '../../../../tests/db/helpers';
import type { Db } from '../db/open';
import type { QueueService } from './service';

describe('the queue as the one owner of leased tasks', () => {
  let cleanup: () => void;
  let db: Db;
  let queue: QueueService;
  let outboxRows: number;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    ({ db, queue } = openQueue(path.join(dir, 'w.db'), 1));
    queue.hub.addLeased([], [{ ...textTask('h1'), hubTaskId: 'h1', epoch: 3, expiresAt: 5_000 }], 1);
    outboxRows = 0;
    queue.onOutboxRow(() => outboxRows++);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('hears of each committed outbox row, and of no draft save', async () => {
    for (let i = 0; i < 5; i++) await queue.saveDraft('h1', { results: [], activeMs: i });
    expect(outboxRows).toBe(0);
    await queue.submit('h1', { results: [], activeMs: 9 });
    await queue.skip('t1');
    expect(outboxRows).toBe(2);
    // A refused change commits nothing and says nothing.
    await expect(queue.submit('h1', { results: [], activeMs: 9 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(outboxRows).toBe(2);
  });

  it('releases only an unfinished task leased from a hub, with its outbox row', async () => {
    await expect(queue.release('t1')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(queue.release('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await queue.release('h1');
    expect(outboxRows).toBe(1);
    expect(queue.outbox.peek().map((m) => [m.kind, m.taskId])).toEqual([['release', 'h1']]);
    expect((await queue.open('h1')).status).toBe('skipped');
    await expect(queue.release('h1')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('adds a lease answer once (a known task only gets the new lease) and drops leases by the rules', () => {
    const again = { ...textTask('h1'), hubTaskId: 'h1', epoch: 4, expiresAt: 7_000 };
    expect(queue.hub.addLeased([], [again], 2)).toBe(0);
    expect(queue.hub.lease('h1')).toMatchObject({
      status: 'queued',
      hub_lease_epoch: 4,
      lease_expires_at: 7_000,
    });
    // Writes that belong with sync's own rows refuse to run outside a transaction.
    expect(() => queue.hub.dropLease('h1')).toThrow(/inside a transaction/);
    expect(() => queue.hub.renewLease('h1', 4, 8_000)).toThrow(/inside a transaction/);
    queue.transaction(() => {
      expect(queue.hub.dropLease('missing')).toBe('gone');
      expect(queue.hub.dropLease('h1')).toBe('deleted');
    });
    expect(queue.hub.leases()).toEqual([]);
  });
});
