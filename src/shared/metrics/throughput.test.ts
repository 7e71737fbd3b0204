import { describe, expect, it } from 'vitest';
import type { AnnotationResult } from '../model';
import {
  type ReviewVerdictInput,
  type TaskOutcomeInput,
  activeMsByDay,
  countResults,
  dayOf,
  quantile,
  summarize,
  summarizeBy,
} from './throughput';

// Hand-computed fixture: one annotator, one project, two batches, five outcomes over two days.
const T = (iso: string): number => Date.parse(iso);
const base = { projectId: 'p', annotatorId: 'ann' };
const outcomes: TaskOutcomeInput[] = [
  {
    ...base,
    taskId: 't1',
    batchId: 'b1',
    outcome: 'submitted',
    at: T('2026-12-07T10:00:00Z'),
    activeMs: 60_000,
    regions: 3,
    labels: { car: 2, person: 1 },
  },
  {
    ...base,
    taskId: 't2',
    batchId: 'b1',
    outcome: 'submitted',
    at: T('2026-12-07T10:05:00Z'),
    activeMs: 120_000,
    regions: 1,
    labels: { car: 1 },
  },
  {
    ...base,
    taskId: 't3',
    batchId: 'b1',
    outcome: 'skipped',
    at: T('2026-12-07T10:06:00Z'),
    activeMs: 30_000,
  },
  {
    ...base,
    taskId: 't4',
    batchId: 'b2',
    outcome: 'submitted',
    at: T('2026-12-07T23:30:00Z'),
    activeMs: 240_000,
    spans: 4,
    labels: { PER: 4 },
  },
  {
    ...base,
    taskId: 't5',
    batchId: 'b2',
    outcome: 'submitted',
    at: T('2026-12-08T09:00:00Z'),
    activeMs: 180_000,
    regions: 2,
    labels: { car: 2 },
  },
];
const v = (
  taskId: string,
  version: number,
  verdict: 'accept' | 'fix' | 'reject',
  iso: string,
): ReviewVerdictInput => ({ taskId, annotatorId: 'ann', version, verdict, at: T(iso) });
const verdicts: ReviewVerdictInput[] = [
  v('t1', 1, 'accept', '2026-12-08T08:00:00Z'),
  v('t2', 2, 'accept', '2026-12-09T08:00:00Z'),
  v('t2', 1, 'reject', '2026-12-08T08:00:00Z'),
  v('t4', 1, 'fix', '2026-12-08T08:00:00Z'),
  v('t9', 1, 'accept', '2026-12-08T08:00:00Z'),
];

describe('summarize (hand-computed)', () => {
  const s = summarize(outcomes, verdicts);
  it('counts, active time and per-hour rates: 4 tasks in 630 s = 0.175 h', () => {
    expect(s).toMatchObject({ submitted: 4, skipped: 1, activeMs: 630_000, regions: 6, spans: 4 });
    expect(s.tasksPerActiveHour).toBeCloseTo(4 / 0.175, 10);
    expect(s.regionsPerActiveHour).toBeCloseTo(6 / 0.175, 10);
    expect(s.spansPerActiveHour).toBeCloseTo(4 / 0.175, 10);
  });
  it('median and p90 of active seconds per submitted task: [60, 120, 180, 240] → 150 and 222', () => {
    expect(s.medianActiveSec).toBeCloseTo(150, 10);
    expect(s.p90ActiveSec).toBeCloseTo(222, 10);
  });
  it('skip rate 1/5', () => expect(s.skipRate).toBeCloseTo(0.2, 12));
  it('first-pass acceptance 1/3 (a fix is not a pass) and rework 1/3; verdicts on other tasks ignored', () => {
    expect(s).toMatchObject({ firstVersionsReviewed: 3, reviewed: 3 });
    expect(s.firstPassAcceptance).toBeCloseTo(1 / 3, 12);
    expect(s.reworkRate).toBeCloseTo(1 / 3, 12);
  });
  it('per-label counts over submissions', () => expect(s.labels).toEqual({ car: 5, person: 1, PER: 4 }));
  it('the first verdict on version 1 decides, whatever the input order', () => {
    const again = summarize(outcomes, [
      v('t1', 1, 'reject', '2026-12-08T09:00:00Z'),
      v('t1', 1, 'accept', '2026-12-08T08:00:00Z'),
    ]);
    expect(again.firstPassAcceptance).toBe(1);
    expect(again.reworkRate).toBe(1);
  });
  it('null where nothing divides: no outcomes, no active time, no reviews', () => {
    expect(summarize([])).toMatchObject({
      tasksPerActiveHour: null,
      medianActiveSec: null,
      p90ActiveSec: null,
      skipRate: null,
      firstPassAcceptance: null,
      reworkRate: null,
    });
    expect(summarize([{ ...outcomes[0]!, activeMs: 0 }]).tasksPerActiveHour).toBeNull();
  });
  it('refuses malformed outcomes', () => {
    expect(() => summarize([{ ...outcomes[0]!, activeMs: -1 }])).toThrow();
  });
});

