import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Statement } from 'better-sqlite3';
import type { Db } from './open';
import { AppError } from '../../../shared/contract';
import { Annotation } from '../../../shared/model';
import { OutboxRow, OutboxWireRow, jsonColumn, parseRow, type OutboxKind } from './rows';

export type OutboxEntry = {
  /** Same as `seq` since schema v3 (the table is keyed by client and seq). */
  id: number;
  mutationId: string;
  clientId: string;
  seq: number;
  kind: OutboxKind;
  taskId: string;
  payload: Record<string, unknown>;
  createdAt: number;
};

/**
 * A row as push sends it: the annotation as the JSON text stored with its submission, ready to
 * splice into a request body; `payload` holds the other fields (never the annotation).
 */
export type OutboxWireEntry = Omit<OutboxEntry, 'payload' | 'id'> & {
  payload: Record<string, unknown>;
  /** Submit rows: the annotation's JSON text, checked against the Annotation schema. */
  annotationJson: string | null;
  /** The lease epoch the row's task holds now (null: not leased from a hub). */
  leaseEpoch: number | null;
};

const JoinedAnnotation = z.object({ submission_annotation: jsonColumn(Annotation) });
const PayloadAnnotation = z.object({ payload: z.object({ annotation: Annotation }) });

/** The digest a submit row keeps of its submission's annotation text (base64 sha256). */
export const annotationDigest = (text: string): string => createHash('sha256').update(text).digest('base64');

/** The outbox's statements (tests check their query plans). */
export const OUTBOX_SQL = {
  // A submit row's annotation is stored once, in its submission, and joined back in here.
  drain: `SELECT outbox.*, submissions.annotation AS submission_annotation FROM outbox
         LEFT JOIN submissions ON submissions.seq = outbox.submission_seq
         WHERE outbox.client_id = ? ORDER BY outbox.seq LIMIT ?`,
  // Push reads a batch after the last seq it has in flight; the task's lease epoch comes along
  // (a verdict's: its review item's, since the reviewed task is no local task).
  read: `SELECT outbox.seq, outbox.mutation_id, outbox.client_id, outbox.kind, outbox.task_id, outbox.payload,
           outbox.created_at, submissions.annotation AS submission_annotation,
           CASE WHEN outbox.kind LIKE 'review.%'
             THEN (SELECT epoch FROM review_items WHERE submission_id = json_extract(outbox.payload, '$.submissionId'))
             ELSE tasks.hub_lease_epoch END AS lease_epoch
         FROM outbox
         LEFT JOIN submissions ON submissions.seq = outbox.submission_seq
         LEFT JOIN tasks ON tasks.id = outbox.task_id
         WHERE outbox.client_id = ? AND outbox.seq > ? ORDER BY outbox.seq LIMIT ?`,
  // One statement per answered batch (a JSON array of mutation ids).
  ack: 'DELETE FROM outbox WHERE mutation_id IN (SELECT value FROM json_each(?))',
  // The last seq per client lives in `counters` (key `outbox.<client_id>`), apart from the outbox
  // so acked (deleted) rows never let a seq be reused.
  bumpSeq: "UPDATE counters SET n = n + 1 WHERE key = 'outbox.' || ? RETURNING n AS last_seq",
} as const;

/**
 * Mutations waiting for the hub. `append` must run inside the caller's transaction (with the local
 * change it describes); seq is dense per client and never reused, even after rows are acked.
 */
export class Outbox {
  private readonly selectClient;
  private readonly insertClient;
  private readonly bumpSeq;
  private readonly insert;
  private readonly peekStmt;
  /** Prepared on first use: it names schema v8's review_items (older schemas never push). */
  private readStmt: Statement<[string, number, number]> | null = null;
  private readonly deleteStmt;
  private readonly countStmt;
  private readonly client: string;

