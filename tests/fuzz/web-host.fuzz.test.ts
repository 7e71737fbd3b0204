// Issue 17, "keep it fixed": a seeded fuzz run against web mode (the real workbench core on a demo
// workspace): every API method with input its schema refuses (malformed JSON, wrong types, deep
// nesting, huge strings, NUL, invalid UTF-8, __proto__ keys), and any input without the token,
// from another site or not as JSON; encoded paths, dotfiles, bad asset ids and ranges. Asserted:
// no 5xx, the host still answers, a valid call still works, the workspace is unchanged.
// FUZZ_SEED=<n> replays a run; FUZZ_RUNS=<n> changes its size.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../src/shared/contract';
import { startWebHost } from '../../src/main/web-host/server';
import { activeWorkspaceFolder } from '../../src/main/core/workspaces/registry';
import type { ServedHost } from '../../src/main/web-host/app';
import { deepArray, deepObject, hostileSegment, nastyString, type HostileRequest } from './hostile';

/** The workbench's database file in its data folder (src/main/core/workbench.ts). */
const WORKSPACE_DB_FILE = 'workspace.db';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

const send = (port: number, r: HostileRequest): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body.length < 4096 ? (body += c) : undefined));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // A request left hanging is a finding too, not a stuck run.
    req.setTimeout(15_000, () => req.destroy(new Error('no answer in 15 s')));
    req.end(r.body);
  });

/** Every table of the workspace database, and every file of its folder but the WAL pair. */
const digest = (root: string): string => {
  const dataDir = activeWorkspaceFolder(root);
  const h = createHash('sha256');
  const db = new Database(join(dataDir, WORKSPACE_DB_FILE), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    for (const { name } of tables) {
      const rows = db
        .prepare(`SELECT * FROM "${name}"`)
        .all()
        .map((r) => JSON.stringify(r));
      for (const row of rows.sort()) h.update(`${name}:${row}\n`);
    }
  } finally {
    db.close();
  }
  for (const f of readdirSync(dataDir).sort()) {
    if (f.startsWith(WORKSPACE_DB_FILE)) continue;
    const p = join(dataDir, f);
    h.update(`${f}:${statSync(p).isFile() ? readFileSync(p).toString('base64') : 'dir'}\n`);
  }
  return h.digest('hex');
};

/** A JSON text no method's (strict) input schema accepts. */
const refusedInput: fc.Arbitrary<{ label: string; body: Buffer }> = fc.oneof(
  fc
    .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), nastyString)
    .map((v) => ({
      label: 'scalar',
      body: Buffer.from(JSON.stringify(v)),
    })),
  fc
    .array(nastyString, { maxLength: 4 })
    .map((v) => ({ label: 'array', body: Buffer.from(JSON.stringify(v)) })),
  // An object always carrying a key no strict schema knows, and nasty values.
  fc
    .record({
      key: fc.constantFrom('__proto__', 'constructor', 'zz-fuzz', 'a\u0000b'),
      value: fc.oneof(nastyString, fc.constant({ polluted: true })),
      taskId: fc.option(nastyString),
    })
    .map(({ key, value, taskId }) => ({
      label: `object:${key}`,
      body: Buffer.from(
        `{${JSON.stringify(key)}:${JSON.stringify(value)}${taskId !== null ? `,"taskId":${JSON.stringify(taskId)}` : ''}}`,
      ),
    })),
  fc
    .integer({ min: 100, max: 100_000 })
    .map((n) => ({ label: `deep-array-${n}`, body: Buffer.from(deepArray(n)) })),
  fc
    .integer({ min: 100, max: 100_000 })
    .map((n) => ({ label: `deep-object-${n}`, body: Buffer.from(deepObject(n)) })),
  // "{" + "}" is valid JSON (an empty object some methods accept): malformed means unparseable.
  fc
    .string({ maxLength: 100 })
    .filter((s) => {
      try {
        JSON.parse(`{${s}`);
        return false;
      } catch {
        return true;
      }
    })
    .map((s) => ({ label: 'malformed', body: Buffer.from(`{${s}`) })),
  fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => ({
    label: 'bytes',
    body: Buffer.concat([Buffer.from('{"taskId":"'), Buffer.from([0xc0, 0xff]), Buffer.from(b)]),
  })),
);

