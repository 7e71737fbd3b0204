// Gold tasks end to end over the wire (issue 12.3) and the quality routes, on SQLite and on
// PostgreSQL: the workbench is leased gold tasks it cannot tell apart — asserted on the very
// bytes the hub sent — and the hub scores what comes back against the answer it kept.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addGoldTasks } from '../../src/hub/admin/gold';
import { LeaseResponse, PushResponse, QualityReport } from '../../src/shared/sync';
import { submit } from './helpers';
import { httpFixture, type HttpFixture } from './http.fixture';

const keysOf = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(keysOf)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [
              k,
              ['text', 'title', 'sourceId', 'taskId', 'id', 'epoch'].includes(k)
                ? ''
                : keysOf((v as Record<string, unknown>)[k]),
            ]),
        )
      : typeof v;

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
])('gold tasks and quality routes on %s', (_name, pg) => {
  let f: HttpFixture;
  afterEach(async () => f?.close());

  it('leases gold tasks indistinguishably and scores them against the answers it kept', async () => {
    f = await httpFixture({ pg });
    const texts = join(f.dataDir, 'more.jsonl');
    const answers = join(f.dataDir, 'answers.jsonl');
    writeFileSync(
      texts,
      [
        { id: 'text-901', title: 'Lagos', text: 'Chidi Okeke moved to Lagos.' },
        { id: 'text-902', title: 'Lima', text: 'Rosa Quispe works in Lima.' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    const span = (id: string, start: number, end: number) => ({
      type: 'span',
      id,
      label: 'PER',
      start,
      end,
      text: 'x'.repeat(end - start),
    });
    writeFileSync(
      answers,
      [
        { id: 'text-901', annotation: { results: [span('answer-secret-1', 0, 11)] } },
        { id: 'text-902', annotation: { results: [span('answer-secret-2', 0, 11)] } },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    await addGoldTasks(f.storage, f.dataDir, { project: 'texts', batch: 'gold-check', texts, gold: answers });
    await f.storage.setGoldRate('texts', 0.5);

    const res = await f.call('POST', '/v1/leases', {
      token: f.tokens.other,
      body: { projectId: 'texts', deviceId: 'dev-1', count: 4 },
    });
    expect(res.statusCode).toBe(200);
    const bytes = res.rawPayload.toString('utf8');
    const leases = LeaseResponse.parse(JSON.parse(bytes)).leases;
    // Half of the four are gold: floor(4 × 0.5) = 2.
    const ids = leases.map((l) => l.taskId);
    expect(ids.filter((id) => id.startsWith('texts:text-90'))).toHaveLength(2);
    expect(ids).toHaveLength(4);
    // Nothing of the answers, no flag, no batch name on the wire.
    for (const secret of ['answer-secret', 'gold', 'Gold', 'answer', 'batch', '"start"'])
      expect(bytes.includes(secret), secret).toBe(false);
    // A gold lease has the very shape of an ordinary one.
    const shapes = leases.map((l) => JSON.stringify(keysOf(l)));
    expect(new Set(shapes).size).toBe(1);
    // The other pulls tell nothing either.
    const pull = await f.call('GET', '/v1/pull?cursor=0', { token: f.tokens.other });
    expect(pull.rawPayload.toString('utf8')).not.toMatch(/gold|answer/i);

    // `other` gets one gold task right and the other wrong.
    const mutations = leases
      .filter((l) => l.taskId.startsWith('texts:text-90'))
      .map((l, i) =>
        submit('c-other', i + 1, l.taskId, l.epoch, {
          payload: {
            annotation: { results: [i === 0 ? span('s1', 0, 11) : span('s1', 13, 17)], activeMs: 5 },
          },
        }),
      );
    const pushed = await f.call('POST', '/v1/push', {
      token: f.tokens.other,
      body: { clientId: 'c-other', mutations },
    });
    expect(PushResponse.parse(pushed.json()).answers.map((a) => a.status)).toEqual(['applied', 'applied']);

    const report = await f.call('GET', '/v1/projects/texts/quality', { token: f.tokens.root });
    expect(report.statusCode).toBe(200);
    const r = QualityReport.parse(report.json());
    expect(r.goldRate).toBe(0.5);
    expect(r.annotators.find((a) => a.name === 'other')?.gold).toEqual({ tasks: 2, score: 0.5, passed: 1 });
    // A gold task is never completed: another annotator is still handed both.
    await f.storage.addUser({ id: 'zed', name: 'zed', tokenHash: 'h-zed' }, f.clock.now);
    await f.storage.grantRole('zed', 'texts', 'annotator');
    const zed = await f.storage.claim(
      { userId: 'zed', deviceId: 'z', projectId: 'texts', count: 4 },
      f.clock.now,
    );
    expect(zed.map((l) => l.taskId).filter((id) => id.startsWith('texts:text-90'))).toHaveLength(2);
  });

  it('makes a lot over the route and refuses bad input naming the field', async () => {
    f = await httpFixture({ pg });
    const lease = await f.call('POST', '/v1/leases', {
      token: f.tokens.ann,
      body: { projectId: f.imageProject, deviceId: 'd', count: 3 },
    });
    const leases = LeaseResponse.parse(lease.json()).leases;
    await f.call('POST', '/v1/push', {
      token: f.tokens.ann,
      body: { clientId: 'c-ann', mutations: leases.map((l, i) => submit('c-ann', i + 1, l.taskId, l.epoch)) },
    });
    const bad = await f.call('POST', `/v1/projects/${f.imageProject}/lots`, {
      token: f.tokens.lee,
      body: { batch: 'default', aql: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'body.aql' } });
    const none = await f.call('POST', `/v1/projects/${f.imageProject}/lots`, {
      token: f.tokens.lee,
      body: { batch: 'week-9' },
    });
    expect(none.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'body.batch' } });
    const ok = await f.call('POST', `/v1/projects/${f.imageProject}/lots`, {
      token: f.tokens.lee,
      body: { batch: 'default', seed: 5 },
    });
    expect(ok.statusCode).toBe(200);
    // A lot of 3 (2–8 row, letter A; AQL 2.5 arrows down to C, n = 5 ≥ 3): inspected whole.
    expect(ok.json()).toMatchObject({
      lotSize: 3,
      codeLetter: 'A',
      sampleSize: 3,
      inspectAll: true,
      ac: 0,
      re: 1,
      seed: 5,
    });
    const again = await f.call('POST', `/v1/projects/${f.imageProject}/lots`, {
      token: f.tokens.lee,
      body: { batch: 'default' },
    });
    expect(again.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'body.batch' } });
    const missing = await f.call('GET', '/v1/projects/nope/quality', { token: f.tokens.root });
    expect(missing.statusCode).toBe(404);
  });
});
