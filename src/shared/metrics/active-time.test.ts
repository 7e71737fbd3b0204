import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ActiveTimeTracker, type PresenceEvent, deriveActiveTime, gapMs } from './active-time';

const S = 1000;
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
type Ev = PresenceEvent;
const at = (s: number, kind: Ev['kind'] = 'input', more: Partial<Ev> = {}): Ev => ({
  kind,
  at: T0 + s * S,
  ...more,
});
const open = (s: number, taskId: string | null, window = 'main'): Ev => at(s, 'task', { taskId, window });
const inputs = (from: number, to: number, every: number, more: Partial<Ev> = {}): Ev[] => {
  const out: Ev[] = [];
  for (let s = from; s <= to; s += every) out.push(at(s, 'input', more));
  return out;
};

describe('active time: the gap rule', () => {
  it('input every 10 s for a minute counts the minute, to the open task', () => {
    const r = deriveActiveTime([open(0, 't1'), ...inputs(0, 60, 10)]);
    expect(r).toMatchObject({ totalMs: 60 * S, byTaskMs: { t1: 60 * S }, noTaskMs: 0 });
    expect(r.intervals).toEqual([{ from: T0, ms: 60 * S, taskId: 't1' }]);
  });
  it('a gap of exactly the threshold counts in full; one ms more counts nothing', () => {
    expect(deriveActiveTime([open(0, 't'), at(0), at(60)]).totalMs).toBe(60 * S);
    expect(deriveActiveTime([open(0, 't'), at(0), { kind: 'input', at: T0 + 60 * S + 1 }]).totalMs).toBe(0);
    expect(deriveActiveTime([open(0, 't'), at(0), at(30), at(120), at(125)]).totalMs).toBe(35 * S);
  });
  it("the project's threshold applies, within its bounds", () => {
    expect(deriveActiveTime([open(0, 't'), at(0), at(90)], { idleMs: 120 * S }).totalMs).toBe(90 * S);
    expect(() => deriveActiveTime([], { idleMs: 10 })).toThrow();
  });
  it('time with no task open counts to the session only', () => {
    const r = deriveActiveTime([at(0), at(10), open(10, 't'), at(20), open(20, null), at(25)]);
    expect(r).toMatchObject({ totalMs: 25 * S, byTaskMs: { t: 10 * S }, noTaskMs: 15 * S });
  });
  it('a task change inside a gap splits the gap between the tasks', () => {
    const r = deriveActiveTime([open(0, 'a'), at(0), open(20, 'b'), at(30)]);
    expect(r.byTaskMs).toEqual({ a: 20 * S, b: 10 * S });
  });
  it('a task change does not bridge an idle gap (the app, not the person, may cause it)', () => {
    expect(deriveActiveTime([open(0, 'a'), at(0), open(50, 'b'), at(100)]).totalMs).toBe(0);
  });
});

describe('active time: focus and visibility', () => {
  it('time after a blur counts nothing until focus returns', () => {
    const r = deriveActiveTime([open(0, 't'), at(0), at(5), at(10, 'blur'), at(40, 'focus'), at(41), at(50)]);
    expect(r.totalMs).toBe(10 * S + 10 * S);
  });
  it('a hidden (minimised) window counts nothing', () => {
    expect(deriveActiveTime([open(0, 't'), at(0), at(5, 'hidden'), at(30, 'visible'), at(35)]).totalMs).toBe(
      10 * S,
    );
  });
  it('an input from a window that was blurred does not count (a pointer passing over it)', () => {
    expect(
      deriveActiveTime([open(0, 't'), at(0), at(5, 'blur'), at(20), at(40), at(50, 'focus'), at(55)]).totalMs,
    ).toBe(10 * S);
  });
});

describe('active time: sleep and clocks', () => {
  it('sleep without events: the gap is over the threshold and counts nothing', () => {
    const r = deriveActiveTime([open(0, 't'), at(0), at(30), at(30 + 8 * 3600), at(30 + 8 * 3600 + 20)]);
    expect(r.totalMs).toBe(50 * S);
  });
  it('sleep with a monotonic clock that stops (Linux, macOS): only awake time between inputs counts', () => {
    const m = (s: number, mono: number, kind: Ev['kind'] = 'input'): Ev =>
      at(s, kind, { mono: mono * S, clock: 'main-1' });
    // Inputs at 0 and 10 s, the lid closes at 12 s, 8 h of sleep (mono stands still), inputs 1 s
    // and 6 s after waking: 10 s, then 3 awake seconds between inputs, then 5 s.
    const events = [
      open(0, 't'),
      m(0, 0),
      m(10, 10),
      m(12, 12, 'suspend'),
      m(8 * 3600, 12, 'resume'),
      m(8 * 3600 + 1, 13),
      m(8 * 3600 + 6, 18),
    ];
    expect(deriveActiveTime(events).totalMs).toBe(18 * S);
    // Between suspend and resume nothing counts, however the clocks read.
    const asleep = [open(0, 't'), m(0, 0), m(1, 1, 'suspend'), m(2, 20), m(3, 30, 'resume'), m(4, 31)];
    expect(deriveActiveTime(asleep).totalMs).toBe(2 * S);
  });
  it('sleep with a monotonic clock that runs on (Windows): the gap is over the threshold', () => {
    const m = (s: number, kind: Ev['kind'] = 'input'): Ev => at(s, kind, { mono: s * S, clock: 'main-1' });
    expect(
      deriveActiveTime([open(0, 't'), m(0), m(10), m(12, 'suspend'), m(8 * 3600, 'resume'), m(8 * 3600 + 5)])
        .totalMs,
    ).toBe(10 * S);
  });
  it('wall clock set back an hour: the monotonic clock measures the gap', () => {
    const r = deriveActiveTime([
      open(0, 't'),
      at(0, 'input', { mono: 0, clock: 'c' }),
      at(-3600 + 5, 'input', { mono: 5 * S, clock: 'c' }),
      at(-3600 + 15, 'input', { mono: 15 * S, clock: 'c' }),
    ]);
    expect(r.totalMs).toBe(15 * S);
  });
  it('wall clock only, set back: that gap counts nothing, the rest goes on', () => {
    expect(deriveActiveTime([open(0, 't'), at(0), at(10), at(-3590), at(-3580)]).totalMs).toBe(20 * S);
    // The whole gap between the two inputs is void, also the part before a task change in it.
    expect(deriveActiveTime([open(0, 't'), at(0), open(10, 'u'), at(-3590), at(-3580)]).byTaskMs).toEqual({
      u: 10 * S,
    });
  });
  it('wall clock only, set forward: that gap counts nothing, the rest goes on', () => {
    expect(deriveActiveTime([open(0, 't'), at(0), at(10), at(3610), at(3620)]).totalMs).toBe(20 * S);
  });
  it('a monotonic reading of another clock (a reloaded page) is not compared: the wall clock is', () => {
    expect(gapMs({ at: 0, mono: 900_000, clock: 'a' }, { at: 5000, mono: 3, clock: 'b' })).toBe(5000);
    expect(gapMs({ at: 0, mono: 10, clock: 'a' }, { at: 5000, mono: 20, clock: 'a' })).toBe(10);
    expect(gapMs({ at: 10, mono: 5 }, { at: 5, mono: 9 })).toBeNull();
  });
});

