/** What the hub benches share: sample work, wall and CPU clocks, a CPU yardstick. */

/** Ten boxes with varied coordinates, like real work (identical boxes would gzip to nothing). */
export const boxes = () =>
  Array.from({ length: 10 }, (_, i) => {
    const r = () => Math.round(Math.random() * 400000) / 100;
    return {
      type: 'bbox' as const,
      id: `b${i}`,
      label: 'car',
      x: r(),
      y: r(),
      w: r() / 10,
      h: r() / 10,
      rotation: 0,
      attributes: {},
    };
  });

export const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;
/** CPU time this process used since `c0` (client and hub share it): shows how starved a run was. */
export const cpu = (c0: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(c0);
  return Math.round((d.user + d.system) / 1000);
};

/**
 * A fixed CPU yardstick (JSON.parse of ~10 MB, the size of the push phase's bodies; about
 * 60–100 ms on an idle 2-core machine), so figures from a busy machine can be put in proportion.
 */
export const yardstick = (): number => {
  const text = JSON.stringify(
    Array.from({ length: 100_000 }, (_, i) => ({
      id: `b${i}`,
      x: i * 1.5,
      y: i / 3,
      label: 'car',
      attributes: {},
    })),
  );
  const t0 = performance.now();
  JSON.parse(text);
  return ms(t0);
};
