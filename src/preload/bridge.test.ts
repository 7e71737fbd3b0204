import { describe, expect, it, vi } from 'vitest';
import { createBridge, type IpcRendererLike } from './bridge';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/contract/api';

const platform = { os: 'linux', versions: { electron: '41', chrome: '140', node: '20' } };

type Listener = (event: unknown, ...args: unknown[]) => void;

/** Just enough of an emitter for one channel; the preload layer may not import node:events. */
class Emitter {
  private readonly map = new Map<string, Set<Listener>>();
  on(c: string, l: Listener): void {
    if (!this.map.has(c)) this.map.set(c, new Set());
    this.map.get(c)?.add(l);
  }
  removeListener(c: string, l: Listener): void {
    this.map.get(c)?.delete(l);
  }
  emit(c: string, ...args: [unknown, ...unknown[]]): void {
    for (const l of this.map.get(c) ?? []) l(...args);
  }
  listenerCount(c: string): number {
    return this.map.get(c)?.size ?? 0;
  }
}

const fakeIpc = () => {
  const emitter = new Emitter();
  const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 1 }));
  const ipc: IpcRendererLike = {
    invoke,
    on: (c, l) => emitter.on(c, l),
    removeListener: (c, l) => emitter.removeListener(c, l),
  };
  return { ipc, invoke, emitter };
};

describe('preload bridge', () => {
  it('exposes only invoke, onEvent and platform', () => {
    const bridge = createBridge(fakeIpc().ipc, platform);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent', 'platform']);
  });

  it('invokes over the one contract channel', async () => {
    const { ipc, invoke } = fakeIpc();
    await createBridge(ipc, platform).invoke('app.info', {});
    expect(invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'app.info', {});
  });

  it('forwards events without the Electron event object, and unsubscribes', () => {
    const { ipc, emitter } = fakeIpc();
    const seen: unknown[][] = [];
    const off = createBridge(ipc, platform).onEvent((...args) => seen.push(args));
    emitter.emit(IPC_EVENT_CHANNEL, { sender: 'secret' }, { event: 'task.saved', payload: { taskId: 't' } });
    emitter.emit(IPC_EVENT_CHANNEL, { sender: 'secret' }, 'not an envelope');
    off();
    emitter.emit(IPC_EVENT_CHANNEL, {}, { event: 'task.saved', payload: {} });
    expect(seen).toEqual([['task.saved', { taskId: 't' }]]);
    expect(emitter.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });
});