describe('summarizeBy', () => {
  it('by day in UTC: 07 has t1–t4, 08 has t5', () => {
    const days = summarizeBy('day', outcomes, verdicts);
    expect(days.map((d) => [d.key, d.summary.submitted, d.summary.skipped])).toEqual([
      ['2026-12-07', 3, 1],
      ['2026-12-08', 1, 0],
    ]);
  });
  it('by day in India (+05:30): t4 at 23:30Z falls on the 8th', () => {
    const [d7, d8] = summarizeBy('day', outcomes, verdicts, { tzOffset: 330 });
    expect(d7!.key).toBe('2026-12-07');
    expect(d7!.summary).toMatchObject({
      submitted: 2,
      skipped: 1,
      activeMs: 210_000,
      firstVersionsReviewed: 2,
      reviewed: 2,
    });
    expect(d7!.summary.tasksPerActiveHour).toBeCloseTo(2 / (210 / 3600), 10);
    expect(d7!.summary.firstPassAcceptance).toBeCloseTo(0.5, 12);
    expect(d8!.summary).toMatchObject({
      submitted: 2,
      activeMs: 420_000,
      firstPassAcceptance: 0,
      reworkRate: 0,
    });
  });
  it('by day in New York (−05:00), and with a per-instant offset', () => {
    expect(
      summarizeBy('day', outcomes, [], { tzOffset: -300 }).map((d) => [
        d.key,
        d.summary.submitted + d.summary.skipped,
      ]),
    ).toEqual([
      ['2026-12-07', 4],
      ['2026-12-08', 1],
    ]);
    expect(dayOf(T('2026-12-07T23:30:00Z'), () => 60)).toBe('2026-12-08');
  });
  it('by batch and by project', () => {
    expect(
      summarizeBy('batch', outcomes, verdicts).map((g) => [g.key, g.summary.submitted, g.summary.reviewed]),
    ).toEqual([
      ['b1', 2, 2],
      ['b2', 2, 1],
    ]);
    expect(summarizeBy('project', outcomes, verdicts)).toEqual([
      { key: 'p', summary: summarize(outcomes, verdicts) },
    ]);
  });
  it("a resubmission's verdicts stay with the day of the first submission", () => {
    const resubmitted = [
      ...outcomes,
      {
        ...base,
        taskId: 't2',
        batchId: 'b1',
        outcome: 'submitted' as const,
        at: T('2026-12-08T11:00:00Z'),
        activeMs: 30_000,
        regions: 1,
      },
    ];
    const [d7, d8] = summarizeBy('day', resubmitted, verdicts);
    expect(d7!.summary.reworkRate).toBeCloseTo(1 / 3, 12);
    expect(d8!.summary).toMatchObject({ submitted: 2, reviewed: 0 });
  });
});

describe('helpers', () => {
  it('activeMsByDay splits a stretch at local midnight', () => {
    const intervals = [
      { from: T('2026-12-07T23:59:30Z'), ms: 60_000, taskId: 't' },
      { from: T('2026-12-08T10:00:00Z'), ms: 5_000, taskId: null },
    ];
    expect(activeMsByDay(intervals)).toEqual({ '2026-12-07': 30_000, '2026-12-08': 35_000 });
    // In India (+05:30) midnight is 18:30Z: everything falls on the 8th.
    expect(activeMsByDay(intervals, 330)).toEqual({ '2026-12-08': 65_000 });
    expect(activeMsByDay([{ from: T('2026-12-07T18:29:50Z'), ms: 20_000, taskId: 't' }], 330)).toEqual({
      '2026-12-07': 10_000,
      '2026-12-08': 10_000,
    });
  });
  it('quantile is type 7 (PostgreSQL percentile_cont)', () => {
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([], 0.5)).toBeNull();
  });
  it('countResults: regions, spans and labels of a submission', () => {
    const results: AnnotationResult[] = [
      { type: 'bbox', id: 'a', label: 'car', x: 0, y: 0, w: 1, h: 1, rotation: 0, attributes: {} },
      {
        type: 'polygon',
        id: 'b',
        label: 'car',
        points: [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
        attributes: {},
      },
      { type: 'span', id: 'c', label: 'PER', start: 0, end: 1, text: 'A', attributes: {} },
      { type: 'image-class', id: 'd', group: 'g', labels: ['day', 'sunny'] },
      { type: 'relation', id: 'e', label: 'works-for', from: 'c', to: 'c' },
    ];
    expect(countResults(results)).toEqual({
      regions: 2,
      spans: 1,
      labels: { car: 2, PER: 1, day: 1, sunny: 1, 'works-for': 1 },
    });
  });
});
