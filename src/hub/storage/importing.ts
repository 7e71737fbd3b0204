import { createHash, randomUUID } from 'node:crypto';
import type { SqlExecutor } from './driver';

/** A finished annotation brought from another tool (a Label Studio export), by a named annotator. */
export interface ImportedSubmission {
  taskId: string;
  annotator: string;
  /** The annotation as JSON text, already checked against the shared Annotation schema. */
  annotation: string;
  receivedAt: number;
}

/**
 * Stores imported work as submissions (lease epoch 0: no lease was ever given) and counts them
 * towards their tasks' overlap (done once it is reached). Annotators named by the source that have no account get one whose token hash
 * matches no token (an admin gives them a token with `user add` semantics later if wanted).
 */
export const insertImported = async (
  tx: SqlExecutor,
  projectId: string,
  imported: readonly ImportedSubmission[],
  now: number,
): Promise<void> => {
  const users = new Map<string, string>();
  for (const name of new Set(imported.map((s) => s.annotator))) {
    const row = await tx.get('SELECT id FROM users WHERE name = ?', [name]);
    let id = row ? String(row.id) : undefined;
    if (!id) {
      id = randomUUID();
      const unusable = createHash('sha256').update(`imported:${randomUUID()}`).digest('hex');
      await tx.run('INSERT INTO users (id, name, token_hash, feed_seq, created_at) VALUES (?, ?, ?, 0, ?)', [
        id,
        name,
        `imported-${unusable}`,
        now,
      ]);
    }
    users.set(name, id);
  }
  for (const s of imported) {
    await tx.run(
      'INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, client_submitted_at, received_at) VALUES (?, ?, ?, ?, 0, ?, 0, 0, NULL, ?)',
      [randomUUID(), s.taskId, projectId, users.get(s.annotator), s.annotation, s.receivedAt],
    );
    await tx.run(
      'UPDATE tasks SET done_count = done_count + 1, done = CASE WHEN done_count + 1 >= (SELECT overlap FROM projects WHERE id = ?) THEN 1 ELSE done END WHERE id = ?',
      [projectId, s.taskId],
    );
  }
};
