import { useEffect, useMemo, useState } from 'react';
import type { LocalMetrics } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';
import { ModalDialog } from '../modal/ModalDialog';
import { clockDuration, dashboardData, histogram, type Range } from './dashboard-data';
import { TeamView } from './TeamView';
import { useOwnReview } from './use-own-review';
import { countChart, dayChart, type Chart } from './charts';
import { UPlotChart } from './UPlotChart';
import { useReviewRoles } from '../review/use-review-roles';
import './dashboard.css';

const RANGES: { days: Range; label: string }[] = [
  { days: 1, label: 'Today' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
];

const VIEWS = [
  { id: 'mine', label: 'My work' },
  { id: 'team', label: 'Team' },
] as const;

const pct = (v: number | null): string => (v === null ? '—' : `${Math.round(v * 100)} %`);
const num = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));

/**
 * The annotator's own figures (issue 13.5), from this workbench's records only, so it works
 * offline: throughput over time, time per task, acceptance once reviews exist, and progress to
 * the lead's daily target. Active time is the core's (src/shared/metrics), shown to the second.
 */
export function Dashboard({ onClose }: { onClose(): void }) {
  const { api } = useConnection();
  const [range, setRange] = useState<Range>(1);
  const [view, setView] = useState<'mine' | 'team'>('mine');
  const roles = useReviewRoles();
  // Signed out, a kept answer is not used: a lead of another hub is not a lead here.
  const leadProjects =
    roles?.signedIn === true
      ? roles.leads.map((id) => ({
          id,
          name: roles.memberships.find((m) => m.projectId === id)?.projectName ?? id,
        }))
      : [];
  const [metrics, setMetrics] = useState<LocalMetrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tzOffset = -new Date().getTimezoneOffset();

  useEffect(() => {
    let live = true;
    void api.call('metrics.local', { days: range, tzOffset }).then((r) => {
      if (!live) return;
      if (r.ok) setMetrics(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [api, range, tzOffset]);

  // Days end on the core's clock, the one that stamped the work (not this window's).
  const own = useOwnReview(roles, range, tzOffset, metrics?.now ?? null);
  const d = useMemo(
    () => (metrics ? dashboardData(metrics, range, tzOffset) : null),
    [metrics, range, tzOffset],
  );

  const throughput = useMemo((): Chart | null => {
    if (!d) return null;
    if (range === 1)
      return countChart(
        d.hours.map((_, h) => h),
        d.hours,
        'hour of day',
        '--accent',
      );
    return dayChart(
      d.days.map((x) => x.day),
      d.days.map((x) => x.submitted),
      d.days.map((x) => x.activeMs / 3_600_000),
      'active hours',
      'active h',
    );
  }, [d, range]);

  const perTask = useMemo((): Chart | null => {
    if (!d || d.perTaskSec.length === 0) return null;
    const h = histogram(d.perTaskSec);
    return countChart(h.edges, h.counts, 'active seconds per task', '--warn');
  }, [d]);

  const s = d?.summary;
  const target = d?.dailyTarget ?? null;
  return (
    <ModalDialog
      onClose={onClose}
      className="dashboard"
      name={{ label: view === 'team' ? 'Team figures' : 'My work' }}
      testId="dashboard"
      state={d ? 'ready' : 'loading'}
    >
      <header className="dash-head">
        {leadProjects.length > 0 ? (
          <div className="dash-views" role="tablist" aria-label="Whose figures">
            {VIEWS.map((v) => (
              <button
                key={v.id}
                type="button"
                role="tab"
                aria-selected={view === v.id}
                onClick={() => setView(v.id)}
                data-testid={`view-${v.id}`}
              >
                {v.label}
              </button>
            ))}
          </div>
        ) : (
          <h2>My work</h2>
        )}
        {view === 'mine' && (
          <div className="dash-ranges" role="tablist" aria-label="Period">
            {RANGES.map((r) => (
              <button
                key={r.days}
                type="button"
                role="tab"
                aria-selected={range === r.days}
                className={range === r.days ? 'active' : ''}
                onClick={() => setRange(r.days)}
              >
                {r.label}
              </button>
            ))}
          </div>
        )}
        <button type="button" className="dash-close" onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      {view === 'team' && leadProjects.length > 0 && <TeamView projects={leadProjects} />}
      {view === 'mine' && error && <p className="dash-error">Could not read your figures: {error}</p>}
      {view === 'mine' && d && s && (
        <>
          <div className="dash-kpis">
            <Kpi label="Tasks submitted" value={String(s.submitted)} test="dash-submitted" />
            <Kpi label="Active time" value={clockDuration(d.activeMs)} test="dash-active" ms={d.activeMs} />
            <Kpi label="Tasks per active hour" value={num(s.tasksPerActiveHour)} test="dash-pace" />
            <Kpi label="Median s / task" value={num(s.medianActiveSec, 0)} test="dash-median" />
            <Kpi label="p90 s / task" value={num(s.p90ActiveSec, 0)} />
            <Kpi label="Skipped" value={pct(s.skipRate)} />
            {own.state === 'ready' && own.review.firstVersionsReviewed + own.review.reviewed > 0 ? (
              <>
                <Kpi
                  label={`First-pass acceptance (${own.review.firstVersionsReviewed} reviewed)`}
                  value={pct(own.review.firstPassAcceptance)}
                  test="dash-acceptance"
                />
                <Kpi
                  label={`Sent back for rework (of ${own.review.reviewed})`}
                  value={pct(own.review.reworkRate)}
                  test="dash-rework"
                />
              </>
            ) : (
              <Kpi
                label={
                  own.state === 'offline'
                    ? 'Acceptance: needs the hub (offline)'
                    : own.state === 'loading'
                      ? 'Acceptance: asking the hub…'
                      : own.state === 'none'
                        ? 'Acceptance: reviews are on the hub'
                        : 'Acceptance: no reviews yet'
                }
                value="—"
                test="dash-acceptance"
              />
            )}
          </div>
          {own.state === 'ready' && own.review.firstVersionsReviewed + own.review.reviewed > 0 && (
            <p className="dash-note muted" data-testid="dash-review-source">
              Acceptance and rework of the work you submitted in this period, from the hub&apos;s reviews,
              fetched {new Date(own.fetchedAt).toLocaleTimeString()}.
            </p>
          )}
          {target !== null && (
            <div className="dash-target" data-testid="dash-target">
              <span>
                Today {d.submittedToday} of {target} tasks
              </span>
              <progress max={target} value={Math.min(target, d.submittedToday)} />
            </div>
          )}
          {s.submitted + s.skipped === 0 ? (
            <p className="dash-empty" data-testid="dash-empty">
              Nothing submitted in this period yet. Your figures appear here as you work; they are counted on
              this computer, so they are here offline too.
            </p>
          ) : (
            <div className="dash-charts">
              <section>
                <h3>{range === 1 ? 'Tasks by hour today' : 'Tasks and active hours per day'}</h3>
                {throughput && (
                  <UPlotChart
                    options={throughput.options}
                    data={throughput.data}
                    label="Throughput over time"
                  />
                )}
              </section>
              <section>
                <h3>Time per task</h3>
                {perTask ? (
                  <UPlotChart options={perTask.options} data={perTask.data} label="Active seconds per task" />
                ) : (
                  <p className="muted">No submitted task yet.</p>
                )}
              </section>
            </div>
          )}
          <p className="dash-note muted">
            Active time counts while this window is focused and your keys, pointer or scrolling keep coming; a
            pause longer than {Math.round((metrics?.idleMs ?? 60_000) / 1000)} s counts nothing.
          </p>
        </>
      )}
    </ModalDialog>
  );
}

function Kpi({ label, value, test, ms }: { label: string; value: string; test?: string; ms?: number }) {
  return (
    <div className="dash-kpi">
      <div className="dash-kpi-value" data-testid={test} {...(ms !== undefined ? { 'data-ms': ms } : {})}>
        {value}
      </div>
      <div className="dash-kpi-label">{label}</div>
    </div>
  );
}
