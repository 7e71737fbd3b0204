import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseResponse, PROTOCOL_VERSION, PullResponse, PushResponse } from '../../src/shared/sync';
import { createHub, ROUTES } from '../../src/hub/http/server';
import { HOUR, submit } from './helpers';
import { gzipJson, httpFixture, type HttpFixture } from './http.fixture';

let f: HttpFixture;
beforeAll(async () => {
  f = await httpFixture({ limits: { bodyBytes: 256 * 1024 } });
});
afterAll(() => f.close());

const lease = async (token: string, projectId: string, count = 2) =>
  LeaseResponse.parse(
    (await f.call('POST', '/v1/leases', { token, body: { projectId, deviceId: 'dev-1', count } })).json(),
  );

describe('hub HTTP API', () => {
  it('publishes an OpenAPI document listing every route, without a token', async () => {
    const r = await f.call('GET', '/openapi.json');
    expect(r.statusCode).toBe(200);
    const paths = Object.keys(r.json<{ paths: Record<string, unknown> }>().paths);
    for (const route of ROUTES) expect(paths).toContain(route.url.replace(/:(\w+)/g, '{$1}'));
    expect((await f.call('GET', '/v1/health')).json()).toMatchObject({
      ok: true,
      protocolVersion: PROTOCOL_VERSION,
    });
  });

  it('answers 401 without a token or with an unknown one, on every route', async () => {
    for (const r of ROUTES) {
      const url = r.url
        .replace(':projectId', f.imageProject)
        .replace(':taskId', 'x')
        .replace(':sha256', 'a'.repeat(64));
      const res = await f.call(r.method, url, r.body ? { body: {} } : {});
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    expect((await f.call('GET', '/v1/me', { token: 'otr_wrong' })).statusCode).toBe(401);
  });

  it('refuses another major protocol version with VERSION_MISMATCH', async () => {
    const r = await f.call('GET', '/v1/me', {
      token: f.tokens.ann,
      headers: { 'outrigger-protocol': '2.0' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'VERSION_MISMATCH' } });
    expect(
      (await f.call('GET', '/v1/me', { token: f.tokens.ann, headers: { 'outrigger-protocol': '1.7' } }))
        .statusCode,
    ).toBe(200);
  });

  it('answers 403 for a project the user is not in or a role that may not act', async () => {
    const cases: [string, string, string, unknown?][] = [
      [f.tokens.other, 'POST', '/v1/leases', { projectId: f.imageProject, deviceId: 'd', count: 1 }],
      [f.tokens.rev, 'POST', '/v1/leases', { projectId: f.imageProject, deviceId: 'd', count: 1 }],
      [f.tokens.other, 'GET', `/v1/projects/${f.imageProject}`],
      [f.tokens.ann, 'GET', `/v1/projects/${f.imageProject}/progress`],
      [
        f.tokens.ann,
        'PUT',
        `/v1/projects/${f.imageProject}/label-config`,
        { labelConfig: { tools: ['bbox'] } },
      ],
      [f.tokens.ann, 'GET', `/v1/projects/${f.imageProject}/tasks/x/submissions`],
      [f.tokens.lee, 'GET', '/v1/admin/projects'],
      [f.tokens.ann, 'GET', '/v1/admin/users'],
    ];
    for (const [token, method, url, body] of cases) {
      const r = await f.call(method, url, { token, body });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      expect(r.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
  });

  it('answers 400 naming the field for bad bodies, params and queries', async () => {
    const bad = async (method: string, url: string, body: unknown, field: string, token = f.tokens.ann) => {
      const r = await f.call(method, url, { token, body });
      expect(r.statusCode, url).toBe(400);
      expect(r.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field } });
    };
    await bad('POST', '/v1/leases', { projectId: f.imageProject, deviceId: 'd', count: 'two' }, 'body.count');
    await bad('POST', '/v1/leases', { projectId: f.imageProject, count: 1 }, 'body.deviceId');
    const m = { ...submit('c', 1, 't', 1), mutationId: 'not-a-uuid' };
    await bad('POST', '/v1/push', { clientId: 'c', mutations: [m] }, 'body.mutations.0.mutationId');
    const box = {
      ...submit('c', 1, 't', 1),
      payload: { annotation: { results: [{ type: 'bbox', id: 'b', label: 'x', x: 0, y: 0, w: -1, h: 1 }] } },
    };
    await bad(
      'POST',
      '/v1/push',
      { clientId: 'c', mutations: [box] },
      'body.mutations.0.payload.annotation.results.0.w',
    );
    await bad('GET', '/v1/pull?cursor=abc', undefined, 'query.cursor');
    await bad('GET', '/v1/assets/xyz', undefined, 'params.sha256');
    const r = await f.call('POST', '/v1/leases', { token: f.tokens.ann, raw: Buffer.from('{"projectId": ') });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'body' } });
  });

  it('answers 413 for bodies over the limit, plain or gzip-decompressed, and 415 for unknown encodings', async () => {
    const big = {
      clientId: 'c',
      mutations: [
        submit('c', 1, 't', 1, { payload: { annotation: { results: [], activeMs: 0 }, submittedAt: 1 } }),
      ],
      pad: 'x'.repeat(300 * 1024),
    };
    const plain = await f.call('POST', '/v1/push', { token: f.tokens.ann, body: big });
    expect(plain.statusCode).toBe(413);
    expect(plain.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    // 300 KB of x compresses to a few hundred bytes: the limit applies after decompression.
    const zipped = await f.call('POST', '/v1/push', {
      token: f.tokens.ann,
      raw: gzipJson(big),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(zipped.statusCode).toBe(413);
    const br = await f.call('POST', '/v1/push', {
      token: f.tokens.ann,
      raw: Buffer.from('{}'),
      headers: { 'content-encoding': 'br' },
    });
    expect(br.statusCode).toBe(415);
    const corrupt = await f.call('POST', '/v1/push', {
      token: f.tokens.ann,
      raw: gzipSync('{}').subarray(0, 8),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(corrupt.statusCode).toBe(400);
  });

  it('leases, pushes (gzip) exactly once, and pulls the change feed over HTTP', async () => {
    const leased = await lease(f.tokens.ann, f.imageProject, 2);
    expect(leased.leases).toHaveLength(2);
    const [a, b] = leased.leases;
    const batch = {
      clientId: 'ann-laptop',
      mutations: [
        submit('ann-laptop', 1, a?.taskId ?? '', a?.epoch ?? 0),
        submit('ann-laptop', 2, b?.taskId ?? '', b?.epoch ?? 0),
      ],
    };
    const first = PushResponse.parse(
      (
        await f.call('POST', '/v1/push', {
          token: f.tokens.ann,
          raw: gzipJson(batch),
          headers: { 'content-encoding': 'gzip' },
        })
      ).json(),
    );
    expect(first.answers.map((x) => x.status)).toEqual(['applied', 'applied']);
    const again = PushResponse.parse(
      (await f.call('POST', '/v1/push', { token: f.tokens.ann, body: batch })).json(),
    );
    expect(again.answers.map((x) => x.status)).toEqual(['duplicate', 'duplicate']);
    expect(again).toMatchObject({ lastSeq: 2, expectedSeq: 3 });
    const pull = PullResponse.parse(
      (await f.call('GET', '/v1/pull?cursor=0&limit=10&deviceId=dev-1', { token: f.tokens.ann })).json(),
    );
    expect(pull.events.map((e) => e.kind)).toEqual(['lease.granted', 'lease.granted']);
    expect(pull.cursor).toBe('2');
    const progress = (
      await f.call('GET', `/v1/projects/${f.imageProject}/progress`, { token: f.tokens.lee })
    ).json();
    expect(progress).toMatchObject({
      done: 2,
      submissions: 2,
      perUser: expect.arrayContaining([expect.objectContaining({ name: 'ann', submitted: 2 })]),
    });
    const subs = (
      await f.call(
        'GET',
        `/v1/projects/${f.imageProject}/tasks/${encodeURIComponent(a?.taskId ?? '')}/submissions`,
        { token: f.tokens.rev },
      )
    ).json();
    expect(subs.submissions).toHaveLength(1);
    // A reviewer of the image project sees nothing of another project's task through it.
    const cross = (
      await f.call(
        'GET',
        `/v1/projects/${f.imageProject}/tasks/${encodeURIComponent(`${f.textProject}:text-1`)}/submissions`,
        { token: f.tokens.rev },
      )
    ).json();
    expect(cross.submissions).toEqual([]);
    // Another user cannot push under ann's client id.
    expect(
      (
        await f.call('POST', '/v1/push', {
          token: f.tokens.lee,
          body: { clientId: 'ann-laptop', mutations: [submit('ann-laptop', 3, 'x', 1)] },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('answers a retried lease request (same requestId) with the same leases, so a lost answer is recoverable', async () => {
    const body = { projectId: f.textProject, deviceId: 'dev-1', count: 2, requestId: 'b1f7c0de-lease-1' };
    const first = LeaseResponse.parse(
      (await f.call('POST', '/v1/leases', { token: f.tokens.other, body })).json(),
    );
    expect(first.leases).toHaveLength(2);
    const retry = LeaseResponse.parse(
      (await f.call('POST', '/v1/leases', { token: f.tokens.other, body })).json(),
    );
    expect(retry.leases).toEqual(first.leases);
    const fresh = LeaseResponse.parse(
      (
        await f.call('POST', '/v1/leases', {
          token: f.tokens.other,
          body: { ...body, requestId: 'b1f7c0de-lease-2' },
        })
      ).json(),
    );
    expect(fresh.leases.map((l) => l.taskId)).not.toContain(first.leases[0]?.taskId);
    const bad = await f.call('POST', '/v1/leases', {
      token: f.tokens.other,
      body: { ...body, requestId: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('body.requestId');
  });

  it('serves assets with ETag and ranges to lease holders and reviewers only', async () => {
    const [l] = (await lease(f.tokens.ann, f.imageProject, 1)).leases;
    if (l?.task.data.kind !== 'image') throw new Error('expected an image task');
    const { sha256, bytes } = l.task.data.image;
    const url = `/v1/assets/${sha256}`;
    const full = await f.call('GET', url, { token: f.tokens.ann });
    expect(full.statusCode).toBe(200);
    expect(full.rawPayload.length).toBe(bytes);
    expect(full.headers.etag).toBe(`"${sha256}"`);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(full.rawPayload).digest('hex')).toBe(sha256);
    const part = await f.call('GET', url, { token: f.tokens.ann, headers: { range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${bytes}`);
    expect(part.rawPayload.equals(full.rawPayload.subarray(100, 200))).toBe(true);
    const tail = await f.call('GET', url, {
      token: f.tokens.ann,
      headers: { range: `bytes=${bytes - 10}-` },
    });
    expect(tail.rawPayload.equals(full.rawPayload.subarray(bytes - 10))).toBe(true);
    expect(
      (await f.call('GET', url, { token: f.tokens.ann, headers: { range: `bytes=${bytes}-` } })).statusCode,
    ).toBe(416);
    expect(
      (await f.call('GET', url, { token: f.tokens.ann, headers: { 'if-none-match': `"${sha256}"` } }))
        .statusCode,
    ).toBe(304);
    expect((await f.call('GET', url, { token: f.tokens.rev })).statusCode).toBe(200);
    expect((await f.call('GET', url, { token: f.tokens.other })).statusCode).toBe(403);
    expect((await f.call('GET', `/v1/assets/${'0'.repeat(64)}`, { token: f.tokens.ann })).statusCode).toBe(
      404,
    );
    // The lease runs out: no more bytes for ann.
    f.clock.now += 2 * HOUR;
    expect((await f.call('GET', url, { token: f.tokens.ann })).statusCode).toBe(403);
    f.clock.now -= 2 * HOUR;
  });

  it('lets a lead change the label config and members see it in their feed', async () => {
    const before = (await f.call('GET', `/v1/projects/${f.imageProject}`, { token: f.tokens.ann })).json<{
      configVersion: number;
    }>();
    const r = await f.call('PUT', `/v1/projects/${f.imageProject}/label-config`, {
      token: f.tokens.lee,
      body: { labelConfig: { tools: ['bbox', 'polygon'] } },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      configVersion: before.configVersion + 1,
      labelConfig: { tools: ['bbox', 'polygon'] },
    });
    const feed = PullResponse.parse(
      (await f.call('GET', '/v1/pull?cursor=0&limit=100', { token: f.tokens.rev })).json(),
    );
    expect(feed.events.at(-1)).toMatchObject({
      kind: 'config.changed',
      configVersion: before.configVersion + 1,
    });
  });

  it('gives admins the project and user lists, and everyone /me', async () => {
    const projects = (await f.call('GET', '/v1/admin/projects', { token: f.tokens.root })).json<{
      projects: { id: string; taskCount: number }[];
    }>();
    expect(projects.projects.map((p) => [p.id, p.taskCount])).toEqual([
      [f.imageProject, 10],
      [f.textProject, 5],
    ]);
    const users = (await f.call('GET', '/v1/admin/users', { token: f.tokens.root })).json<{
      users: { name: string }[];
    }>();
    expect(users.users.map((u) => u.name)).toEqual(['ann', 'lee', 'other', 'padmin', 'rev', 'root']);
    expect(JSON.stringify(users)).not.toMatch(/otr_|token/);
    expect((await f.call('GET', '/v1/me', { token: f.tokens.ann })).json()).toMatchObject({
      name: 'ann',
      memberships: [{ projectId: f.imageProject, role: 'annotator' }],
    });
    expect((await f.call('GET', '/v1/nope', { token: f.tokens.ann })).statusCode).toBe(404);
  });
});

describe('hub HTTP limits', () => {
  it('logs requests as JSON lines without the bearer token', async () => {
    const g = await httpFixture();
    await g.hub.close();
    let log = '';
    const stream = new Writable({
      write: (chunk: Buffer, _enc, done) => ((log += chunk.toString()), done()),
    });
    const hub = await createHub({
      storage: g.storage,
      dataDir: g.dataDir,
      logger: { level: 'trace', stream },
    });
    const r = await hub.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${g.tokens.ann}` },
    });
    expect(r.statusCode).toBe(200);
    hub.app.log.info(
      { headers: { authorization: `Bearer ${g.tokens.ann}` }, token: g.tokens.ann },
      'a careless log line',
    );
    await hub.close();
    const lines = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg?: string });
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed', 'a careless log line']),
    );
    expect(log).not.toContain(g.tokens.ann);
    expect(log).toContain('[redacted]');
    await g.close();
  });

  it('rate-limits failed sign-ins per address with 429 and Retry-After, never a valid token from that address', async () => {
    const g = await httpFixture({ limits: { authFailuresPerMinute: 3 } });
    try {
      for (let i = 0; i < 3; i++)
        expect((await g.call('GET', '/v1/me', { token: `bad-${i}` })).statusCode).toBe(401);
      const r = await g.call('GET', '/v1/me', { token: 'bad-3' });
      expect(r.statusCode).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      // A teammate behind the same NAT keeps working.
      expect((await g.call('GET', '/v1/me', { token: g.tokens.ann })).statusCode).toBe(200);
      g.clock.now += 61_000;
      expect((await g.call('GET', '/v1/me', { token: 'bad-4' })).statusCode).toBe(401);
    } finally {
      await g.close();
    }
  });

  it('counts failures per client address as a trusted proxy names it, and only a trusted one', async () => {
    for (const trusted of [true, false]) {
      const g = await httpFixture({
        limits: { authFailuresPerMinute: 2 },
        ...(trusted ? { trustProxy: ['127.0.0.1'] } : {}),
      });
      try {
        const from = (client: string, token: string) =>
          g.hub.app.inject({
            method: 'GET',
            url: '/v1/me',
            remoteAddress: '127.0.0.1',
            headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client },
          });
        for (let i = 0; i < 2; i++) expect((await from('10.0.0.1', `bad-${i}`)).statusCode).toBe(401);
        expect((await from('10.0.0.1', 'bad-2')).statusCode).toBe(429);
        // Behind a trusted proxy another client is another address; untrusted, the header is ignored.
        expect((await from('10.0.0.2', 'bad-3')).statusCode, String(trusted)).toBe(trusted ? 401 : 429);
      } finally {
        await g.close();
      }
    }
  });

  it('finishes an in-flight push when closed, then refuses new connections', async () => {
    const g = await httpFixture();
    await g.hub.close();
    // A storage whose push waits until the hub has started closing.
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = Object.create(g.storage) as typeof g.storage;
    slow.push = async (req, now) => {
      entered();
      await gate;
      return g.storage.push(req, now);
    };
    const hub = await createHub({ storage: slow, dataDir: g.dataDir, clock: () => g.clock.now });
    const url = await hub.listen({ port: 0 });
    const ann = await g.storage.findUserByName('ann');
    const [l] = await g.storage.claim(
      { userId: ann?.id ?? '', deviceId: 'd', projectId: g.imageProject, count: 1 },
      g.clock.now,
    );
    const body = JSON.stringify({
      clientId: 'c',
      mutations: [submit('c', 1, l?.taskId ?? '', 1, { mutationId: randomUUID() })],
    });
    const inflight = fetch(`${url}/v1/push`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${g.tokens.ann}`, 'content-type': 'application/json' },
    });
    await inside;
    const closing = hub.close();
    release();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { answers: { status: string }[] }).answers[0]?.status).toBe('applied');
    await closing;
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
    expect(await g.storage.submissions(l?.taskId ?? '')).toHaveLength(1);
    await g.close();
  });

  it('decodes pushes in a worker thread as served: applies them, and a bad annotation is a 400 that keeps nothing of its batch', async () => {
    const g = await httpFixture({ decodeThreads: 1 });
    try {
      const ann = await g.storage.findUserByName('ann');
      const [a, b] = await g.storage.claim(
        { userId: ann?.id ?? '', deviceId: 'd', projectId: g.imageProject, count: 2 },
        g.clock.now,
      );
      const good = submit('w', 1, a?.taskId ?? '', a?.epoch ?? 0);
      const bad = {
        ...submit('w', 2, b?.taskId ?? '', b?.epoch ?? 0),
        payload: {
          annotation: {
            results: [{ type: 'bbox', id: 'b', label: 'x', x: 0, y: 0, w: -1, h: 1 }],
            activeMs: 1,
          },
        },
      };
      const refused = await g.call('POST', '/v1/push', {
        token: g.tokens.ann,
        raw: gzipJson({ clientId: 'w', mutations: [good, bad] }),
        headers: { 'content-encoding': 'gzip' },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({
        error: { code: 'INVALID_INPUT', field: 'body.mutations.1.payload.annotation.results.0.w' },
      });
      // The transaction rolled back: the good mutation was not recorded either.
      expect(await g.storage.submissions(a?.taskId ?? '')).toHaveLength(0);
      const fixed = submit('w', 2, b?.taskId ?? '', b?.epoch ?? 0);
      const ok = PushResponse.parse(
        (
          await g.call('POST', '/v1/push', {
            token: g.tokens.ann,
            body: { clientId: 'w', mutations: [good, fixed] },
          })
        ).json(),
      );
      expect(ok.answers.map((x) => x.status)).toEqual(['applied', 'applied']);
      const [stored] = await g.storage.submissions(b?.taskId ?? '');
      expect(stored?.annotation).toEqual(fixed.kind === 'submit' ? fixed.payload.annotation : null);
    } finally {
      await g.close();
    }
  });
});
