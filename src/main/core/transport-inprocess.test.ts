import { describe, expect, it } from 'vitest';
import { createInProcessTransport } from './transport-inprocess';
import { EventBus, type Dispatch } from './dispatch';

describe('in-process transport', () => {
  it('passes a copy of the input and answer, never the same object', async () => {
    const seen: unknown[] = [];
    const answer = { ok: true as const, value: { nested: [1, 2] } };
    const dispatch: Dispatch = async (_m, input) => {
      seen.push(input);
      return answer;
    };
    const input = { a: { b: 1 } };
    const result = await createInProcessTransport({ dispatch, events: new EventBus() }).invoke('x', input);
    expect(result).toEqual(answer);
    expect(result).not.toBe(answer);
    expect(seen[0]).toEqual(input);
    expect(seen[0]).not.toBe(input);
  });

  it('rejects a non-serializable input, as IPC would', async () => {
    const dispatch: Dispatch = async () => ({ ok: true, value: null });
    const transport = createInProcessTransport({ dispatch, events: new EventBus() });
    await expect(transport.invoke('x', { f: () => 1 })).rejects.toThrow();
  });

  it('rejects a non-serializable answer', async () => {
    const dispatch: Dispatch = async () => ({ ok: true, value: { f: () => 1 } });
    await expect(
      createInProcessTransport({ dispatch, events: new EventBus() }).invoke('x', {}),
    ).rejects.toThrow();
  });

  it('delivers events as copies and unsubscribes', () => {
    const bus = new EventBus();
    const transport = createInProcessTransport({
      dispatch: async () => ({ ok: true, value: null }),
      events: bus,
    });
    const got: unknown[] = [];
    const payload = { taskId: 't1', savedAt: 1 };
    const off = transport.subscribe((e, p) => got.push([e, p]));
    bus.emit('task.saved', payload);
    off();
    bus.emit('task.saved', payload);
    expect(got).toEqual([['task.saved', payload]]);
    expect((got[0] as unknown[])[1]).not.toBe(payload);
  });
});
