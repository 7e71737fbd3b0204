import { z } from 'zod';
import { FeedEvent } from '../../shared/sync';
import type { SqlExecutor } from './driver';

/** An event before it gets its per-user seq. */
export type NewFeedEvent = {
  userId: string;
  kind: FeedEvent['kind'];
  projectId: string;
  data: Record<string, unknown>;
};

/** The `kind` of a row that carries several events (see appendFeed). */
const BATCH = 'batch';

/**
 * Appends events to each user's feed. The per-user seq is taken by incrementing users.feed_seq,
 * which row-locks the user until commit on PostgreSQL: seqs therefore become visible in order
 * and a cursor can never skip an event committed late by another hub process. Seqs are dense.
 *
 * A user's events of one call go in ONE row (a claim of 1,000 tasks writes one row, not 1,000):
 * its seq is the last event's, `n` the number of events, and its data, for n > 1, the list of
 * [kind, projectId, data]. A single event is a row of its own kind, as before batching.
 */
export const appendFeed = async (
  tx: SqlExecutor,
  events: readonly NewFeedEvent[],
  now: number,
): Promise<void> => {
  if (events.length === 0) return;
  const byUser = new Map<string, NewFeedEvent[]>();
  for (const e of events) {
    const list = byUser.get(e.userId);
    if (list) list.push(e);
    else byUser.set(e.userId, [e]);
  }
  // A fixed lock order (by user id) keeps concurrent transactions from deadlocking.
  for (const userId of [...byUser.keys()].sort()) {
    const list = byUser.get(userId) ?? [];
    const one = list.length === 1 ? list[0] : undefined;
    const row = [
      list.length,
      one ? one.kind : BATCH,
      one ? one.projectId : (list[0]?.projectId ?? ''),
      JSON.stringify(one ? one.data : list.map((e) => [e.kind, e.projectId, e.data])),
      now,
    ];
    if (tx.dialect === 'postgres') {
      // Seq and row in one round trip.
      const added = await tx.run(
        `WITH s AS (UPDATE users SET feed_seq = feed_seq + ? WHERE id = ? RETURNING feed_seq)
         INSERT INTO feed (user_id, seq, n, kind, project_id, data, created_at)
         SELECT CAST(? AS TEXT), s.feed_seq, CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT) FROM s`,
        [list.length, userId, userId, ...row],
      );
      if (added !== 1) throw new Error(`feed: no user ${userId}`);
      continue;
    }
    const seq = await tx.get('UPDATE users SET feed_seq = feed_seq + ? WHERE id = ? RETURNING feed_seq', [
      list.length,
      userId,
    ]);
    if (!seq) throw new Error(`feed: no user ${userId}`);
    await tx.run(
      'INSERT INTO feed (user_id, seq, n, kind, project_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [userId, seq.feed_seq, ...row],
    );
  }
};

const FeedRow = z.object({
  seq: z.coerce.number(),
  n: z.coerce.number().int().min(1),
  kind: z.string(),
  project_id: z.string(),
  data: z.string(),
  created_at: z.coerce.number(),
});
const BatchData = z.array(z.tuple([z.string(), z.string(), z.record(z.string(), z.unknown())]));

const FEED_COLS = 'seq, n, kind, project_id, data, created_at';

/**
 * The user's events after `cursor`, at most `limit`. Seqs are dense, so the events up to
 * cursor + limit + 1 are in the rows with seq below that plus the first row at or above it
 * (a batch may straddle it); both are index ranges, however long the feed.
 */
export const readFeed = async (
  db: SqlExecutor,
  userId: string,
  cursor: number,
  limit: number,
): Promise<{ events: FeedEvent[]; hasMore: boolean }> => {
  const end = cursor + limit + 1;
  const rows = await db.all(
    `SELECT ${FEED_COLS} FROM feed WHERE user_id = ? AND seq > ? AND seq < ?
     UNION ALL SELECT * FROM (SELECT ${FEED_COLS} FROM feed WHERE user_id = ? AND seq >= ? ORDER BY seq LIMIT 1) AS next
     ORDER BY seq`,
    [userId, cursor, end, userId, end],
  );
  const events: FeedEvent[] = [];
  let beyond = false;
  for (const raw of rows) {
    const r = FeedRow.parse(raw);
    const items =
      r.n === 1 && r.kind !== BATCH
        ? [[r.kind, r.project_id, JSON.parse(r.data)] as const]
        : BatchData.parse(JSON.parse(r.data));
    if (items.length !== r.n)
      throw new Error(`feed row ${userId}/${r.seq} holds ${items.length} events, not ${r.n}`);
    const first = r.seq - r.n + 1;
    for (let i = 0; i < items.length && events.length <= limit; i++) {
      const [kind, projectId, data] = items[i] ?? [];
      if (first + i > cursor)
        events.push(
          FeedEvent.parse({ ...(data as object), seq: first + i, kind, projectId, at: r.created_at }),
        );
    }
    // Only with gaps in the seqs (never written so) could events past the page hide here.
    if (r.seq >= end) beyond = true;
  }
  return { events: events.slice(0, limit), hasMore: events.length > limit || beyond };
};
