import { describe, expect, it } from 'vitest';
import type { ReportedSignal } from '../../../../shared/metrics';
import { PresenceReporter } from './presence-reporter';

const setup = () => {
  let now = 0;
  const sent: { window: string; signals: ReportedSignal[] }[] = [];
  const tasks: (() => void)[] = [];
  const r = new PresenceReporter(
    async (window, signals) => {
      sent.push({ window, signals });
      return 42;
    },
    'win-1',
    () => now,
    (fn) => void tasks.push(fn),
  );
  const run = () => tasks.splice(0).forEach((f) => f());
  return { r, sent, run, advance: (ms: number) => void (now += ms) };
};

describe('PresenceReporter', () => {
  it('sends the signals of one moment in one report, inputs at most one a second', async () => {
    const t = setup();
    t.r.task('a');
    t.r.input();
    t.advance(300);
    t.r.input(); // inside the period: dropped
    t.advance(800);
    t.r.input();
    t.run();
    await t.r.flush();
    expect(t.sent).toEqual([
      {
        window: 'win-1',
        signals: [
          { kind: 'task', taskId: 'a', ago: 1_100 },
          { kind: 'input', ago: 1_100 },
          { kind: 'input', ago: 0 },
        ],
      },
    ]);
  });

  it('flush waits for every report so far and hands the answer on', async () => {
    const t = setup();
    const heard: number[] = [];
    t.r.onActiveToday((ms) => heard.push(ms));
    t.r.signal('focus');
    await t.r.flush();
    expect(t.sent).toHaveLength(1);
    expect(heard).toEqual([42]);
    await t.r.flush(); // nothing queued: nothing sent
    expect(t.sent).toHaveLength(1);
  });
});