  constructor(private readonly db: Db) {
    this.selectClient = db.prepare<[], { client_id: string }>('SELECT client_id FROM outbox_clients LIMIT 1');
    const insertClient = db.prepare<[string]>('INSERT INTO outbox_clients (client_id) VALUES (?)');
    const insertCounter = db.prepare<[string]>("INSERT INTO counters (key, n) VALUES ('outbox.' || ?, 0)");
    this.insertClient = db.transaction((id: string) => {
      insertClient.run(id);
      insertCounter.run(id);
    });
    this.bumpSeq = db.prepare<[string], { last_seq: number }>(OUTBOX_SQL.bumpSeq);
    this.insert = db.prepare<[string, string, number, OutboxKind, string, number | null, string, number]>(
      `INSERT INTO outbox (mutation_id, client_id, seq, kind, task_id, submission_seq, payload, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.peekStmt = db.prepare<[string, number]>(OUTBOX_SQL.drain);
    this.deleteStmt = db.prepare<[string]>(OUTBOX_SQL.ack);
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox');
    // Created up front, in its own commit: an id made inside a later transaction could be rolled
    // back with it while still cached here.
    const row = this.selectClient.get();
    if (row) {
      this.client = row.client_id;
    } else {
      this.client = randomUUID();
      this.insertClient(this.client);
    }
  }

  /** This workspace's sync client id (one per database file). */
  clientId(): string {
    return this.client;
  }

  /**
   * Adds one mutation; call inside the transaction that makes the local change. With
   * `submission` (the submission's seq, inserted in the same transaction, and the JSON text of
   * its annotation as stored there), the stored payload leaves out `annotation` and `peek` reads
   * it from that submission: the annotation is written once per submit, not twice. The row keeps
   * a digest of that text, so `read` can send it without parsing it again. The annotation was
   * parsed by the contract's schema at the boundary (`tasks.submit`); it is not checked twice.
   */
  append(
    kind: OutboxKind,
    taskId: string,
    payload: Record<string, unknown>,
    at: number,
    submission?: { seq: number; annotationJson: string },
  ): OutboxEntry {
    if (!this.db.inTransaction) throw new Error('Outbox.append must run inside a transaction');
    const clientId = this.clientId();
    const bumped = this.bumpSeq.get(clientId);
    if (!bumped) throw new Error(`outbox client ${clientId} vanished`);
    const mutationId = randomUUID();
    let stored = payload;
    if (submission) {
      const { annotation: _inSubmission, ...rest } = payload;
      stored = { ...rest, annotationSha256: annotationDigest(submission.annotationJson) };
    }
    this.insert.run(
      mutationId,
      clientId,
      bumped.last_seq,
      kind,
      taskId,
      submission?.seq ?? null,
      JSON.stringify(stored),
      at,
    );
    return {
      id: bumped.last_seq,
      mutationId,
      clientId,
      seq: bumped.last_seq,
      kind,
      taskId,
      payload,
      createdAt: at,
    };
  }

  /** The oldest `limit` mutations, in seq order: the order push must send them. */
  peek(limit = 100): OutboxEntry[] {
    return this.peekStmt.all(this.clientId(), limit).map((r) => {
      const row = parseRow(OutboxRow, 'outbox', r);
      // The digest is how this table checks itself, not part of the mutation.
      const { annotationSha256: _digest, ...stored } = row.payload;
      const payload =
        row.submission_annotation === null
          ? stored
          : { ...stored, annotation: parseRow(JoinedAnnotation, 'outbox', r).submission_annotation };
      return {
        id: row.seq,
        mutationId: row.mutation_id,
        clientId: row.client_id,
        seq: row.seq,
        kind: row.kind,
        taskId: row.task_id,
        payload,
        createdAt: row.created_at,
      };
    });
  }

  /**
   * Up to `limit` mutations after seq `afterSeq`, in seq order, for the wire. Each row is checked
   * at this boundary, cheaply: its columns by schema, and a submit's annotation text by the
   * digest written with it (text the Annotation schema accepted when it was stored). A row
   * without a matching digest (older rows, or changed since) has its annotation parsed in full.
   */
  read(afterSeq: number, limit: number): OutboxWireEntry[] {
    this.readStmt ??= this.db.prepare<[string, number, number]>(OUTBOX_SQL.read);
    return this.readStmt.all(this.clientId(), afterSeq, limit).map((r) => {
      const row = parseRow(OutboxWireRow, 'outbox', r);
      let payload: unknown;
      try {
        payload = JSON.parse(row.payload);
      } catch {
        payload = null;
      }
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        throw new AppError(
          'INTERNAL',
          `unreadable outbox row ${row.seq}: payload: not a JSON object`,
          'payload',
        );
      }
      const { annotation: inline, annotationSha256: digest, ...rest } = payload as Record<string, unknown>;
      let annotationJson: string | null = null;
      if (row.submission_annotation !== null) {
        annotationJson =
          digest === annotationDigest(row.submission_annotation)
            ? row.submission_annotation
            : JSON.stringify(parseRow(JoinedAnnotation, 'outbox', r).submission_annotation);
      } else if (inline !== undefined) {
        // Rows written before schema v3 carry the annotation in their payload; so does a fix (review).
        annotationJson = JSON.stringify(
          parseRow(PayloadAnnotation, 'outbox', { task_id: row.task_id, payload: { annotation: inline } })
            .payload.annotation,
        );
      }
      return {
        mutationId: row.mutation_id,
        clientId: row.client_id,
        seq: row.seq,
        kind: row.kind,
        taskId: row.task_id,
        payload: rest,
        annotationJson,
        leaseEpoch: row.lease_epoch,
        createdAt: row.created_at,
      };
    });
  }

  /** Deletes mutations the hub acknowledged (applied, duplicate or rejected), in one statement. */
  ack(mutationIds: readonly string[]): number {
    if (mutationIds.length === 0) return 0;
    return this.deleteStmt.run(JSON.stringify(mutationIds)).changes;
  }

  size(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
