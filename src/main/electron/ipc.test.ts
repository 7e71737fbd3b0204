import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract';
import { EventBus, type Dispatch } from '../core/dispatch';
import { registerIpcTransport, type EventTarget } from './ipc';
import { createTrustedUrlCheck } from './security';

const setup = () => {
  const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const ipcMain = {
    handle: vi.fn((c: string, l: (...args: unknown[]) => Promise<unknown>) => handlers.set(c, l)),
    removeHandler: vi.fn((c: string) => handlers.delete(c)),
  };
  const dispatch = vi.fn<Dispatch>(async () => ({ ok: true, value: 'answered' }));
  const events = new EventBus();
  const targets: (EventTarget & { sent: unknown[] })[] = [];
  const dispose = registerIpcTransport({
    ipcMain: ipcMain as never,
    dispatch,
    events,
    isTrustedUrl: createTrustedUrlCheck('outrigger-app://app/index.html'),
    targets: () => targets,
  });
  const invoke = (frame: unknown, ...args: unknown[]) =>
    handlers.get(IPC_INVOKE_CHANNEL)?.({ senderFrame: frame }, ...args);
  return { handlers, ipcMain, dispatch, events, targets, dispose, invoke };
};

describe('IPC transport', () => {
  it('dispatches calls from our renderer', async () => {
    const t = setup();
    expect(await t.invoke({ url: 'outrigger-app://app/index.html' }, 'app.info', {})).toEqual({
      ok: true,
      value: 'answered',
    });
    expect(t.dispatch).toHaveBeenCalledWith('app.info', {});
  });

  it('refuses a foreign or vanished frame, and a frame whose url throws', async () => {
    const t = setup();
    const throwing = Object.defineProperty({}, 'url', {
      get: () => {
        throw new Error('Render frame was disposed');
      },
    });
    for (const frame of [{ url: 'https://evil.example/' }, null, throwing]) {
      expect(await t.invoke(frame, 'app.info', {})).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(t.dispatch).not.toHaveBeenCalled();
  });

  it('answers a non-string method with INVALID_INPUT', async () => {
    const t = setup();
    expect(await t.invoke({ url: 'outrigger-app://app/' }, { evil: true }, {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', path: 'method' },
    });
  });

  it('sends events to live windows only, and survives a send that throws', () => {
    const t = setup();
    const live = {
      sent: [] as unknown[],
      isDestroyed: () => false,
      send(c: string, m: unknown) {
        this.sent.push([c, m]);
      },
    };
    const gone = {
      sent: [] as unknown[],
      isDestroyed: () => true,
      send(c: string, m: unknown) {
        this.sent.push([c, m]);
      },
    };
    const broken = {
      sent: [] as unknown[],
      isDestroyed: () => false,
      send() {
        throw new Error('could not clone');
      },
    };
    t.targets.push(broken, live, gone);
    t.events.emit('task.saved', { taskId: 'a', savedAt: 1 });
    expect(live.sent).toEqual([
      [IPC_EVENT_CHANNEL, { event: 'task.saved', payload: { taskId: 'a', savedAt: 1 } }],
    ]);
    expect(gone.sent).toEqual([]);
  });

  it('unregisters the channel and the event forwarding on dispose', () => {
    const t = setup();
    const live = {
      sent: [] as unknown[],
      isDestroyed: () => false,
      send(c: string, m: unknown) {
        this.sent.push([c, m]);
      },
    };
    t.targets.push(live);
    t.dispose();
    t.events.emit('task.saved', { taskId: 'a', savedAt: 1 });
    expect(live.sent).toEqual([]);
    expect(t.handlers.size).toBe(0);
  });
});
