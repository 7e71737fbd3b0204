import type { Dialect, SqlDriver } from './driver';
import { MUTATION_ROW_BYTES } from './quota';

/**
 * Numbered migrations. The DDL below is the common subset of SQLite and PostgreSQL (BIGINT,
 * TEXT, DOUBLE PRECISION, JSON kept as TEXT); a migration may give a dialect its own SQL.
 * Never edit a shipped migration: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string | Record<Dialect, string>;
}

/**
 * Fills activity_quarters from the task events already stored (hub migration 12; also a bench
 * that seeds activity_links directly). Part of a numbered migration: never change it.
 */
export const QUARTERS_FROM_LINKS = `
      INSERT INTO activity_quarters (project_id, q, user_id, batch, submitted, skipped, active_ms, regions, spans)
        SELECT project_id, CAST(at AS BIGINT) / 900000, user_id, batch,
               SUM(CASE WHEN kind = 'task.submitted' THEN 1 ELSE 0 END),
               SUM(CASE WHEN kind = 'task.skipped' THEN 1 ELSE 0 END),
               SUM(active_ms),
               SUM(CASE WHEN kind = 'task.submitted' THEN regions ELSE 0 END),
               SUM(CASE WHEN kind = 'task.submitted' THEN spans ELSE 0 END)
          FROM activity_links
         WHERE kind IN ('task.submitted', 'task.skipped') AND project_id IS NOT NULL AND batch IS NOT NULL
         GROUP BY project_id, CAST(at AS BIGINT) / 900000, user_id, batch`;

/**
 * Fills review_rollup from the verdicts, submissions and task events already stored (hub
 * migration 13; also the metrics bench). Per task and author with an applied verdict (flag
 * null) on any of their submissions of it: the time of their first submitted task event on it,
 * the kind of the earliest applied verdict on their earliest submission (version 1; null when
 * it has none), and their applied rejects. Set-based (one pass over each table, no per-row
 * lookups), so its plan does not hang on the planner's statistics. Part of a numbered
 * migration: never change it.
 */
export const REVIEW_ROLLUP_BACKFILL = `
      INSERT INTO review_rollup (task_id, user_id, project_id, batch, first_at, first_kind, rejects)
        SELECT p.task_id, p.user_id, t.project_id, t.batch, fa.first_at, fk.kind, p.rejects
          FROM (SELECT s.task_id, s.user_id, SUM(CASE WHEN v.kind = 'rejected' THEN 1 ELSE 0 END) AS rejects
                  FROM verdicts v JOIN submissions s ON s.id = v.submission_id AND s.task_id = v.task_id
                 WHERE v.flag IS NULL GROUP BY s.task_id, s.user_id) p
          JOIN tasks t ON t.id = p.task_id
          LEFT JOIN (SELECT task_id, user_id, MIN(at) AS first_at FROM activity_links
                      WHERE kind = 'task.submitted' AND project_id IS NOT NULL GROUP BY task_id, user_id) fa
            ON fa.task_id = p.task_id AND fa.user_id = p.user_id
          LEFT JOIN (SELECT task_id, user_id, kind FROM (
                       SELECT s.task_id, s.user_id, fv.kind,
                              ROW_NUMBER() OVER (PARTITION BY s.task_id, s.user_id
                                                 ORDER BY s.received_at, s.id, fv.created_at, fv.id) AS r
                         FROM submissions s LEFT JOIN verdicts fv ON fv.submission_id = s.id
                                                                AND fv.task_id = s.task_id AND fv.flag IS NULL) x
                      WHERE r = 1) fk
            ON fk.task_id = p.task_id AND fk.user_id = p.user_id`;

/**
 * Which per-label counts of a submitted task event count (hub migration 13): `data.labels` an
 * object of at most 500 entries, each a label of 1–100 characters with a whole count 1–10⁶;
 * anything else adds nothing. The SQL below and `countedLabels` (activity.ts) say the same.
 */
export const LABEL_LIMITS = { entries: 500, nameChars: 100, count: 1_000_000 } as const;

/** A task event's `data.labels` on PostgreSQL when it is an object, else an empty one. */
const PG_LABELS = `CASE WHEN jsonb_typeof(CAST(a.event AS JSONB) -> 'data' -> 'labels') = 'object'
                        THEN CAST(a.event AS JSONB) -> 'data' -> 'labels' ELSE '{}'::jsonb END`;