describe('active time: two windows, a night', () => {
  it('two windows: time counts once, to the task in the window being worked in', () => {
    const r = deriveActiveTime([
      open(0, 'a', 'w1'),
      open(0, 'b', 'w2'),
      at(0, 'focus', { window: 'w1' }),
      at(10, 'input', { window: 'w1' }),
      at(12, 'blur', { window: 'w1' }),
      at(12, 'focus', { window: 'w2' }),
      at(20, 'input', { window: 'w2' }),
    ]);
    expect(r.byTaskMs).toEqual({ a: 12 * S, b: 8 * S });
    expect(r.totalMs).toBe(20 * S);
  });
  it('two windows both believed focused (a blur lost): counted once, to the one touched last', () => {
    const r = deriveActiveTime([
      open(0, 'a', 'w1'),
      open(0, 'b', 'w2'),
      at(0, 'input', { window: 'w1' }),
      at(5, 'input', { window: 'w2' }),
      at(10, 'input', { window: 'w2' }),
      at(15, 'input', { window: 'w1' }),
    ]);
    expect(r.totalMs).toBe(15 * S);
    expect(r.byTaskMs).toEqual({ a: 5 * S, b: 10 * S });
  });
  it('a closed window stops counting', () => {
    expect(
      deriveActiveTime([
        open(0, 'a', 'w1'),
        at(0, 'input', { window: 'w1' }),
        at(5, 'closed', { window: 'w1' }),
        at(10, 'input', { window: 'w2' }),
      ]).totalMs,
    ).toBe(5 * S);
  });
  it('a task left open overnight counts the evening and the morning, not the night', () => {
    const evening = inputs(0, 120, 20);
    const morning = inputs(15 * 3600, 15 * 3600 + 40, 20);
    const r = deriveActiveTime([open(0, 't'), ...evening, ...morning]);
    expect(r.totalMs).toBe(160 * S);
    expect(r.intervals.map((i) => i.ms)).toEqual([120 * S, 40 * S]);
  });
});

describe('active time: live tracking', () => {
  it('provisional time shows engaged time since the last signal; the tracker equals the derivation', () => {
    const events = [open(0, 't'), at(0), at(10), open(15, 'u')];
    const t = new ActiveTimeTracker();
    for (const e of events) t.push(e);
    expect(t.result()).toMatchObject({ totalMs: 10 * S, provisionalMs: 5 * S });
    t.push(at(20));
    expect(t.result()).toMatchObject({
      totalMs: 20 * S,
      provisionalMs: 0,
      byTaskMs: { t: 15 * S, u: 5 * S },
    });
  });
  it('never negative, never more than the engaged span, parts sum to the total (property)', () => {
    const ev = fc.record({
      kind: fc.constantFrom(
        'input',
        'input',
        'input',
        'focus',
        'blur',
        'hidden',
        'visible',
        'task',
        'suspend',
        'resume',
      ) as fc.Arbitrary<Ev['kind']>,
      dt: fc.integer({ min: -5000, max: 90_000 }),
      window: fc.constantFrom('w1', 'w2'),
      taskId: fc.constantFrom('a', 'b', null),
    });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 60 }), (xs) => {
        let t = T0;
        let span = 0;
        const events = xs.map((x) => {
          t += x.dt;
          if (x.dt > 0) span += x.dt;
          return { kind: x.kind, at: t, window: x.window, taskId: x.taskId };
        });
        const r = deriveActiveTime(events);
        expect(r.totalMs).toBeGreaterThanOrEqual(0);
        expect(r.totalMs).toBeLessThanOrEqual(span);
        expect(Object.values(r.byTaskMs).reduce((s, v) => s + v, r.noTaskMs)).toBe(r.totalMs);
        expect(r.intervals.reduce((s, i) => s + i.ms, 0)).toBe(r.totalMs);
      }),
    );
  });
});
