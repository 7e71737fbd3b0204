import { useEffect, useMemo, useState } from 'react';
import uPlot from 'uplot';
import type { LocalMetrics } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';
import { useModal } from '../../hooks/use-modal';
import { clockDuration, dashboardData, histogram, type Range } from './dashboard-data';
import { themeColor, UPlotChart } from './UPlotChart';
import './dashboard.css';

const RANGES: { days: Range; label: string }[] = [
  { days: 1, label: 'Today' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
];

const pct = (v: number | null): string => (v === null ? '—' : `${Math.round(v * 100)} %`);
const num = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));

const bars = uPlot.paths.bars?.({ size: [0.7, 60] });
const barsOrLine: { paths?: uPlot.Series.PathBuilder } = bars ? { paths: bars } : {};

/**
 * The annotator's own figures (issue 13.5), from this workbench's records only, so it works
 * offline: throughput over time, time per task, acceptance once reviews exist, and progress to
 * the lead's daily target. Active time is the core's (src/shared/metrics), shown to the second.
 */
export function Dashboard({ onClose }: { onClose(): void }) {
  const { api } = useConnection();
  const { ref, dialogProps } = useModal<HTMLDivElement>({ onClose });
  const [range, setRange] = useState<Range>(1);
  const [loaded, setLoaded] = useState<{ metrics: LocalMetrics; at: number } | null>(null);
  const metrics = loaded?.metrics ?? null;
  const [error, setError] = useState<string | null>(null);
  const tzOffset = -new Date().getTimezoneOffset();

  useEffect(() => {
    let live = true;
    void api.call('metrics.local', { days: range, tzOffset }).then((r) => {
      if (!live) return;
      if (r.ok) setLoaded({ metrics: r.value, at: Date.now() });
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [api, range, tzOffset]);

  const d = useMemo(
    () => (loaded ? dashboardData(loaded.metrics, loaded.at, range, tzOffset) : null),
    [loaded, range, tzOffset],
  );

  type Chart = { data: uPlot.AlignedData; options: Omit<uPlot.Options, 'width' | 'height'> };
  const throughput = useMemo((): Chart | null => {
    if (!d) return null;
    const accent = themeColor('--accent');
    const ok = themeColor('--ok');
    const axis = { stroke: themeColor('--muted'), grid: { stroke: themeColor('--border') } };
    if (range === 1)
      return {
        data: [d.hours.map((_, h) => h), d.hours] as uPlot.AlignedData,
        options: {
          scales: { x: { time: false } },
          axes: [
            { ...axis, label: 'hour of day' },
            { ...axis, label: 'tasks' },
          ],
          series: [{ label: 'hour' }, { label: 'tasks', fill: accent, stroke: accent, ...barsOrLine }],
          legend: { show: false },
        },
      };
    const xs = d.days.map((x) => Date.parse(`${x.day}T12:00:00Z`) / 1000);
    return {
      data: [
        xs,
        d.days.map((x) => x.submitted),
        d.days.map((x) => x.activeMs / 3_600_000),
      ] as uPlot.AlignedData,
      options: {
        scales: {
          h: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(1, max)] as [number, number] },
        },
        axes: [
          axis,
          { ...axis, label: 'tasks' },
          { ...axis, scale: 'h', side: 1, label: 'active h', grid: { show: false } },
        ],
        series: [
          {},
          { label: 'tasks', fill: accent, stroke: accent, ...barsOrLine },
          { label: 'active hours', scale: 'h', stroke: ok, width: 2, points: { show: true } },
        ],
      },
    };
  }, [d, range]);

  const perTask = useMemo((): Chart | null => {
    if (!d || d.perTaskSec.length === 0) return null;
    const h = histogram(d.perTaskSec);
    const warn = themeColor('--warn');
    const axis = { stroke: themeColor('--muted'), grid: { stroke: themeColor('--border') } };
    return {
      data: [h.edges, h.counts] as uPlot.AlignedData,
      options: {
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: 'active seconds per task' },
          { ...axis, label: 'tasks' },
        ],
        series: [{ label: 's' }, { label: 'tasks', fill: warn, stroke: warn, ...barsOrLine }],
        legend: { show: false },
      },
    };
  }, [d]);

  const s = d?.summary;
  const target = d?.dailyTarget ?? null;
  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={ref}
        {...dialogProps}
        className="dashboard"
        role="dialog"
        aria-label="My work"
        data-testid="dashboard"
        data-state={d ? 'ready' : 'loading'}
        onClick={(e) => e.stopPropagation()}
      >
        <header className="dash-head">
          <h2>My work</h2>
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
          <button type="button" className="dash-close" onClick={onClose} aria-label="Close">
            ×
          </button>
        </header>
        {error && <p className="dash-error">Could not read your figures: {error}</p>}
        {d && s && (
          <>
            <div className="dash-kpis">
              <Kpi label="Tasks submitted" value={String(s.submitted)} test="dash-submitted" />
              <Kpi label="Active time" value={clockDuration(d.activeMs)} test="dash-active" ms={d.activeMs} />
              <Kpi label="Tasks per active hour" value={num(s.tasksPerActiveHour)} test="dash-pace" />
              <Kpi label="Median s / task" value={num(s.medianActiveSec, 0)} test="dash-median" />
              <Kpi label="p90 s / task" value={num(s.p90ActiveSec, 0)} />
              <Kpi label="Skipped" value={pct(s.skipRate)} />
              <Kpi
                label={s.firstVersionsReviewed > 0 ? 'First-pass acceptance' : 'Acceptance: no reviews yet'}
                value={s.firstVersionsReviewed > 0 ? pct(s.firstPassAcceptance) : '—'}
              />
            </div>
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
                Nothing submitted in this period yet. Your figures appear here as you work; they are counted
                on this computer, so they are here offline too.
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
                    <UPlotChart
                      options={perTask.options}
                      data={perTask.data}
                      label="Active seconds per task"
                    />
                  ) : (
                    <p className="muted">No submitted task yet.</p>
                  )}
                </section>
              </div>
            )}
            <p className="dash-note muted">
              Active time counts while this window is focused and your keys, pointer or scrolling keep coming;
              a pause longer than {Math.round((metrics?.idleMs ?? 60_000) / 1000)} s counts nothing.
            </p>
          </>
        )}
      </div>
    </div>
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
