import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LeaseResponse,
  ProjectInfo,
  ProjectProgress,
  PullResponse,
  PushResponse,
  ReviewLeaseResponse,
  TaskHistory,
  type Mutation,
} from '../../src/shared/sync';
import { HOUR, submit, verdict } from './helpers';
import { httpFixture, type HttpFixture } from './http.fixture';

let f: HttpFixture;
beforeAll(async () => {
  f = await httpFixture();
});
afterAll(() => f.close());

const push = async (token: string, clientId: string, mutations: Mutation[]) => {
  const r = await f.call('POST', '/v1/push', { token, body: { clientId, mutations } });
  return { status: r.statusCode, json: r.json<unknown>() };
};
/** A mutation with payload fields the schema would refuse (what a buggy client might send). */
const unchecked = (m: Mutation, payload: Record<string, unknown>): Mutation =>
  ({ ...m, payload: { ...m.payload, ...payload } }) as Mutation;
const box = { type: 'bbox', id: 'b1', label: 'PER', x: 1, y: 2, w: 30, h: 40 };

describe('hub review routes', () => {
  let project = '';
  beforeAll(() => {
    project = f.imageProject;
  });

  it('lets only a lead or admin set the review policy, and names the field of a bad one', async () => {
    const url = `/v1/projects/${project}/review-policy`;
    const body = { reviewPolicy: 'all', rejectReasons: ['wrong label', 'box too loose'] };
    for (const token of [f.tokens.ann, f.tokens.rev, f.tokens.other])
      expect((await f.call('PUT', url, { token, body })).statusCode).toBe(403);
    const bad = await f.call('PUT', url, {
      token: f.tokens.lee,
      body: { reviewPolicy: { percent: 120, seed: 1 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'INVALID_INPUT', field: 'body.reviewPolicy.percent' },
    });
    const long = await f.call('PUT', url, {
      token: f.tokens.lee,
      body: { reviewPolicy: 'all', rejectReasons: ['x'.repeat(201)] },
    });
    expect(long.json()).toMatchObject({ error: { field: 'body.rejectReasons.0' } });
    const ok = await f.call('PUT', url, { token: f.tokens.lee, body });
    expect(ok.statusCode).toBe(200);
    expect(ProjectInfo.parse(ok.json())).toMatchObject(body);
    const seen = await f.call('GET', `/v1/projects/${project}`, { token: f.tokens.ann });
    expect(seen.json()).toMatchObject(body);
  });

  it('leases review items to reviewers with their content and assets; verdicts, rework and history over HTTP', async () => {
    const leased = LeaseResponse.parse(
      (
        await f.call('POST', '/v1/leases', {
          token: f.tokens.ann,
          body: { projectId: project, deviceId: 'ann-laptop', count: 2 },
        })
      ).json(),
    ).leases;
    const [a, b] = leased;
    const subs = leased.map((l, i) =>
      submit('ann-c', i + 1, l.taskId, l.epoch, {
        payload: { annotation: { results: [box], activeMs: 2000 } },
      }),
    );
    expect((await push(f.tokens.ann, 'ann-c', subs)).status).toBe(200);

    // Who may lease review items.
    for (const token of [f.tokens.ann, f.tokens.other]) {
      const r = await f.call('POST', '/v1/review-leases', {
        token,
        body: { projectId: project, deviceId: 'd', count: 5 },
      });
      expect(r.statusCode).toBe(403);
    }
    const r = await f.call('POST', '/v1/review-leases', {
      token: f.tokens.rev,
      body: { projectId: project, deviceId: 'rev-tablet', count: 5, requestId: 'r1' },
    });
    expect(r.statusCode).toBe(200);
    const reviews = ReviewLeaseResponse.parse(r.json()).reviews;
    expect(reviews.map((x) => x.taskId)).toEqual([a?.taskId, b?.taskId]);
    expect(reviews[0]).toMatchObject({
      submissionId: subs[0]?.mutationId,
      batch: 'default',
      submission: { userName: 'ann', activeMs: 2000, annotation: { results: [box] } },
    });
    const [ra, rb] = reviews;
    const ref = (x: typeof ra) => ({
      taskId: x?.taskId ?? '',
      epoch: x?.epoch ?? 0,
      submissionId: x?.submissionId ?? '',
    });

    // A live review lease opens the task's image, like a task lease does (even without the role).
    if (ra?.task.data.kind !== 'image') throw new Error('expected an image task');
    const asset = `/v1/assets/${ra.task.data.image.sha256}`;
    const revId = (await f.storage.findUserByName('rev'))?.id ?? '';
    await f.storage.grantRole(revId, project, 'annotator');
    expect((await f.call('GET', asset, { token: f.tokens.rev })).statusCode).toBe(200);
    f.clock.now += 2 * HOUR;
    expect((await f.call('GET', asset, { token: f.tokens.rev })).statusCode).toBe(403);
    f.clock.now -= 2 * HOUR;
    await f.storage.grantRole(revId, project, 'reviewer');

    // Bad input: an over-long reason is a 400 naming the field, and nothing of the batch is kept.
    const tooLong = await push(f.tokens.rev, 'rev-c', [
      verdict('review.accept', 'rev-c', 1, ref(rb)),
      unchecked(verdict('review.reject', 'rev-c', 2, ref(ra)), { reason: 'x'.repeat(201) }),
    ]);
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toMatchObject({ error: { field: 'body.mutations.1.payload.reason' } });
    const badFix = await push(f.tokens.rev, 'rev-c', [
      unchecked(verdict('review.fix', 'rev-c', 1, ref(rb)), { annotation: { results: [{ ...box, w: -1 }] } }),
    ]);
    expect(badFix.json).toMatchObject({
      error: { field: 'body.mutations.0.payload.annotation.results.0.w' },
    });
    // A comment on a region the submission does not have: refused, named, seq still advances.
    const noBox = PushResponse.parse(
      (
        await push(f.tokens.rev, 'rev-c', [
          verdict('review.reject', 'rev-c', 1, ref(ra), {
            comments: [{ target: { kind: 'region', resultId: 'b9' }, text: 'which box?' }],
          }),
        ])
      ).json,
    );
    expect(noBox.answers[0]).toMatchObject({
      status: 'rejected',
      reason: 'UNKNOWN_TARGET',
      field: 'payload.comments.0.target.resultId',
    });
    const history = async (token: string, taskId = ra?.taskId ?? '') =>
      f.call('GET', `/v1/projects/${project}/tasks/${encodeURIComponent(taskId)}/history`, { token });
    expect(TaskHistory.parse((await history(f.tokens.lee)).json())).toMatchObject({
      reviewStatus: 'pending',
      verdicts: [],
    });

    const comment = { target: { kind: 'region', resultId: 'b1' }, text: 'the box cuts the head off' };
    const done = PushResponse.parse(
      (
        await push(f.tokens.rev, 'rev-c', [
          verdict('review.reject', 'rev-c', 2, ref(ra), { reason: 'box too loose', comments: [comment] }),
          verdict('review.accept', 'rev-c', 3, ref(rb)),
        ])
      ).json,
    );
    expect(done.answers.map((x) => x.status)).toEqual(['applied', 'applied']);

    // The annotator's feed: the rework lease and the verdict with its pinned comment. A 1.0
    // client is not sent the event kind it cannot read, but its cursor moves past it.
    const feed = PullResponse.parse(
      (await f.call('GET', '/v1/pull?cursor=0&deviceId=ann-laptop', { token: f.tokens.ann })).json(),
    );
    const rejected = feed.events.find((e) => e.kind === 'review.rejected');
    expect(rejected).toMatchObject({
      taskId: ra.taskId,
      reason: 'box too loose',
      comments: [comment],
      epoch: 2,
    });
    expect(feed.leases.map((l) => [l.taskId, l.epoch])).toEqual([[ra.taskId, 2]]);
    const old = await f.call('GET', '/v1/pull?cursor=0', {
      token: f.tokens.ann,
      headers: { 'outrigger-protocol': '1.0' },
    });
    const oldFeed = old.json<{ events: { kind: string }[]; cursor: string }>();
    expect(oldFeed.events.map((e) => e.kind)).not.toContain('review.rejected');
    expect(oldFeed.events.map((e) => e.kind)).toContain('lease.granted');
    expect(oldFeed.cursor).toBe(feed.cursor);

    // Resubmission goes back to review; the history has both versions and both verdicts.
    await push(f.tokens.ann, 'ann-c', [
      submit('ann-c', 3, ra.taskId, 2, {
        payload: { annotation: { results: [{ ...box, h: 60 }], activeMs: 700 } },
      }),
    ]);
    const [again] = ReviewLeaseResponse.parse(
      (
        await f.call('POST', '/v1/review-leases', {
          token: f.tokens.lee,
          body: { projectId: project, deviceId: 'lee-pc', count: 5 },
        })
      ).json(),
    ).reviews;
    expect(again?.verdicts.map((v) => v.kind)).toEqual(['rejected']);
    await push(f.tokens.lee, 'lee-c', [verdict('review.accept', 'lee-c', 1, ref(again), { activeMs: 400 })]);
    for (const token of [f.tokens.ann, f.tokens.rev, f.tokens.lee, f.tokens.root]) {
      const h = await history(token);
      expect(h.statusCode).toBe(200);
      expect(TaskHistory.parse(h.json())).toMatchObject({
        reviewStatus: 'accepted',
        versions: [
          { userName: 'ann', activeMs: 2000, superseded: true },
          { userName: 'ann', activeMs: 700, superseded: false },
        ],
        verdicts: [
          { kind: 'rejected', reviewerName: 'rev', reason: 'box too loose' },
          { kind: 'accepted', reviewerName: 'lee', activeMs: 400 },
        ],
      });
    }
    expect((await history(f.tokens.other)).statusCode).toBe(403);
    expect((await history(f.tokens.lee, 'nope')).statusCode).toBe(404);
    expect((await history(f.tokens.lee, `${f.textProject}:x`)).statusCode).toBe(404);

    const progress = ProjectProgress.parse(
      (await f.call('GET', `/v1/projects/${project}/progress`, { token: f.tokens.lee })).json(),
    );
    expect(progress.batches).toEqual([
      expect.objectContaining({ batch: 'default', accepted: 2, rejected: 1, inRework: 0, pending: 0 }),
    ]);
  });
});
