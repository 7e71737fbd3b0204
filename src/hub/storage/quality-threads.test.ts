import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ThreadPool } from '../threads/pool';
import { threadSource } from '../threads/bundle';
import { type TaskJob, packJobs, packRows, taskRowOf, unpackJobs, unpackRows } from './quality-task';
import { qualityThreads } from './quality-threads';

// Results of every kind the rows score or refuse to aggregate, on a small grid so that
// annotators' regions and spans overlap often.
const coord = fc.integer({ min: 0, max: 8 }).map((n) => n * 25 + 0.5);
const label = fc.constantFrom('car', 'person');
const result = fc.oneof(
  fc.record({
    type: fc.constant('bbox' as const),
    id: fc.constant('b'),
    label,
    x: coord,
    y: coord,
    w: fc.integer({ min: 20, max: 80 }),
    h: fc.integer({ min: 20, max: 80 }),
    rotation: fc.constantFrom(0, 0, 15),
    attributes: fc.constantFrom({}, { occluded: true }, { occluded: false }),
  }),
  fc.record({
    type: fc.constant('polygon' as const),
    id: fc.constant('p'),
    label,
    points: fc.tuple(coord, coord).map(([x, y]) => [
      [x, y],
      [x + 40, y + 5],
      [x + 20, y + 45],
    ]),
    attributes: fc.constant({}),
  }),
  fc.record({
    type: fc.constant('image-class' as const),
    id: fc.constant('c'),
    group: fc.constantFrom('weather', 'time'),
    labels: fc.subarray(['sun', 'rain', 'fog'], { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    type: fc.constant('span' as const),
    id: fc.constant('s'),
    label,
    start: fc.integer({ min: 0, max: 10 }),
    end: fc.integer({ min: 11, max: 20 }),
    text: fc.constant('x'),
    attributes: fc.constant({}),
  }),
  fc.record({
    type: fc.constant('keypoints' as const),
    id: fc.constant('k'),
    label,
    points: fc.constant([]),
    attributes: fc.constant({}),
  }),
);
const text = fc.oneof(
  fc.array(result, { maxLength: 6 }).map((results) => JSON.stringify({ results, activeMs: 10 })),
  // Unreadable or missing texts are left out, on either side.
  fc.constantFrom('', 'not json', '{"results":3}'),
);
const job: fc.Arbitrary<TaskJob> = fc.record(
  {
    subs: fc
      .uniqueArray(fc.constantFrom('ann-a', 'ann-b', 'ann-c', 'ann-d'), { minLength: 1, maxLength: 4 })
      .chain((users) => fc.tuple(...users.map((userId) => text.map((t) => ({ userId, text: t }))))),
    ref: text,
  },
  { requiredKeys: ['subs'] },
);

describe('quality threads', () => {
  it('compute the same rows as the report thread (random tasks of every kind)', async () => {
    const threads = qualityThreads({ OUTRIGGER_QUALITY_THREADS: '2' });
    expect(threads).not.toBeNull();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(job, { minLength: 1, maxLength: 40 }), async (jobs) => {
          expect(await threads!.run(jobs)).toEqual(jobs.map(taskRowOf));
        }),
        { numRuns: 60 },
      );
    } finally {
      await threads!.close();
    }
  });

  it('compute a chunk on the calling thread when every thread has two waiting, same rows', async () => {
    const threads = qualityThreads({ OUTRIGGER_QUALITY_THREADS: '1' })!;
    try {
      const chunks = fc.sample(fc.array(job, { minLength: 1, maxLength: 30 }), { numRuns: 6, seed: 5 });
      const started = chunks.map((jobs) => threads.run(jobs));
      expect(await Promise.all(started)).toEqual(chunks.map((jobs) => jobs.map(taskRowOf)));
      expect(threads.ahead).toBe(3);
    } finally {
      await threads.close();
    }
  });

  it('are off at 0, and a wrong setting is named', () => {
    expect(qualityThreads({ OUTRIGGER_QUALITY_THREADS: '0' })).toBeNull();
    expect(() => qualityThreads({ OUTRIGGER_QUALITY_THREADS: 'many' })).toThrow('OUTRIGGER_QUALITY_THREADS');
    expect(() => qualityThreads({ OUTRIGGER_QUALITY_THREADS: '99' })).toThrow('OUTRIGGER_QUALITY_THREADS');
  });

  it('refuse a malformed chunk on the thread, failing only that chunk', async () => {
    const source = threadSource(join(__dirname, 'quality-thread.ts'));
    expect(source).not.toBeNull();
    const pool = new ThreadPool<unknown, unknown>(source!, 1, (x) => x);
    try {
      await expect(pool.run({ text: '', lengths: [], users: [], shapes: 'nope' })).rejects.toThrow('shapes');
      expect(await pool.run(packJobs([]))).toEqual(packRows([]));
    } finally {
      await pool.close();
    }
  });

  it('pack and unpack chunks without changing them', () => {
    fc.assert(
      fc.property(fc.array(job, { maxLength: 20 }), (jobs) => {
        expect(unpackJobs(packJobs(jobs))).toEqual(jobs);
        const rows = jobs.map(taskRowOf);
        expect(unpackRows(packRows(rows))).toEqual(rows);
      }),
      { numRuns: 50 },
    );
  });
});
