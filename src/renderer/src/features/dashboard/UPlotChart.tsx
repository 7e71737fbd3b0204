import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A CSS custom property of the current theme (charts follow light and dark). */
export const themeColor = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/**
 * An axis styled from the theme tokens: labels in `--chart-text`, hairline grid and ticks in
 * `--chart-grid` (uPlot's own default is a 2 px near-black line, heavy on a light surface).
 * The one place chart axes get their look; `extra` adds the axis's own settings.
 */
export const themedAxis = (extra: uPlot.Axis = {}): uPlot.Axis => {
  const grid = themeColor('--chart-grid');
  return {
    stroke: themeColor('--chart-text'),
    font: `11px ${themeColor('--font')}`,
    labelFont: `12px ${themeColor('--font')}`,
    ...extra,
    grid: { stroke: grid, width: 1, ...extra.grid },
    ticks: { stroke: grid, width: 1, size: 4, ...extra.ticks },
  };
};

/** The chart options, built when drawn so the colours are the theme's at that moment. */
export type ChartOptions = () => Omit<uPlot.Options, 'width' | 'height'>;

/** Counts `data-theme` changes on <html>, so charts redraw in the new theme's colours. */
const useThemeVersion = (): number => {
  const [v, setV] = useState(0);
  useEffect(() => {
    const mo = new MutationObserver(() => setV((n) => n + 1));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  return v;
};

/**
 * One uPlot chart, sized to its container's width. uPlot draws on a canvas and keeps nothing
 * React owns: the chart is rebuilt when its options, data or the theme change (a few hundred points).
 */
export function UPlotChart({
  options,
  data,
  height = 180,
  label,
  testId,
}: {
  options: ChartOptions;
  data: uPlot.AlignedData;
  height?: number;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useThemeVersion();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = new uPlot({ ...options(), width: Math.max(200, el.clientWidth), height }, data, el);
    const ro = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.destroy();
    };
  }, [options, data, height, theme]);
  return (
    <div
      ref={ref}
      className="dash-chart"
      role="img"
      aria-label={label}
      {...(testId !== undefined ? { 'data-testid': testId } : {})}
    />
  );
}
