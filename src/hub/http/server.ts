import { activityRoutes } from './routes/activity';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { HUB_ROUTES, PROTOCOL_HEADER, PROTOCOL_VERSION, isCompatibleVersion } from '../../shared/sync';
import { hashesMatch, hashToken } from '../auth/tokens';
import { AuthFailureLimiter } from '../auth/rate-limit';
import { StorageRefusal } from '../storage/errors';
import type { HubStorage, UserRecord } from '../storage/types';
import { HubError, parseInput } from './errors';
import { PushDecodeError } from '../push/decode';
import { inlinePushDecoder, workerPushDecoder } from '../push/decoder';
import { compressAnswers } from './compress';
import { gunzipBodies } from './gzip';
import { DEFAULT_LIMITS, serverLimitOptions, type HubLimits } from './limits';
import { rawBodiesFor } from './raw-body';
import { buildOpenApi } from './openapi';
import type { HubContext, RouteDef } from './route';
import { assetRoutes } from './routes/assets';
import { exportRoutes } from './routes/export';
import { projectRoutes } from './routes/projects';
import { qualityRoutes } from './routes/quality';
import { reviewRoutes } from './routes/review';
import { HealthResponse, syncRoutes } from './routes/sync';
import type { Clock } from '../../shared/clock';

export interface HubOptions {
  storage: HubStorage;
  /** Holds the content-addressed assets (assets/ab/abcd…). */
  dataDir: string;
  /** Server clock, ms since the Unix epoch; injected so tests can expire leases. */
  clock?: Clock;
  /** Fastify/pino logger options; false (the default) logs nothing. Tokens are always redacted. */
  logger?: boolean | { level?: string; stream?: NodeJS.WritableStream };
  /** Bytes, time and connections one client may take (defaults: DEFAULT_LIMITS). */
  limits?: Partial<HubLimits>;
  /**
   * Proxies whose X-Forwarded-For names the client (Fastify's `trustProxy`: addresses or CIDRs,
   * a hop count, or true for any). Without it the client is the socket's peer address.
   */
  trustProxy?: boolean | number | string | string[];
  /**
   * Threads that decode push bodies (src/hub/push), so a big push is parsed and checked beside
   * the main thread's database work. 0 (the default) decodes inline.
   */
  decodeThreads?: number;
}

export interface Hub {
  app: FastifyInstance;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:8080. */
  listen(opts?: { port?: number; host?: string }): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish. Does not close the storage. */
  close(): Promise<void>;
}

export const ROUTES: readonly RouteDef[] = [
  ...syncRoutes,
  ...reviewRoutes,
  ...projectRoutes,
  ...assetRoutes,
  ...exportRoutes,
  ...activityRoutes,
  ...qualityRoutes,
];

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.token',
  'token',
];

