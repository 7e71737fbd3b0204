import { useEffect, useId, useMemo, useState } from 'react';
import { callErrorWords, type MethodOutput, type PlainError } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';
import { saveTextFile } from '../../hooks/save-file';
import { ProblemText } from '../toast/ProblemText';
import { TeamFlags } from './TeamFlags';
import { TeamLabels } from './TeamLabels';
import { dailySeries, dayStart, TEAM_COLUMNS, teamRows, type TeamColumn } from './team-data';
import { SortableHeaders, useSort } from './sortable-headers';
import { dayChart } from './charts';
import { UPlotChart } from './UPlotChart';

export type LeadProject = { id: string; name: string };
type Team = MethodOutput<'metrics.team'>;
type State = { state: 'loading' } | { state: 'ready'; value: Team } | { state: 'error'; problem: PlainError };

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const fix = (v: number | null, d = 1): string => (v === null ? '—' : v.toFixed(d));
const time = (t: number): string => new Date(t).toLocaleString();
const localDay = (t: number, tzOffset: number): string =>
  new Date(t + tzOffset * 60_000).toISOString().slice(0, 10);

/**
 * The lead's team view (issue 13.6): the hub's figures of a project's annotators over a date
 * range (and batch), a sortable, filterable table, per-annotator charts, and CSV of the table
 * and of every submission (payroll). Read live from the hub through the core; offline it says
 * so and shows no figures (never old ones as current); every answer shows when it was fetched.
 */