/** A label's count on PostgreSQL when it is a number, else NULL (which no comparison passes). */
const PG_COUNT = "(CASE WHEN jsonb_typeof(j.value) = 'number' THEN CAST(j.value AS NUMERIC) END)";

/**
 * A task event's counted labels as rows (label, n) beside its activity_links row `a`. Part of
 * a numbered migration (13): never change it.
 */
export const labelEntries: Record<Dialect, { from: string; where: string }> = {
  sqlite: {
    from: "json_each(a.event, '$.data.labels') j",
    where: `json_type(a.event, '$.data.labels') = 'object' AND j.type = 'integer'
            AND j.value BETWEEN 1 AND ${LABEL_LIMITS.count} AND length(j.key) BETWEEN 1 AND ${LABEL_LIMITS.nameChars}
            AND (SELECT COUNT(*) FROM json_each(a.event, '$.data.labels')) <= ${LABEL_LIMITS.entries}`,
  },
  postgres: {
    from: `LATERAL jsonb_each(${PG_LABELS}) j`,
    // The cast only under the CASE: PostgreSQL may evaluate AND's operands in any order.
    where: `${PG_COUNT} = TRUNC(${PG_COUNT})
            AND ${PG_COUNT} BETWEEN 1 AND ${LABEL_LIMITS.count} AND length(j.key) BETWEEN 1 AND ${LABEL_LIMITS.nameChars}
            AND (SELECT COUNT(*) FROM jsonb_object_keys(${PG_LABELS}) k) <= ${LABEL_LIMITS.entries}`,
  },
};

/**
 * Fills activity_label_quarters from the submitted task events already stored (hub migration
 * 13; also the metrics bench). Part of a numbered migration: never change it.
 */
export const LABEL_QUARTERS_FROM_LINKS: Record<Dialect, string> = {
  sqlite: `
      INSERT INTO activity_label_quarters (project_id, q, user_id, batch, label, n)
        SELECT a.project_id, CAST(a.at AS BIGINT) / 900000, a.user_id, a.batch, j.key, SUM(j.value)
          FROM activity_links a, ${labelEntries.sqlite.from}
         WHERE a.kind = 'task.submitted' AND a.project_id IS NOT NULL AND a.batch IS NOT NULL AND ${labelEntries.sqlite.where}
         GROUP BY a.project_id, CAST(a.at AS BIGINT) / 900000, a.user_id, a.batch, j.key`,
  postgres: `
      INSERT INTO activity_label_quarters (project_id, q, user_id, batch, label, n)
        SELECT a.project_id, CAST(a.at AS BIGINT) / 900000, a.user_id, a.batch, j.key, SUM(CAST(j.value AS NUMERIC))
          FROM activity_links a CROSS JOIN ${labelEntries.postgres.from}
         WHERE a.kind = 'task.submitted' AND a.project_id IS NOT NULL AND a.batch IS NOT NULL AND ${labelEntries.postgres.where}
         GROUP BY a.project_id, CAST(a.at AS BIGINT) / 900000, a.user_id, a.batch, j.key`,
};