/** Builds the hub's HTTP server over a storage. */
export const createHub = async (opts: HubOptions): Promise<Hub> => {
  const clock = opts.clock ?? (() => Date.now());
  const threads = opts.decodeThreads ?? 0;
  const pushDecoder = threads > 0 ? workerPushDecoder(threads) : inlinePushDecoder();
  const limits: HubLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const limiter = new AuthFailureLimiter(limits.authFailuresPerMinute);
  const logger = opts.logger
    ? { ...(opts.logger === true ? {} : opts.logger), redact: { paths: REDACT, censor: '[redacted]' } }
    : false;
  const app = Fastify({
    logger,
    ...serverLimitOptions(limits),
    ...(opts.trustProxy !== undefined ? { trustProxy: trustProxyOption(opts.trustProxy) } : {}),
    // Graceful close: idle keep-alive sockets close at once, in-flight requests finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  app.server.maxConnections = limits.maxConnections;
  const ctx: HubContext = { storage: opts.storage, pushDecoder, dataDir: opts.dataDir, clock, limits };

  await compressAnswers(app);
  gunzipBodies(app);
  rawBodiesFor(app, new Set(ROUTES.filter((r) => r.rawBody).map((r) => `${r.method} ${r.url}`)));

  app.setErrorHandler((error, req, reply) => {
    const e = toHubError(error);
    if (e.code === 'INTERNAL') req.log.error({ err: error }, 'request failed');
    void reply.code(e.status).headers(e.headers).send(e.body());
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send(new HubError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`).body());
  });
  app.addHook('onRequest', async (req, reply) => {
    void reply.header(PROTOCOL_HEADER, PROTOCOL_VERSION);
    const v = req.headers[PROTOCOL_HEADER];
    if (typeof v === 'string' && !isCompatibleVersion(v)) {
      throw new HubError(
        'VERSION_MISMATCH',
        `this hub speaks protocol ${PROTOCOL_VERSION}; the client sent ${v}. Update the workbench or the hub so their major versions match.`,
      );
    }
  });

  /**
   * A valid token always gets in, whoever shares its address (a team behind one NAT or proxy);
   * failures are counted per address, and past the limit a bad token gets 429 instead of 401.
   * Tokens are 256 random bits, so the limit slows log noise and guessing bots, not a search.
   */
  const authenticate = async (req: FastifyRequest): Promise<UserRecord> => {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m?.[1]) throw new HubError('UNAUTHORIZED', 'missing bearer token (Authorization: Bearer <token>)');
    const hash = hashToken(m[1]);
    const user = await opts.storage.findUserByTokenHash(hash);
    if (user && hashesMatch(user.tokenHash, hash))
      return { id: user.id, name: user.name, memberships: user.memberships };
    const now = clock();
    const wait = limiter.retryAfter(req.ip, now);
    if (wait > 0)
      throw new HubError(
        'RATE_LIMITED',
        `too many failed sign-ins from your address; retry in ${wait} s`,
        undefined,
        {
          'Retry-After': String(wait),
        },
      );
    limiter.fail(req.ip, now);
    throw new HubError('UNAUTHORIZED', 'unknown or revoked token');
  };

  const openapi = buildOpenApi(ROUTES);
  app.get('/openapi.json', async () => openapi);
  app.get(HUB_ROUTES.health, async () =>
    HealthResponse.parse({ ok: true, protocolVersion: PROTOCOL_VERSION, serverTime: clock() }),
  );

  for (const r of ROUTES) {
    app.route({
      method: r.method,
      url: r.url,
      handler: async (req, reply) => {
        const user = await authenticate(req);
        const params = r.params ? parseInput(r.params, req.params, 'params') : {};
        const query = r.query ? parseInput(r.query, req.query ?? {}, 'query') : {};
        const body = r.rawBody ? req.body : r.body ? parseInput(r.body, req.body, 'body') : undefined;
        const out = await r.handler({ user, params, query, body, now: clock(), ctx, req, reply });
        if (r.response === 'binary') return out;
        // Answers are checked too: a hub bug must not put malformed data on the wire.
        return (r.responseCheck ?? r.response).parse(out);
      },
    });
  }

  return {
    app,
    async listen({ port = 0, host = '127.0.0.1' } = {}) {
      const addr = await app.listen({ port, host });
      return addr.replace('[::1]', '127.0.0.1');
    },
    async close() {
      await app.close();
      await pushDecoder.close();
    },
  };
};

/** Fastify takes a hop count too, though its types do not say so: as a function, then. */
const trustProxyOption = (
  t: NonNullable<HubOptions['trustProxy']>,
): boolean | string | string[] | ((addr: string, hop: number) => boolean) =>
  typeof t === 'number' ? (_addr, hop) => hop < t : t;

const FASTIFY_CODES: Record<string, HubError['code']> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_INPUT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_INPUT',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'INVALID_INPUT',
  FST_ERR_CTP_EMPTY_TYPE: 'INVALID_INPUT',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_INPUT',
};

const toHubError = (error: unknown): HubError => {
  if (error instanceof HubError) return error;
  if (error instanceof StorageRefusal) return new HubError(error.code, error.message);
  if (error instanceof PushDecodeError) return new HubError('INVALID_INPUT', error.message, error.field);
  const e = error as { code?: string; statusCode?: number; message?: string };
  const mapped = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (mapped)
    return new HubError(mapped, e.message ?? mapped, mapped === 'INVALID_INPUT' ? 'body' : undefined);
  if (e instanceof SyntaxError || e.code?.startsWith('Z_'))
    return new HubError('INVALID_INPUT', `body: ${e.message ?? 'unreadable'}`, 'body');
  if (e.statusCode === 413) return new HubError('PAYLOAD_TOO_LARGE', e.message ?? 'body too large');
  if (e.statusCode === 415)
    return new HubError('UNSUPPORTED_ENCODING', e.message ?? 'unsupported media type');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return new HubError('INVALID_INPUT', e.message ?? 'bad request');
  return new HubError('INTERNAL', 'internal error');
};
