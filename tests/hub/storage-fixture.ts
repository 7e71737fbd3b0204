import { afterEach, beforeEach } from 'vitest';
import { pushBatchOf } from '../../src/hub/push/decode';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import type { LeasedReview, Mutation, MutationAnswer } from '../../src/shared/sync';
import { T0 } from './helpers';

/** Opens a fresh storage on one engine (SQLite file, PostgreSQL schema) and how to remove it. */
export type OpenStorage = () => Promise<{ storage: SqlStorage; drop: () => Promise<void> }>;

/**
 * What the cross-engine suites (review, quality) share: a fresh storage per test, closed and
 * dropped after it; pushes through each user's own client (`c-<user>`) with sequence numbers
 * counted as that client would; a review item as a verdict refers to it. Call inside a
 * `describe`; `fx.s` is the test's storage once its `beforeEach` has run.
 */
export const storageFixture = (open: OpenStorage) => {
  const seqs = new Map<string, number>();
  let drop: () => Promise<void> = async () => {};
  const fx = {
    s: undefined as unknown as SqlStorage,
    /** Pushes `user`'s mutations through their own client; `seq()` numbers them in order. */
    push: async (
      user: string,
      make: (seq: () => number) => Mutation[],
      now = T0,
    ): Promise<MutationAnswer[]> => {
      const client = `c-${user}`;
      const next = (): number => {
        const n = (seqs.get(client) ?? 0) + 1;
        seqs.set(client, n);
        return n;
      };
      return (await fx.s.push(pushBatchOf({ userId: user, clientId: client, mutations: make(next) }), now))
        .answers;
    },
    /** A leased review item as a verdict names it. */
    ref: (r: LeasedReview | undefined) => ({
      taskId: r?.taskId ?? '',
      epoch: r?.epoch ?? 0,
      submissionId: r?.submissionId ?? '',
    }),
  };
  beforeEach(async () => {
    ({ storage: fx.s, drop } = await open());
    seqs.clear();
  });
  afterEach(async () => {
    await fx.s.close();
    await drop();
  });
  return fx;
};
