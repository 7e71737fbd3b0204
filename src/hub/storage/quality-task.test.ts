import { describe, expect, it } from 'vitest';
import type { AnnotationResult } from '../../shared/model';
import { consensusOf } from '../../shared/quality';
import { taskQuality } from './quality-task';

// Deterministic (mulberry32), so a failure names the same case every run.
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const box = (rand: () => number, id: string): AnnotationResult => ({
  type: 'bbox',
  id,
  label: rand() < 0.5 ? 'car' : 'person',
  x: Math.floor(rand() * 4) * 60 + rand() * 30,
  y: rand() * 30,
  w: 40 + rand() * 20,
  h: 40 + rand() * 20,
  rotation: 0,
  attributes: {},
});

const polygon = (rand: () => number, id: string): AnnotationResult => {
  const x = Math.floor(rand() * 4) * 60 + rand() * 20;
  return {
    type: 'polygon',
    id,
    label: 'car',
    points: [
      [x, 0],
      [x + 50 + rand() * 10, rand() * 5],
      [x + 45, 50 + rand() * 10],
    ],
    attributes: {},
  };
};

describe('taskQuality shares the pairs’ region matching with the consensus', () => {
  it('gives the consensus the consensus would compute on its own (boxes, polygons, both)', () => {
    const rand = rng(12);
    for (let task = 0; task < 150; task++) {
      const kind = task % 3;
      const subs = ['ann-a', 'ann-b', 'ann-c'].map((userId, a) => ({
        userId,
        results: Array.from({ length: Math.floor(rand() * 5) }, (_, i) =>
          kind === 0 || (kind === 2 && rand() < 0.5) ? box(rand, `${a}-${i}`) : polygon(rand, `${a}-${i}`),
        ),
      }));
      const { consensus } = taskQuality(subs, undefined);
      expect(consensus).toEqual(consensusOf(subs.map((s) => s.results)));
    }
  });
});
