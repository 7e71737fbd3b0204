// Issue 17: hostile input the hub must survive with a clean 4xx (each case failed before its fix).
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseResponse, PushResponse, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src/shared/sync';
import { assetPath, putAsset } from '../../src/hub/assets/store';
import { openStorage, SQLITE_FILE } from '../../src/hub/storage/open';
import { submit, tempDir, warmPglite } from './helpers';
import { httpFixture, type HttpFixture } from './http.fixture';

interface Answer {
  status: number;
  body: string;
}

/** A real socket, so an error nobody listens for would end this process, not be caught by inject. */
const send = (
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });

/** Resolves when the server closes the socket (after writing `data`), with what it answered. */
const untilClosed = (port: number, data: string): Promise<{ ms: number; answer: string }> =>
  new Promise((resolve) => {
    const t0 = Date.now();
    const s = connect(port, '127.0.0.1', () => s.write(data));
    let answer = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => (answer += c));
    s.on('error', () => undefined); // a reset is a close too
    s.on('close', () => resolve({ ms: Date.now() - t0, answer }));
  });

/** `{"x":{"x":…1…}}` as text: JSON.stringify of it would overflow this test's own stack. */
const deepJson = (n: number): string => `${'{"x":'.repeat(n)}1${'}'.repeat(n)}`;

