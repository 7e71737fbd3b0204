import { beforeEach, describe, expect, it } from 'vitest';
import { lotDraw } from '../../src/hub/storage/quality-lots';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import { Task } from '../../src/shared/model';
import type { LeasedReview } from '../../src/shared/sync';
import { T0, seed, submit, verdict } from './helpers';
import { type OpenStorage, storageFixture } from './storage-fixture';

/**
 * Quality control (issue 12) on one storage engine: lots sampled and decided exactly as
 * ISO 2859-1's Ac/Re say, and an overlap-3 project's agreement against figures worked out by
 * hand. Run on SQLite (quality.sqlite.test.ts) and the PostgreSQL dialect (quality.pg.test.ts).
 */
export const qualitySuite = (name: string, open: OpenStorage): void => {
  describe(`quality on ${name}`, () => {
    const fx = storageFixture(open);
    const { push, ref } = fx;
    let s: SqlStorage;
    beforeEach(() => {
      s = fx.s;
    });

    /** `user` leases `n` tasks and submits one doc class each (`labelOf(taskId)`). */
    const annotate = async (user: string, n: number, labelOf: (taskId: string) => string = () => 'x') => {
      const leases = await s.claim({ userId: user, deviceId: `${user}-dev`, projectId: 'p1', count: n }, T0);
      const answers = await push(user, (seq) =>
        leases.map((l) =>
          submit(`c-${user}`, seq(), l.taskId, l.epoch, {
            payload: {
              annotation: {
                results: [{ type: 'doc-class', id: 'c1', group: 'g', labels: [labelOf(l.taskId)] }],
                activeMs: 10,
              },
            },
          }),
        ),
      );
      expect(answers.every((a) => a.status === 'applied')).toBe(true);
      return leases;
    };

    const lotOf500 = async (seedValue: number) => {
      await seed(s, {
        tasks: 500,
        users: { ann: 'annotator', rev: 'reviewer', lee: 'lead' },
        batch: 'week-1',
      });
      await annotate('ann', 500);
      const lot = await s.createLot(
        { projectId: 'p1', userId: 'lee', batch: 'week-1', level: 'II', aql: 2.5, seed: seedValue },
        T0 + 1,
      );
      // ISO 2859-1 Table 1: 281–500 at level II is H; Table 2-A: H → n = 50, AQL 2.5 → Ac 3, Re 4.
      expect(lot).toMatchObject({
        lotSize: 500,
        codeLetter: 'H',
        planLetter: 'H',
        sampleSize: 50,
        ac: 3,
        re: 4,
        inspectAll: false,
        seed: seedValue,
        audited: 0,
        defects: 0,
        verdict: 'pending',
      });
      // The lead's lot form reads each batch's N and its lot under audit from the report.
      expect((await s.qualityReport('p1', T0 + 1)).batches).toEqual([
        { batch: 'week-1', items: 500, openLotId: lot.id },
      ]);
      const items = await s.claimReviews(
        { userId: 'rev', deviceId: 'rev-dev', projectId: 'p1', count: 1000 },
        T0 + 2,
      );
      // The sample is exactly what anyone redraws from the members and the seed.
      const redrawn = Array.from({ length: 500 }, (_, i) => `p1:t${i}`)
        .sort((a, b) => (lotDraw(seedValue, a, 'ann') < lotDraw(seedValue, b, 'ann') ? -1 : 1))
        .slice(0, 50);
      expect(items.map((r) => r.taskId).sort()).toEqual(redrawn.sort());
      return items;
    };

    /** Verdicts on the sample: `rejects` rejected, one unchanged fix (no defect), the rest accepted. */
    const audit = (items: LeasedReview[], rejects: number, changedFixes = 0) =>
      push(
        'rev',
        (seq) =>
          items.map((r, i) =>
            i < rejects
              ? verdict('review.reject', 'c-rev', seq(), ref(r))
              : i < rejects + changedFixes
                ? verdict('review.fix', 'c-rev', seq(), ref(r))
                : i === rejects + changedFixes
                  ? verdict('review.fix', 'c-rev', seq(), ref(r), {
                      annotation: {
                        results: [{ type: 'doc-class', id: 'c1', group: 'g', labels: ['x'] }],
                        activeMs: 3,
                      },
                    })
                  : verdict('review.accept', 'c-rev', seq(), ref(r)),
          ),
        T0 + 3,
      );

    it('a lot of 500 with Ac defects planted is accepted', async () => {
      const items = await lotOf500(42);
      // 2 rejections + 1 fix that changed the annotation = 3 defects = Ac; an unchanged fix is none.
      const answers = await audit(items, 2, 1);
      expect(answers.every((a) => a.status === 'applied')).toBe(true);
      const [lot] = (await s.qualityReport('p1', T0 + 4)).lots;
      expect(lot).toMatchObject({ audited: 50, defects: 3, verdict: 'accepted', reworkItems: 0 });
      expect(lot?.decidedAt).toBe(T0 + 3);
      // Nothing else of the lot was put up for review.
      expect(
        await s.claimReviews({ userId: 'rev', deviceId: 'rev-dev', projectId: 'p1', count: 1000 }, T0 + 5),
      ).toEqual([]);
    });

    it('a lot of 500 with Re defects planted is rejected and its other 450 items go to full review', async () => {
      const items = await lotOf500(7);
      await audit(items.slice(0, 10), 4);
      const [lot] = (await s.qualityReport('p1', T0 + 4)).lots;
      // Rejected at the fourth defect (Re = 4) with 40 of the sample still unaudited.
      expect(lot).toMatchObject({ audited: 10, defects: 4, verdict: 'rejected', reworkItems: 450 });
      const rest = await s.claimReviews(
        { userId: 'rev', deviceId: 'rev-dev', projectId: 'p1', count: 1000 },
        T0 + 5,
      );
      const sampled = new Set(items.map((r) => r.taskId));
      expect(rest.filter((r) => !sampled.has(r.taskId))).toHaveLength(450);
      // A second lot of the batch is refused while none is open? This one is decided: allowed.
      await expect(
        s.createLot({ projectId: 'p1', userId: 'lee', batch: 'nope', level: 'II', aql: 2.5 }, T0 + 6),
      ).rejects.toThrow(/no submitted work/);
    });

    it('mixes gold tasks in at the rate, to everyone, never completed, never alone', async () => {
      await seed(s, {
        tasks: 4,
        users: { ann: 'annotator', bob: 'annotator', cara: 'annotator', lee: 'lead' },
      });
      const gold = ['g0', 'g1'].map((id) => ({
        task: Task.parse({ id: `p1:${id}`, projectId: 'p1', data: { kind: 'text', text: `text ${id}` } }),
      }));
      const answer = JSON.stringify({
        results: [{ type: 'doc-class', id: 'c1', group: 'g', labels: ['x'] }],
      });
      await s.addTasks('p1', 'gold', gold, [], new Map(gold.map((g) => [g.task.id, answer])));
      await s.setGoldRate('p1', 0.5);
      const ids = (ls: { taskId: string }[]) => ls.map((l) => l.taskId).sort();
      // floor(4 × 0.5) = 2 of ann's four are gold; she answers them right (x).
      expect(ids(await annotate('ann', 4))).toEqual(['p1:g0', 'p1:g1', 'p1:t0', 'p1:t1']);
      // Gold is never completed: bob gets both too, beside the two ordinary tasks left.
      expect(ids(await annotate('bob', 4, (t) => (t === 'p1:g0' ? 'y' : 'x')))).toEqual([
        'p1:g0',
        'p1:g1',
        'p1:t2',
        'p1:t3',
      ]);
      // No ordinary work left: no lease of gold alone, which would give it away.
      expect(await s.claim({ userId: 'cara', deviceId: 'c', projectId: 'p1', count: 4 }, T0)).toEqual([]);
      const r = await s.qualityReport('p1', T0 + 1);
      expect(r.annotators.map((a) => [a.userId, a.gold])).toEqual([
        ['ann', { tasks: 2, score: 1, passed: 2 }],
        ['bob', { tasks: 2, score: 0.5, passed: 1 }],
      ]);
      // Gold work is not part of a lot.
      const lot = await s.createLot(
        { projectId: 'p1', userId: 'lee', batch: 'default', level: 'II', aql: 2.5 },
        T0 + 2,
      );
      expect(lot.lotSize).toBe(4);
      // Nor of a lot's N in the report: the gold batch has none, the default batch 4.
      expect((await s.qualityReport('p1', T0 + 3)).batches).toEqual([
        { batch: 'default', items: 4, openLotId: lot.id },
        { batch: 'gold', items: 0, openLotId: null },
      ]);
    });

    it('leases no gold task while the rate is 0', async () => {
      await seed(s, { tasks: 2 });
      const g = Task.parse({ id: 'p1:g0', projectId: 'p1', data: { kind: 'text', text: 'text g0' } });
      await s.addTasks('p1', 'gold', [{ task: g }], [], new Map([[g.id, '{"results":[]}']]));
      const got = await s.claim({ userId: 'ann', deviceId: 'd', projectId: 'p1', count: 10 }, T0);
      expect(got.map((l) => l.taskId)).toEqual(['p1:t0', 'p1:t1']);
    });

    it('drops a task from agreement and consensus when a rejection leaves one standing submission', async () => {
      await seed(s, { tasks: 1, overlap: 2, users: { a: 'annotator', b: 'annotator', lee: 'lead' } });
      await annotate('a', 1, () => 'x');
      await annotate('b', 1, () => 'y');
      const r = await s.qualityReport('p1', T0 + 1);
      expect(r.agreement.tasks).toBe(1);
      expect(r.consensus).toMatchObject({ tasks: 1, needsReview: 1 });
      const [item] = await s.claimReviews(
        { userId: 'lee', deviceId: 'lee-dev', projectId: 'p1', count: 10 },
        T0 + 2,
      );
      await push('lee', (seq) => [verdict('review.reject', 'c-lee', seq(), ref(item!))]);
      const after = await s.qualityReport('p1', T0 + 3);
      expect(after.agreement).toMatchObject({ tasks: 0, score: null, pairs: [] });
      expect(after.consensus).toEqual({ tasks: 0, agreed: 0, needsReview: 0, reviewTaskIds: [] });
      expect(await s.db.all("SELECT task_id FROM consensus WHERE project_id = 'p1'")).toEqual([]);
    });

    it('an overlap-3 project gives the agreement figures worked out by hand', async () => {
      await seed(s, {
        tasks: 4,
        overlap: 3,
        users: { a: 'annotator', b: 'annotator', c: 'annotator', lee: 'lead' },
      });
      // t0: x x x · t1: x x y · t2: x y z · t3: y y y
      const picks: Record<string, [string, string, string]> = {
        'p1:t0': ['x', 'x', 'x'],
        'p1:t1': ['x', 'x', 'y'],
        'p1:t2': ['x', 'y', 'z'],
        'p1:t3': ['y', 'y', 'y'],
      };
      for (const [i, user] of ['a', 'b', 'c'].entries()) await annotate(user, 4, (t) => picks[t]![i]!);
      const r = await s.qualityReport('p1', T0 + 1);
      // Pair (a,b) agrees on t0, t1, t3 → 3/4; (a,c) and (b,c) on t0, t3 → 2/4.
      expect(r.agreement.pairs.map((p) => [p.a, p.b, p.tasks, p.score])).toEqual([
        ['a', 'b', 4, 0.75],
        ['a', 'c', 4, 0.5],
        ['b', 'c', 4, 0.5],
      ]);
      // Per task, the mean of its three pairs: 1, 1/3, 0, 1 → 7/12.
      expect(r.agreement.tasks).toBe(4);
      expect(r.agreement.score).toBeCloseTo(7 / 12, 12);
      // Per label over the 12 ordered-by-name pairs: x tp 4 fn 4; y tp 3 fp 3 fn 1; z fp 2.
      expect(r.agreement.perLabel).toEqual([
        { label: 'x', tp: 4, fp: 0, fn: 4, f1: 8 / 12 },
        { label: 'y', tp: 3, fp: 3, fn: 1, f1: 6 / 10 },
        { label: 'z', tp: 0, fp: 2, fn: 0, f1: 0 },
      ]);
      // Krippendorff's alpha (nominal): coincidences o_xx 4, o_yy 3, o_xy 1.5, o_xz .5, o_yz .5;
      // n_x 6, n_y 5, n_z 1, n 12; D_o = 5/12, D_e = 82/132 → α = 1 − 55/82 = 27/82.
      expect(r.agreement.classAlpha).toBeCloseTo(27 / 82, 12);
      // Consensus: t2 has no majority and goes to a reviewer; the others agree.
      expect(r.consensus).toEqual({ tasks: 4, agreed: 3, needsReview: 1, reviewTaskIds: ['p1:t2'] });
      const [item] = await s.claimReviews(
        { userId: 'lee', deviceId: 'lee-dev', projectId: 'p1', count: 10 },
        T0 + 2,
      );
      expect(item?.taskId).toBe('p1:t2');
      const stored = await s.db.all(
        "SELECT task_id, status, annotation FROM consensus WHERE project_id = 'p1' ORDER BY task_id",
      );
      expect(stored.map((x) => x.status)).toEqual(['agreed', 'agreed', 'review', 'agreed']);
      expect(JSON.parse(String(stored[1]?.annotation))).toMatchObject({ results: [{ labels: ['x'] }] });
      // The reviewer fixes t2 to z: the fix stands as the accepted version, and each annotator is
      // scored against it (a: x ≠ z → 0, b: y → 0, c: z → 1).
      await push('lee', (seq) => [
        verdict('review.fix', 'c-lee', seq(), ref(item!), {
          annotation: { results: [{ type: 'doc-class', id: 'c1', group: 'g', labels: ['z'] }], activeMs: 1 },
        }),
      ]);
      const after = await s.qualityReport('p1', T0 + 3);
      expect(after.annotators.map((x) => [x.userId, x.vsAccepted])).toEqual([
        ['a', { tasks: 1, score: 0 }],
        ['b', { tasks: 1, score: 0 }],
        ['c', { tasks: 1, score: 1 }],
      ]);
      expect(after.consensus).toMatchObject({ agreed: 4, needsReview: 0 });
      // Only t2 was recomputed (its figures summed from memory, the other three read back): the
      // submissions did not change, so neither did the agreement.
      expect(after.agreement).toEqual(r.agreement);
      // Nothing changed since: the next report recomputes no task.
      expect(await s.consensusOf('p1', T0 + 4)).toBe(0);
    });
  });
};
