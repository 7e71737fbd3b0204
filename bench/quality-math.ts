/**
 * The pure quality and metrics math on the sizes the issues name, without storage or HTTP (the
 * hub's `quality` and `metrics` benches add those): agreement (every annotator pair, IoU-matched)
 * and consensus for 10,000 tasks × 3 annotators × 10 boxes; active time over a day of one-second
 * heartbeats; the activity chain over those heartbeats; the dashboard's 30 days of local figures
 * (9,000 outcomes) by day. Run: `npm run bench -- quality-math`; writes
 * bench/results/quality-math.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { BBoxResult } from '../src/shared/model';
import { deriveActiveTime, type PresenceEvent } from '../src/shared/metrics/active-time';
import { appendLinks, genesisHead, verifyChain } from '../src/shared/metrics/hash-chain';
import { summarizeBy, type TaskOutcomeInput } from '../src/shared/metrics/throughput';
import { consensusOf } from '../src/shared/quality/consensus';
import { matchRegions } from '../src/shared/quality/regions';

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const loadBefore = os.loadavg();

// Deterministic jitter (mulberry32) so every run measures the same data.
let seed = 42;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const tasks: BBoxResult[][][] = Array.from({ length: TASKS }, () =>
  [0, 1, 2].map((a) =>
    Array.from({ length: 10 }, (_, k): BBoxResult => ({
      type: 'bbox',
      id: `b${a}-${k}`,
      label: k % 3 === 0 ? 'person' : 'car',
      x: (k % 5) * 300 + rand() * 12,
      y: Math.floor(k / 5) * 300 + rand() * 12,
      w: 200 + rand() * 20,
      h: 150 + rand() * 20,
      rotation: 0,
      attributes: {},
    })),
  ),
);

/** Wall ms, and this process's CPU ms (on a loaded machine the wall time mostly waits for a core). */
const time = <T>(f: () => T): { ms: number; cpuMs: number; value: T } => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return {
    ms: Math.round((performance.now() - t0) * 10) / 10,
    cpuMs: Math.round((c.user + c.system) / 100) / 10,
    value,
  };
};

const heapBefore = process.memoryUsage().heapUsed;
const agreement = time(() => {
  let f1 = 0;
  for (const [a, b, c] of tasks)
    f1 += (matchRegions(a!, b!).f1 ?? 0) + (matchRegions(a!, c!).f1 ?? 0) + (matchRegions(b!, c!).f1 ?? 0);
  return f1 / (3 * TASKS);
});
const consensus = time(() => tasks.map((subs) => consensusOf(subs)));
const heapAfter = process.memoryUsage().heapUsed;

// A working day: 8 hours of one-second input heartbeats, a task change every 40 s, breaks.
const day: PresenceEvent[] = [];
const start = Date.UTC(2026, 11, 7, 8);
for (let s = 0; s < 8 * 3600; s++) {
  if (s % 3600 >= 3300) continue; // a five-minute break each hour
  if (s % 40 === 0) day.push({ kind: 'task', at: start + s * 1000, taskId: `t${s / 40}` });
  day.push({ kind: 'input', at: start + s * 1000, mono: s * 1000, clock: 'main' });
}
const active = time(() => deriveActiveTime(day));
const chain = time(() => appendLinks(genesisHead('bench'), day));
const verify = time(() => verifyChain(chain.value.links, genesisHead('bench')));

const outcomes: TaskOutcomeInput[] = Array.from({ length: 30 * 300 }, (_, i) => ({
  taskId: `t${i}`,
  projectId: 'p',
  batchId: `b${i % 7}`,
  annotatorId: 'ann',
  outcome: i % 20 === 0 ? 'skipped' : 'submitted',
  at: start - Math.floor(i / 300) * 86_400_000 + (i % 300) * 60_000,
  activeMs: 20_000 + (i % 50) * 1000,
  regions: 10,
  labels: { car: 7, person: 3 },
}));
const dashboard = time(() => summarizeBy('day', outcomes, [], { tzOffset: 330 }));

const result = {
  bench: 'quality-math',
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAvgBefore: loadBefore.map((l) => Math.round(l * 100) / 100),
    loadAvgAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
    note: 'shared 2-core machine; other jobs may run at the same time (see loadAvg); one run, cold JIT',
  },
  tasks: TASKS,
  agreementPairwiseMs: agreement.ms,
  agreementPairwiseCpuMs: agreement.cpuMs,
  meanPairwiseF1: Math.round(agreement.value * 1000) / 1000,
  consensusMs: consensus.ms,
  consensusCpuMs: consensus.cpuMs,
  consensusNeedingReview: consensus.value.filter((c) => c.reasons.length > 0).length,
  heapGrowthMB: Math.round((heapAfter - heapBefore) / 1e5) / 10,
  activeTimeDayEvents: day.length,
  activeTimeDayMs: active.ms,
  activeTimeDayCpuMs: active.cpuMs,
  activeHours: Math.round((active.value.totalMs / 3_600_000) * 100) / 100,
  chainAppendDayMs: chain.ms,
  chainAppendDayCpuMs: chain.cpuMs,
  chainVerifyDayMs: verify.ms,
  chainVerifyDayCpuMs: verify.cpuMs,
  dashboard30DaysOutcomes: outcomes.length,
  dashboard30DaysByDayMs: dashboard.ms,
  dashboard30DaysByDayCpuMs: dashboard.cpuMs,
  targets: {
    'agreement + consensus for 10k tasks × 3 × 10 boxes < 2000 ms (pure part of the hub target)':
      agreement.ms + consensus.ms < 2000,
    'the same in CPU time (what an idle core would take)': agreement.cpuMs + consensus.cpuMs < 2000,
    'dashboard figures over 30 days of local data < 200 ms (pure part)': dashboard.ms < 200,
    'the same in CPU time': dashboard.cpuMs < 200,
  },
};
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/quality-math.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