describe('hub over a socket: Content-Encoding without a body', () => {
  let f: HttpFixture;
  let base: string;
  beforeAll(async () => {
    f = await httpFixture();
    base = await f.hub.listen();
  });
  afterAll(() => f.close());

  it('answers bodiless requests carrying Content-Encoding: gzip, and keeps running', async () => {
    const gz = { 'content-encoding': 'gzip' };
    const auth = { ...gz, authorization: `Bearer ${f.tokens.ann}` };
    for (const [method, path, headers] of [
      ['GET', '/v1/health', gz],
      ['HEAD', '/v1/health', gz],
      ['OPTIONS', '/v1/health', gz],
      ['DELETE', '/v1/health', gz],
      ['GET', '/v1/me', auth],
      ['GET', '/v1/pull', auth],
      ['POST', '/v1/leases', { ...auth, 'content-type': 'application/json', 'content-length': '0' }],
    ] as const) {
      const a = await send(base, method, path, headers);
      expect(a.status, `${method} ${path}`).toBeLessThan(500);
    }
    // A GET with a gzip body nobody reads, and a corrupt one.
    expect((await send(base, 'GET', '/v1/me', auth, Buffer.from('not gzip at all'))).status).toBeLessThan(
      500,
    );
    expect((await send(base, 'GET', '/v1/health')).status).toBe(200);
  });

  it('answers empty gzip with 400 and a gzip bomb with 413, after decompression', async () => {
    const json = {
      authorization: `Bearer ${f.tokens.ann}`,
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    };
    for (const path of ['/v1/push', '/v1/leases']) {
      const empty = await send(base, 'POST', path, json, gzipSync(Buffer.alloc(0)));
      expect(empty.status, path).toBe(400);
      expect(JSON.parse(empty.body)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
    // 64 MiB of spaces is 64 KB gzipped; the hub stops at its 32 MiB limit.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(200 * 1024);
    const a = await send(base, 'POST', '/v1/push', json, bomb);
    expect(a.status).toBe(413);
    expect((await send(base, 'GET', '/v1/health')).status).toBe(200);
  });
});

describe('hub slow clients and connections', () => {
  it('cuts off a client that trickles its headers or its body, and caps connections', async () => {
    const f = await httpFixture({
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, idleTimeoutMs: 5000, maxConnections: 3 },
    });
    try {
      const port = Number(new URL(await f.hub.listen()).port);
      const headers = await untilClosed(port, 'GET /v1/health HTTP/1.1\r\nHost: x\r\n');
      console.info(`headers cut after ${headers.ms} ms`);
      expect(headers.ms).toBeLessThan(3000);
      const body = await untilClosed(
        port,
        'POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"pro',
      );
      console.info(`body cut after ${body.ms} ms`);
      expect(body.ms).toBeLessThan(4000);
      expect(body.answer).toMatch(/^HTTP\/1\.1 408/);
      // Three idle connections held open: a fourth is closed at once, unanswered.
      const held = await Promise.all(
        [0, 1, 2].map(
          () =>
            new Promise<ReturnType<typeof connect>>((resolve) => {
              const s = connect(port, '127.0.0.1', () => resolve(s));
            }),
        ),
      );
      const fourth = await untilClosed(port, 'GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(fourth.answer).toBe('');
      for (const s of held) s.destroy();
    } finally {
      await f.close();
    }
  });
});

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
])('hub on %s: hostile ids, stored data, quotas', (_name, pg) => {
  let f: HttpFixture;
  beforeAll(async () => {
    if (pg) await warmPglite();
    f = await httpFixture({ pg, limits: { pushMutations: 50 } });
  }, 180_000);
  afterAll(() => f.close());

  const lease = async (token: string, count = 1) =>
    LeaseResponse.parse(
      (
        await f.call('POST', '/v1/leases', {
          token,
          body: { projectId: f.imageProject, deviceId: 'd', count },
        })
      ).json(),
    ).leases;

  it('answers 400 naming the field for a NUL in any id', async () => {
    const nul = 'a\u0000b';
    const leaseBody = { projectId: f.imageProject, deviceId: 'd', count: 1 };
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/leases', { ...leaseBody, deviceId: nul }, 'body.deviceId'],
      ['POST', '/v1/leases', { ...leaseBody, requestId: nul }, 'body.requestId'],
      ['POST', '/v1/leases', { ...leaseBody, projectId: nul }, 'body.projectId'],
      [
        'POST',
        '/v1/push',
        { clientId: nul, mutations: [{ ...submit('c', 1, 't', 1), clientId: nul }] },
        'body.clientId',
      ],
      [
        'POST',
        '/v1/push',
        { clientId: 'c', mutations: [{ ...submit('c', 1, 't', 1), taskId: nul }] },
        'body.mutations.0.taskId',
      ],
      ['GET', '/v1/pull?deviceId=%00', undefined, 'query.deviceId'],
      ['GET', '/v1/projects/a%00b', undefined, 'params.projectId'],
      ['GET', `/v1/projects/${f.imageProject}/tasks/a%00/submissions`, undefined, 'params.taskId'],
    ];
    for (const [method, url, body, field] of cases) {
      const r = await f.call(method, url, { token: f.tokens.root, ...(body ? { body } : {}) });
      expect(r.statusCode, `${method} ${url} ${field}`).toBe(400);
      expect(r.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field } });
    }
  });

  it('answers 404 to an admin leasing from a project that does not exist', async () => {
    const r = await f.call('POST', '/v1/leases', {
      token: f.tokens.root,
      body: { projectId: 'no-such-project', deviceId: 'd', count: 1 },
    });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses an annotation nested too deep with 400 naming the field, and stores nothing', async () => {
    const [l] = await lease(f.tokens.ann);
    const m = submit('deep-client', 1, l?.taskId ?? '', l?.epoch ?? 0);
    const body = JSON.stringify({
      clientId: 'deep-client',
      mutations: [{ ...m, payload: { annotation: { results: [], activeMs: 0, extra: 'DEEP' } } }],
    }).replace('"DEEP"', deepJson(6000));
    const r = await f.call('POST', '/v1/push', { token: f.tokens.ann, raw: Buffer.from(body) });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toMatch(/^body\.mutations\.0\.payload\.annotation\.extra(\.x)+$/);
    expect(await f.storage.submissions(l?.taskId ?? '')).toEqual([]);
  });

  it('serves a task whose stored submission is too deep to send (stored before the limit), without a 500', async () => {
    const [l] = await lease(f.tokens.ann);
    const taskId = l?.taskId ?? '';
    const ok = await f.call('POST', '/v1/push', {
      token: f.tokens.ann,
      body: { clientId: 'old-client', mutations: [submit('old-client', 1, taskId, l?.epoch ?? 0)] },
    });
    expect(ok.statusCode).toBe(200);
    await f.storage.db.run('UPDATE submissions SET annotation = ? WHERE task_id = ?', [
      `{"results":[],"activeMs":0,"extra":${deepJson(20_000)}}`,
      taskId,
    ]);
    for (const token of [f.tokens.rev, f.tokens.lee, f.tokens.root]) {
      const r = await f.call(
        'GET',
        `/v1/projects/${f.imageProject}/tasks/${encodeURIComponent(taskId)}/submissions`,
        { token },
      );
      expect(r.statusCode).toBe(200);
      expect(r.json().submissions[0]).toMatchObject({
        annotation: null,
        unreadable: expect.stringContaining('deeper'),
      });
    }
  });

  it('deduplicates mutation ids per client: another user reusing an id gets their own mutation applied', async () => {
    const [a] = await lease(f.tokens.ann);
    const [b] = await lease(f.tokens.lee);
    const id = randomUUID();
    const push = async (token: string, clientId: string, taskId: string, epoch: number) =>
      PushResponse.parse(
        (
          await f.call('POST', '/v1/push', {
            token,
            body: { clientId, mutations: [{ ...submit(clientId, 1, taskId, epoch), mutationId: id }] },
          })
        ).json(),
      ).answers[0];
    expect(await push(f.tokens.ann, 'ann-dup', a?.taskId ?? '', a?.epoch ?? 0)).toMatchObject({
      status: 'applied',
    });
    expect(await push(f.tokens.lee, 'lee-dup', b?.taskId ?? '', b?.epoch ?? 0)).toMatchObject({
      status: 'applied',
    });
    // The same client resending it is still a duplicate.
    expect(await push(f.tokens.ann, 'ann-dup', a?.taskId ?? '', a?.epoch ?? 0)).toMatchObject({
      status: 'duplicate',
    });
    expect(await f.storage.submissions(b?.taskId ?? '')).toHaveLength(1);
  });

  it('answers 413 naming body.mutations for a push over the mutation limit', async () => {
    const mutations = Array.from({ length: 51 }, (_, i) => submit('big', i + 1, 'nope', 1));
    const r = await f.call('POST', '/v1/push', { token: f.tokens.ann, body: { clientId: 'big', mutations } });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', field: 'body.mutations' } });
  });
});

