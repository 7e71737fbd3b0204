// Issue 17, "keep it fixed": who may call what, as one table — every hub route × every role, on
// SQLite and on PostgreSQL (a server at OUTRIGGER_PG_URL, else PGlite). A route added without a
// row here fails the coverage check.
import { appendLink, genesisHead } from '../../src/shared/metrics';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseResponse, PushResponse } from '../../src/shared/sync';
import { ROUTES } from '../../src/hub/http/server';
import { submit, T0, textConfig, warmPglite } from './helpers';
import { httpFixture, type HttpFixture, type WorldRole } from './http.fixture';

type Caller = WorldRole | 'none' | 'wrong';
const CALLERS: readonly Caller[] = ['ann', 'other', 'rev', 'lee', 'padmin', 'root', 'none', 'wrong'];
const WHO: Record<Caller, string> = {
  ann: 'annotator of the project',
  other: 'annotator of another project',
  rev: 'reviewer',
  lee: 'lead',
  padmin: 'project admin',
  root: 'hub admin',
  none: 'no token',
  wrong: 'wrong token',
};

interface Setup {
  project: string;
  /** A task of the project that `ann` holds a live lease on, with a stored submission. */
  taskId: string;
  sha256: string;
  /** The image of `taskId`: ann's lease on it ended with the submission (issue 16.3). */
  submittedSha256: string;
}

interface Row {
  route: string;
  request(s: Setup, caller: Caller): { method: string; url: string; body?: unknown };
  /** Expected status per caller; anything else is 401 for none/wrong and 403 for the rest. */
  allow: Partial<Record<Caller, number>>;
  /** What a 200 must also say for this caller (e.g. a push's per-mutation verdict). */
  check?: (caller: Caller, json: unknown) => void;
}

const EVERYONE_SIGNED_IN = { ann: 200, other: 200, rev: 200, lee: 200, padmin: 200, root: 200 };

