import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { watchPower } from './power-watch';

describe('watchPower', () => {
  it('records sleep, wake, lock and unlock as suspend and resume, and survives a closed core', () => {
    const pm = new EventEmitter();
    const kinds: string[] = [];
    const logs: string[] = [];
    let closed = false;
    watchPower({
      powerMonitor: pm as never,
      recordPower: (k) => {
        if (closed) throw new Error('the workbench is closed');
        kinds.push(k);
      },
      log: (m) => logs.push(m),
    });
    for (const e of ['suspend', 'resume', 'lock-screen', 'unlock-screen']) pm.emit(e);
    expect(kinds).toEqual(['suspend', 'resume', 'suspend', 'resume']);
    closed = true;
    pm.emit('suspend');
    expect(logs).toEqual(['power suspend not recorded: the workbench is closed']);
  });
});
