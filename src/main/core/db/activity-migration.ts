import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { appendLink, canonicalJson, genesisHead, type ChainHead } from '../../../shared/metrics';

/**
 * Schema v9 (issue 13): the activity log becomes a hash chain (`activity_chain`, one per
 * workspace, named by a random chain id in `activity_meta`), and the active time the recorder
 * counted is kept as stretches (`active_time`, merged per task) for "active today", each task's
 * total and the dashboard. The v1–v8 `activity_events` rows become the chain's first links (as
 * task events with their active time) and their stretches, so no history is lost.
 */
const schema = `
CREATE TABLE activity_chain (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  -- 'presence' or a task event's kind ('task.submitted', …)
  kind      TEXT NOT NULL,
  task_id   TEXT,
  -- the canonical JSON of the link's event (what the hash covers)
  event     TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
CREATE INDEX activity_chain_task ON activity_chain(task_id, seq) WHERE task_id IS NOT NULL;
CREATE INDEX activity_chain_outcomes ON activity_chain(kind, at) WHERE kind IN ('task.submitted', 'task.skipped');

CREATE TABLE active_time (
  from_at INTEGER NOT NULL,
  ms      INTEGER NOT NULL CHECK (ms > 0),
  task_id TEXT
) STRICT;
CREATE INDEX active_time_from ON active_time(from_at);
CREATE INDEX active_time_task ON active_time(task_id) WHERE task_id IS NOT NULL;

CREATE TABLE activity_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`;

type OldEvent = { at: number; kind: string; task_id: string; active_ms: number; data: string };

export const v9ActivityChain = (db: Database.Database): void => {
  db.exec(schema);
  const chainId = randomUUID();
  db.prepare("INSERT INTO activity_meta (key, value) VALUES ('chain_id', ?)").run(chainId);
  const old = db
    .prepare('SELECT at, kind, task_id, active_ms, data FROM activity_events ORDER BY at, n')
    .all() as OldEvent[];
  const insertLink = db.prepare(
    'INSERT INTO activity_chain (seq, at, kind, task_id, event, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertActive = db.prepare('INSERT INTO active_time (from_at, ms, task_id) VALUES (?, ?, ?)');
  const total = new Map<string, number>();
  const first = new Map<string, number>();
  let head: ChainHead = genesisHead(chainId);
  for (const e of old) {
    const ms = Math.max(0, e.active_ms);
    if (ms > 0) insertActive.run(e.at - ms, ms, e.task_id);
    const activeMs = (total.get(e.task_id) ?? 0) + ms;
    total.set(e.task_id, activeMs);
    if (!first.has(e.task_id)) first.set(e.task_id, e.at - ms);
    let data: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(e.data);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        data = parsed as Record<string, unknown>;
    } catch {
      // an unreadable data column carries nothing worth keeping
    }
    const event = {
      type: 'task',
      kind: e.kind,
      taskId: e.task_id,
      at: e.at,
      activeMs,
      wallMs: Math.max(0, e.at - first.get(e.task_id)!),
      // Counted by the editors' old timers, before the recorder: the hub checks no plausibility on it.
      data: { ...data, legacy: true },
    };
    const r = appendLink(head, event);
    insertLink.run(r.link.seq, e.at, e.kind, e.task_id, canonicalJson(event), r.link.prevHash, r.link.hash);
    head = r.head;
  }
  db.exec('DROP TABLE activity_events');
};
