import { AqlSchema, InspectionLevelSchema } from '../../shared/quality';
import { BatchName, type Lot, type QualityReport } from '../../shared/sync';
import { InputError } from '../admin/errors';
import { resolveProject } from '../admin/users';
import { StorageRefusal } from '../storage/errors';
import { type Command, need, num, storageHelp, storageOpts, str, withStorage } from './commands';

/** `quality lot`, `quality report`, `quality gold-rate` (issue 12). */

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export const lotLine = (l: Lot): string =>
  `${l.id}  batch "${l.batch}"  N=${l.lotSize} level ${l.level} AQL ${l.aql}  code ${l.codeLetter}` +
  `${l.planLetter !== l.codeLetter ? `→${l.planLetter}` : ''}  n=${l.sampleSize}${l.inspectAll ? ' (all)' : ''}` +
  `  Ac ${l.ac} Re ${l.re}  audited ${l.audited}/${l.sampleSize}  defects ${l.defects}  ${l.verdict}` +
  `${l.reworkItems > 0 ? ` (${l.reworkItems} items put up for full review)` : ''}  seed ${l.seed}`;

const reportText = (r: QualityReport): string => {
  const lines = [`project ${r.projectId}: overlap ${r.overlap}, gold rate ${pct(r.goldRate)}`];
  lines.push(`lots (${r.lots.length}):`, ...r.lots.map((l) => `  ${lotLine(l)}`));
  if (r.lots.length > 0) lines.push(`  defect rule: ${r.lots[0]!.defectRule}`);
  lines.push(
    'batches (N: the lot size a lot made now would have):',
    ...r.batches.map(
      (b) => `  ${b.batch}: N ${b.items}${b.openLotId === null ? '' : `, lot ${b.openLotId} under audit`}`,
    ),
  );
  const a = r.agreement;
  lines.push(
    `agreement over ${a.tasks} tasks with 2+ submissions: mean ${pct(a.score)}; class alpha ${a.classAlpha === null ? '—' : a.classAlpha.toFixed(3)}`,
  );
  for (const l of a.perLabel)
    lines.push(`  label ${l.label}: F1 ${pct(l.f1)} (tp ${l.tp}, fp ${l.fp}, fn ${l.fn})`);
  for (const p of a.pairs) lines.push(`  ${p.aName} × ${p.bName}: ${pct(p.score)} over ${p.tasks} tasks`);
  lines.push('annotators:');
  for (const x of r.annotators)
    lines.push(
      `  ${x.name}: vs accepted ${pct(x.vsAccepted.score)} (${x.vsAccepted.tasks} tasks); gold ${pct(x.gold.score)} (${x.gold.passed}/${x.gold.tasks} passed)`,
    );
  lines.push(
    `consensus: ${r.consensus.tasks} tasks, ${r.consensus.agreed} agreed, ${r.consensus.needsReview} sent to a reviewer`,
  );
  return `${lines.join('\n')}\n`;
};

const refused = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StorageRefusal) throw new InputError(e.message);
    throw e;
  }
};

export const QUALITY_COMMANDS: Command[] = [
  {
    name: 'quality lot',
    usage:
      '--data <dir> --project <id or name> --batch <name> [--level I|II|III] [--aql 0.65|1.0|1.5|2.5|4.0|6.5] [--seed N] [--json]',
    summary:
      "Make a lot of a batch's submitted work and draw its audit sample (ISO 2859-1, normal inspection).",
    options: {
      ...storageOpts,
      project: { type: 'string' },
      batch: { type: 'string' },
      level: { type: 'string' },
      aql: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    },
    help: {
      ...storageHelp,
      project: 'project id or name',
      batch: 'the batch handed over',
      level: 'general inspection level (default II)',
      aql: 'acceptable quality limit, percent nonconforming (default 2.5)',
      seed: "the draw's seed (default: random; recorded with the lot either way)",
      json: 'print the lot as JSON',
    },
    run: async (v) => {
      const batch = BatchName.safeParse(need(v, 'batch'));
      if (!batch.success) throw new InputError(`--batch: ${batch.error.issues[0]?.message ?? 'invalid'}`);
      const level = InspectionLevelSchema.safeParse(str(v, 'level') ?? 'II');
      if (!level.success)
        throw new InputError(`--level must be I, II or III, got "${str(v, 'level') ?? ''}"`);
      const aql = AqlSchema.safeParse(Number(str(v, 'aql') ?? '2.5'));
      if (!aql.success)
        throw new InputError(
          `--aql must be one of 0.65, 1.0, 1.5, 2.5, 4.0, 6.5, got "${str(v, 'aql') ?? ''}"`,
        );
      const seed = num(v, 'seed', 0, 2 ** 31 - 1);
      if (seed !== undefined && !Number.isInteger(seed))
        throw new InputError('--seed must be a whole number');
      return withStorage(v, false, async (s) => {
        const projectId = await resolveProject(s, need(v, 'project'));
        const lot = await refused(() =>
          s.createLot(
            {
              projectId,
              userId: 'cli',
              batch: batch.data,
              level: level.data,
              aql: aql.data,
              ...(seed !== undefined ? { seed } : {}),
            },
            Date.now(),
          ),
        );
        process.stdout.write(v.json ? `${JSON.stringify(lot, null, 2)}\n` : `${lotLine(lot)}\n`);
        return 0;
      });
    },
  },
  {
    name: 'quality report',
    usage: '--data <dir> --project <id or name> [--json]',
    summary:
      'Lots, agreement, gold accuracy and consensus of a project (the same figures as GET /v1/projects/:id/quality).',
    options: { ...storageOpts, project: { type: 'string' }, json: { type: 'boolean' } },
    help: { ...storageHelp, project: 'project id or name', json: 'print the report as JSON' },
    run: (v) =>
      withStorage(v, false, async (s) => {
        const projectId = await resolveProject(s, need(v, 'project'));
        const report = await s.qualityReport(projectId, Date.now());
        process.stdout.write(v.json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
        return 0;
      }),
  },
  {
    name: 'quality gold-rate',
    usage: '--data <dir> --project <id or name> --percent <0-50>',
    summary: "The share of each annotator's leases that are gold tasks (mixed in, indistinguishable).",
    options: { ...storageOpts, project: { type: 'string' }, percent: { type: 'string' } },
    help: { ...storageHelp, project: 'project id or name', percent: 'percent of leases, 0 to 50' },
    run: async (v) => {
      const percent = num(v, 'percent', 0, 50);
      if (percent === undefined) throw new InputError('--percent is required');
      return withStorage(v, false, async (s) => {
        const projectId = await resolveProject(s, need(v, 'project'));
        await s.setGoldRate(projectId, percent / 100);
        process.stdout.write(`project ${projectId}: ${percent}% of leases are gold tasks\n`);
        return 0;
      });
    },
  },
];
