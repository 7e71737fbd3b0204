import { describe, expect, it } from 'vitest';
import type { TaskVersion, Verdict } from '../sync/review';
import { previousVersion, timeline } from './timeline';

const version = (
  id: string,
  at: number,
  userId = 'ann',
  source: TaskVersion['source'] = 'submission',
): TaskVersion => ({
  id,
  source,
  userId,
  userName: userId,
  at,
  activeMs: 1000 * at,
  conflict: false,
  superseded: false,
  annotation: { results: [] },
});
const verdict = (id: string, submissionId: string, kind: Verdict['kind'], at: number): Verdict => ({
  id,
  submissionId,
  kind,
  reviewerId: 'rev',
  reviewerName: 'rita',
  at,
  activeMs: 500,
  comments: kind === 'rejected' ? [{ target: { kind: 'task' }, text: 'redo' }] : [],
  ...(kind === 'rejected' ? { reason: 'Loose boxes' } : {}),
});

describe('timeline', () => {
  it('interleaves versions and verdicts by time, numbering versions and marking resubmissions', () => {
    const t = timeline(
      [version('v2', 30), version('v1', 10), version('v3', 50, 'rev', 'fix')],
      [verdict('x', 'v1', 'rejected', 20), verdict('y', 'v2', 'fixed', 50)],
    );
    expect(
      t.map((e) =>
        e.kind === 'version' ? `v${e.n}${e.resubmission ? 'r' : ''}:${e.who}` : `${e.verdict}@${e.on}`,
      ),
    ).toEqual(['v1:ann', 'rejected@1', 'v2r:ann', 'v3:rev', 'fixed@2']);
    const rejected = t[1]!;
    expect(rejected.kind === 'verdict' && [rejected.reason, rejected.comments, rejected.activeMs]).toEqual([
      'Loose boxes',
      1,
      500,
    ]);
  });

  it('previousVersion is the one stored just before', () => {
    const vs = [version('b', 2), version('a', 1), version('c', 3)];
    expect(previousVersion(vs, 'c')?.id).toBe('b');
    expect(previousVersion(vs, 'a')).toBeNull();
    expect(previousVersion(vs, 'zz')).toBeNull();
  });
});