export function TeamView({ projects }: { projects: LeadProject[] }) {
  const { api } = useConnection();
  const tzOffset = -new Date().getTimezoneOffset();
  const [projectId, setProjectId] = useState(projects[0]?.id ?? '');
  const [batch, setBatch] = useState('');
  const [batchesOf, setBatchesOf] = useState<{ projectId: string; batches: string[] } | null>(null);
  const batches = batchesOf?.projectId === projectId ? batchesOf.batches : [];
  // The last 7 days, today included, when the view opens.
  const [fromDay, setFromDay] = useState(() => localDay(Date.now() - 6 * 86_400_000, tzOffset));
  const [toDay, setToDay] = useState(() => localDay(Date.now(), tzOffset));
  const [filter, setFilter] = useState('');
  const [sort, sortBy] = useSort<TeamColumn>({ key: 'name', dir: 'ascending' }, 'name');
  const [selected, setSelected] = useState<string | null>(null);
  const [answer, setAnswer] = useState<{ key: string; state: State } | null>(null);
  const [reload, setReload] = useState(0);
  const [download, setDownload] = useState<string | null>(null);
  // The flag list, once the lead opens it: one annotator's or everyone's; `n` moves focus to it.
  const [flagsOf, setFlagsOf] = useState<{ user: { id: string; name: string } | null; n: number } | null>(
    null,
  );
  const openFlags = (user: { id: string; name: string } | null) =>
    setFlagsOf((f) => ({ user, n: (f?.n ?? 0) + 1 }));
  const ids = { project: useId(), batch: useId(), from: useId(), to: useId(), filter: useId() };

  const range = useMemo(() => {
    const from = dayStart(fromDay, tzOffset);
    const to = dayStart(toDay, tzOffset) + 86_400_000;
    return Number.isFinite(from) && Number.isFinite(to) && from < to ? { from, to } : null;
  }, [fromDay, toDay, tzOffset]);
  const query = useMemo(
    () => range && { projectId, ...range, tzOffset, ...(batch !== '' ? { batch } : {}) },
    [projectId, range, tzOffset, batch],
  );
  const key = `${JSON.stringify(query)}:${reload}`;
  const state: State = answer?.key === key ? answer.state : { state: 'loading' };

  useEffect(() => {
    let live = true;
    void api.call('review.progress', { projectId }).then((r) => {
      if (live && r.ok) setBatchesOf({ projectId, batches: r.value.batches.map((b) => b.batch) });
    });
    return () => {
      live = false;
    };
  }, [api, projectId]);

  useEffect(() => {
    if (!query) return;
    let live = true;
    void api.call('metrics.team', query).then((r) => {
      if (!live) return;
      setAnswer({
        key,
        state: r.ok
          ? { state: 'ready', value: r.value }
          : { state: 'error', problem: callErrorWords('metrics.team', r.error) },
      });
    });
    return () => {
      live = false;
    };
  }, [api, query, key]);

  const team = state.state === 'ready' ? state.value.metrics : null;
  const rows = useMemo(
    () => (team ? teamRows(team.members, sort.key, sort.dir, filter) : []),
    [team, sort, filter],
  );
  const who = team?.members.find((m) => m.userId === selected) ?? null;
  const teamChart = useMemo(() => {
    if (!team) return null;
    const s = dailySeries(team, null, tzOffset);
    return dayChart(s.days, s.tasks, s.hours, 'active hours', 'active h');
  }, [team, tzOffset]);
  const memberChart = useMemo(() => {
    if (!team || !who) return null;
    const s = dailySeries(team, who.userId, tzOffset);
    return dayChart(s.days, s.tasks, s.pace, 'tasks per active hour', 'tasks / h');
  }, [team, who, tzOffset]);

  const saveCsv = async (kind: 'table' | 'rows') => {
    if (!query) return;
    setDownload(kind === 'table' ? 'Preparing the table…' : 'Fetching every task row…');
    const r = await api.call('metrics.teamCsv', { ...query, kind });
    if (!r.ok) {
      setDownload(callErrorWords('metrics.teamCsv', r.error).words);
      return;
    }
    saveTextFile(r.value.fileName, r.value.csv, 'text/csv');
    setDownload(`Saved ${r.value.fileName}: ${r.value.rows} rows, fetched ${time(r.value.fetchedAt)}.`);
  };

  return (
    <div className="team" data-testid="team-view" data-state={state.state}>
      <div className="team-filters">
        <label htmlFor={ids.project}>Project</label>
        <select
          id={ids.project}
          value={projectId}
          onChange={(e) => {
            setProjectId(e.target.value);
            setBatch('');
            setFlagsOf(null);
          }}
        >
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.batch}>Batch</label>
        <select
          id={ids.batch}
          value={batch}
          onChange={(e) => setBatch(e.target.value)}
          data-testid="team-batch"
        >
          <option value="">All batches</option>
          {batches.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
        <label htmlFor={ids.from}>From</label>
        <input
          id={ids.from}
          type="date"
          value={fromDay}
          max={toDay}
          onChange={(e) => setFromDay(e.target.value)}
          data-testid="team-from"
        />
        <label htmlFor={ids.to}>To</label>
        <input
          id={ids.to}
          type="date"
          value={toDay}
          min={fromDay}
          onChange={(e) => setToDay(e.target.value)}
          data-testid="team-to"
        />
        <label htmlFor={ids.filter}>Annotator</label>
        <input
          id={ids.filter}
          type="search"
          value={filter}
          placeholder="name contains…"
          onChange={(e) => setFilter(e.target.value)}
          data-testid="team-filter"
        />
      </div>
      {!range && <p className="dash-error">The range must end on or after the day it starts.</p>}
      {state.state === 'loading' && range && (
        <p className="muted">Reading the team's figures from the hub…</p>
      )}
      {state.state === 'error' && (
        <div className="team-offline" data-testid="team-error">
          <ProblemText words={state.problem.words} detail={state.problem.detail} />
          <p className="muted">The team's figures live on the hub; none are shown until it answers.</p>
          <button type="button" className="button" onClick={() => setReload((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {state.state === 'ready' && team && (
        <>
          <p className="team-fetched muted" data-testid="team-fetched">
            From the hub, fetched {time(state.value.fetchedAt)}
            {team.qualityAsOf !== null
              ? `; gold and agreement as of the last quality report (${time(team.qualityAsOf)})`
              : '; gold and agreement appear once the quality report has run'}
            .
            <button type="button" className="linkish" onClick={() => setReload((n) => n + 1)}>
              Refresh
            </button>
          </p>
          <div className="team-table-wrap">
            <table className="team-table" data-testid="team-table">
              <thead>
                <SortableHeaders columns={TEAM_COLUMNS} sort={sort} sortBy={sortBy} />
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.userId} data-testid="team-row" aria-selected={m.userId === selected}>
                    <th scope="row">
                      <button type="button" className="linkish" onClick={() => setSelected(m.userId)}>
                        {m.name}
                      </button>
                    </th>
                    <td>{m.submitted}</td>
                    <td>{(m.activeMs / 3_600_000).toFixed(2)}</td>
                    <td>{fix(m.tasksPerActiveHour)}</td>
                    <td>{fix(m.medianActiveSec)}</td>
                    <td title={`${m.firstVersionsReviewed} first versions reviewed`}>
                      {pct(m.firstPassAcceptance)}
                    </td>
                    <td title={`${m.reviewed} tasks reviewed`}>{pct(m.reworkRate)}</td>
                    <td title={`${m.goldTasks} gold tasks`}>{pct(m.goldAccuracy)}</td>
                    <td title={`${m.agreementTasks} overlapping tasks`}>{pct(m.agreement)}</td>
                    <td>
                      {m.flags === 0 ? (
                        '0'
                      ) : (
                        <button
                          type="button"
                          className="linkish"
                          aria-label={`${m.flags} activity ${m.flags === 1 ? 'flag' : 'flags'} of ${m.name}: show`}
                          onClick={() => openFlags({ id: m.userId, name: m.name })}
                          data-testid="team-flag-count"
                        >
                          {m.flags}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {rows.length === 0 && (
              <p className="muted" data-testid="team-empty">
                {team.members.length === 0
                  ? 'Nobody submitted work in this range.'
                  : 'No annotator matches the filter.'}
              </p>
            )}
          </div>
          <div className="team-downloads">
            <button
              type="button"
              className="button"
              onClick={() => void saveCsv('table')}
              data-testid="team-csv"
            >
              Download table (CSV)
            </button>
            <button
              type="button"
              className="button"
              onClick={() => void saveCsv('rows')}
              data-testid="team-rows-csv"
            >
              Download every task (CSV, payroll)
            </button>
            <button
              type="button"
              className="button"
              onClick={() => openFlags(null)}
              data-testid="team-show-flags"
            >
              Show activity flags
            </button>
            {download && (
              <span role="status" className="muted">
                {download}
              </span>
            )}
          </div>
          {flagsOf && range && (
            <TeamFlags
              projectId={projectId}
              range={{
                ...range,
                label: fromDay === toDay ? `on ${fromDay}` : `from ${fromDay} to ${toDay}`,
              }}
              user={flagsOf.user}
              focusKey={flagsOf.n}
              onShowAll={() => openFlags(null)}
            />
          )}
          <TeamLabels team={team} who={who} />
          <div className="dash-charts">
            <section>
              <h3>Team: tasks and active hours per day</h3>
              {teamChart && (
                <UPlotChart
                  options={teamChart.options}
                  data={teamChart.data}
                  label="Team tasks per day"
                  testId="team-chart"
                />
              )}
            </section>
            <section>
              <h3>{who ? `${who.name}: tasks and pace per day` : 'One annotator'}</h3>
              {memberChart ? (
                <UPlotChart
                  options={memberChart.options}
                  data={memberChart.data}
                  label={`${who?.name ?? ''} tasks per day`}
                  testId="member-chart"
                />
              ) : (
                <p className="muted">Pick an annotator's name in the table to see their days.</p>
              )}
            </section>
          </div>
        </>
      )}
    </div>
  );
}