const MATRIX: Row[] = [
  {
    route: 'POST /v1/leases',
    request: (s, c) => ({
      method: 'POST',
      url: '/v1/leases',
      body: { projectId: s.project, deviceId: `dev-${c}`, count: 1 },
    }),
    allow: { ann: 200, lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'POST /v1/push',
    request: (s, c) => ({
      method: 'POST',
      url: '/v1/push',
      body: {
        clientId: `matrix-${c}`,
        mutations: [{ ...submit(`matrix-${c}`, 1, s.taskId, 999), mutationId: randomUUID() }],
      },
    }),
    allow: EVERYONE_SIGNED_IN,
    // Anyone may push; each mutation is judged: only a leasing role on the task's project gets
    // as far as the lease check (and nobody holds epoch 999 of this task).
    check: (caller, json) => {
      const reason = { other: 'FORBIDDEN', rev: 'FORBIDDEN' }[caller as string] ?? 'NO_LEASE';
      expect(PushResponse.parse(json).answers[0], caller).toMatchObject({ status: 'rejected', reason });
    },
  },
  {
    // Own leases only: another caller's device id lists nothing of theirs.
    route: 'GET /v1/leases/held',
    request: () => ({ method: 'GET', url: '/v1/leases/held?deviceId=d' }),
    allow: EVERYONE_SIGNED_IN,
    check: (caller, json) =>
      expect(LeaseResponse.parse(json).leases.length, caller).toBe(caller === 'ann' ? 1 : 0),
  },
  {
    route: 'GET /v1/pull',
    request: () => ({ method: 'GET', url: '/v1/pull?cursor=0' }),
    allow: EVERYONE_SIGNED_IN,
  },
  {
    route: 'GET /v1/assets/:sha256',
    request: (s) => ({ method: 'GET', url: `/v1/assets/${s.sha256}` }),
    allow: { ann: 200, rev: 200, lee: 200, padmin: 200, root: 200 },
  },
  {
    // Finished work can be seen again: the author still reads it once the lease has ended.
    route: 'GET /v1/assets/:sha256',
    request: (s) => ({ method: 'GET', url: `/v1/assets/${s.submittedSha256}` }),
    allow: { ann: 200, rev: 200, lee: 200, padmin: 200, root: 200 },
  },
  { route: 'GET /v1/me', request: () => ({ method: 'GET', url: '/v1/me' }), allow: EVERYONE_SIGNED_IN },
  {
    route: 'GET /v1/projects/:projectId',
    request: (s) => ({ method: 'GET', url: `/v1/projects/${s.project}` }),
    allow: { ann: 200, rev: 200, lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'PUT /v1/projects/:projectId/label-config',
    request: (s) => ({
      method: 'PUT',
      url: `/v1/projects/${s.project}/label-config`,
      body: { labelConfig: textConfig({ tools: ['bbox'] }) },
    }),
    allow: { lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'GET /v1/projects/:projectId/progress',
    request: (s) => ({ method: 'GET', url: `/v1/projects/${s.project}/progress` }),
    allow: { lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'POST /v1/activity',
    request: (s, c) => ({
      method: 'POST',
      url: '/v1/activity',
      body: {
        chainId: `matrix-chain-${c}`,
        links: [
          appendLink(genesisHead(`matrix-chain-${c}`), {
            type: 'task',
            kind: 'task.submitted',
            taskId: s.taskId,
            at: T0,
            activeMs: 1_000,
            wallMs: 2_000,
            data: {},
          }).link,
        ],
      },
    }),
    // Anyone signed in hands over their own chain (it is bound to its first sender).
    allow: EVERYONE_SIGNED_IN,
  },
  {
    route: 'GET /v1/projects/:projectId/activity-flags',
    request: (s) => ({ method: 'GET', url: `/v1/projects/${s.project}/activity-flags?from=0&to=${T0 * 2}` }),
    allow: { lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'GET /v1/projects/:projectId/metrics',
    request: (s) => ({ method: 'GET', url: `/v1/projects/${s.project}/metrics?from=0&to=${T0 * 2}` }),
    // Leads see the team, an annotator their own figures only.
    allow: { ann: 200, lee: 200, padmin: 200, root: 200 },
    check: (caller, json) => {
      const members = (json as { members: { userId: string }[] }).members;
      if (caller === 'ann') expect(members.every((m) => m.userId === members[0]?.userId)).toBe(true);
    },
  },
  {
    route: 'GET /v1/projects/:projectId/metrics/rows',
    request: (s) => ({
      method: 'GET',
      url: `/v1/projects/${s.project}/metrics/rows?from=0&to=${T0 * 2}&limit=50`,
    }),
    // Payroll rows: a lead's whole team, an annotator's own only.
    allow: { ann: 200, lee: 200, padmin: 200, root: 200 },
    check: (caller, json) => {
      const rows = (json as { rows: { userId: string }[] }).rows;
      if (caller === 'ann') expect(new Set(rows.map((r) => r.userId)).size).toBeLessThanOrEqual(1);
    },
  },
  {
    route: 'GET /v1/projects/:projectId/export',
    request: (s) => ({ method: 'GET', url: `/v1/projects/${s.project}/export?format=jsonl` }),
    allow: { lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'GET /v1/projects/:projectId/export/preview',
    request: (s) => ({ method: 'GET', url: `/v1/projects/${s.project}/export/preview?format=jsonl` }),
    allow: { lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'GET /v1/projects/:projectId/tasks/:taskId/submissions',
    request: (s) => ({
      method: 'GET',
      url: `/v1/projects/${s.project}/tasks/${encodeURIComponent(s.taskId)}/submissions`,
    }),
    allow: { rev: 200, lee: 200, padmin: 200, root: 200 },
    check: (_c, json) => expect((json as { submissions: unknown[] }).submissions).toHaveLength(1),
  },
  {
    route: 'POST /v1/review-leases',
    request: (s, c) => ({
      method: 'POST',
      url: '/v1/review-leases',
      body: { projectId: s.project, deviceId: `dev-${c}`, count: 1 },
    }),
    allow: { rev: 200, lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'PUT /v1/projects/:projectId/review-policy',
    request: (s) => ({
      method: 'PUT',
      url: `/v1/projects/${s.project}/review-policy`,
      body: { reviewPolicy: 'none' },
    }),
    allow: { lee: 200, padmin: 200, root: 200 },
  },
  {
    route: 'GET /v1/projects/:projectId/tasks/:taskId/history',
    request: (s) => ({
      method: 'GET',
      url: `/v1/projects/${s.project}/tasks/${encodeURIComponent(s.taskId)}/history`,
    }),
    // The task's author reads its history too.
    allow: { ann: 200, rev: 200, lee: 200, padmin: 200, root: 200 },
    check: (_c, json) => expect((json as { versions: unknown[] }).versions).toHaveLength(1),
  },
  {
    route: 'POST /v1/projects/:projectId/lots',
    request: (s) => ({ method: 'POST', url: `/v1/projects/${s.project}/lots`, body: { batch: 'default' } }),
    // The lead (first in CALLERS) makes the batch's lot; the admins get past the role check to
    // the lot still open (400 naming body.batch), never a 403.
    allow: { lee: 200, padmin: 400, root: 400 },
  },
  {
    route: 'GET /v1/projects/:projectId/quality',
    request: (s) => ({ method: 'GET', url: `/v1/projects/${s.project}/quality` }),
    allow: { lee: 200, padmin: 200, root: 200 },
    check: (_c, json) => expect((json as { lots: unknown[] }).lots).toHaveLength(1),
  },
  {
    route: 'GET /v1/admin/projects',
    request: () => ({ method: 'GET', url: '/v1/admin/projects' }),
    allow: { root: 200 },
  },
  {
    route: 'GET /v1/admin/users',
    request: () => ({ method: 'GET', url: '/v1/admin/users' }),
    allow: { root: 200 },
  },
  {
    route: 'GET /v1/health',
    request: () => ({ method: 'GET', url: '/v1/health' }),
    allow: { ...EVERYONE_SIGNED_IN, none: 200, wrong: 200 },
  },
  {
    route: 'GET /openapi.json',
    request: () => ({ method: 'GET', url: '/openapi.json' }),
    allow: { ...EVERYONE_SIGNED_IN, none: 200, wrong: 200 },
  },
];

const expected = (row: Row, c: Caller): number => row.allow[c] ?? (c === 'none' || c === 'wrong' ? 401 : 403);

it('the role matrix has a row for every hub route', () => {
  const rows = new Set(MATRIX.map((r) => r.route));
  for (const r of ROUTES) expect(rows, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url}`);
});

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
])('hub role matrix on %s', (_name, pg) => {
  let f: HttpFixture;
  let setup: Setup;
  beforeAll(async () => {
    if (pg) await warmPglite();
    f = await httpFixture({ pg });
    const leased = LeaseResponse.parse(
      (
        await f.call('POST', '/v1/leases', {
          token: f.tokens.ann,
          body: { projectId: f.imageProject, deviceId: 'd', count: 1 },
        })
      ).json(),
    ).leases[0];
    if (!leased || leased.task.data.kind !== 'image') throw new Error('no image lease for the matrix');
    const pushed = await f.call('POST', '/v1/push', {
      token: f.tokens.ann,
      body: { clientId: 'matrix-setup', mutations: [submit('matrix-setup', 1, leased.taskId, leased.epoch)] },
    });
    expect(pushed.statusCode).toBe(200);
    // A second live lease: ann reads its image through it (the first task is submitted).
    const again = LeaseResponse.parse(
      (
        await f.call('POST', '/v1/leases', {
          token: f.tokens.ann,
          body: { projectId: f.imageProject, deviceId: 'd', count: 1 },
        })
      ).json(),
    ).leases[0];
    if (!again || again.task.data.kind !== 'image') throw new Error('no second image lease for the matrix');
    setup = {
      project: f.imageProject,
      taskId: leased.taskId,
      sha256: again.task.data.image.sha256,
      submittedSha256: leased.task.data.image.sha256,
    };
  }, 180_000);
  afterAll(() => f?.close());

  for (const row of MATRIX) {
    it(row.route, async () => {
      const table: string[] = [];
      for (const c of CALLERS) {
        const { method, url, body } = row.request(setup, c);
        const token = c === 'none' ? undefined : c === 'wrong' ? 'not-a-token' : f.tokens[c];
        const r = await f.call(method, url, {
          ...(token ? { token } : {}),
          ...(body !== undefined ? { body } : {}),
        });
        table.push(`${WHO[c]}: ${r.statusCode}`);
        expect(r.statusCode, `${row.route} as ${WHO[c]}: ${r.body.slice(0, 200)}`).toBe(expected(row, c));
        if (r.statusCode === 200 && row.check && String(r.headers['content-type']).includes('json'))
          row.check(c, r.json());
      }
      expect(table).toHaveLength(CALLERS.length);
    });
  }
});
