import uPlot from 'uplot';
import { themeColor, themedAxis, type ChartOptions } from './UPlotChart';

export type Chart = { data: uPlot.AlignedData; options: ChartOptions };

const bars = uPlot.paths.bars?.({ size: [0.7, 60] });
/** Bars where uPlot has its bar path builder, else its default line. */
export const barsOrLine: { paths?: uPlot.Series.PathBuilder } = bars ? { paths: bars } : {};

/** Counts (bars, left axis) over an x that is not time: hours of a day, histogram bins. */
export const countChart = (xs: number[], counts: number[], xLabel: string, color: string): Chart => ({
  data: [xs, counts] as uPlot.AlignedData,
  options: () => ({
    scales: { x: { time: false } },
    axes: [themedAxis({ label: xLabel }), themedAxis({ label: 'tasks' })],
    series: [
      { label: xLabel },
      { label: 'tasks', fill: themeColor(color), stroke: themeColor(color), ...barsOrLine },
    ],
    legend: { show: false },
  }),
});

/**
 * Tasks per day (bars, left axis) with a second figure per day (line, right axis from 0): the
 * annotator's days and the lead's team and per-annotator charts.
 */
export const dayChart = (
  days: readonly string[],
  tasks: readonly number[],
  line: readonly (number | null)[],
  lineLabel: string,
  axisLabel: string,
): Chart => ({
  data: [days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000), [...tasks], [...line]] as uPlot.AlignedData,
  options: () => ({
    scales: {
      r: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(1, max)] as [number, number] },
    },
    axes: [
      themedAxis(),
      themedAxis({ label: 'tasks' }),
      themedAxis({ scale: 'r', side: 1, label: axisLabel, grid: { show: false } }),
    ],
    series: [
      {},
      { label: 'tasks', fill: themeColor('--accent'), stroke: themeColor('--accent'), ...barsOrLine },
      { label: lineLabel, scale: 'r', stroke: themeColor('--ok'), width: 2, points: { show: true } },
    ],
  }),
});
