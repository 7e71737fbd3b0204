import { afterEach, describe, expect, it, vi } from 'vitest';
import { NETWORK_POLL_MS, watchNetwork } from './network-watch';

describe('watchNetwork', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('reports the OS online flag when it changes, and syncs when the machine wakes', async () => {
    vi.useFakeTimers();
    let online = true;
    const calls: [string, unknown][] = [];
    let resume: (() => void) | null = null;
    const stop = watchNetwork({
      net: { isOnline: () => online },
      powerMonitor: {
        on: ((event: string, f: () => void) => {
          if (event === 'resume') resume = f;
        }) as never,
      },
      dispatch: async (method, input) => {
        calls.push([method, input]);
        return { ok: true, value: {} };
      },
      log: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(3 * NETWORK_POLL_MS);
    online = false;
    await vi.advanceTimersByTimeAsync(NETWORK_POLL_MS);
    online = true;
    await vi.advanceTimersByTimeAsync(NETWORK_POLL_MS);
    resume!();
    expect(calls).toEqual([
      ['sync.networkChanged', { online: true }],
      ['sync.networkChanged', { online: false }],
      ['sync.networkChanged', { online: true }],
      ['sync.now', {}],
    ]);
    stop();
  });
});
