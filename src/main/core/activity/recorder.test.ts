import { describe, expect, it } from 'vitest';
import { ActivityRecorder } from './recorder';

const setup = (idle: Record<string, number> = {}) => {
  let now = 1_000_000;
  const r = new ActivityRecorder({
    clock: () => now,
    monotonic: () => now,
    idleOf: (taskId) => idle[taskId] ?? 60_000,
  });
  return {
    r,
    advance: (ms: number) => void (now += ms),
    input: (ago = 0) => r.report('w', [{ kind: 'input', ago }]),
    credited: () => {
      const d = r.drain();
      const byTask: Record<string, number> = {};
      for (const s of d.active) byTask[s.taskId ?? '-'] = (byTask[s.taskId ?? '-'] ?? 0) + s.ms;
      return { byTask, signals: d.signals };
    },
  };
};

describe('ActivityRecorder', () => {
  it('stamps signals with its own clock, `ago` only placing them inside the report', () => {
    const t = setup();
    t.r.report('w', [
      { kind: 'focus', ago: 0 },
      { kind: 'task', taskId: 'a', ago: 0 },
    ]);
    t.advance(5_000);
    t.r.report('w', [
      { kind: 'input', ago: 3_000 },
      { kind: 'input', ago: 0 },
    ]);
    const c = t.credited();
    expect(c.byTask).toEqual({ a: 5_000 });
    expect(c.signals.map((s) => s.at - 1_000_000)).toEqual([0, 0, 2_000, 5_000]);
  });

  it('never lets a report reach back before what it already recorded', () => {
    const t = setup();
    t.r.report('w', [
      { kind: 'focus', ago: 0 },
      { kind: 'task', taskId: 'a', ago: 0 },
    ]);
    t.advance(1_000);
    t.input();
    // A renderer claiming its input came 10 s ago cannot add time before the last signal.
    t.advance(100);
    t.input(10_000);
    const c = t.credited();
    expect(c.byTask).toEqual({ a: 1_000 });
    expect(c.signals.at(-1)!.at).toBe(1_000_000 + 1_000);
  });

  it("counts a task's time with its project's threshold, no-task time with 60 s", () => {
    const t = setup({ slow: 120_000 });
    t.r.report('w', [{ kind: 'focus', ago: 0 }]);
    t.advance(90_000); // over 60 s: the queue screen's pause counts nothing
    t.r.report('w', [
      { kind: 'task', taskId: 'slow', ago: 0 },
      { kind: 'input', ago: 0 },
    ]);
    t.advance(90_000); // under the project's 120 s: a long read counts
    t.input();
    t.r.report('w', [{ kind: 'task', taskId: 'quick', ago: 0 }]);
    t.advance(90_000); // over quick's 60 s
    t.input();
    expect(t.credited().byTask).toEqual({ slow: 90_000 });
  });

  it('puts drained records back in front when their transaction did not commit', () => {
    const t = setup();
    t.r.report('w', [
      { kind: 'focus', ago: 0 },
      { kind: 'task', taskId: 'a', ago: 0 },
    ]);
    t.advance(1_000);
    t.input();
    const d = t.r.drain();
    t.advance(1_000);
    t.input();
    t.r.undrain(d);
    const c = t.credited();
    expect(c.byTask).toEqual({ a: 2_000 });
    expect(c.signals).toHaveLength(4);
  });
});
