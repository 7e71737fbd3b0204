import { teamLabelNames } from '../../../../shared/metrics';
import type { TeamMetrics } from '../../../../shared/sync';
import { sortedBy, type SortDir } from './team-data';

/** The per-label table's columns: the team's counts, and one annotator's beside them. */
export const LABEL_COLUMNS = [
  { key: 'label', label: 'Label' },
  { key: 'team', label: 'Team' },
  { key: 'teamShare', label: 'Team share' },
  { key: 'member', label: 'Annotator' },
  { key: 'memberShare', label: 'Annotator share' },
] as const;
export type LabelColumn = (typeof LABEL_COLUMNS)[number]['key'];

export interface LabelRow {
  label: string;
  /** Results of this label over the team's submissions in the range. */
  team: number;
  /** Of all the team's labelled results. */
  teamShare: number | null;
  /** The chosen annotator's (null: none chosen). */
  member: number | null;
  memberShare: number | null;
}

/**
 * One row per label the team used in the range: the team's count and share, and the chosen
 * annotator's (`userId`, or none), sorted by `key` (a share with nothing to divide by last
 * either way; ties by label).
 */
export const labelRows = (
  m: Pick<TeamMetrics, 'labels'>,
  userId: string | null,
  key: LabelColumn,
  dir: SortDir,
): LabelRow[] => {
  const team = new Map<string, number>();
  const member = new Map<string, number>();
  let teamAll = 0;
  let memberAll = 0;
  for (const l of m.labels) {
    team.set(l.label, (team.get(l.label) ?? 0) + l.count);
    teamAll += l.count;
    if (l.userId === userId) {
      member.set(l.label, (member.get(l.label) ?? 0) + l.count);
      memberAll += l.count;
    }
  }
  const rows = teamLabelNames(m).map((label): LabelRow => {
    const t = team.get(label) ?? 0;
    const n = userId === null ? null : (member.get(label) ?? 0);
    return {
      label,
      team: t,
      teamShare: teamAll > 0 ? t / teamAll : null,
      member: n,
      memberShare: n === null || memberAll === 0 ? null : n / memberAll,
    };
  });
  return sortedBy(
    rows,
    (r) => r[key],
    dir,
    (r) => r.label,
  );
};
