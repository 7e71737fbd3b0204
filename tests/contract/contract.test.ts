// One contract suite, run against every transport (in-process, HTTP + SSE, Electron IPC through a
// stand-in) over two cores (canned answers, and the real workbench on the demo data).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  isMethodName,
  methodNames,
  methods,
  ResultEnvelope,
  type Result,
} from '../../src/shared/contract';
import { cores, transports, type Core, type Harness } from './transports';
import { samples, type SampleContext } from './samples';

/** Waits for a condition, re-triggering `poke` (an event emit) until a stream is connected. */
const eventually = async (check: () => boolean, poke: () => void, timeoutMs = 5000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting for an event');
    poke();
    await new Promise((r) => setTimeout(r, 25));
  }
};

const errorOf = (r: Result<unknown>) => (r.ok ? null : r.error);

describe('every contract method has a sample input', () => {
  it('covers the method table exactly', () => {
    expect(Object.keys(samples).sort()).toEqual([...methodNames].sort());
  });
});

for (const [coreName, openCore] of Object.entries(cores)) {
  for (const [transportName, connect] of Object.entries(transports)) {
    describe(`contract over ${transportName} (${coreName} core)`, () => {
      let core: Core;
      let harness: Harness;
      const ctx: SampleContext = { taskId: 'task-1' };

      beforeAll(async () => {
        core = await openCore();
        harness = await connect(core);
        // A real task id when the core has tasks; the fake answers null and keeps 'task-1'.
        const first = await harness.transport.invoke('tasks.claimNext', {});
        if (first.ok && first.value) ctx.taskId = (first.value as { task: { id: string } }).task.id;
      });
      afterAll(async () => {
        await harness?.close();
        await core?.close();
      });

      it('answers every method with a Result whose value matches the contract', async () => {
        // The samples' order (submit, reopen, skip …) keeps every call valid on the real workbench.
        for (const method of Object.keys(samples).filter(isMethodName)) {
          const result = await harness.transport.invoke(method, samples[method]?.(ctx));
          expect(ResultEnvelope.safeParse(result).success, method).toBe(true);
          if (result.ok) {
            const out = methods[method].output.safeParse(result.value);
            expect(out.success, `${method}: ${out.success ? '' : out.error.message}`).toBe(true);
          } else {
            // A domain error (NOT_FOUND, CONFLICT …) is a fine answer; a transport fault is not.
            expect(
              ['UNKNOWN_METHOD', 'INVALID_INPUT', 'INTERNAL'],
              `${method}: ${result.error.message}`,
            ).not.toContain(result.error.code);
          }
        }
      });

      it('gives the typed client plain values', async () => {
        const api = createClient(harness.transport);
        const counts = await api.call('queue.counts', {});
        expect(counts.ok).toBe(true);
        if (counts.ok) expect(typeof counts.value.queued).toBe('number');
      });

      it('answers an unknown method with UNKNOWN_METHOD', async () => {
        expect(errorOf(await harness.transport.invoke('tasks.doesNotExist', {}))?.code).toBe(
          'UNKNOWN_METHOD',
        );
        expect(errorOf(await harness.transport.invoke('__proto__', {}))?.code).toBe('UNKNOWN_METHOD');
      });

      it('answers malformed input with INVALID_INPUT naming the zod path', async () => {
        const flat = errorOf(await harness.transport.invoke('tasks.open', { taskId: 5 }));
        expect(flat).toMatchObject({ code: 'INVALID_INPUT', path: 'taskId' });
        const nested = errorOf(
          await harness.transport.invoke('tasks.saveDraft', {
            taskId: ctx.taskId,
            annotation: { results: [], activeMs: -5 },
          }),
        );
        expect(nested).toMatchObject({ code: 'INVALID_INPUT', path: 'annotation.activeMs' });
        const extra = errorOf(await harness.transport.invoke('queue.counts', { surprise: true }));
        expect(extra?.code).toBe('INVALID_INPUT');
        const notObject = errorOf(await harness.transport.invoke('tasks.open', 'hello'));
        expect(notObject).toMatchObject({ code: 'INVALID_INPUT', path: '(root)' });
      });

      it('delivers events, and stops after unsubscribe', async () => {
        // Other events (queue.changed from earlier calls) may still be in flight: look for ours.
        const mine = (log: unknown[][], taskId: string) =>
          log.filter(([e, p]) => e === 'task.saved' && (p as { taskId?: string }).taskId === taskId);
        const first: unknown[][] = [];
        const second: unknown[][] = [];
        const offFirst = harness.transport.subscribe((e, p) => first.push([e, p]));
        const payload = { taskId: 'evt', savedAt: 42 };
        await eventually(
          () => mine(first, 'evt').length > 0,
          () => core.events.emit('task.saved', payload),
        );
        expect(mine(first, 'evt')[0]).toEqual(['task.saved', payload]);

        const offSecond = harness.transport.subscribe((e, p) => second.push([e, p]));
        offFirst();
        const payload2 = { taskId: 'evt2', savedAt: 43 };
        await eventually(
          () => mine(second, 'evt2').length > 0,
          () => core.events.emit('task.saved', payload2),
        );
        expect(mine(second, 'evt2')[0]).toEqual(['task.saved', payload2]);
        expect(mine(first, 'evt2')).toEqual([]);
        offSecond();
      });
    });
  }
}
