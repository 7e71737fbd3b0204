import { appendLink, genesisHead } from '../../src/shared/metrics';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src/shared/sync';
import type { WorldTokens } from '../hub/http.fixture';

/** One request of a fuzz run, as node:http sends it (the path already percent-encoded). */
export interface HostileRequest {
  /** Which generator made it, for the failure report. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzWorld {
  tokens: WorldTokens;
  imageProject: string;
  textProject: string;
  /** A task `ann` holds a live lease on, and its epoch. */
  taskId: string;
  epoch: number;
  /** An asset `ann` may read. */
  sha256: string;
}

// ---- values -----------------------------------------------------------------------------------

export const deepObject = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
export const deepArray = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;

/** A value of the wrong JSON type for a string field (never a string). */
const notAString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
/** A value of the wrong JSON type (or no integer) for an integer field. */
const notAnInt = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constant(null),
  fc.boolean(),
  fc.double({ min: 0.001, max: 0.999, noNaN: true }),
  fc.constant(1.5),
  fc.constant([1]),
  fc.constant({ n: 1 }),
);
/** An id no route accepts: wrong type, NUL inside, empty, or far too long. */
const badId = fc.oneof(
  notAString,
  fc.constant('a\u0000b'),
  fc.constant('\u0000'),
  fc.constant(''),
  fc.constant('x'.repeat(100_001)),
);
/** Strings any field may meet: NUL, lone surrogates, control characters, huge, traversal. */
export const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u202e',
    '../../etc/passwd',
    '__proto__',
    'constructor',
  ),
  fc.integer({ min: 1000, max: 400_000 }).map((n) => 'x'.repeat(n)),
);

// ---- JSON bodies the routes refuse ------------------------------------------------------------

type Leaf = {
  path: (string | number)[];
  kind: 'id' | 'int' | 'posint' | 'object' | 'array' | 'enum' | 'uuid';
  required: boolean;
};

interface Template {
  route: 'lease' | 'push' | 'config' | 'activity';
  value: Record<string, unknown>;
  leaves: Leaf[];
}

/** One valid activity link (issue 13), the base of the activity route's defects. */
const activityLink = (taskId: string) =>
  appendLink(genesisHead('fuzz-chain'), {
    type: 'task',
    kind: 'task.submitted',
    taskId,
    at: 1,
    activeMs: 10,
    wallMs: 20,
    data: {},
  }).link;

const templates = (w: FuzzWorld): Template[] => [
  {
    route: 'activity',
    value: { chainId: 'fuzz-chain', links: [activityLink(w.taskId)] },
    leaves: [
      { path: ['chainId'], kind: 'id', required: true },
      { path: ['links'], kind: 'array', required: true },
      { path: ['links', 0, 'seq'], kind: 'posint', required: true },
      { path: ['links', 0, 'prevHash'], kind: 'id', required: true },
      { path: ['links', 0, 'hash'], kind: 'id', required: true },
      { path: ['links', 0, 'event'], kind: 'object', required: true },
      { path: ['links', 0, 'event', 'kind'], kind: 'enum', required: true },
      { path: ['links', 0, 'event', 'taskId'], kind: 'id', required: true },
      { path: ['links', 0, 'event', 'activeMs'], kind: 'int', required: true },
      { path: ['links', 0, 'event', 'wallMs'], kind: 'int', required: true },
    ],
  },
  {
    route: 'lease',
    value: { projectId: w.imageProject, deviceId: 'fuzz-dev', count: 1, requestId: randomUUID() },
    leaves: [
      { path: ['projectId'], kind: 'id', required: true },
      { path: ['deviceId'], kind: 'id', required: true },
      { path: ['count'], kind: 'posint', required: true },
      { path: ['requestId'], kind: 'id', required: false },
    ],
  },
  {
    route: 'push',
    value: {
      clientId: 'fuzz-c',
      mutations: [
        {
          mutationId: randomUUID(),
          clientId: 'fuzz-c',
          seq: 1,
          kind: 'submit',
          taskId: w.taskId,
          leaseEpoch: w.epoch,
          payload: {
            annotation: {
              results: [{ type: 'doc-class', id: 'c1', group: 'g', labels: ['x'] }],
              activeMs: 10,
            },
            submittedAt: 1,
          },
        },
      ],
    },
    leaves: [
      { path: ['clientId'], kind: 'id', required: true },
      { path: ['mutations'], kind: 'array', required: true },
      { path: ['mutations', 0, 'mutationId'], kind: 'uuid', required: true },
      { path: ['mutations', 0, 'clientId'], kind: 'id', required: true },
      { path: ['mutations', 0, 'seq'], kind: 'posint', required: true },
      { path: ['mutations', 0, 'kind'], kind: 'enum', required: true },
      { path: ['mutations', 0, 'taskId'], kind: 'id', required: true },
      { path: ['mutations', 0, 'leaseEpoch'], kind: 'posint', required: true },
      { path: ['mutations', 0, 'payload', 'annotation'], kind: 'object', required: true },
      { path: ['mutations', 0, 'payload', 'annotation', 'results'], kind: 'array', required: true },
      { path: ['mutations', 0, 'payload', 'annotation', 'activeMs'], kind: 'int', required: false },
      { path: ['mutations', 0, 'payload', 'submittedAt'], kind: 'int', required: false },
    ],
  },
  {
    route: 'config',
    value: { labelConfig: { tools: ['bbox'], labels: [{ name: 'PER', color: '#ff0000' }] } },
    leaves: [
      { path: ['labelConfig'], kind: 'object', required: true },
      { path: ['labelConfig', 'tools'], kind: 'array', required: true },
      { path: ['labelConfig', 'labels', 0, 'color'], kind: 'id', required: true },
    ],
  },
];

