import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushBatchOf } from '../../src/hub/push/decode';
import { LABEL_QUARTERS_FROM_LINKS, REVIEW_ROLLUP_BACKFILL } from '../../src/hub/storage/migrations';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import {
  appendLinks,
  genesisHead,
  summarize,
  type ActivityChainEvent,
  type ChainLink,
} from '../../src/shared/metrics';
import { HOUR, T0, labelled, outcome, seed, submit, verdict } from './helpers';

type Link = ChainLink<ActivityChainEvent>;

const presence = (at: number): ActivityChainEvent => ({
  type: 'presence',
  session: 's1',
  signals: [{ k: 'input', at, mono: at - T0, w: 'w1' }],
});

const chain = (chainId: string, events: ActivityChainEvent[]): Link[] =>
  appendLinks(genesisHead(chainId), events).links;

/** Activity chains on the hub (issue 13.3–13.4), on SQLite and PostgreSQL. */
export const activitySuite = (
  name: string,
  open: () => Promise<{ storage: SqlStorage; drop: () => Promise<void> }>,
): void => {
  describe(`hub activity on ${name}`, () => {
    let s: SqlStorage;
    let drop: () => Promise<void>;
    beforeEach(async () => {
      ({ storage: s, drop } = await open());
      await seed(s, { tasks: 6, users: { ann: 'annotator', bob: 'annotator', lee: 'lead' } });
      await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 5 }, T0);
    });
    afterEach(async () => {
      await s.close();
      await drop();
    });

    /** Review for everything, a reviewer, and ann's first n leased tasks submitted. */
    const submittedForReview = async (n: number) => {
      await s.setReviewPolicy('p1', 'all');
      await s.addUser({ id: 'rev', name: 'rev', tokenHash: 'h' }, T0);
      await s.grantRole('rev', 'p1', 'reviewer');
      const leases = (await s.heldLeases('ann', 'd1', T0)).slice(0, n);
      await s.push(
        pushBatchOf({
          userId: 'ann',
          clientId: 'ca',
          mutations: leases.map((l, i) => submit('ca', i + 1, l.taskId, l.epoch)),
        }),
        T0 + 1_000,
      );
      return leases;
    };
    const send = (links: Link[], userId = 'ann', chainId = 'c1') =>
      s.recordActivity({ userId, chainId, links }, T0 + HOUR / 2);

    it('takes a chain in pieces, and a retried piece again without a flag', async () => {
      const links = chain('c1', [
        presence(T0 + 1),
        outcome('task.submitted', 'p1:t0', T0 + 2, 500),
        presence(T0 + 3),
      ]);
      expect(await send(links.slice(0, 2))).toMatchObject({ head: { seq: 2 }, broken: null, flagged: 0 });
      expect(await send(links)).toMatchObject({
        head: { seq: 3, hash: links[2]!.hash },
        broken: null,
        flagged: 0,
      });
      expect(await send(links)).toMatchObject({ head: { seq: 3 }, broken: null, flagged: 0 });
      expect(await s.activityFlags('p1')).toEqual([]);
    });

    const tamper: [string, (l: Link[]) => Link[], string, number][] = [
      [
        'an edited event',
        (l) => [
          l[0]!,
          { ...l[1]!, event: { ...(l[1]!.event as { activeMs: number }), activeMs: 9_999 } as never },
          l[2]!,
        ],
        'hash',
        2,
      ],
      ['a removed event', (l) => [l[0]!, l[2]!], 'seq', 3],
      ['reordered events', (l) => [l[0]!, l[2]!, l[1]!], 'seq', 3],
    ];
    it.each(tamper)(
      'detects %s, keeps what came before it, and flags it for the lead',
      async (_n, change, reason, seq) => {
        const links = chain('c1', [
          presence(T0 + 1),
          outcome('task.submitted', 'p1:t0', T0 + 2, 500),
          presence(T0 + 3),
        ]);
        const r = await send(change(links));
        expect(r.broken?.reason).toBe(reason);
        expect(r.head).toEqual({ seq: 1, hash: links[0]!.hash });
        const flags = await s.activityFlags('p1');
        expect(flags).toEqual([
          expect.objectContaining({ kind: 'chain', userId: 'ann', userName: 'ann', seq }),
        ]);
      },
    );

    it('refuses history rewritten after hand-over, and another user sending the chain', async () => {
      const links = chain('c1', [presence(T0 + 1), presence(T0 + 2)]);
      await send(links);
      const forged = chain('c1', [presence(T0 + 1), presence(T0 + 5)]);
      expect((await send(forged)).broken).toMatchObject({ seq: 2, reason: 'rewritten' });
      await expect(send(links, 'bob')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it('flags active time over wall time and a submission outside every lease', async () => {
      const links = chain('c1', [
        outcome('task.submitted', 'p1:t0', T0 + 60_000, 5_000, 4_000), // active > wall
        outcome('task.submitted', 'p1:t5', T0 + 60_000, 1_000), // never leased to ann
        outcome('task.submitted', 'p1:t1', T0 + 3 * HOUR, 1_000), // long after the 1 h lease
        outcome('task.submitted', 'p1:t2', T0 + 60_000, 1_000), // fine
      ]);
      expect((await send(links)).flagged).toBe(3);
      const flags = (await s.activityFlags('p1')).map((f) => [f.taskId, f.kind]).sort();
      expect(flags).toEqual([
        ['p1:t0', 'active-over-wall'],
        ['p1:t1', 'outside-lease'],
        ['p1:t5', 'outside-lease'],
      ]);
      // Each names its task by title (the queue's); in a range, only those raised in it.
      expect((await s.activityFlags('p1')).map((f) => f.taskTitle).sort()).toEqual([
        'text 0',
        'text 1',
        'text 5',
      ]);
      const raised = T0 + HOUR / 2;
      expect(await s.activityFlags('p1', { from: raised, to: raised + 1 })).toHaveLength(3);
      expect(await s.activityFlags('p1', { from: raised + 1 })).toEqual([]);
      expect(await s.activityFlags('p1', { to: raised })).toEqual([]);
    });

    it('computes team figures with SQL that match the shared definitions', async () => {
      const at = T0 + 60_000;
      const events = [
        outcome('task.submitted', 'p1:t0', at, 10_000, 11_000, 2),
        outcome('task.submitted', 'p1:t1', at + 1, 20_000, 21_000, 2),
        outcome('task.submitted', 'p1:t2', at + 2, 40_000, 41_000, 2),
        outcome('task.submitted', 'p1:t3', at + 3, 30_000, 31_000, 2),
        outcome('task.skipped', 'p1:t4', at + 4, 5_000),
      ];
      await send(chain('c1', events));
      const m = await s.teamMetrics('p1', { from: T0, to: T0 + 24 * HOUR, tzOffset: 0 });
      expect(m.members).toHaveLength(1);
      const ann = m.members[0]!;
      // By hand: 4 submitted, 1 skipped, 105 s active; sorted 10, 20, 30, 40 s → median 25 s,
      // p90 at rank 2.7 → 30 + 0.7 × 10 = 37 s; 4 / (105/3600) tasks an hour; 8 spans.
      expect(ann).toMatchObject({
        userId: 'ann',
        submitted: 4,
        skipped: 1,
        activeMs: 105_000,
        spans: 8,
        flags: 0,
      });
      expect(ann.medianActiveSec).toBeCloseTo(25, 9);
      expect(ann.p90ActiveSec).toBeCloseTo(37, 9);
      expect(ann.tasksPerActiveHour).toBeCloseTo(4 / (105 / 3600), 9);
      expect(ann.skipRate).toBeCloseTo(0.2, 9);
      // The same figures as the pure functions the workbench uses.
      const local = summarize(
        events.map((e) => {
          const t = e as Extract<ActivityChainEvent, { type: 'task' }>;
          return {
            taskId: t.taskId,
            projectId: 'p1',
            outcome: t.kind === 'task.submitted' ? 'submitted' : 'skipped',
            at: t.at,
            activeMs: t.activeMs,
            spans: Number(t.data.spans ?? 0),
          } as const;
        }),
      );
      expect(ann.medianActiveSec).toBeCloseTo(local.medianActiveSec!, 9);
      expect(ann.p90ActiveSec).toBeCloseTo(local.p90ActiveSec!, 9);
      expect(ann.tasksPerActiveHour).toBeCloseTo(local.tasksPerActiveHour!, 9);
      expect(m.daily).toEqual([
        { userId: 'ann', day: new Date(T0).toISOString().slice(0, 10), submitted: 4, activeMs: 105_000 },
      ]);
      // Outside the range, or another user's own view: nothing.
      expect(
        (await s.teamMetrics('p1', { from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, tzOffset: 0 })).members,
      ).toEqual([]);
      expect((await s.teamMetrics('p1', { from: T0, to: T0 + HOUR, tzOffset: 0 }, 'bob')).members).toEqual(
        [],
      );
    });
    it('counts first-pass acceptance and rework from the review tables, by SQL', async () => {
      const leases = await submittedForReview(4);
      const at = T0 + 60_000;
      await send(
        chain(
          'c1',
          leases.map((l, i) => outcome('task.submitted', l.taskId, at + i, 10_000)),
        ),
      );
      const reviews = await s.claimReviews(
        { userId: 'rev', deviceId: 'rd', projectId: 'p1', count: 10 },
        T0 + 2_000,
      );
      const by = new Map(reviews.map((r) => [r.taskId, r]));
      const ref = (taskId: string) => {
        const r = by.get(taskId)!;
        return { taskId, epoch: r.epoch, submissionId: r.submissionId };
      };
      const [t0, t1, t2] = leases.map((l) => l.taskId);
      // t0 accepted; t1 fixed & accepted (not a first pass); t2 rejected (rework); t3 unreviewed.
      // A second verdict on t0 from a stale lease is kept but flagged, so it counts nothing.
      const answers = await s.push(
        pushBatchOf({
          userId: 'rev',
          clientId: 'cr',
          mutations: [
            verdict('review.accept', 'cr', 1, ref(t0!)),
            verdict('review.fix', 'cr', 2, ref(t1!)),
            verdict('review.reject', 'cr', 3, ref(t2!)),
            verdict('review.reject', 'cr', 4, ref(t0!)),
          ],
        }),
        T0 + 3_000,
      );
      expect(answers.answers.map((a) => a.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
      const m = await s.teamMetrics('p1', { from: T0, to: T0 + HOUR, tzOffset: 0 });
      // By hand: version 1 of t0, t1, t2 has a verdict, t0's first is accept → 1/3; of those
      // three reviewed tasks one was rejected (t2; t0's stale reject was not applied) → 1/3.
      expect(m.members[0]).toMatchObject({
        userId: 'ann',
        submitted: 4,
        firstVersionsReviewed: 3,
        reviewed: 3,
      });
      expect(m.members[0]!.firstPassAcceptance).toBeCloseTo(1 / 3, 9);
      expect(m.members[0]!.reworkRate).toBeCloseTo(1 / 3, 9);
      // Tasks first submitted outside the range take their verdicts with them.
      const later = await s.teamMetrics('p1', { from: at + 2, to: T0 + HOUR, tzOffset: 0 });
      expect(later.members[0]).toMatchObject({ submitted: 2, firstVersionsReviewed: 1, reviewed: 1 });
      expect(later.members[0]!.firstPassAcceptance).toBe(0);
      expect(later.members[0]!.reworkRate).toBe(1);
    });
    it('keeps the review rollup whichever arrives first: verdicts, rework or task events', async () => {
      const leases = await submittedForReview(3);
      const review = async (seq: number, kinds: Record<string, 'review.accept' | 'review.reject'>) => {
        const items = await s.claimReviews(
          { userId: 'rev', deviceId: 'rd', projectId: 'p1', count: 10 },
          T0 + 2_000 + seq,
        );
        const muts = items
          .filter((r) => kinds[r.taskId] !== undefined)
          .map((r, i) =>
            verdict(kinds[r.taskId]!, 'cr', seq + i, {
              taskId: r.taskId,
              epoch: r.epoch,
              submissionId: r.submissionId,
            }),
          );
        await s.push(pushBatchOf({ userId: 'rev', clientId: 'cr', mutations: muts }), T0 + 3_000 + seq);
        return muts.length;
      };
      const [t0, t1, t2] = leases.map((l) => l.taskId) as [string, string, string];
      // Verdicts before any task event: t0 rejected, t1 accepted.
      const n = await review(1, { [t0]: 'review.reject', [t1]: 'review.accept' });
      const q = { from: T0, to: T0 + HOUR, tzOffset: 0 };
      expect((await s.teamMetrics('p1', q)).members).toEqual([]);
      // The task events arrive: the rollup rows take their first submission's time.
      const at = T0 + 60_000;
      await send(
        chain(
          'c1',
          [t0, t1, t2].map((t, i) => outcome('task.submitted', t, at + i, 10_000)),
        ),
      );
      expect((await s.teamMetrics('p1', q)).members[0]).toMatchObject({
        submitted: 3,
        firstVersionsReviewed: 2,
        firstPassAcceptance: 0.5,
        reviewed: 2,
        reworkRate: 0.5,
      });
      // t0 reworked (version 2) and accepted: still not a first pass, still reworked.
      const rework = (await s.heldLeases('ann', 'd1', T0 + 10_000)).find((l) => l.taskId === t0)!;
      await s.push(
        pushBatchOf({ userId: 'ann', clientId: 'ca', mutations: [submit('ca', 4, t0, rework.epoch)] }),
        T0 + 20_000,
      );
      await review(n + 1, { [t0]: 'review.accept' });
      const held = async () =>
        (
          await s.db.all(
            'SELECT task_id, user_id, project_id, batch, first_at, first_kind, rejects FROM review_rollup ORDER BY task_id, user_id',
          )
        ).map((r) => Object.values(r).map((v) => (v === null ? null : String(v))));
      const kept = await held();
      expect(kept).toEqual([
        [t0, 'ann', 'p1', 'default', String(at), 'rejected', '1'],
        [t1, 'ann', 'p1', 'default', String(at + 1), 'accepted', '0'],
      ]);
      // What the hub kept as things arrived equals the migration's backfill over the same rows.
      await s.db.run('DELETE FROM review_rollup');
      await s.db.run(REVIEW_ROLLUP_BACKFILL);
      expect(await held()).toEqual(kept);
    });
    it('counts results per label per annotator from the rollup and the range ends alike', async () => {
      const at = T0 + 60_000;
      await send(
        chain('c1', [
          labelled('p1:t0', at, { car: 3, person: 1 }),
          labelled('p1:t1', at + 20 * 60_000, { car: 2, 'traffic light': 4 }),
          // Counted by nobody: a fraction, a negative, a name past 100 characters, text, not an object.
          labelled('p1:t2', at + 40 * 60_000, {
            car: 1.5,
            person: -1,
            ['x'.repeat(101)]: 1,
            van: '2',
            bus: 2,
          }),
          labelled('p1:t3', at + 41 * 60_000, [1, 2]),
          labelled('p1:t4', at + 42 * 60_000, { car: 9 }, 'task.skipped'),
        ]),
      );
      await send(chain('c2', [labelled('p1:t0', at + 5, { person: 2 })]), 'bob', 'c2');
      const all = await s.teamMetrics('p1', { from: T0, to: T0 + 2 * HOUR, tzOffset: 0 });
      expect(all.labels).toEqual([
        { userId: 'ann', label: 'bus', count: 2 },
        { userId: 'ann', label: 'car', count: 5 },
        { userId: 'ann', label: 'person', count: 1 },
        { userId: 'ann', label: 'traffic light', count: 4 },
        { userId: 'bob', label: 'person', count: 2 },
      ]);
      // Range ends inside quarter hours, and a time zone off the quarter hour: the task events.
      const ragged = { from: at + 1, to: at + 30 * 60_000, tzOffset: 0 };
      const part = [
        { userId: 'ann', label: 'car', count: 2 },
        { userId: 'ann', label: 'traffic light', count: 4 },
        { userId: 'bob', label: 'person', count: 2 },
      ];
      expect((await s.teamMetrics('p1', ragged)).labels).toEqual(part);
      expect((await s.teamMetrics('p1', { ...ragged, tzOffset: 7 })).labels).toEqual(part);
      expect((await s.teamMetrics('p1', { ...ragged, from: at - 1 }, 'bob')).labels).toEqual([
        { userId: 'bob', label: 'person', count: 2 },
      ]);
      expect(
        (await s.teamMetrics('p1', { from: T0, to: T0 + 2 * HOUR, tzOffset: 0, batch: 'none' })).labels,
      ).toEqual([]);
      // The rollup holds what the migration's backfill makes of the same task events.
      const held = async () =>
        (
          await s.db.all(
            'SELECT project_id, q, user_id, batch, label, n FROM activity_label_quarters ORDER BY user_id, q, label',
          )
        ).map((r) => Object.values(r).map(String));
      const kept = await held();
      expect(kept).toHaveLength(6);
      await s.db.run('DELETE FROM activity_label_quarters');
      await s.db.run(LABEL_QUARTERS_FROM_LINKS[s.db.dialect]);
      expect(await held()).toEqual(kept);
    });
    it('takes gold accuracy and agreement from the quality tables, over the range', async () => {
      const at = T0 + 60_000;
      await send(
        chain('c1', [
          outcome('task.submitted', 'p1:t0', at, 10_000),
          outcome('task.submitted', 'p1:t1', at + 1, 10_000),
          outcome('task.submitted', 'p1:t2', at + HOUR, 10_000),
        ]),
      );
      await send(chain('c2', [outcome('task.submitted', 'p1:t0', at, 10_000)]), 'bob', 'c2');
      const sub = (id: string, user: string, task: string) =>
        s.db.run(
          `INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, superseded, received_at)
           VALUES (?, ?, 'p1', ?, 1, '{}', 0, 0, ?)`,
          [id, task, user, at],
        );
      await sub('s0', 'ann', 'p1:t0');
      await sub('s1', 'ann', 'p1:t1');
      await sub('s2', 'ann', 'p1:t2');
      const gold = (id: string, task: string, score: number) =>
        s.db.run(
          `INSERT INTO gold_scores (submission_id, user_id, task_id, project_id, score, detail, scored_at)
           VALUES (?, 'ann', ?, 'p1', ?, '{}', ?)`,
          [id, task, score, T0 + 7],
        );
      // Gold: t1 0.5 and t2 1.0 (t2 outside the first hour). Agreement: t0 with bob 0.8.
      await gold('s1', 'p1:t1', 0.5);
      await gold('s2', 'p1:t2', 1);
      await s.db.run(
        `INSERT INTO consensus (task_id, project_id, sig, k, status, annotation, reasons, figures, computed_at)
         VALUES ('p1:t0', 'p1', 'x', 2, 'agreed', NULL, '[]', ?, ?)`,
        [
          JSON.stringify({
            pairs: [{ a: 'ann', b: 'bob', score: 0.8 }],
            labels: {},
            classes: {},
            vsAccepted: [],
          }),
          T0 + 9,
        ],
      );
      const hour = await s.teamMetrics('p1', { from: T0, to: T0 + HOUR, tzOffset: 0 });
      const ann = hour.members.find((m) => m.userId === 'ann')!;
      const bob = hour.members.find((m) => m.userId === 'bob')!;
      expect(ann).toMatchObject({ goldTasks: 1, goldAccuracy: 0.5, agreementTasks: 1 });
      expect(ann.agreement).toBeCloseTo(0.8, 9);
      expect(bob).toMatchObject({ goldTasks: 0, goldAccuracy: null, agreementTasks: 1 });
      expect(hour.qualityAsOf).toBe(T0 + 9);
      const day = await s.teamMetrics('p1', { from: T0, to: T0 + 24 * HOUR, tzOffset: 0 }, 'ann');
      expect(day.members[0]).toMatchObject({ goldTasks: 2, goldAccuracy: 0.75 });
      // The raw rows a page at a time add up to the table, in order, each once.
      const q = { from: T0, to: T0 + 24 * HOUR, tzOffset: 0 };
      const first = await s.teamOutcomePage('p1', q, { limit: 3 });
      expect(first.rows.map((r) => r.taskId)).toHaveLength(3);
      const rest = await s.teamOutcomePage('p1', q, { limit: 3, after: first.next! });
      expect(rest).toMatchObject({ next: null });
      expect([...first.rows, ...rest.rows]).toEqual(await s.teamOutcomeRows('p1', q));
      expect((await s.teamOutcomePage('p1', q, { limit: 10, userId: 'bob' })).rows).toEqual([
        expect.objectContaining({ userId: 'bob', taskId: 'p1:t0' }),
      ]);
    });
  });
};
