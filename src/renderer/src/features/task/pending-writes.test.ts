import { describe, expect, it } from 'vitest';
import { PendingWrites } from './pending-writes';

describe('PendingWrites', () => {
  it('settled() waits for the background writes, then writes work a failed finish left', async () => {
    const writes = new PendingWrites();
    const log: string[] = [];
    let release!: () => void;
    void writes.track(new Promise<void>((ok) => (release = ok)).then(() => void log.push('submit')));
    let hostUp = false;
    writes.keepUnsaved('t1', () => {
      log.push(`draft ${hostUp ? 'saved' : 'failed'}`);
      return Promise.resolve(hostUp);
    });
    const first = writes.settled();
    release();
    await first;
    expect(log).toEqual(['submit', 'draft failed']);
    // Not written: still kept, and its prepared copy must not be shown.
    expect(writes.hasUnsaved('t1')).toBe(true);
    hostUp = true;
    await writes.settled();
    expect(log.at(-1)).toBe('draft saved');
    expect(writes.hasUnsaved('t1')).toBe(false);
  });
});