/** A replacement the leaf's schema always refuses (marker strings are spliced in as raw text). */
const breakerFor = (leaf: Leaf): fc.Arbitrary<unknown> => {
  const del = leaf.required ? [fc.constant(DELETE)] : [];
  switch (leaf.kind) {
    case 'id':
      return fc.oneof(badId, ...del);
    case 'uuid':
      return fc.oneof(badId, fc.constant('not-a-uuid'), fc.constant(`${randomUUID()}\u0000`), ...del);
    case 'posint':
      return fc.oneof(notAnInt, fc.integer({ max: 0 }), fc.constant(1e300), ...del);
    case 'int':
      return fc.oneof(notAnInt, ...del);
    case 'enum':
      return fc.oneof(notAString, fc.constantFrom('explode', 'SUBMIT', 'submit\u0000'), ...del);
    case 'array':
      return fc.oneof(fc.constant({}), fc.constant('[]'), fc.integer(), fc.constant(RAW_DEEP_ARRAY), ...del);
    case 'object':
      return fc.oneof(
        fc.constant([]),
        fc.string({ maxLength: 5 }),
        fc.integer(),
        fc.constant(RAW_DEEP_OBJECT),
        ...del,
      );
  }
};

const DELETE = Symbol('delete');
const RAW_DEEP_OBJECT = '@@deep-object@@';
const RAW_DEEP_ARRAY = '@@deep-array@@';

const withLeaf = (value: unknown, path: (string | number)[], to: unknown): unknown => {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (to === DELETE) delete at[last];
  else at[last] = to;
  return copy;
};

const jsonWithMarkers = (v: unknown, depth: number): string =>
  JSON.stringify(v)
    .replace(`"${RAW_DEEP_OBJECT}"`, deepObject(depth))
    .replace(`"${RAW_DEEP_ARRAY}"`, deepArray(depth));

/** A template with exactly one defect its schema refuses, maybe more garbage around it. */
const defective = (t: Template): fc.Arbitrary<{ label: string; text: string }> =>
  fc
    .constantFrom(...t.leaves)
    .chain((leaf) =>
      fc.record({
        leaf: fc.constant(leaf),
        to: breakerFor(leaf),
        depth: fc.integer({ min: 40, max: 50_000 }),
        extra: fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra'), nastyString)),
      }),
    )
    .map(({ leaf, to, depth, extra }) => {
      let v = withLeaf(t.value, leaf.path, to) as Record<string, unknown>;
      // An unknown top-level field (a nasty one) must not change the answer: the defect stands.
      if (extra && extra[0] === 'extra') v = { ...v, extra: extra[1] };
      let text = jsonWithMarkers(v, depth);
      if (extra && extra[0] !== 'extra')
        text = `{${JSON.stringify(extra[0])}:${JSON.stringify({ x: extra[1] })},${text.slice(1)}`;
      return { label: `${t.route}:${leaf.path.join('.')}`, text };
    });

/** 48 MiB of spaces: about 47 KB gzipped, past the hub's 32 MiB limit once inflated. */
let bomb: Buffer | undefined;
const gzipBomb = (): Buffer => (bomb ??= gzipSync(Buffer.alloc(48 * 1024 * 1024, 0x20), { level: 9 }));