/** Migration 13's tables, the same on both engines (the label backfill differs). */
const ROLLUPS_13 = `
      CREATE TABLE review_rollup (
        task_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        project_id TEXT NOT NULL,
        batch TEXT NOT NULL,
        first_at BIGINT,
        first_kind TEXT,
        rejects BIGINT NOT NULL,
        PRIMARY KEY (task_id, user_id)
      );
      ${REVIEW_ROLLUP_BACKFILL};
      CREATE INDEX review_rollup_range ON review_rollup(project_id, first_at, user_id, batch, first_kind, rejects)
        WHERE first_at IS NOT NULL;
      CREATE TABLE activity_label_quarters (
        project_id TEXT NOT NULL,
        q BIGINT NOT NULL,
        user_id TEXT NOT NULL,
        batch TEXT NOT NULL,
        label TEXT NOT NULL,
        n BIGINT NOT NULL,
        PRIMARY KEY (project_id, q, user_id, batch, label)
      );
      CREATE INDEX activity_label_quarters_range ON activity_label_quarters(project_id, q, user_id, label, n)`;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'projects, tasks, assets, users, leases, submissions, mutations, feed',
    sql: `
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        label_config TEXT NOT NULL,
        config_version INTEGER NOT NULL,
        lease_hours DOUBLE PRECISION NOT NULL,
        overlap INTEGER NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE assets (
        sha256 TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        bytes BIGINT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        file_name TEXT NOT NULL
      );
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id),
        seq INTEGER NOT NULL,
        data TEXT NOT NULL,
        predictions TEXT NOT NULL,
        meta TEXT NOT NULL,
        asset_sha256 TEXT REFERENCES assets(sha256),
        lease_epoch INTEGER NOT NULL DEFAULT 0,
        done_count INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        -- A hint for claims: no free slot before this time (0 = maybe free). Never too high.
        full_until BIGINT NOT NULL DEFAULT 0
      );
      CREATE INDEX tasks_open ON tasks(project_id, done, seq);
      CREATE INDEX tasks_asset ON tasks(asset_sha256);
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL UNIQUE,
        feed_seq BIGINT NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE memberships (
        user_id TEXT NOT NULL REFERENCES users(id),
        project_id TEXT NOT NULL,
        role TEXT NOT NULL,
        PRIMARY KEY (user_id, project_id)
      );
      CREATE INDEX memberships_project ON memberships(project_id);
      CREATE TABLE leases (
        task_id TEXT NOT NULL REFERENCES tasks(id),
        epoch INTEGER NOT NULL,
        project_id TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id),
        device_id TEXT NOT NULL,
        state TEXT NOT NULL,
        granted_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (task_id, epoch)
      );
      CREATE INDEX leases_user ON leases(user_id, state, expires_at);
      CREATE INDEX leases_task ON leases(task_id, state);
      CREATE TABLE submissions (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks(id),
        project_id TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id),
        lease_epoch INTEGER NOT NULL,
        annotation TEXT NOT NULL,
        conflict INTEGER NOT NULL,
        superseded INTEGER NOT NULL DEFAULT 0,
        client_submitted_at BIGINT,
        received_at BIGINT NOT NULL
      );
      CREATE INDEX submissions_task ON submissions(task_id);
      CREATE INDEX submissions_project ON submissions(project_id, user_id);
      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        last_seq BIGINT NOT NULL
      );
      CREATE TABLE mutations (
        mutation_id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        kind TEXT NOT NULL,
        task_id TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        conflict INTEGER NOT NULL,
        applied_at BIGINT NOT NULL,
        UNIQUE (client_id, seq)
      );
      CREATE TABLE feed (
        user_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        kind TEXT NOT NULL,
        project_id TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (user_id, seq)
      );
    `,
  },
  {
    version: 2,
    name: 'leases.request_id (a retried lease request gets its leases back); leases_task dropped',
    // leases_task duplicated the primary key's (task_id, …) prefix and cost an index write on
    // every lease insert and state change; lookups by task use the primary key.
    sql: `
      ALTER TABLE leases ADD COLUMN request_id TEXT;
      CREATE INDEX leases_request ON leases(user_id, request_id) WHERE request_id IS NOT NULL;
      DROP INDEX leases_task;
    `,
  },
  {
    version: 3,
    name: 'tasks_claim: the claim scan filters on index columns',
    // The claim walks open tasks in seq order past those already full; with full_until and id in
    // the index those are skipped without reading each task row (tasks_open made every claim
    // re-read the rows all earlier claims had leased).
    sql: `
      CREATE INDEX tasks_claim ON tasks(project_id, done, seq, full_until, id);
      DROP INDEX tasks_open;
    `,
  },
  {
    version: 4,
    name: 'feed rows hold a batch of events (feed.n); PostgreSQL: leases without foreign-key triggers',
    // A claim of 1,000 tasks wrote 1,000 feed rows; one row now carries the batch (seq is its
    // last event's seq, n how many). On PostgreSQL each lease row fired two RI triggers (a
    // per-row lookup of its task and user): a third of the lease insert. The hub inserts leases
    // only for task rows it has just locked in the same transaction, for a signed-in user, and
    // never deletes tasks or users, so the keys held by construction; SQLite keeps its cheap
    // in-process checks (dropping them there means rebuilding the table).
    sql: {
      postgres: `
        ALTER TABLE feed ADD COLUMN n INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE leases DROP CONSTRAINT leases_task_id_fkey;
        ALTER TABLE leases DROP CONSTRAINT leases_user_id_fkey;
      `,
      sqlite: 'ALTER TABLE feed ADD COLUMN n INTEGER NOT NULL DEFAULT 1',
    },
  },
  {
    version: 5,
    name: 'tasks_asset only over tasks that have an asset',
    // A task row is rewritten (not HOT: its claim-index columns change) on every lease and
    // submission, and each rewrite adds an entry to every index; text and comparison tasks
    // have no asset, so their NULL entries in tasks_asset were written for nothing (about a
    // sixth of a 1,000-task lease on PostgreSQL, measured). Asset lookups name a sha256, so
    // the partial index still serves them.
    sql: `
      DROP INDEX tasks_asset;
      CREATE INDEX tasks_asset ON tasks(asset_sha256) WHERE asset_sha256 IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'PostgreSQL: submissions without foreign-key triggers',
    // As for leases (migration 4): each submission row fired two RI lookups (its task, its
    // user). A push inserts submissions only for task rows it has locked FOR UPDATE in the same
    // transaction, for the signed-in user, and the hub never deletes tasks or users.
    sql: {
      postgres: `
        ALTER TABLE submissions DROP CONSTRAINT submissions_task_id_fkey;
        ALTER TABLE submissions DROP CONSTRAINT submissions_user_id_fkey;
      `,
      sqlite: 'SELECT 1',
    },
  },
  {
    version: 7,
    name: 'mutation ids unique per client, not hub-wide; users.stored_bytes (the per-user quota)',
    // A mutation id was unique across the hub, so a user who sent another user's id got
    // `duplicate` and their own mutation was dropped; it is now deduplicated per client (a
    // client belongs to one user). Submission ids (the mutation id) lose their uniqueness with
    // it: two clients may send the same id. stored_bytes counts what a user made the hub store
    // (annotation text and mutation rows), started from what is already there.
    sql: {
      postgres: `
        ALTER TABLE mutations DROP CONSTRAINT mutations_pkey;
        ALTER TABLE mutations ADD PRIMARY KEY (client_id, mutation_id);
        ALTER TABLE submissions DROP CONSTRAINT submissions_pkey;
        ALTER TABLE users ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0;
        UPDATE users SET stored_bytes =
          COALESCE((SELECT SUM(LENGTH(s.annotation)) FROM submissions s WHERE s.user_id = users.id), 0)
          + ${MUTATION_ROW_BYTES} * (SELECT COUNT(*) FROM mutations m JOIN clients c ON c.client_id = m.client_id WHERE c.user_id = users.id)
      `,
      sqlite: `
        CREATE TABLE mutations_v7 (
          mutation_id TEXT NOT NULL,
          client_id TEXT NOT NULL,
          seq BIGINT NOT NULL,
          kind TEXT NOT NULL,
          task_id TEXT NOT NULL,
          status TEXT NOT NULL,
          reason TEXT,
          conflict INTEGER NOT NULL,
          applied_at BIGINT NOT NULL,
          PRIMARY KEY (client_id, mutation_id),
          UNIQUE (client_id, seq)
        );
        INSERT INTO mutations_v7 SELECT mutation_id, client_id, seq, kind, task_id, status, reason, conflict, applied_at FROM mutations;
        DROP TABLE mutations;
        ALTER TABLE mutations_v7 RENAME TO mutations;
        CREATE TABLE submissions_v7 (
          id TEXT NOT NULL,
          task_id TEXT NOT NULL REFERENCES tasks(id),
          project_id TEXT NOT NULL,
          user_id TEXT NOT NULL REFERENCES users(id),
          lease_epoch INTEGER NOT NULL,
          annotation TEXT NOT NULL,
          conflict INTEGER NOT NULL,
          superseded INTEGER NOT NULL DEFAULT 0,
          client_submitted_at BIGINT,
          received_at BIGINT NOT NULL
        );
        INSERT INTO submissions_v7 SELECT id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, client_submitted_at, received_at FROM submissions;
        DROP TABLE submissions;
        ALTER TABLE submissions_v7 RENAME TO submissions;
        CREATE INDEX submissions_task ON submissions(task_id);
        CREATE INDEX submissions_project ON submissions(project_id, user_id);
        ALTER TABLE users ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0;
        UPDATE users SET stored_bytes =
          COALESCE((SELECT SUM(LENGTH(s.annotation)) FROM submissions s WHERE s.user_id = users.id), 0)
          + ${MUTATION_ROW_BYTES} * (SELECT COUNT(*) FROM mutations m JOIN clients c ON c.client_id = m.client_id WHERE c.user_id = users.id)
      `,
    },
  },
  {
    version: 8,
    name: 'batches, review policy, review items and verdicts',
    // Existing tasks join the batch "default". A review item is keyed by the submission it
    // reviews and holds its own lease (one reviewer at a time: reviewer_id, epoch, expires_at);
    // reviews_claim serves the claim's scan in arrival order. Verdicts are kept apart, every
    // one of them (stale and conflicting ones flagged); a fix's annotation is stored there.
    // No new index on tasks: its rows are rewritten on every lease and submission.
    sql: `
      ALTER TABLE tasks ADD COLUMN batch TEXT NOT NULL DEFAULT 'default';
      ALTER TABLE projects ADD COLUMN review_policy TEXT NOT NULL DEFAULT '"none"';
      ALTER TABLE projects ADD COLUMN reject_reasons TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE reviews (
        submission_id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        project_id TEXT NOT NULL,
        batch TEXT NOT NULL,
        author_id TEXT NOT NULL,
        status TEXT NOT NULL,
        reworked INTEGER NOT NULL DEFAULT 0,
        reviewer_id TEXT,
        epoch INTEGER NOT NULL DEFAULT 0,
        device_id TEXT,
        request_id TEXT,
        expires_at BIGINT NOT NULL DEFAULT 0,
        verdict_id TEXT,
        created_at BIGINT NOT NULL,
        -- Its place in the push that made it: items are reviewed in arrival order.
        pos INTEGER NOT NULL,
        decided_at BIGINT
      );
      CREATE INDEX reviews_claim ON reviews(project_id, status, created_at, pos);
      CREATE INDEX reviews_task ON reviews(task_id);
      CREATE INDEX reviews_reviewer ON reviews(reviewer_id, request_id) WHERE reviewer_id IS NOT NULL;
      CREATE TABLE verdicts (
        id TEXT PRIMARY KEY,
        submission_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        project_id TEXT NOT NULL,
        reviewer_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT,
        note TEXT,
        comments TEXT NOT NULL,
        annotation TEXT,
        active_ms BIGINT NOT NULL,
        flag TEXT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX verdicts_task ON verdicts(task_id)
    `,
  },
  {
    version: 9,
    name: 'quality: gold tasks and answers, gold scores, lots and their items, per-task consensus',
    // Gold tasks are ordinary task rows (same ids, data and assets as any) flagged tasks.gold, so
    // the claim's scan leaves them out and leasing mixes them in at projects.gold_rate; their
    // answers live apart (gold_answers) and never reach a lease. A lot records its plan and its
    // seed; lot_items lists every member (sampled or not) as it stood when the lot was made, so
    // anyone can redraw the sample. `consensus` caches per task what agreement and consensus
    // need (sig: the submissions and review states it was computed from); export reads it.
    sql: `
      ALTER TABLE tasks ADD COLUMN gold INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE projects ADD COLUMN gold_rate DOUBLE PRECISION NOT NULL DEFAULT 0;
      CREATE TABLE gold_answers (
        task_id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        annotation TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE gold_scores (
        submission_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        project_id TEXT NOT NULL,
        score DOUBLE PRECISION,
        detail TEXT NOT NULL,
        scored_at BIGINT NOT NULL,
        PRIMARY KEY (submission_id, user_id)
      );
      CREATE INDEX gold_scores_project ON gold_scores(project_id, user_id);
      CREATE TABLE lots (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        batch TEXT NOT NULL,
        lot_size INTEGER NOT NULL,
        level TEXT NOT NULL,
        aql DOUBLE PRECISION NOT NULL,
        code_letter TEXT NOT NULL,
        plan_letter TEXT NOT NULL,
        sample_size INTEGER NOT NULL,
        ac INTEGER NOT NULL,
        re INTEGER NOT NULL,
        inspect_all INTEGER NOT NULL,
        seed BIGINT NOT NULL,
        algorithm TEXT NOT NULL,
        status TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        decided_at BIGINT
      );
      CREATE INDEX lots_project ON lots(project_id, created_at);
      CREATE TABLE lot_items (
        lot_id TEXT NOT NULL,
        submission_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        sampled INTEGER NOT NULL,
        draw TEXT NOT NULL,
        PRIMARY KEY (lot_id, submission_id)
      );
      CREATE INDEX lot_items_submission ON lot_items(submission_id);
      CREATE TABLE consensus (
        task_id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        sig TEXT NOT NULL,
        k INTEGER NOT NULL,
        status TEXT NOT NULL,
        annotation TEXT,
        reasons TEXT NOT NULL,
        figures TEXT NOT NULL,
        computed_at BIGINT NOT NULL
      );
      CREATE INDEX consensus_project ON consensus(project_id)
    `,
  },
  {
    version: 10,
    name: 'activity chains, their task events and flags',
    // One chain per workbench (issue 13.3), bound to the user who first sent it; its head is
    // what the next link must continue. activity_links keeps every link's event text (for
    // audit) and, for task events, the columns the team figures aggregate over (SQL, never
    // loading rows): activity_outcomes serves a project's date range, per user.
    sql: `
      CREATE TABLE activity_chains (
        chain_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        head_seq BIGINT NOT NULL,
        head_hash TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE activity_links (
        chain_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        task_id TEXT,
        project_id TEXT,
        batch TEXT,
        at BIGINT NOT NULL,
        active_ms BIGINT NOT NULL DEFAULT 0,
        wall_ms BIGINT NOT NULL DEFAULT 0,
        regions INTEGER NOT NULL DEFAULT 0,
        spans INTEGER NOT NULL DEFAULT 0,
        event TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (chain_id, seq)
      );
      CREATE INDEX activity_outcomes ON activity_links(project_id, at, user_id) WHERE kind IN ('task.submitted', 'task.skipped');
      CREATE TABLE activity_flags (
        chain_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        kind TEXT NOT NULL,
        user_id TEXT NOT NULL,
        project_id TEXT,
        task_id TEXT,
        detail TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (chain_id, seq, kind)
      );
      CREATE INDEX activity_flags_user ON activity_flags(user_id, at)
    `,
  },
  {
    version: 11,
    name: 'asset access: authors may see their finished work again',
    // Issue 16.3: while on (the default), the author of a submission may fetch its task's image
    // after the lease ended; a project whose client requires removal at lease end turns it off.
    sql: 'ALTER TABLE projects ADD COLUMN author_assets INTEGER NOT NULL DEFAULT 1',
  },
  {
    version: 12,
    name: 'team figures: quarter-hour rollup of task events, quantile and review indexes',
    // Issue 13 bench: the lead's team view over 900,000 task events must answer in < 500 ms.
    // activity_quarters sums a project's submissions and skips per user, batch and quarter hour
    // (q = at / 900 000 ms; every time zone's midnight falls on a quarter hour), maintained in
    // the transaction that stores the links; the team table and daily series read it, and only
    // a range's ragged ends from activity_links. activity_quantiles lets the median and p90 be
    // read by rank from an index (no sort); activity_task_first finds a reviewed task's first
    // submission in the chain without scanning the project.
    sql: `
      CREATE TABLE activity_quarters (
        project_id TEXT NOT NULL,
        q BIGINT NOT NULL,
        user_id TEXT NOT NULL,
        batch TEXT NOT NULL,
        submitted BIGINT NOT NULL,
        skipped BIGINT NOT NULL,
        active_ms BIGINT NOT NULL,
        regions BIGINT NOT NULL,
        spans BIGINT NOT NULL,
        PRIMARY KEY (project_id, q, user_id, batch)
      );
      ${QUARTERS_FROM_LINKS};
      CREATE INDEX activity_quantiles ON activity_links(project_id, user_id, active_ms, at, batch) WHERE kind = 'task.submitted';
      CREATE INDEX activity_task_first ON activity_links(project_id, task_id, user_id, at) WHERE kind = 'task.submitted';
      CREATE INDEX verdicts_project ON verdicts(project_id, submission_id)
    `,
  },
  {
    version: 13,
    name: 'team figures: per-task review rollup, per-label quarter-hour rollup',
    // Issue 13 bench: the review figures joined a project's verdicts, submissions and task
    // events at query time (660 ms of the 30-day team view). review_rollup keeps, per task and
    // author with an applied verdict, what those figures need (the first submission's time in
    // the chain, the first version's earliest applied verdict, the rejects), kept in the
    // transaction that writes verdicts or task events. activity_label_quarters sums the
    // submissions' per-label counts like activity_quarters (issue 13.4, "per label counts").
    sql: {
      sqlite: `${ROLLUPS_13};\n${LABEL_QUARTERS_FROM_LINKS.sqlite}`,
      postgres: `${ROLLUPS_13};\n${LABEL_QUARTERS_FROM_LINKS.postgres}`,
    },
  },
  {
    version: 14,
    name: 'quality report: covering index of submissions, gold task index, lz4 for per-task rows',
    // Issue 12 bench (a report over 10,000 tasks × 3 submissions in < 2 s). The report's reads of
    // a project's submissions — which are standing, in task order (refresh), the change mark
    // (counts, flags, last arrival) and the lot sizes — are served from this index alone instead
    // of reading every row with its annotation; tasks_gold lists a project's (few) gold tasks
    // without reading its task rows. On PostgreSQL a consensus row (an averaged
    // annotation and its figures, ~2 KB) is over the TOAST threshold and was compressed with
    // pglz, most of the server's time for the report's write; lz4 does it several times faster
    // (and reads back faster). Where the server was built without lz4 (PGlite) the default stays.
    sql: {
      sqlite: `
        CREATE INDEX submissions_quality ON submissions(project_id, task_id, user_id, id, superseded, conflict, received_at);
        CREATE INDEX tasks_gold ON tasks(project_id, id) WHERE gold = 1`,
      postgres: `
        CREATE INDEX submissions_quality ON submissions(project_id, task_id, user_id, id, superseded, conflict, received_at);
        CREATE INDEX tasks_gold ON tasks(project_id, id) WHERE gold = 1;
        DO $$ BEGIN
          EXECUTE 'ALTER TABLE consensus ALTER COLUMN annotation SET COMPRESSION lz4, ALTER COLUMN figures SET COMPRESSION lz4';
        EXCEPTION WHEN feature_not_supported THEN NULL;
        END $$`,
    },
  },
];

/** A migration's statements: split at `;`, but not inside a `$$ … $$` body (a DO block). */
export const statementsOf = (sql: string): string[] => {
  const out = [''];
  sql.split('$$').forEach((part, i) => {
    if (i % 2 === 1) {
      out[out.length - 1] += `$$${part}$$`;
      return;
    }
    const [first = '', ...rest] = part.split(';');
    out[out.length - 1] += first;
    out.push(...rest);
  });
  return out.map((s) => s.trim()).filter(Boolean);
};

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Applies pending migrations in one transaction each. On PostgreSQL an advisory lock makes
 * several hub processes starting together take turns. A database newer than this build is
 * refused rather than touched. `target` (tests) stops at an older version.
 */
export const migrate = async (db: SqlDriver, target = LATEST_VERSION): Promise<number> => {
  return db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(727274)');
    await tx.run(
      'CREATE TABLE IF NOT EXISTS hub_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const row = await tx.get('SELECT MAX(version) AS v FROM hub_migrations');
    const current = Number(row?.v ?? 0);
    if (current > LATEST_VERSION) {
      throw new Error(
        `hub database schema is version ${current}, newer than this hub (${LATEST_VERSION}); upgrade the hub`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current || m.version > target) continue;
      const sql = typeof m.sql === 'string' ? m.sql : m.sql[db.dialect];
      for (const stmt of statementsOf(sql)) await tx.run(stmt);
      // Applied-at is bookkeeping only, not protocol logic, so wall time is fine here.
      await tx.run('INSERT INTO hub_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
    return Math.max(current, Math.min(target, LATEST_VERSION));
  });
};
