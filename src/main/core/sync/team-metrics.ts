import type { Clock } from '../../../shared/clock';
import { outcomeRowsCsv, teamTableCsv, type TeamOutcomeRow } from '../../../shared/metrics';
import {
  type ActivityFlag,
  ActivityFlagList,
  HUB_ROUTES,
  hubPath,
  TeamMetrics,
  TeamRowsPage,
  type TeamMetricsQuery,
} from '../../../shared/sync';
import type { SyncEngine } from './engine';
import { hubGet, parseHubAnswer } from './hub-api';

/** The largest page the hub's rows route gives; a month of a big team takes a few hundred. */
const ROWS_PAGE = 20_000;

type Query = Omit<TeamMetricsQuery, 'tzOffset'> & { tzOffset: number };

const queryString = (entries: Record<string, string | number | undefined>): string =>
  new URLSearchParams(
    Object.entries(entries).flatMap(([k, v]): [string, string][] =>
      v === undefined ? [] : [[k, String(v)]],
    ),
  ).toString();

/**
 * The lead's team view (issue 13.6) read live from the signed-in hub: the team figures and the
 * raw per-task rows of a project. Nothing is kept here: a lead's figures are the hub's, so
 * without a link the call fails OFFLINE (in words) rather than showing old numbers as current;
 * every answer carries when it was fetched. The hub decides who sees what (a lead their
 * projects' teams, an annotator their own figures).
 */
export class TeamMetricsSync {
  constructor(
    private readonly engine: () => SyncEngine,
    private readonly clock: Clock,
  ) {}

  private async get(path: string, what: string): Promise<Buffer> {
    return (await hubGet(this.engine().hubClient(), path, what)).body;
  }

  async team(projectId: string, q: Query): Promise<{ metrics: TeamMetrics; fetchedAt: number }> {
    const what = 'could not read the team figures';
    const path = `${hubPath(HUB_ROUTES.teamMetrics, { projectId })}?${queryString(q)}`;
    const metrics = parseHubAnswer(TeamMetrics, await this.get(path, what), what);
    return { metrics, fetchedAt: Math.trunc(this.clock()) };
  }

  /** The project's activity flags as the hub holds them now (lead/admin; newest first), in a range. */
  async flags(
    projectId: string,
    range: { from?: number | undefined; to?: number | undefined } = {},
  ): Promise<{ flags: ActivityFlag[]; fetchedAt: number }> {
    const what = 'could not read the activity flags';
    const qs = queryString({ from: range.from, to: range.to });
    const path = `${hubPath(HUB_ROUTES.activityFlags, { projectId })}${qs ? `?${qs}` : ''}`;
    const { flags } = parseHubAnswer(ActivityFlagList, await this.get(path, what), what);
    return { flags, fetchedAt: Math.trunc(this.clock()) };
  }

  /** Every raw row of the range, page by page (the hub's order: oldest first). */
  async rows(projectId: string, q: Omit<Query, 'tzOffset'>): Promise<TeamOutcomeRow[]> {
    const what = 'could not read the task rows';
    const out: TeamOutcomeRow[] = [];
    let after: string | undefined;
    do {
      const path = `${hubPath(HUB_ROUTES.teamMetricRows, { projectId })}?${queryString({
        from: q.from,
        to: q.to,
        batch: q.batch,
        after,
        limit: ROWS_PAGE,
      })}`;
      const page = parseHubAnswer(TeamRowsPage, await this.get(path, what), what);
      out.push(...page.rows);
      after = page.next ?? undefined;
    } while (after !== undefined);
    return out;
  }

  /** The team table or the payroll rows as CSV, the same file the hub CLI writes. */
  async csv(
    projectId: string,
    q: Query,
    kind: 'table' | 'rows',
  ): Promise<{ csv: string; rows: number; fileName: string; fetchedAt: number }> {
    const day = (t: number) => new Date(t + q.tzOffset * 60_000).toISOString().slice(0, 10);
    const last = day(q.to - 1);
    const name = `${projectId}-${q.batch ? `${q.batch}-` : ''}${day(q.from)}${
      last === day(q.from) ? '' : `_${last}`
    }`.replace(/[^\w.-]+/g, '_');
    if (kind === 'table') {
      const { metrics, fetchedAt } = await this.team(projectId, q);
      return {
        csv: teamTableCsv(metrics),
        rows: metrics.members.length,
        fileName: `${name}-team.csv`,
        fetchedAt,
      };
    }
    const rows = await this.rows(projectId, q);
    return {
      csv: outcomeRowsCsv(rows),
      rows: rows.length,
      fileName: `${name}-tasks.csv`,
      fetchedAt: Math.trunc(this.clock()),
    };
  }
}
