import type Database from 'better-sqlite3';
import { v9ActivityChain } from './activity-migration';

/**
 * Numbered schema migrations. Each runs once, in its own transaction, and bumps
 * `PRAGMA user_version` inside that transaction, so a crash mid-migration leaves the previous
 * version intact. Never edit a shipped migration: add the next number.
 */
export type Migration = { version: number; name: string; up: (db: Database.Database) => void };

const v1Core = `
CREATE TABLE projects (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('image', 'text', 'comparison')),
  label_config   TEXT NOT NULL,
  lease_hours    REAL NOT NULL,
  overlap        INTEGER NOT NULL,
  hub_project_id TEXT,
  created_at     INTEGER NOT NULL
) STRICT;

-- seq is the queue order (oldest first) and the rowid; id is the stable task id.
CREATE TABLE tasks (
  seq              INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  project_id       TEXT NOT NULL REFERENCES projects(id),
  kind             TEXT NOT NULL CHECK (kind IN ('image', 'text', 'comparison')),
  title            TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'in_progress', 'submitted', 'skipped')),
  data             TEXT NOT NULL,
  predictions      TEXT NOT NULL DEFAULT '[]',
  meta             TEXT NOT NULL DEFAULT '{}',
  lease_expires_at INTEGER,
  hub_task_id      TEXT,
  hub_lease_epoch  INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  -- set while submitted or skipped, NULL otherwise (history and "today" counts use it)
  finished_at      INTEGER,
  CHECK ((status IN ('submitted', 'skipped')) = (finished_at IS NOT NULL))
) STRICT;
CREATE INDEX tasks_status_seq ON tasks(status, seq);
CREATE INDEX tasks_project_status_seq ON tasks(project_id, status, seq);
CREATE INDEX tasks_finished ON tasks(finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE drafts (
  task_id    TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  annotation TEXT NOT NULL,
  saved_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE submissions (
  id           TEXT PRIMARY KEY,
  task_id      TEXT NOT NULL REFERENCES tasks(id),
  annotation   TEXT NOT NULL,
  submitted_at INTEGER NOT NULL
) STRICT;
CREATE INDEX submissions_task ON submissions(task_id, submitted_at);

CREATE TABLE activity_events (
  id        INTEGER PRIMARY KEY,
  kind      TEXT NOT NULL,
  task_id   TEXT NOT NULL,
  at        INTEGER NOT NULL,
  -- active labeling time this event added (ms), summed for "active today"
  active_ms INTEGER NOT NULL DEFAULT 0,
  data      TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX activity_events_at ON activity_events(at);

-- The sync engine drains this in seq order; a row is deleted only after the hub acknowledged it.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  mutation_id TEXT NOT NULL UNIQUE,
  client_id   TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('submit', 'skip', 'release')),
  task_id     TEXT NOT NULL REFERENCES tasks(id),
  payload     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (client_id, seq)
) STRICT;

-- The last outbox seq per client, kept apart from outbox so acked (deleted) rows never let a
-- seq be reused.
CREATE TABLE outbox_clients (
  client_id TEXT PRIMARY KEY,
  last_seq  INTEGER NOT NULL
) STRICT;

CREATE TABLE assets (
  sha256     TEXT PRIMARY KEY,
  path       TEXT NOT NULL,
  bytes      INTEGER NOT NULL,
  mime       TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

/** Per-status counts kept by triggers, so queue counts stay O(1) at 100,000 tasks. */
const v2Counts = `
CREATE TABLE task_counts (
  status TEXT PRIMARY KEY,
  n      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO task_counts (status, n) VALUES ('queued', 0), ('in_progress', 0), ('submitted', 0), ('skipped', 0);
UPDATE task_counts SET n = (SELECT count(*) FROM tasks WHERE tasks.status = task_counts.status);

CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks BEGIN
  UPDATE task_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks BEGIN
  UPDATE task_counts SET n = n - 1 WHERE status = OLD.status;
END;
CREATE TRIGGER tasks_count_update AFTER UPDATE OF status ON tasks WHEN OLD.status <> NEW.status BEGIN
  UPDATE task_counts SET n = n - 1 WHERE status = OLD.status;
  UPDATE task_counts SET n = n + 1 WHERE status = NEW.status;
END;
`;

/**
 * Fewer pages per submit (each page a submit dirties is one more WAL frame to write and fsync):
 * - submissions keyed by an integer seq (insertion order, the rowid) instead of a UUID primary
 *   key, so an insert touches two b-trees (table, task index) instead of three; the UUID `id`
 *   stays as a column, unique by construction (randomUUID) and never searched by;
 * - outbox keyed by (client_id, seq) WITHOUT ROWID: two b-trees instead of three; a submit row
 *   names its submission (`submission_seq`) instead of carrying a second copy of the annotation,
 *   which `Outbox.peek` joins back in. Rows written before v3 keep their full payload;
 * - activity events keyed by (at, n) WITHOUT ROWID, n numbering the events of one millisecond:
 *   the key is the time order "active today" sums over, so the separate `at` index goes;
 * - the per-project status index covers open tasks only (what claim-next and per-project lists
 *   of open tasks read), so finishing a task only deletes from it;
 * - one counter UPDATE per status change instead of two.
 */
const v3WriteVolume = `
CREATE TABLE submissions_v3 (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL,
  task_id      TEXT NOT NULL REFERENCES tasks(id),
  annotation   TEXT NOT NULL,
  submitted_at INTEGER NOT NULL
) STRICT;
INSERT INTO submissions_v3 (seq, id, task_id, annotation, submitted_at)
  SELECT rowid, id, task_id, annotation, submitted_at FROM submissions ORDER BY rowid;
DROP TABLE submissions;
ALTER TABLE submissions_v3 RENAME TO submissions;
CREATE INDEX submissions_task ON submissions(task_id, seq);

CREATE TABLE outbox_v3 (
  client_id      TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  mutation_id    TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL CHECK (kind IN ('submit', 'skip', 'release')),
  task_id        TEXT NOT NULL REFERENCES tasks(id),
  -- submit rows: the annotation is read from this submission (stored once)
  submission_seq INTEGER REFERENCES submissions(seq),
  payload        TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (client_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO outbox_v3 (client_id, seq, mutation_id, kind, task_id, submission_seq, payload, created_at)
  SELECT client_id, seq, mutation_id, kind, task_id, NULL, payload, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v3 RENAME TO outbox;

CREATE TABLE activity_events_v3 (
  at        INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  task_id   TEXT NOT NULL,
  active_ms INTEGER NOT NULL DEFAULT 0,
  data      TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (at, n)
) STRICT, WITHOUT ROWID;
INSERT INTO activity_events_v3 (at, n, kind, task_id, active_ms, data)
  SELECT at, row_number() OVER (PARTITION BY at ORDER BY id), kind, task_id, active_ms, data FROM activity_events;
DROP TABLE activity_events;
ALTER TABLE activity_events_v3 RENAME TO activity_events;

DROP INDEX tasks_project_status_seq;
CREATE INDEX tasks_project_open_seq ON tasks(project_id, status, seq) WHERE finished_at IS NULL;

DROP TRIGGER tasks_count_update;
CREATE TRIGGER tasks_count_update AFTER UPDATE OF status ON tasks WHEN OLD.status <> NEW.status BEGIN
  UPDATE task_counts SET n = n + (status = NEW.status) - (status = OLD.status) WHERE status IN (OLD.status, NEW.status);
END;
`;

/**
 * One page fewer per submit, and less CPU per save and submit:
 * - the task status counts and each outbox client's last seq share one small `counters` b-tree
 *   (`tasks.<status>`, `outbox.<client_id>`), so a submit dirties one counter page, not two;
 *   `task_counts` stays readable as a view, and outbox_clients keeps only the client id;
 * - drafts carry their active time in a column, so save and submit read it without parsing the
 *   draft's JSON (NULL on drafts written before v4: readers fall back to the JSON).
 */
const v4Counters = `
CREATE TABLE counters (
  key TEXT PRIMARY KEY,
  n   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO counters (key, n) SELECT 'tasks.' || status, n FROM task_counts;
INSERT INTO counters (key, n) SELECT 'outbox.' || client_id, last_seq FROM outbox_clients;

DROP TRIGGER tasks_count_insert;
DROP TRIGGER tasks_count_delete;
DROP TRIGGER tasks_count_update;
DROP TABLE task_counts;
CREATE VIEW task_counts AS SELECT substr(key, 7) AS status, n FROM counters WHERE key BETWEEN 'tasks.' AND 'tasks.~';
ALTER TABLE outbox_clients DROP COLUMN last_seq;

CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks BEGIN
  UPDATE counters SET n = n + 1 WHERE key = 'tasks.' || NEW.status;
END;
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks BEGIN
  UPDATE counters SET n = n - 1 WHERE key = 'tasks.' || OLD.status;
END;
CREATE TRIGGER tasks_count_update AFTER UPDATE OF status ON tasks WHEN OLD.status <> NEW.status BEGIN
  UPDATE counters SET n = n + (key = 'tasks.' || NEW.status) - (key = 'tasks.' || OLD.status)
    WHERE key IN ('tasks.' || OLD.status, 'tasks.' || NEW.status);
END;

ALTER TABLE drafts ADD COLUMN active_ms INTEGER;
`;

/**
 * Fewer pages per submit and per draft save (measured: 16.3 → 14.5 WAL frames per submit, 4.9 →
 * 4.0 per save, at 100,000 tasks):
 * - the outbox loses its unique index on mutation_id, one b-tree fewer per append. The id is a
 *   random UUID (unique by construction, like a submission's); the only reader by it is ack,
 *   which now scans the outbox — rows waiting for the hub only, a few hundred bytes each since
 *   v3, once per answered batch;
 * - drafts become a rowid table (task_id still the declared primary key, so lookups and the
 *   upsert's conflict target are unchanged). As a WITHOUT ROWID row a draft over ~1,000 bytes
 *   (about ten boxes) spilled into an overflow page, which every save and every submit freed and
 *   allocated again: a freelist page and the header page written each time. A rowid row keeps
 *   up to ~4,000 bytes in its leaf.
 */
const v5LeanerWrites = `
CREATE TABLE outbox_v5 (
  client_id      TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  mutation_id    TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('submit', 'skip', 'release')),
  task_id        TEXT NOT NULL REFERENCES tasks(id),
  submission_seq INTEGER REFERENCES submissions(seq),
  payload        TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (client_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO outbox_v5 (client_id, seq, mutation_id, kind, task_id, submission_seq, payload, created_at)
  SELECT client_id, seq, mutation_id, kind, task_id, submission_seq, payload, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v5 RENAME TO outbox;

CREATE TABLE drafts_v5 (
  task_id    TEXT NOT NULL PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  annotation TEXT NOT NULL,
  saved_at   INTEGER NOT NULL,
  active_ms  INTEGER
) STRICT;
INSERT INTO drafts_v5 (task_id, annotation, saved_at, active_ms)
  SELECT task_id, annotation, saved_at, active_ms FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_v5 RENAME TO drafts;
`;

/**
 * The sync engine's own tables, until now created by the engine itself (`IF NOT EXISTS`, outside
 * the numbered list). `IF NOT EXISTS` stays here for that reason: a v5 file that was ever signed
 * in already has them, with rows that must stay. `sync_released` goes: each row named the task
 * of a `release` outbox row, which says the same (`task_id`), so nothing is lost with it.
 */
const v6SyncTables = `
CREATE TABLE IF NOT EXISTS sync_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_conflicts (
  mutation_id TEXT PRIMARY KEY,
  task_id     TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('conflict', 'rejected')),
  reason      TEXT,
  at          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
DROP TABLE IF EXISTS sync_released;
`;

/**
 * Delivery states (issue 16.2): each hub answer that needs the person (a flagged conflict, a
 * refusal of a submit, skip or release) names the kind of mutation it answered and stays open
 * until the person acts on it (resubmit, discard) or a later mutation of the same task is
 * delivered.
 */
/**
 * Lease requests (issue 16.6): each is written before it is sent and deleted in the transaction
 * that stores its answer, so an answer lost (or a crash between the hub's commit and ours) leaves
 * the request here to be replayed with the same id; the hub answers a replay with the leases it
 * already granted.
 */
const v10LeaseRequests = `
CREATE TABLE IF NOT EXISTS lease_requests (
  request_id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  count      INTEGER NOT NULL CHECK (count > 0),
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

const v7DeliveryStates = `
ALTER TABLE sync_conflicts ADD COLUMN mutation_kind TEXT NOT NULL DEFAULT 'submit'
  CHECK (mutation_kind IN ('submit', 'skip', 'release'));
ALTER TABLE sync_conflicts ADD COLUMN resolved_at INTEGER;
-- why it closed: a later change was delivered, the person discarded it, or resubmitted it
ALTER TABLE sync_conflicts ADD COLUMN resolution TEXT
  CHECK (resolution IN ('delivered', 'discarded', 'resubmitted'));
CREATE INDEX sync_conflicts_task ON sync_conflicts(task_id, at);
`;

/**
 * QA review (issue 11). The outbox takes verdicts (`review.*`) beside the annotator's mutations:
 * one dense seq per client, one exactly-once push. A verdict names the hub task under review,
 * which is no local task, so `task_id` stops being a foreign key; two triggers keep the old
 * guarantee for the annotator's kinds (a submit, skip or release names a local task, and such a
 * task cannot be deleted while one waits). The review tables are `ReviewStore`'s alone:
 * - `review_projects`: the projects a person reviews (label config, reject reasons), apart from
 *   the annotator's `projects`;
 * - `review_items`: review items leased from the hub (queue order = `seq`), with the task, the
 *   review lease (epoch, local expiry), the verdict given here and a verdict draft;
 * - `review_versions` / `review_verdicts`: every version and verdict of the reviewed tasks as the
 *   hub sent them, and verdicts given here with where they are (`delivery`);
 * - `review_feedback`: the annotator's side, rejections of their own work with the comments,
 *   open until they resubmit;
 * - `review_meta`: the signed-in person's roles as last read (offline switch of modes).
 */
const v8Review = `
CREATE TABLE outbox_v8 (
  client_id      TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  mutation_id    TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('submit', 'skip', 'release', 'review.accept', 'review.fix', 'review.reject')),
  task_id        TEXT NOT NULL,
  submission_seq INTEGER REFERENCES submissions(seq),
  payload        TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (client_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO outbox_v8 (client_id, seq, mutation_id, kind, task_id, submission_seq, payload, created_at)
  SELECT client_id, seq, mutation_id, kind, task_id, submission_seq, payload, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v8 RENAME TO outbox;
CREATE TRIGGER outbox_task_exists BEFORE INSERT ON outbox
  WHEN NEW.kind IN ('submit', 'skip', 'release') AND NOT EXISTS (SELECT 1 FROM tasks WHERE id = NEW.task_id)
BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END;
CREATE TRIGGER tasks_outbox_guard BEFORE DELETE ON tasks
  WHEN EXISTS (SELECT 1 FROM outbox WHERE task_id = OLD.id AND kind IN ('submit', 'skip', 'release'))
BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END;

CREATE TABLE review_projects (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('image', 'text', 'comparison')),
  label_config   TEXT NOT NULL,
  lease_hours    REAL NOT NULL,
  overlap        INTEGER NOT NULL,
  reject_reasons TEXT NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE review_items (
  seq              INTEGER PRIMARY KEY,
  submission_id    TEXT NOT NULL UNIQUE,
  task_id          TEXT NOT NULL,
  project_id       TEXT NOT NULL REFERENCES review_projects(id),
  batch            TEXT NOT NULL,
  title            TEXT NOT NULL,
  task             TEXT NOT NULL,
  image_sha256     TEXT,
  image_mime       TEXT,
  epoch            INTEGER NOT NULL,
  lease_expires_at INTEGER NOT NULL,
  author_id        TEXT NOT NULL,
  author_name      TEXT NOT NULL,
  submitted_at     INTEGER NOT NULL,
  active_ms        INTEGER NOT NULL,
  version          INTEGER NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'fixed', 'rejected')),
  verdict_id       TEXT,
  decided_at       INTEGER,
  draft            TEXT,
  leased_at        INTEGER NOT NULL,
  CHECK ((status = 'pending') = (verdict_id IS NULL))
) STRICT;
CREATE INDEX review_items_queue ON review_items(project_id, batch, status, seq);
CREATE INDEX review_items_task ON review_items(task_id);

CREATE TABLE review_versions (
  id          TEXT PRIMARY KEY,
  task_id     TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('submission', 'fix')),
  user_id     TEXT NOT NULL,
  user_name   TEXT NOT NULL,
  at          INTEGER NOT NULL,
  active_ms   INTEGER NOT NULL,
  conflict    INTEGER NOT NULL,
  superseded  INTEGER NOT NULL,
  annotation  TEXT NOT NULL
) STRICT;
CREATE INDEX review_versions_task ON review_versions(task_id, at);

CREATE TABLE review_verdicts (
  id              TEXT PRIMARY KEY,
  submission_id   TEXT NOT NULL,
  task_id         TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('accepted', 'fixed', 'rejected')),
  reviewer_id     TEXT NOT NULL,
  reviewer_name   TEXT NOT NULL,
  at              INTEGER NOT NULL,
  active_ms       INTEGER NOT NULL,
  reason          TEXT,
  note            TEXT,
  comments        TEXT NOT NULL,
  fix_version_id  TEXT,
  flag            TEXT CHECK (flag IN ('stale', 'conflict')),
  delivery        TEXT NOT NULL CHECK (delivery IN ('waiting', 'delivered', 'flagged', 'refused')),
  refusal_reason  TEXT,
  refusal_field   TEXT,
  refusal_message TEXT
) STRICT;
CREATE INDEX review_verdicts_task ON review_verdicts(task_id, at);

CREATE TABLE review_feedback (
  verdict_id    TEXT PRIMARY KEY,
  task_id       TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  reviewer_id   TEXT NOT NULL,
  at            INTEGER NOT NULL,
  reason        TEXT NOT NULL,
  note          TEXT,
  comments      TEXT NOT NULL,
  resolved_at   INTEGER
) STRICT;
CREATE INDEX review_feedback_task ON review_feedback(task_id, at);

CREATE TABLE review_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`;

export const migrations: readonly Migration[] = [
  { version: 1, name: 'core tables', up: (db) => db.exec(v1Core) },
  { version: 2, name: 'task status counters', up: (db) => db.exec(v2Counts) },
  { version: 3, name: 'submit write volume', up: (db) => db.exec(v3WriteVolume) },
  { version: 4, name: 'shared counters, draft active time', up: (db) => db.exec(v4Counters) },
  { version: 5, name: 'outbox without mutation index, rowid drafts', up: (db) => db.exec(v5LeanerWrites) },
  { version: 6, name: 'sync tables', up: (db) => db.exec(v6SyncTables) },
  { version: 7, name: 'delivery states', up: (db) => db.exec(v7DeliveryStates) },
  { version: 8, name: 'review', up: (db) => db.exec(v8Review) },
  { version: 9, name: 'activity hash chain, active time', up: v9ActivityChain },
  { version: 10, name: 'lease requests', up: (db) => db.exec(v10LeaseRequests) },
  // Shipped as a no-op: the move to workspaces needed no schema change. Numbers are never reused.
  { version: 11, name: 'reserved: workspaces', up: () => {} },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

/** Applies every migration above the file's version; returns the versions applied. */
export const migrate = (
  db: Database.Database,
  upTo = LATEST_SCHEMA_VERSION,
  list: readonly Migration[] = migrations,
): number[] => {
  const applied: number[] = [];
  for (const m of list) {
    if (m.version > upTo) break;
    const current = db.pragma('user_version', { simple: true }) as number;
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      // PRAGMA takes no bound parameters; the version is our own integer constant.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
};