const bodyBytes = (
  w: FuzzWorld,
  route: Template['route'],
): fc.Arbitrary<{ label: string; body: Buffer; gzip: boolean }> => {
  const t = templates(w).find((x) => x.route === route)!;
  const text = fc.oneof(
    { weight: 6, arbitrary: defective(t) },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ label: 'malformed', text: `{${s}` })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: 200_000 })
        .map((n) => ({ label: `deep-array-${n}`, text: deepArray(n) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: 200_000 })
        .map((n) => ({ label: `deep-object-${n}`, text: deepObject(n) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .jsonValue({ maxDepth: 3 })
        .map((v) => ({ label: 'random-json', text: JSON.stringify(v) ?? 'null' })),
    },
  );
  const asBytes = text.map(({ label, text: s }) => ({ label, body: Buffer.from(s, 'utf8') }));
  const invalidUtf8 = fc
    .tuple(defective(t), fc.uint8Array({ minLength: 1, maxLength: 8 }))
    .map(([{ label, text: s }, junk]) => {
      // Invalid UTF-8 (a lone continuation byte, an overlong form) inside the defective body.
      const at = s.indexOf('"') + 1;
      const raw = Buffer.concat([
        Buffer.from(s.slice(0, at)),
        Buffer.from([0xc0, 0x80, 0xff, ...junk.map((b) => b | 0x80)]),
        Buffer.from(s.slice(at)),
      ]);
      return { label: `utf8:${label}`, body: raw };
    });
  const randomBytes = fc
    .uint8Array({ minLength: 1, maxLength: 4000 })
    .map((b) => ({ label: 'bytes', body: Buffer.from(b) }));
  const plain = fc.oneof(
    { weight: 8, arbitrary: asBytes },
    { weight: 2, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: randomBytes },
  );
  return fc.oneof(
    { weight: 36, arbitrary: plain.map((b) => ({ ...b, gzip: false })) },
    {
      weight: 9,
      arbitrary: plain.map((b) => ({ label: `gz:${b.label}`, body: gzipSync(b.body), gzip: true })),
    },
    { weight: 3, arbitrary: fc.constant({ label: 'gz:empty', body: gzipSync(Buffer.alloc(0)), gzip: true }) },
    {
      weight: 3,
      arbitrary: plain.map((b) => {
        const z = gzipSync(b.body);
        return {
          label: `gz:truncated:${b.label}`,
          body: z.subarray(0, Math.max(1, z.length >> 1)),
          gzip: true,
        };
      }),
    },
    { weight: 3, arbitrary: randomBytes.map((b) => ({ label: 'gz:not-gzip', body: b.body, gzip: true })) },
    {
      weight: 1,
      arbitrary: fc.constant(null).map(() => ({ label: 'gz:bomb', body: gzipBomb(), gzip: true })),
    },
  );
};

// ---- requests ---------------------------------------------------------------------------------

const authHeader = (w: FuzzWorld): fc.Arbitrary<Record<string, string>> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(...Object.values(w.tokens)).map((t) => ({ authorization: `Bearer ${t}` })),
    },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          'Bearer wrong-token',
          'Bearer ',
          'Basic YWxhZGRpbjpvcGVu',
          'Bearer a b',
          `Bearer ${'x'.repeat(8000)}`,
          'bearer',
          'Bearer %00',
        )
        .map((authorization) => ({ authorization })),
    },
  );

const protocolHeader = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ [PROTOCOL_HEADER]: PROTOCOL_VERSION }) },
  { weight: 1, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('2.0', '0.1', 'x', '', '1.9999999', '1.0.0.0')
      .map((v) => ({ [PROTOCOL_HEADER]: v })),
  },
);

const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/json; charset=utf-16',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      '',
    ),
  },
);

/** A path segment no route accepts, percent-encoded as node:http needs. */
export const hostileSegment = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom(
    '%00',
    'a%00b',
    '%',
    '%zz',
    '%E0%A4%A',
    '%ED%A0%80',
    '%FF%FE',
    '..%2F..%2Fhub.sqlite',
    '%2e%2e',
    '..',
    '.',
    '%2F',
    'x'.repeat(5000),
    '__proto__',
    'constructor',
  ),
);

