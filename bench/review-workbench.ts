/**
 * The workbench side of `npm run bench -- review`: a reviewer's workbench core (its own
 * SQLite file, signed in over loopback HTTP) leases 1,000 review items with their content
 * through `review.lease` (project info + review lease + parsing + local writes), opens each the
 * way the review screen does (`review.open`), gives 1,000 verdicts here (80% accept, 10% fix,
 * 10% reject with a pinned comment; each one transaction with its outbox row) and pushes them
 * (`sync.now`). Called by bench/review.ts once per round on a project of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkbenchInternals } from '../src/main/core/workbench';
import { memoryTokenStore } from '../src/main/core/sync/token-store';
import { cpu, ms } from './lib/measure';

export type WorkbenchRound = {
  wbLease1000ReviewsMs: number;
  wbLease1000ReviewsCpuMs: number;
  wbOpenMedianMs: number;
  wbGive1000VerdictsMs: number;
  wbPush1000VerdictsMs: number;
};

export const workbenchRound = async (
  hubUrl: string,
  projectId: string,
  token: string,
): Promise<WorkbenchRound> => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-bench-wb-'));
  const wb = await openWorkbenchInternals({
    dataDir,
    resourcesDir: path.resolve('resources'),
    mode: 'test',
    seedDemo: false,
    tokenStore: memoryTokenStore(),
    sync: { intervalMs: 3_600_000, timeoutMs: 30_000, pushBatch: 1000 },
  });
  try {
    await wb.sync.signIn(hubUrl, token);
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    const leased = await wb.handlers['review.lease']({ projectId, count: 1000 });
    const wbLease1000ReviewsMs = ms(t0);
    const wbLease1000ReviewsCpuMs = cpu(c0);
    if (leased.leased !== 1000) throw new Error(`workbench leased ${leased.leased}, not 1000`);
    const { items } = await wb.handlers['review.list']({ projectId, limit: 1000, offset: 0 });
    const opens: number[] = [];
    const views = [];
    for (const item of items) {
      t0 = performance.now();
      views.push(await wb.handlers['review.open']({ submissionId: item.submissionId }));
      opens.push(ms(t0));
    }
    opens.sort((a, b) => a - b);
    c0 = process.cpuUsage();
    t0 = performance.now();
    for (const [i, v] of views.entries()) {
      const common = { submissionId: v.item.submissionId };
      if (i % 10 === 8)
        await wb.handlers['review.fix']({ ...common, annotation: v.submission.annotation, comments: [] });
      else if (i % 10 === 9)
        await wb.handlers['review.reject']({
          ...common,
          reason: 'box too loose',
          comments: [{ target: { kind: 'region', resultId: 'b3' }, text: 'the box cuts the wheel off' }],
        });
      else await wb.handlers['review.accept']({ ...common, comments: [] });
    }
    const wbGive1000VerdictsMs = ms(t0);
    void cpu(c0);
    t0 = performance.now();
    const state = await wb.handlers['sync.now']({});
    const wbPush1000VerdictsMs = ms(t0);
    if (state.unsynced !== 0)
      throw new Error(`${state.unsynced} verdicts left unsent: ${state.lastError ?? ''}`);
    return {
      wbLease1000ReviewsMs,
      wbLease1000ReviewsCpuMs,
      wbOpenMedianMs: opens[Math.floor(opens.length / 2)] ?? NaN,
      wbGive1000VerdictsMs,
      wbPush1000VerdictsMs,
    };
  } finally {
    await wb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};
