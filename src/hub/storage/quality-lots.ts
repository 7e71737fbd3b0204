import { createHash, randomInt } from 'node:crypto';
import { z } from 'zod';
import {
  type Aql,
  AqlSchema,
  type InspectionLevel,
  InspectionLevelSchema,
  lotVerdict,
  samplingPlan,
} from '../../shared/quality';
import { LOT_DEFECT_RULE, LOT_DRAW_ALGORITHM, type Lot } from '../../shared/sync';
import type { SqlExecutor } from './driver';
import { StorageRefusal } from './errors';
import { inList, insertRows, listParam } from './sql-util';

/**
 * Lots (issue 12.2): a batch's submitted items audited by an ISO 2859-1 single sampling plan.
 * The sample is drawn with a recorded seed by a published rule (LOT_DRAW_ALGORITHM); the
 * sampled items become review items (an existing one is reused); the lot's verdict is read
 * from their review states whenever it is shown, and settled — accepted, or rejected with the
 * rest of the lot put up for full review — in the transaction of the verdict that decides it.
 */

/** The rank of a lot member under a seed: anyone can redraw the sample from this. */
export const lotDraw = (seed: number, taskId: string, authorId: string): string =>
  createHash('sha256').update(`${seed}:${taskId}:${authorId}`).digest('hex');

const LotRow = z.object({
  id: z.string(),
  project_id: z.string(),
  batch: z.string(),
  lot_size: z.coerce.number(),
  level: InspectionLevelSchema,
  aql: z.coerce.number().pipe(AqlSchema),
  code_letter: z.string(),
  plan_letter: z.string(),
  sample_size: z.coerce.number(),
  ac: z.coerce.number(),
  re: z.coerce.number(),
  inspect_all: z.coerce.number(),
  seed: z.coerce.number(),
  algorithm: z.string(),
  status: z.string(),
  created_by: z.string(),
  created_at: z.coerce.number(),
  decided_at: z.coerce.number().nullable(),
});
type LotRow = z.infer<typeof LotRow>;

const LOT_COLS =
  'id, project_id, batch, lot_size, level, aql, code_letter, plan_letter, sample_size, ac, re, inspect_all, seed, algorithm, status, created_by, created_at, decided_at';

/** Sorted-key JSON: two annotations with the same results compare equal whatever the key order. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
const resultsOf = (text: unknown): string => {
  try {
    return canonical((JSON.parse(String(text)) as { results?: unknown }).results ?? []);
  } catch {
    return '';
  }
};

/** Audited and defective sampled items of a lot, read from the review record. */
const auditOf = async (tx: SqlExecutor, lotId: string): Promise<{ audited: number; defects: number }> => {
  const rows = await tx.all(
    `SELECT r.status, s.annotation AS submitted, v.annotation AS fixed
     FROM lot_items i JOIN reviews r ON r.submission_id = i.submission_id AND r.author_id = i.author_id
     LEFT JOIN submissions s ON s.id = i.submission_id AND s.user_id = i.author_id AND r.status = 'fixed'
     LEFT JOIN verdicts v ON v.id = r.verdict_id AND r.status = 'fixed'
     WHERE i.lot_id = ? AND i.sampled = 1 AND r.status IN ('accepted', 'fixed', 'rejected')`,
    [lotId],
  );
  let defects = 0;
  for (const r of rows)
    if (r.status === 'rejected' || (r.status === 'fixed' && resultsOf(r.fixed) !== resultsOf(r.submitted)))
      defects++;
  return { audited: rows.length, defects };
};