const bodyRoute = (w: FuzzWorld): fc.Arbitrary<HostileRequest> =>
  fc
    .constantFrom<[string, string, Template['route']]>(
      ['POST', '/v1/leases', 'lease'],
      ['POST', '/v1/push', 'push'],
      ['PUT', `/v1/projects/${w.imageProject}/label-config`, 'config'],
      ['PUT', `/v1/projects/${w.textProject}/label-config`, 'config'],
      // Review routes (issue 11): a lease body is close to a review-lease body; any other shape
      // against the review policy must be refused cleanly.
      ['POST', '/v1/review-leases', 'lease'],
      ['PUT', `/v1/projects/${w.imageProject}/review-policy`, 'config'],
      // Activity chains (issue 13).
      ['POST', '/v1/activity', 'activity'],
      // Quality (issue 12): a lot is made only from a well-formed body naming a batch with work.
      ['POST', `/v1/projects/${w.imageProject}/lots`, 'config'],
    )
    .chain(([method, path, route]) =>
      fc
        .record({
          b: bodyBytes(w, route),
          auth: authHeader(w),
          proto: protocolHeader,
          type: contentType,
        })
        .map(({ b, auth, proto, type }) => ({
          label: `${route}/${b.label}`,
          method,
          path,
          headers: {
            ...auth,
            ...proto,
            ...(type ? { 'content-type': type } : {}),
            ...(b.gzip ? { 'content-encoding': 'gzip' } : {}),
          },
          body: b.body,
        })),
    );

const queryValue = fc.oneof(
  fc.constantFrom('0', '1', '-1', '1e99', '99999999999999999999', '0x10', ' 1', '', '%00', 'NaN', '1.5'),
  fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.constant('a'.repeat(5000)),
);

const getRoute = (w: FuzzWorld): fc.Arbitrary<HostileRequest> => {
  const seg = fc.oneof(
    { weight: 3, arbitrary: hostileSegment },
    { weight: 1, arbitrary: fc.constantFrom(w.imageProject, w.textProject, encodeURIComponent(w.taskId)) },
  );
  const path = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(
          'cursor',
          'limit',
          'deviceId',
          'leases',
          'leasesSince',
          '__proto__',
          'constructor[prototype]',
          'cursor[]',
        ),
        queryValue,
        fc.option(
          fc.tuple(fc.constantFrom('cursor', 'limit', 'deviceId', 'leases', 'leasesSince'), queryValue),
        ),
      )
      .map(([k, v, more]) => `/v1/pull?${k}=${v}${more ? `&${more[0]}=${more[1]}` : ''}`),
    fc
      .tuple(fc.constantFrom('deviceId', 'deviceId[]', '__proto__', 'x'), queryValue)
      .map(([k, v]) => `/v1/leases/held?${k}=${v}`),
    seg.map((p) => `/v1/projects/${p}`),
    seg.map((p) => `/v1/projects/${p}/progress`),
    seg.map((p) => `/v1/projects/${p}/activity-flags`),
    fc
      .tuple(seg, fc.constantFrom('from', 'to', 'from[]', '__proto__', 'x'), queryValue)
      .map(([p, k, v]) => `/v1/projects/${p}/activity-flags?${k}=${v}`),
    fc
      .tuple(seg, fc.constantFrom('from', 'to', 'batch', 'tzOffset', '__proto__', 'x'), queryValue)
      .map(([p, k, v]) => `/v1/projects/${p}/metrics?from=0&to=99&${k}=${v}`),
    fc
      .tuple(seg, fc.constantFrom('from', 'to', 'batch', 'after', 'limit', '__proto__', 'x'), queryValue)
      .map(([p, k, v]) => `/v1/projects/${p}/metrics/rows?from=0&to=99&${k}=${v}`),
    seg.map((p) => `/v1/projects/${p}/quality`),
    fc.tuple(seg, seg).map(([p, t]) => `/v1/projects/${p}/tasks/${t}/submissions`),
    fc.tuple(seg, seg).map(([p, t]) => `/v1/projects/${p}/tasks/${t}/history`),
    fc
      .tuple(
        seg,
        fc.constantFrom('format', 'split', 'seed', 'images', 'version', 'labels', 'from', '__proto__'),
        queryValue,
      )
      .map(([p, k, v]) => `/v1/projects/${p}/export?format=coco&${k}=${v}`),
    fc
      .tuple(
        seg,
        fc.constantFrom('format', 'split', 'seed', 'version', 'batches', 'annotators', 'to', '__proto__'),
        queryValue,
      )
      .map(([p, k, v]) => `/v1/projects/${p}/export/preview?format=coco&${k}=${v}`),
    fc
      .oneof(
        hostileSegment,
        fc.constant(w.sha256.toUpperCase()),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
      )
      .map((s) => `/v1/assets/${s}`),
    fc.constantFrom(
      '/v1/me',
      '/v1/admin/projects',
      '/v1/admin/users',
      '/v1/health',
      '/openapi.json',
      '/%76%31/me',
      '/v1/%6de',
      '/v1//me',
      '/v1/me/',
      '/v1/./me',
      '/v1/../v1/me',
      '/V1/ME',
      '/v1/assets/..%2f..%2fhub.sqlite',
      '/v1/assets/%2e%2e%2fhub.sqlite',
      '/v1/assets/',
      '/v1/projects//progress',
      `/v1/me?${'a'.repeat(20_000)}`,
      `/${'a'.repeat(20_000)}`,
      '/v1/admin/users%00',
      '/%00',
      '/v1/pull?cursor=1&cursor=2',
      '/v1/pull?deviceId=%00',
    ),
  );
  return fc.record({ path, auth: authHeader(w), proto: protocolHeader }).map(({ path: p, auth, proto }) => ({
    label: 'get',
    method: 'GET',
    path: p,
    headers: { ...auth, ...proto },
  }));
};

