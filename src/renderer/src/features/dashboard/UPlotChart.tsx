import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A CSS custom property of the current theme (charts follow light and dark). */
export const themeColor = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/**
 * One uPlot chart, sized to its container's width. uPlot draws on a canvas and keeps nothing
 * React owns: the chart is rebuilt when its options or data change (a few hundred points).
 */
export function UPlotChart({
  options,
  data,
  height = 180,
  label,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height?: number;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = new uPlot({ ...options, width: Math.max(200, el.clientWidth), height }, data, el);
    const ro = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.destroy();
    };
  }, [options, data, height]);
  return <div ref={ref} className="dash-chart" role="img" aria-label={label} />;
}