const toLot = async (tx: SqlExecutor, raw: unknown): Promise<Lot> => {
  const r = LotRow.parse(raw);
  const { audited, defects } = await auditOf(tx, r.id);
  const rework = await tx.get(
    `SELECT COUNT(*) AS n FROM lot_items i JOIN reviews rv ON rv.submission_id = i.submission_id AND rv.author_id = i.author_id
     WHERE i.lot_id = ? AND i.sampled = 0`,
    [r.id],
  );
  return {
    id: r.id,
    projectId: r.project_id,
    batch: r.batch,
    lotSize: r.lot_size,
    level: r.level,
    aql: r.aql,
    codeLetter: r.code_letter,
    planLetter: r.plan_letter,
    sampleSize: r.sample_size,
    inspectAll: r.inspect_all === 1,
    ac: r.ac,
    re: r.re,
    seed: r.seed,
    algorithm: r.algorithm,
    defectRule: LOT_DEFECT_RULE,
    audited,
    defects,
    verdict: lotVerdict({ sampleSize: r.sample_size, ac: r.ac, re: r.re }, audited, defects),
    reworkItems: r.status === 'rejected' ? Number(rework?.n ?? 0) : 0,
    createdBy: r.created_by,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
};

const ITEM_COLS = [
  ['lot_id', 'text'],
  ['submission_id', 'text'],
  ['task_id', 'text'],
  ['author_id', 'text'],
  ['sampled', 'int'],
  ['draw', 'text'],
] as const;
const REVIEW_COLS = [
  ['submission_id', 'text'],
  ['task_id', 'text'],
  ['project_id', 'text'],
  ['batch', 'text'],
  ['author_id', 'text'],
  ['status', 'text'],
  ['created_at', 'int'],
  ['pos', 'int'],
] as const;

/** Pending review items for the members that have none yet (in draw order). */
const openReviewItems = async (
  tx: SqlExecutor,
  lot: { projectId: string; batch: string },
  members: readonly { submissionId: string; taskId: string; authorId: string }[],
  now: number,
): Promise<void> => {
  if (members.length === 0) return;
  const have = new Set(
    (
      await tx.all(`SELECT submission_id FROM reviews WHERE ${inList(tx.dialect, 'submission_id')}`, [
        listParam(
          tx.dialect,
          members.map((m) => m.submissionId),
        ),
      ])
    ).map((r) => String(r.submission_id)),
  );
  const rows = members
    .filter((m) => !have.has(m.submissionId))
    .map((m, i) => [m.submissionId, m.taskId, lot.projectId, lot.batch, m.authorId, 'pending', now, i]);
  await insertRows(tx, 'reviews', REVIEW_COLS, rows);
};

/** Makes a lot of a batch's submitted items, draws its sample and puts it up for audit. */
export const createLot = async (
  tx: SqlExecutor,
  req: { projectId: string; userId: string; batch: string; level: InspectionLevel; aql: Aql; seed?: number },
  now: number,
): Promise<Lot> => {
  if (!(await tx.get('SELECT 1 AS x FROM projects WHERE id = ?', [req.projectId])))
    throw new StorageRefusal('NOT_FOUND', `no project ${req.projectId}`);
  const open = await tx.get("SELECT id FROM lots WHERE project_id = ? AND batch = ? AND status = 'open'", [
    req.projectId,
    req.batch,
  ]);
  if (open)
    throw new StorageRefusal(
      'INVALID_INPUT',
      `batch "${req.batch}" already has lot ${String(open.id)} under audit; it must be decided first`,
    );
  // The lot: every standing submission of the batch's ordinary (not gold) tasks.
  const members = (
    await tx.all(
      `SELECT s.id, s.task_id, s.user_id FROM submissions s JOIN tasks t ON t.id = s.task_id
       WHERE t.project_id = ? AND t.batch = ? AND t.gold = 0 AND s.superseded = 0 AND s.conflict = 0
       ORDER BY s.task_id, s.user_id`,
      [req.projectId, req.batch],
    )
  ).map((r) => ({ submissionId: String(r.id), taskId: String(r.task_id), authorId: String(r.user_id) }));
  if (members.length === 0)
    throw new StorageRefusal('INVALID_INPUT', `batch "${req.batch}" has no submitted work to audit`);
  const plan = samplingPlan({ lotSize: members.length, level: req.level, aql: req.aql });
  const seed = req.seed ?? randomInt(0, 2 ** 31 - 1);
  const ranked = members
    .map((m) => ({ ...m, draw: lotDraw(seed, m.taskId, m.authorId) }))
    .sort((a, b) => (a.draw < b.draw ? -1 : a.draw > b.draw ? 1 : 0));
  const sample = ranked.slice(0, plan.sampleSize);
  const n = Number(
    (await tx.get('SELECT COUNT(*) AS n FROM lots WHERE project_id = ?', [req.projectId]))?.n ?? 0,
  );
  const id = `${req.projectId}:lot-${n + 1}`;
  await tx.run(
    `INSERT INTO lots (${LOT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, NULL)`,
    [
      id,
      req.projectId,
      req.batch,
      plan.lotSize,
      plan.level,
      plan.aql,
      plan.codeLetter,
      plan.planLetter,
      plan.sampleSize,
      plan.ac,
      plan.re,
      plan.inspectAll ? 1 : 0,
      seed,
      LOT_DRAW_ALGORITHM,
      req.userId,
      now,
    ],
  );
  await insertRows(
    tx,
    'lot_items',
    ITEM_COLS,
    ranked.map((m, i) => [id, m.submissionId, m.taskId, m.authorId, i < plan.sampleSize ? 1 : 0, m.draw]),
  );
  await openReviewItems(tx, { projectId: req.projectId, batch: req.batch }, sample, now);
  // Items reviewed before the lot was made may decide it at once.
  await settleLot(tx, id, now);
  return toLot(tx, await tx.get(`SELECT ${LOT_COLS} FROM lots WHERE id = ?`, [id]));
};

/**
 * Settles an open lot whose audit has reached a verdict: accepted, or rejected with its
 * other items put up for full review (their reviewers' rejections send them to rework).
 */
const settleLot = async (tx: SqlExecutor, lotId: string, now: number): Promise<void> => {
  const raw = await tx.get(`SELECT ${LOT_COLS} FROM lots WHERE id = ?`, [lotId]);
  if (!raw) return;
  const r: LotRow = LotRow.parse(raw);
  if (r.status !== 'open') return;
  const { audited, defects } = await auditOf(tx, lotId);
  const verdict = lotVerdict({ sampleSize: r.sample_size, ac: r.ac, re: r.re }, audited, defects);
  if (verdict === 'pending') return;
  await tx.run('UPDATE lots SET status = ?, decided_at = ? WHERE id = ?', [verdict, now, lotId]);
  if (verdict === 'accepted') return;
  const rest = (
    await tx.all(
      `SELECT i.submission_id, i.task_id, i.author_id FROM lot_items i
       JOIN submissions s ON s.id = i.submission_id AND s.user_id = i.author_id AND s.superseded = 0
       WHERE i.lot_id = ? AND i.sampled = 0 ORDER BY i.draw`,
      [lotId],
    )
  ).map((x) => ({
    submissionId: String(x.submission_id),
    taskId: String(x.task_id),
    authorId: String(x.author_id),
  }));
  await openReviewItems(tx, { projectId: r.project_id, batch: r.batch }, rest, now);
};

/** Called in a push's transaction with the review items its verdicts decided. */
export const settleLotsOf = async (
  tx: SqlExecutor,
  submissionIds: readonly string[],
  now: number,
): Promise<void> => {
  if (submissionIds.length === 0) return;
  const lots = await tx.all(
    `SELECT DISTINCT i.lot_id FROM lot_items i JOIN lots l ON l.id = i.lot_id
     WHERE ${inList(tx.dialect, 'i.submission_id')} AND i.sampled = 1 AND l.status = 'open' ORDER BY i.lot_id`,
    [listParam(tx.dialect, submissionIds)],
  );
  for (const l of lots) await settleLot(tx, String(l.lot_id), now);
};

/** A project's lots, newest first, with their audit counts read from the record. */
export const listLots = async (tx: SqlExecutor, projectId: string): Promise<Lot[]> => {
  const rows = await tx.all(
    `SELECT ${LOT_COLS} FROM lots WHERE project_id = ? ORDER BY created_at DESC, id DESC`,
    [projectId],
  );
  const out: Lot[] = [];
  for (const r of rows) out.push(await toLot(tx, r));
  return out;
};
