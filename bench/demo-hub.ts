/**
 * Start to signed in with the embedded demo hub: `startWebHost({ demoHub: true })` on a fresh
 * data folder (seed + serve + sign in + first batch) and again on the same folder (reuse).
 * Run: `npx tsx bench/demo-hub.ts` (or `npm run bench -- demo-hub`). Writes bench/results/demo-hub.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startWebHost } from '../src/main/web-host/server';

const root = path.resolve(__dirname, '..');
const RUNS = 3;

const once = async (dataDir: string): Promise<{ ms: number; status: string; tasks: number }> => {
  const t0 = performance.now();
  const host = await startWebHost({
    dataDir,
    resourcesDir: path.join(root, 'resources'),
    rendererDir: path.join(root, 'out/renderer'),
    demoHub: true,
    log: () => {},
  });
  const ms = performance.now() - t0;
  try {
    const call = async (method: string) => {
      const res = await fetch(`${host.baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const r = (await res.json()) as { ok: boolean; value: Record<string, unknown> };
      if (!r.ok) throw new Error(`${method} failed`);
      return r.value;
    };
    const state = await call('sync.state');
    const list = await call('tasks.list');
    return { ms: Math.round(ms), status: String(state['status']), tasks: Number(list['total']) };
  } finally {
    await host.close();
  }
};

const main = async (): Promise<void> => {
  const loadAvgBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const fresh: Awaited<ReturnType<typeof once>>[] = [];
  const reuse: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-demo-hub-'));
    try {
      fresh.push(await once(dir));
      reuse.push(await once(dir));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const out = {
    bench: 'demo-hub',
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      loadAvgBefore,
      loadAvgAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
      note: 'shared 2-core machine; other jobs may run at the same time (see loadAvg); hub CLI through tsx as a child process',
    },
    startToSignedInMs: {
      what: 'startWebHost({ demoHub: true }) until it resolves: hub seeded (fresh only) and serving, signed in, first batch leased, web host listening',
      fresh: { median: median(fresh.map((r) => r.ms)), runs: fresh },
      reuse: { median: median(reuse.map((r) => r.ms)), runs: reuse },
    },
  };
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results/demo-hub.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out.startToSignedInMs, null, 2));
};

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
