import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from './open';
import { Annotation } from '../../../shared/model';
import { OutboxRow, jsonColumn, parseRow, type OutboxKind } from './rows';

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

const JoinedAnnotation = z.object({ submission_annotation: jsonColumn(Annotation) });

/** The outbox's statements (tests check their query plans). */
export const OUTBOX_SQL = {
  // A submit row's annotation is stored once, in its submission, and joined back in here.
  drain: `SELECT outbox.*, submissions.annotation AS submission_annotation FROM outbox
         LEFT JOIN submissions ON submissions.seq = outbox.submission_seq
         WHERE outbox.client_id = ? ORDER BY outbox.seq LIMIT ?`,
  ack: 'DELETE FROM outbox WHERE mutation_id = ?',
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
   * `submission` (the submission's seq, inserted in the same transaction), the stored payload
   * leaves out `annotation` and `peek` reads it from that submission: the annotation is written
   * once per submit, not twice.
   */
  append(
    kind: OutboxKind,
    taskId: string,
    payload: Record<string, unknown>,
    at: number,
    submission?: { seq: number },
  ): OutboxEntry {
    if (!this.db.inTransaction) throw new Error('Outbox.append must run inside a transaction');
    const clientId = this.clientId();
    const bumped = this.bumpSeq.get(clientId);
    if (!bumped) throw new Error(`outbox client ${clientId} vanished`);
    const mutationId = randomUUID();
    let stored = payload;
    if (submission) {
      const { annotation: _joined, ...rest } = payload;
      stored = rest;
    }
    this.insert.run(mutationId, clientId, bumped.last_seq, kind, taskId, submission?.seq ?? null, JSON.stringify(stored), at);
    return { id: bumped.last_seq, mutationId, clientId, seq: bumped.last_seq, kind, taskId, payload, createdAt: at };
  }

  /** The oldest `limit` mutations, in seq order: the order push must send them. */
  peek(limit = 100): OutboxEntry[] {
    return this.peekStmt.all(this.clientId(), limit).map((r) => {
      const row = parseRow(OutboxRow, 'outbox', r);
      const payload =
        row.submission_annotation === null
          ? row.payload
          : { ...row.payload, annotation: parseRow(JoinedAnnotation, 'outbox', r).submission_annotation };
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

  /** Deletes mutations the hub acknowledged (applied, duplicate or rejected), in one transaction. */
  ack(mutationIds: readonly string[]): number {
    let n = 0;
    this.db.transaction(() => {
      for (const id of mutationIds) n += this.deleteStmt.run(id).changes;
    })();
    return n;
  }

  size(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
