import type { PushResponse } from '../../shared/sync';
import type { SqlExecutor } from './driver';
import { StorageRefusal } from './errors';
import type { PushBatch } from './types';

/**
 * What one stored mutation row is charged against its user's quota, whatever its status (a
 * rejected mutation is kept too, to answer its retries): its ids and columns, rounded up.
 */
export const MUTATION_ROW_BYTES = 200;

/** What one user may make the hub store; the hub's `serve` flags set it. */
export interface PushLimits {
  /** Annotation text plus mutation rows, over all of the user's pushes. */
  userStoredBytes: number;
}

const MIB = 1024 * 1024;

/**
 * Adds what this push stored to its user's `stored_bytes`, inside the push's transaction; past
 * the limit the push is refused whole (PAYLOAD_TOO_LARGE, 413) and rolls back, so a user at
 * their quota stores nothing more. Duplicates and reused seqs store nothing and cost nothing.
 */
export const chargePush = async (
  tx: SqlExecutor,
  req: PushBatch,
  out: Pick<PushResponse, 'answers'>,
  limits: PushLimits,
): Promise<void> => {
  const texts = await req.annotations;
  const atOf = new Map(req.mutations.map((m) => [m.mutationId, m.at]));
  let bytes = 0;
  for (const a of out.answers) {
    if (a.status === 'duplicate' || (a.status === 'rejected' && a.reason === 'SEQ_REUSED')) continue;
    bytes += MUTATION_ROW_BYTES;
    const at = atOf.get(a.mutationId);
    if (a.status === 'applied' && at !== undefined) bytes += texts[at]?.length ?? 0;
  }
  if (bytes === 0) return;
  const row = await tx.get(
    'UPDATE users SET stored_bytes = stored_bytes + ? WHERE id = ? RETURNING stored_bytes',
    [bytes, req.userId],
  );
  const total = Number(row?.stored_bytes ?? 0);
  if (total > limits.userStoredBytes) {
    throw new StorageRefusal(
      'PAYLOAD_TOO_LARGE',
      `this push would bring what you have stored on the hub to ${(total / MIB).toFixed(1)} MiB, over the ${(
        limits.userStoredBytes / MIB
      ).toFixed(
        1,
      )} MiB each user may store (annotations and mutation records); ask the hub's admin to raise --max-user-storage-mb`,
    );
  }
};