/** Byte ranges (and conditional headers) on an asset the caller may read. */
const rangeRoute = (w: FuzzWorld): fc.Arbitrary<HostileRequest> =>
  fc
    .record({
      range: fc.oneof(
        fc.constantFrom(
          'bytes=0-0',
          'bytes=-1',
          'bytes=-0',
          'bytes=5-1',
          'bytes=0-99999999999999999999',
          'bytes=0-1,2-3',
          'items=0-1',
          'bytes=',
          'bytes=-',
          'bytes=1-',
          'bytes=99999999-',
          'bytes= 1-2',
          'bytes=1-2-3',
          'bytes=0x10-0x20',
        ),
        fc
          .tuple(fc.integer({ min: -10, max: 1e7 }), fc.integer({ min: -10, max: 1e7 }))
          .map(([a, b]) => `bytes=${a}-${b}`),
        fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
      ),
      ifRange: fc.option(
        fc.constantFrom(`"${w.sha256}"`, '"nope"', 'Wed, 21 Oct 2015 07:28:00 GMT', 'garbage'),
      ),
      ifNoneMatch: fc.option(fc.constantFrom(`"${w.sha256}"`, '*', '"a", "b"', 'W/"x"', '')),
    })
    .map(({ range, ifRange, ifNoneMatch }) => ({
      label: 'range',
      method: 'GET',
      path: `/v1/assets/${w.sha256}`,
      headers: {
        authorization: `Bearer ${w.tokens.ann}`,
        range,
        ...(ifRange ? { 'if-range': ifRange } : {}),
        ...(ifNoneMatch !== null ? { 'if-none-match': ifNoneMatch } : {}),
      },
    }));

/** Any method on any path, bodiless, with odd encodings: the request that used to end the hub. */
const strayRoute = (w: FuzzWorld): fc.Arbitrary<HostileRequest> =>
  fc
    .record({
      method: fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'DELETE', 'PATCH', 'PUT', 'POST', 'TRACE'),
      path: fc.constantFrom(
        '/v1/health',
        '/v1/me',
        '/v1/leases',
        '/v1/leases/held',
        '/v1/push',
        '/v1/pull',
        `/v1/projects/${w.imageProject}`,
        `/v1/projects/${w.imageProject}/label-config`,
        `/v1/assets/${w.sha256}`,
        '/openapi.json',
        '/nope',
      ),
      encoding: fc.constantFrom('gzip', 'GZIP', 'br', 'deflate', 'identity', 'gzip, gzip', '', 'x'),
      auth: authHeader(w),
      length: fc.constantFrom<string | undefined>(undefined, '0'),
    })
    .map(({ method, path, encoding, auth, length }) => ({
      label: `stray:${encoding}`,
      method,
      path,
      headers: { ...auth, 'content-encoding': encoding, ...(length ? { 'content-length': length } : {}) },
    }));

/** The mix of a hub fuzz run. */
export const hostile = (w: FuzzWorld): fc.Arbitrary<HostileRequest> =>
  fc.oneof(
    { weight: 6, arbitrary: bodyRoute(w) },
    { weight: 3, arbitrary: getRoute(w) },
    { weight: 1, arbitrary: rangeRoute(w) },
    { weight: 1, arbitrary: strayRoute(w) },
  );
