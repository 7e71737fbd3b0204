import { krippendorffAlpha, scoresOf, type Category } from '../../shared/quality';
import type { LotBatch, QualityReport } from '../../shared/sync';
import type { SqlDriver } from './driver';
import { StorageRefusal } from './errors';
import { refreshConsensus, refreshConsensusMarked } from './quality-consensus';
import { GOLD_PASS_MARK, goldAccuracy, scoreGold } from './quality-gold';
import { listLots } from './quality-lots';
import type { TaskFigures } from './quality-task';

export { refreshConsensus };

const mean = (sum: number, n: number): number | null => (n === 0 ? null : sum / n);

/**
 * Every batch with its lot size if a lot were made now (as createLot counts) and its open lot.
 * (`s.project_id = t.project_id` always holds; said, it lets the join use submissions_quality.)
 */
const lotBatches = async (db: SqlDriver, projectId: string): Promise<LotBatch[]> => {
  const open = new Map(
    (await db.all("SELECT batch, id FROM lots WHERE project_id = ? AND status = 'open'", [projectId])).map(
      (r) => [String(r.batch), String(r.id)],
    ),
  );
  return (
    await db.all(
      `SELECT t.batch,
         SUM(CASE WHEN s.id IS NOT NULL AND t.gold = 0 THEN 1 ELSE 0 END) AS items
       FROM tasks t LEFT JOIN submissions s
         ON s.project_id = t.project_id AND s.task_id = t.id AND s.superseded = 0 AND s.conflict = 0
       WHERE t.project_id = ? GROUP BY t.batch ORDER BY t.batch`,
      [projectId],
    )
  ).map((r) => ({
    batch: String(r.batch),
    items: Number(r.items ?? 0),
    openLotId: open.get(String(r.batch)) ?? null,
  }));
};

/**
 * Each task row's status and figures in task order: the figures just computed from `fresh`, the
 * others read from the rows (parsed as is: written by the hub itself, quality-consensus.ts).
 */
const taskRows = async (
  db: SqlDriver,
  projectId: string,
  fresh: ReadonlyMap<string, TaskFigures>,
): Promise<{ taskId: string; status: string; figures: TaskFigures }[]> => {
  if (fresh.size === 0)
    return (
      await db.all('SELECT task_id, status, figures FROM consensus WHERE project_id = ? ORDER BY task_id', [
        projectId,
      ])
    ).map((r) => ({
      taskId: String(r.task_id),
      status: String(r.status),
      figures: JSON.parse(String(r.figures)) as TaskFigures,
    }));
  const rows = await db.all('SELECT task_id, status FROM consensus WHERE project_id = ? ORDER BY task_id', [
    projectId,
  ]);
  // Any row not just computed (an incremental report): one pass over the project's rows.
  const stored = new Map<string, TaskFigures>();
  if (rows.some((r) => !fresh.has(String(r.task_id))))
    for (const r of await db.all('SELECT task_id, figures FROM consensus WHERE project_id = ?', [projectId]))
      if (!fresh.has(String(r.task_id)))
        stored.set(String(r.task_id), JSON.parse(String(r.figures)) as TaskFigures);
  return rows.flatMap((r) => {
    const taskId = String(r.task_id);
    const figures = fresh.get(taskId) ?? stored.get(taskId);
    return figures ? [{ taskId, status: String(r.status), figures }] : [];
  });
};

/** The sums a report's agreement and consensus figures come from: one pass over the task rows. */
const sumFigures = async (db: SqlDriver, projectId: string, fresh: ReadonlyMap<string, TaskFigures>) => {
  const pairs = new Map<string, { a: string; b: string; tasks: number; sum: number; scored: number }>();
  const labels = new Map<string, { tp: number; fp: number; fn: number }>();
  const vsAccepted = new Map<string, { tasks: number; sum: number; scored: number }>();
  const classUnits: Map<string, Category | null>[] = [];
  const raters = new Set<string>();
  let agreementTasks = 0;
  let taskScoreSum = 0;
  let taskScored = 0;
  let consensusTasks = 0;
  let agreed = 0;
  const review: string[] = [];
  let needsReview = 0;
  for (const { taskId, status, figures: f } of await taskRows(db, projectId, fresh)) {
    if (status !== 'single') {
      consensusTasks++;
      if (status === 'agreed' || status === 'resolved') agreed++;
      if (status === 'review') {
        needsReview++;
        if (review.length < 100) review.push(taskId);
      }
    }
    if (f.pairs.length > 0) {
      agreementTasks++;
      const scored = f.pairs.filter((p) => p.score !== null);
      if (scored.length > 0) {
        taskScoreSum += scored.reduce((s, p) => s + (p.score ?? 0), 0) / scored.length;
        taskScored++;
      }
    }
    for (const p of f.pairs) {
      const key = `${p.a}\u0000${p.b}`;
      const e = pairs.get(key) ?? { a: p.a, b: p.b, tasks: 0, sum: 0, scored: 0 };
      e.tasks++;
      if (p.score !== null) {
        e.sum += p.score;
        e.scored++;
      }
      pairs.set(key, e);
    }
    for (const [label, c] of Object.entries(f.labels)) {
      const e = labels.get(label) ?? { tp: 0, fp: 0, fn: 0 };
      labels.set(label, { tp: e.tp + c.tp, fp: e.fp + c.fp, fn: e.fn + c.fn });
    }
    for (const picks of Object.values(f.classes)) {
      const unit = new Map<string, Category | null>();
      for (const [user, label] of Object.entries(picks)) {
        raters.add(user);
        unit.set(user, label ?? '');
      }
      classUnits.push(unit);
    }
    for (const v of f.vsAccepted) {
      const e = vsAccepted.get(v.userId) ?? { tasks: 0, sum: 0, scored: 0 };
      e.tasks++;
      if (v.score !== null) {
        e.sum += v.score;
        e.scored++;
      }
      vsAccepted.set(v.userId, e);
    }
  }
  const raterList = [...raters].sort();
  const alpha =
    classUnits.length === 0
      ? null
      : krippendorffAlpha(raterList.map((u) => classUnits.map((unit) => unit.get(u) ?? null))).alpha;
  return {
    pairs,
    labels,
    vsAccepted,
    alpha,
    agreementTasks,
    taskScoreSum,
    taskScored,
    consensusTasks,
    agreed,
    needsReview,
    review,
  };
};
type Sums = Awaited<ReturnType<typeof sumFigures>>;