/** Any input at all: sent without the token, from another site or not as JSON, it must not run. */
const anyInput = fc.oneof(
  refusedInput,
  fc
    .constantFrom('{}', '{"taskId":"t1"}', '{"hubUrl":"http://attacker.example","token":"x"}', '')
    .map((s) => ({ label: 'valid-looking', body: Buffer.from(s) })),
);

const methodPath = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...methodNames).map((m) => `/api/${m}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...methodNames).map((m) => `/%61pi/${m.replace('.', '%2E')}`),
  },
  { weight: 1, arbitrary: hostileSegment.map((s) => `/api/${s}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/api/',
      '/api',
      '/api/__proto__',
      '/api/constructor',
      '/api/toString',
      '/api/hasOwnProperty',
      '/api//app.info',
    ),
  },
);

const webHostile = (token: string): fc.Arbitrary<HostileRequest> => {
  const good = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return fc.oneof(
    // The token, as JSON, same origin: the input decides, and it is always refused.
    {
      weight: 5,
      arbitrary: fc.record({ path: methodPath, input: refusedInput }).map(({ path, input }) => ({
        label: `api/${input.label}`,
        method: 'POST',
        path,
        headers: good,
        body: input.body,
      })),
    },
    // Anything, but one of the checks before the core must refuse it.
    {
      weight: 4,
      arbitrary: fc
        .record({
          path: methodPath,
          input: anyInput,
          flaw: fc.constantFrom<[string, Record<string, string>]>(
            ['no-token', { 'content-type': 'application/json' }],
            ['wrong-token', { 'content-type': 'application/json', authorization: 'Bearer nope' }],
            ['query-token-wrong', { 'content-type': 'application/json' }],
            ['cross-origin', { ...good, origin: 'http://evil.example' }],
            ['cross-site', { ...good, 'sec-fetch-site': 'cross-site' }],
            ['null-origin', { ...good, origin: 'null' }],
            ['text-plain', { authorization: good.authorization, 'content-type': 'text/plain' }],
            [
              'form',
              { authorization: good.authorization, 'content-type': 'application/x-www-form-urlencoded' },
            ],
            ['host', { ...good, host: 'evil.example' }],
          ),
        })
        .filter(
          ({ input, flaw }) => !(flaw[0] === 'text-plain' || flaw[0] === 'form') || input.body.length > 0,
        )
        .map(({ path, input, flaw: [label, headers] }) => ({
          label: `flaw:${label}/${input.label}`,
          method: 'POST',
          path: label === 'query-token-wrong' ? `${path}?token=nope` : path,
          headers,
          body: input.body,
        })),
    },
    // Assets, events and static files: bad ids, ranges, encoded and dot paths.
    {
      weight: 2,
      arbitrary: fc
        .record({
          path: fc.oneof(
            hostileSegment.map((s) => `/assets/${s}`),
            fc.constantFrom(
              '/.env',
              '/.git/config',
              '/%2Eenv',
              '/..%2F..%2Fetc%2Fpasswd',
              '/%2e%2e/%2e%2e/etc/passwd',
              '/index.html%00',
              '/%',
              '/assets/',
              '/api/events',
              '/%61pi/events',
            ),
            hostileSegment.map((s) => `/${s}`),
          ),
          withToken: fc.boolean(),
          range: fc.option(
            fc.constantFrom(
              'bytes=5-1',
              'bytes=-0',
              'bytes=0-99999999999999999999',
              'items=1-2',
              'bytes=0-1,3-4',
              'garbage',
            ),
          ),
        })
        .map(({ path, withToken, range }) => ({
          label: 'get',
          method: 'GET',
          path: path === '/api/events' ? `${path}?token=nope` : path,
          headers: {
            ...(withToken && !path.includes('events') ? { authorization: `Bearer ${token}` } : {}),
            ...(range ? { range } : {}),
          },
        })),
    },
    // Stray methods with odd encodings.
    {
      weight: 1,
      arbitrary: fc
        .record({
          method: fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'DELETE', 'PATCH', 'PUT'),
          path: fc.constantFrom('/', '/api/app.info', '/api/sync.signOut', '/assets/x', '/index.html'),
          encoding: fc.constantFrom('gzip', 'br', 'x', ''),
        })
        .map(({ method, path, encoding }) => ({
          label: `stray:${method}`,
          method,
          path,
          headers: { authorization: `Bearer ${token}`, 'content-encoding': encoding },
        })),
    },
  );
};

