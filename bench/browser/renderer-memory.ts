import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';

/**
 * The page's renderer process memory, from Linux: Chromium's browser-level CDP lists its processes
 * (SystemInfo.getProcessInfo: type, pid, CPU time) and /proc/<pid>/status gives VmRSS (resident,
 * including shared library pages), RssAnon (private heap: JS, DOM, canvases, bitmaps) and VmHWM
 * (peak resident). With one page open, its renderer is the renderer whose CPU time grew most
 * since `before` (spare renderers sit idle).
 */
export interface RendererMemory {
  rssMb: number;
  anonMb: number;
  /** Shared memory mapped in (Chromium's buffers shared with the GPU/browser processes). */
  shmemMb: number;
  /** Mapped files (the Chromium binary, fonts): shared with other processes. */
  fileMb: number;
  peakRssMb: number;
}

type Cpu = Map<number, number>;

const processes = async (browser: Browser): Promise<{ id: number; type: string; cpuTime: number }[]> => {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { id: number; type: string; cpuTime: number }[];
    };
    return processInfo;
  } finally {
    await cdp.detach();
  }
};

export const rendererCpu = async (browser: Browser): Promise<Cpu> =>
  new Map((await processes(browser)).filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime]));

const mb = (status: string, key: string): number => {
  const kb = Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
};

export const rendererMemory = async (browser: Browser, before: Cpu): Promise<RendererMemory | null> => {
  const now = await rendererCpu(browser);
  let best: [number, number] | null = null;
  for (const [pid, cpu] of now) {
    const grew = cpu - (before.get(pid) ?? 0);
    if (!best || grew > best[1]) best = [pid, grew];
  }
  if (!best) return null;
  let status: string;
  try {
    status = readFileSync(`/proc/${best[0]}/status`, 'utf8');
  } catch {
    return null; // not Linux, or the process is gone
  }
  return {
    rssMb: mb(status, 'VmRSS'),
    anonMb: mb(status, 'RssAnon'),
    shmemMb: mb(status, 'RssShmem'),
    fileMb: mb(status, 'RssFile'),
    peakRssMb: mb(status, 'VmHWM'),
  };
};