/**
 * Per driver and project, the sums at the change mark they were read at: the per-task rows
 * change only with that mark, so an unchanged project's report skips the pass over 10,000 rows
 * (names, lots, batches and gold are read every time).
 */
const summed = new WeakMap<SqlDriver, Map<string, { mark: string; sums: Sums }>>();

/**
 * A project's quality report: lots, agreement (project, per label, per annotator pair),
 * per-annotator scores against accepted versions and gold, consensus counts. The per-task rows
 * and gold scores are brought up to date first (only what changed is recomputed).
 */
export const qualityReport = async (
  db: SqlDriver,
  projectId: string,
  now: number,
): Promise<QualityReport> => {
  const project = await db.get('SELECT overlap, gold_rate FROM projects WHERE id = ?', [projectId]);
  if (!project) throw new StorageRefusal('NOT_FOUND', `no project ${projectId}`);
  const { mark, fresh } = await refreshConsensusMarked(db, projectId, now);
  await scoreGold(db, projectId, now);
  const cache = summed.get(db) ?? new Map<string, { mark: string; sums: Sums }>();
  summed.set(db, cache);
  let sums = cache.get(projectId)?.mark === mark ? cache.get(projectId)!.sums : null;
  if (!sums) {
    sums = await sumFigures(db, projectId, fresh);
    cache.set(projectId, { mark, sums });
  }
  const { pairs, vsAccepted } = sums;

  const names = new Map(
    (
      await db.all(
        `SELECT u.id, u.name FROM users u WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.project_id = ?)
            OR EXISTS (SELECT 1 FROM submissions s WHERE s.user_id = u.id AND s.project_id = ?)`,
        [projectId, projectId],
      )
    ).map((r) => [String(r.id), String(r.name)]),
  );
  const gold = await goldAccuracy(db, projectId);
  const annotatorIds = [
    ...new Set([...vsAccepted.keys(), ...gold.keys(), ...[...pairs.values()].flatMap((p) => [p.a, p.b])]),
  ].sort();
  return {
    projectId,
    overlap: Number(project.overlap),
    goldRate: Number(project.gold_rate),
    goldPassMark: GOLD_PASS_MARK,
    lots: await listLots(db, projectId),
    batches: await lotBatches(db, projectId),
    agreement: {
      tasks: sums.agreementTasks,
      score: mean(sums.taskScoreSum, sums.taskScored),
      classAlpha: sums.alpha,
      perLabel: [...sums.labels]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([label, c]) => ({ label, ...c, f1: scoresOf({ ...c, scoreSum: 0 }).f1 })),
      pairs: [...pairs.values()].map((p) => ({
        a: p.a,
        aName: names.get(p.a) ?? p.a,
        b: p.b,
        bName: names.get(p.b) ?? p.b,
        tasks: p.tasks,
        score: mean(p.sum, p.scored),
      })),
    },
    annotators: annotatorIds.map((userId) => {
      const v = vsAccepted.get(userId);
      return {
        userId,
        name: names.get(userId) ?? userId,
        vsAccepted: { tasks: v?.tasks ?? 0, score: v ? mean(v.sum, v.scored) : null },
        gold: gold.get(userId) ?? { tasks: 0, score: null, passed: 0 },
      };
    }),
    consensus: {
      tasks: sums.consensusTasks,
      agreed: sums.agreed,
      needsReview: sums.needsReview,
      reviewTaskIds: sums.review,
    },
    generatedAt: now,
  };
};