describe('web host fuzz', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'web-fuzz-'));
  const rendererDir = mkdtempSync(join(tmpdir(), 'web-fuzz-renderer-'));
  let host: ServedHost;

  beforeAll(async () => {
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Outrigger</title>');
    writeFileSync(join(rendererDir, '.env'), 'SECRET=1');
    host = await startWebHost({
      dataDir,
      resourcesDir: 'resources',
      rendererDir,
      log: () => {},
    });
  }, 60_000);
  afterAll(async () => {
    agent.destroy();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(rendererDir, { recursive: true, force: true });
  });

  it(`answers ${RUNS} hostile calls without a 5xx, runs none of them, and still serves valid calls`, async () => {
    const before = digest(dataDir);
    const requests = fc.sample(webHostile(host.token), { seed: SEED, numRuns: RUNS });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const t0 = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length && failures.length === 0) {
        const i = next++;
        const r = requests[i]!;
        const headers = { host: `127.0.0.1:${host.port}`, ...r.headers };
        try {
          const a = await send(host.port, { ...r, headers });
          statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
          if (a.body.includes('SECRET=1'))
            failures.push(`#${i} ${r.label} ${r.path.slice(0, 200)} served a dotfile`);
          if (a.status >= 500 || a.status === 0)
            failures.push(
              `#${i} ${r.label} ${r.method} ${r.path.slice(0, 200)} → ${a.status} ${a.body.slice(0, 300)}`,
            );
          else if (a.status === 200 && r.method === 'POST' && a.body.startsWith('{"ok":true'))
            failures.push(`#${i} ${r.label} ${r.path.slice(0, 200)} ran: ${a.body.slice(0, 300)}`);
        } catch (e) {
          failures.push(`#${i} ${r.label} ${r.method} ${r.path.slice(0, 200)}: ${String(e)}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const ms = performance.now() - t0;
    console.info(
      `web host fuzz: ${requests.length} requests in ${(ms / 1000).toFixed(1)} s (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    if (failures.length > 0)
      console.error(`web host fuzz failed with FUZZ_SEED=${SEED}:\n${failures.join('\n')}`);
    expect(failures, `FUZZ_SEED=${SEED}`).toEqual([]);
    expect(digest(dataDir), `FUZZ_SEED=${SEED}`).toBe(before);

    const valid = (method: string) =>
      send(host.port, {
        label: 'valid',
        method: 'POST',
        path: `/api/${method}`,
        headers: {
          host: `127.0.0.1:${host.port}`,
          authorization: `Bearer ${host.token}`,
          'content-type': 'application/json',
        },
        body: Buffer.from('{}'),
      });
    for (const m of ['app.info', 'queue.counts', 'sync.state']) {
      const a = await valid(m);
      expect(a.status, m).toBe(200);
      expect(JSON.parse(a.body), m).toMatchObject({ ok: true });
    }
  }, 120_000);
});
