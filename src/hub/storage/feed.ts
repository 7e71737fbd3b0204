import { z } from 'zod';
import { FeedEvent } from '../../shared/sync';
import type { SqlExecutor } from './driver';
import { insertRows } from './sql-util';

const FEED_COLS = [
  ['user_id', 'text'],
  ['seq', 'int'],
  ['kind', 'text'],
  ['project_id', 'text'],
  ['data', 'text'],
  ['created_at', 'int'],
] as const;

/** An event before it gets its per-user seq. */
export type NewFeedEvent = { userId: string; kind: FeedEvent['kind']; projectId: string; data: Record<string, unknown> };

/**
 * Appends events to each user's feed. The per-user seq is taken by incrementing users.feed_seq,
 * which row-locks the user until commit on PostgreSQL: seqs therefore become visible in order
 * and a cursor can never skip an event committed late by another hub process.
 */
export const appendFeed = async (tx: SqlExecutor, events: readonly NewFeedEvent[], now: number): Promise<void> => {
  if (events.length === 0) return;
  const byUser = new Map<string, NewFeedEvent[]>();
  for (const e of events) {
    const list = byUser.get(e.userId) ?? [];
    list.push(e);
    byUser.set(e.userId, list);
  }
  // A fixed lock order (by user id) keeps concurrent transactions from deadlocking.
  for (const userId of [...byUser.keys()].sort()) {
    const list = byUser.get(userId) ?? [];
    const row = await tx.get('UPDATE users SET feed_seq = feed_seq + ? WHERE id = ? RETURNING feed_seq', [list.length, userId]);
    let seq = Number(row?.feed_seq) - list.length;
    // Event data is small: stringified here as plain text, so on PostgreSQL the batch goes as
    // one unnest insert (JSON columns take the bound-VALUES path meant for annotations).
    const rows = list.map((e) => [userId, ++seq, e.kind, e.projectId, JSON.stringify(e.data), now]);
    await insertRows(tx, 'feed', FEED_COLS, rows);
  }
};

const FeedRow = z.object({
  seq: z.coerce.number(),
  kind: z.string(),
  project_id: z.string(),
  data: z.string(),
  created_at: z.coerce.number(),
});

export const readFeed = async (
  db: SqlExecutor,
  userId: string,
  cursor: number,
  limit: number,
): Promise<{ events: FeedEvent[]; hasMore: boolean }> => {
  const rows = await db.all('SELECT seq, kind, project_id, data, created_at FROM feed WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?', [
    userId,
    cursor,
    limit + 1,
  ]);
  const events = rows.slice(0, limit).map((raw) => {
    const r = FeedRow.parse(raw);
    return FeedEvent.parse({ ...(JSON.parse(r.data) as object), seq: r.seq, kind: r.kind, projectId: r.project_id, at: r.created_at });
  });
  return { events, hasMore: rows.length > limit };
};
