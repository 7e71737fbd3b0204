import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutation, MutationAnswer } from '../../src/shared/sync';
import { migrate } from '../../src/hub/storage/migrations';
import { SqliteDriver } from '../../src/hub/storage/sqlite-driver';
import { SqlStorage } from '../../src/hub/storage/sql-storage';
import { mutation, openPgStorage, PG_URL, seed, submit, T0 } from './helpers';
import { pushBatchOf } from '../../src/hub/push/decode';

type Plan = 'submit' | 'skip' | 'release' | 'resubmit';
interface Attempt {
  client: 0 | 1;
  picks: number[];
  answerLost: boolean;
  /** Sent together with the next attempt (two pushes in flight at once). */
  parallel: boolean;
}

const planArb = fc.array(fc.constantFrom<Plan>('submit', 'skip', 'release', 'resubmit'), {
  minLength: 2,
  maxLength: 5,
});
const attemptsArb = fc.array(
  fc.record({
    client: fc.constantFrom<0 | 1>(0, 1),
    picks: fc.array(fc.nat(20), { minLength: 1, maxLength: 8 }),
    answerLost: fc.boolean(),
    parallel: fc.boolean(),
  }),
  { maxLength: 12 },
);

let run = 0;

/**
 * Random delivery of two clients' outboxes: subsets in any order, duplicates, lost answers,
 * concurrent pushes, then a final in-order flush. Every mutation must take effect exactly once.
 */
const exactlyOnce = async (s: SqlStorage, plans: [Plan[], Plan[]], attempts: Attempt[]): Promise<void> => {
  const r = `r${++run}`;
  const users = [`${r}-ann`, `${r}-bob`];
  const { projectId } = await seed(s, {
    projectId: r,
    tasks: plans[0].length + plans[1].length,
    users: { [users[0] ?? '']: 'annotator', [users[1] ?? '']: 'annotator' },
  });
  const outboxes: Mutation[][] = [];
  for (const c of [0, 1] as const) {
    const user = users[c] ?? '';
    const clientId = `${r}-client-${c}`;
    const leases = await s.claim({ userId: user, deviceId: clientId, projectId, count: plans[c].length }, T0);
    const out: Mutation[] = [];
    plans[c].forEach((p, i) => {
      const l = leases[i];
      if (!l) throw new Error('lease missing');
      const seq = () => out.length + 1;
      if (p === 'skip' || p === 'release') out.push(mutation(p, clientId, seq(), l.taskId, l.epoch));
      else out.push(submit(clientId, seq(), l.taskId, l.epoch));
      if (p === 'resubmit') out.push(submit(clientId, seq(), l.taskId, l.epoch));
    });
    outboxes.push(out);
  }
  const acked = [new Set<string>(), new Set<string>()];
  const firstAnswers = new Map<string, MutationAnswer[]>();
  const send = async (c: 0 | 1, muts: Mutation[], lost: boolean): Promise<void> => {
    if (muts.length === 0) return;
    const res = await s.push(
      pushBatchOf({ userId: users[c] ?? '', clientId: muts[0]?.clientId ?? '', mutations: muts }),
      T0 + 1,
    );
    for (const a of res.answers) {
      if (a.status !== 'duplicate' && !(a.status === 'rejected' && a.reason === 'SEQ_REUSED'))
        firstAnswers.set(a.mutationId, [...(firstAnswers.get(a.mutationId) ?? []), a]);
      if (!lost) acked[c]?.add(a.mutationId);
    }
  };
  for (let i = 0; i < attempts.length; i++) {
    const batch = (a: Attempt) =>
      a.picks
        .map((k) => outboxes[a.client]?.[k % (outboxes[a.client]?.length ?? 1)])
        .filter((m): m is Mutation => m !== undefined);
    const a = attempts[i] as Attempt;
    const b = attempts[i + 1];
    if (a.parallel && b) {
      await Promise.all([send(a.client, batch(a), a.answerLost), send(b.client, batch(b), b.answerLost)]);
      i++;
    } else await send(a.client, batch(a), a.answerLost);
  }
  // Quiescence: each client resends what is unacknowledged, in order, until all is answered.
  for (const c of [0, 1] as const) {
    for (let round = 0; round < 5 && acked[c]!.size < outboxes[c]!.length; round++) {
      await send(
        c,
        outboxes[c]!.filter((m) => !acked[c]!.has(m.mutationId)),
        false,
      );
    }
    expect(acked[c]!.size).toBe(outboxes[c]!.length);
  }
  for (const m of outboxes.flat()) {
    const answers = firstAnswers.get(m.mutationId) ?? [];
    expect(answers, `${m.kind} seq ${m.seq}`).toHaveLength(1);
    expect(answers[0]?.status).toBe('applied');
  }
  // The effect, per task: one live submission for submitted tasks, none for skipped/released.
  for (const c of [0, 1] as const) {
    const byTask = new Map<string, Mutation[]>();
    for (const m of outboxes[c]!) byTask.set(m.taskId, [...(byTask.get(m.taskId) ?? []), m]);
    for (const [taskId, ms] of byTask) {
      const subs = await s.submissions(taskId);
      const submits = ms.filter((m) => m.kind === 'submit');
      expect(subs).toHaveLength(submits.length);
      expect(subs.filter((x) => !x.superseded && !x.conflict).map((x) => x.id)).toEqual(
        submits.slice(-1).map((m) => m.mutationId),
      );
    }
  }
  const p = await s.progress(projectId, T0 + 2);
  expect(p.done).toBe(plans.flat().filter((x) => x === 'submit' || x === 'resubmit').length);
  expect(p.skips).toBe(plans.flat().filter((x) => x === 'skip').length);
};

const property = (open: () => Promise<SqlStorage>, numRuns: number) => async () => {
  const s = await open();
  try {
    await fc.assert(
      fc.asyncProperty(fc.tuple(planArb, planArb), attemptsArb, (plans, attempts) =>
        exactlyOnce(s, plans, attempts),
      ),
      { numRuns, seed: Number(process.env.FC_SEED ?? 20261128), verbose: 1 },
    );
  } finally {
    await s.close();
  }
};

describe('push is exactly-once under random orders, duplicates, retries and concurrency', () => {
  it(
    'on SQLite',
    property(async () => {
      const d = new SqliteDriver(':memory:');
      await migrate(d);
      return new SqlStorage(d);
    }, 60),
  );

  describe('on PostgreSQL', () => {
    let pgStorage: Awaited<ReturnType<typeof openPgStorage>> | undefined;
    beforeAll(async () => {
      if (PG_URL) pgStorage = await openPgStorage();
    }, 60_000);
    afterAll(async () => pgStorage?.drop());
    it.skipIf(!PG_URL)(
      'against the server at OUTRIGGER_PG_URL (PGlite is covered by the storage suite)',
      async () => {
        const s = pgStorage?.storage;
        if (!s) throw new Error('no storage');
        await property(async () => s, 25)();
      },
    );
  });
});