describe('hub per-user storage quota', () => {
  it('refuses a push that takes its user past the quota with 413, keeping nothing of it', async () => {
    const f = await httpFixture({ limits: { userStoredBytes: 40 * 200 } });
    try {
      const push = (seq0: number, n: number) =>
        f.call('POST', '/v1/push', {
          token: f.tokens.other,
          headers: { [PROTOCOL_HEADER]: PROTOCOL_VERSION },
          body: {
            clientId: 'q',
            mutations: Array.from({ length: n }, (_, i) => submit('q', seq0 + i, 'no-such-task', 1)),
          },
        });
      // Rejected mutations are stored (to answer retries), so they count.
      expect((await push(1, 30)).statusCode).toBe(200);
      const over = await push(31, 20);
      expect(over.statusCode).toBe(413);
      expect(over.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
      expect(over.json().error.message).toContain('each user may store');
      const again = PushResponse.parse((await push(31, 5)).json());
      expect(again.lastSeq).toBe(35); // nothing of the refused push was kept
    } finally {
      await f.close();
    }
  });
});

describe('hub data at rest', () => {
  it('creates its data folder, database, WAL and assets owner-only whatever the umask', async () => {
    const old = process.umask(0);
    const t = tempDir();
    try {
      const dataDir = join(t.dir, 'hubdata');
      const storage = await openStorage({ dataDir });
      await storage.db.run('CREATE TABLE scratch (x INTEGER)');
      const sha = await putAsset(dataDir, Buffer.from('asset bytes'));
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(dataDir)).toBe(0o700);
      for (const f of [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`])
        expect(mode(join(dataDir, f)), f).toBe(0o600);
      expect(mode(join(dataDir, 'assets'))).toBe(0o700);
      expect(mode(join(dataDir, 'assets', sha.slice(0, 2)))).toBe(0o700);
      expect(mode(assetPath(dataDir, sha))).toBe(0o600);
      await storage.close();
    } finally {
      process.umask(old);
      t.remove();
    }
  });
});
