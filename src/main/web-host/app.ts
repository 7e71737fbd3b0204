import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { err, type Result } from '../../shared/contract/result';
import { CONTRACT_VERSION } from '../../shared/contract/api';
import { rendererCsp } from '../../shared/security/csp';
import type { Dispatch, EventBus } from '../core/dispatch';
import { createGuard } from './guard';
import { openEventStream } from './sse';
import { staticPathAllowed } from './static-files';

/** What web mode needs of the workbench core (src/main/core/workbench.ts). */
export interface WebCore {
  dispatch: Dispatch;
  events: Pick<EventBus, 'subscribe'>;
  assets: { path(sha256: string): string | null };
}

export interface ServeOptions {
  token: string;
  rendererDir: string;
  /** 0 or absent: a free port. */
  port?: number;
}

export interface ServedHost {
  /** The address to open, token included: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  /** `http://127.0.0.1:PORT`, for API clients that send the token in a header. */
  baseUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Web mode's page policy: same origin only (assets come from /assets on the same host). */
const WEB_CSP = rendererCsp();

/** Routes that need the token and a same-origin caller; everything else is the page itself. */
const PRIVATE = { config: { private: true } };
const isPrivateRoute = (request: FastifyRequest): boolean =>
  (request.routeOptions.config as { private?: boolean } | undefined)?.private === true;

const isJsonType = (type: string | undefined): boolean =>
  type !== undefined && /^application\/json\s*(;|$)/i.test(type.trim());

const send = (reply: FastifyReply, status: number, body: Result<unknown>) =>
  reply.code(status).type('application/json').send(body);

/**
 * Serves a workbench core over HTTP on 127.0.0.1: `POST /api/:method`, `GET /api/events` (SSE),
 * `GET /assets/:sha256`, and the built renderer at `/`. No CORS headers: only the page we serve
 * may call the API, and the Host check plus the token keep everyone else out.
 */
export const serveWorkbench = async (
  core: WebCore,
  opts: ServeOptions & { bodyLimit?: number },
): Promise<ServedHost> => {
  let port = opts.port ?? 0;
  const guard = createGuard({ token: opts.token, port: () => port });
  const streams = new Set<() => void>();
  // A big annotation (thousands of boxes) is a few MB of JSON; the host is local-only.
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? 64 * 1024 * 1024,
    forceCloseConnections: true,
  });

  // Bodies are parsed here, not by Fastify, so a malformed one becomes an INVALID_INPUT result.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  // Runs after routing: what is checked is the route the request reached (a percent-encoded
  // `/%61pi/…` reaches /api/:method too), never the raw URL.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    if (!guard.hostAllowed(request.headers.host)) {
      return send(reply, 403, err('FORBIDDEN', `host "${request.headers.host ?? ''}" is not this workbench`));
    }
    if (!isPrivateRoute(request)) return;
    const foreign = guard.crossSite(request.headers.origin, request.headers['sec-fetch-site']);
    if (foreign)
      return send(reply, 403, err('FORBIDDEN', `a request from ${foreign} may not use this workbench`));
    if (
      !guard.tokenOk(
        request.headers.authorization,
        (request.query as Record<string, unknown> | undefined)?.['token'],
      )
    ) {
      reply.header('www-authenticate', 'Bearer');
      return send(
        reply,
        401,
        err('UNAUTHORIZED', 'a valid session token is required (open the URL the host printed)'),
      );
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
      reply.header('content-security-policy', WEB_CSP);
    return payload;
  });
  // Whatever Fastify itself refuses (a body over the limit, a bad header) still answers a Result.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return send(reply, 413, err('INVALID_INPUT', 'the body is too large', '(body)'));
    return send(reply, status, err(status < 500 ? 'INVALID_INPUT' : 'INTERNAL', error.message));
  });
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  app.post<{ Params: { method: string } }>('/api/:method', PRIVATE, async (request, reply) => {
    // A tab still running an older renderer after an update: refuse clearly, do not misparse.
    const theirs = request.headers['x-outrigger-contract'];
    if (typeof theirs === 'string' && theirs.split('.')[0] !== CONTRACT_VERSION.split('.')[0]) {
      const message = `this page speaks contract ${theirs}, the workbench ${CONTRACT_VERSION}: reload the page`;
      return send(reply, 409, err('VERSION_MISMATCH', message));
    }
    const raw = request.body;
    // Only JSON: a cross-site "simple" request (a form, text/plain) cannot send it.
    const type = request.headers['content-type'];
    const hasBody = typeof raw === 'string' && raw !== '';
    if ((type !== undefined || hasBody) && !isJsonType(type)) {
      return send(
        reply,
        415,
        err('INVALID_INPUT', `send the body as application/json, not ${type ?? 'without a type'}`, '(body)'),
      );
    }
    let input: unknown = {};
    if (typeof raw === 'string' && raw.trim() !== '') {
      try {
        input = JSON.parse(raw);
      } catch (e) {
        return send(
          reply,
          400,
          err(
            'INVALID_INPUT',
            `the body is not JSON: ${e instanceof Error ? e.message : String(e)}`,
            '(body)',
          ),
        );
      }
    }
    return send(reply, 200, await core.dispatch(request.params.method, input));
  });

  app.get('/api/events', PRIVATE, (request, reply) => {
    reply.hijack();
    const end = openEventStream(reply.raw, core.events, () => streams.delete(end));
    streams.add(end);
  });

  const rendererDir = resolve(opts.rendererDir);
  const hasRenderer = existsSync(resolve(rendererDir, 'index.html'));
  // decorateReply gives us reply.sendFile (ETag, Range, 304) for assets too.
  await app.register(fastifyStatic, {
    root: hasRenderer ? rendererDir : resolve('.'),
    serve: hasRenderer,
    decorateReply: true,
    index: 'index.html',
    dotfiles: 'ignore',
    allowedPath: (pathName, root) => typeof root === 'string' && staticPathAllowed(pathName, root),
  });

  app.get<{ Params: { sha256: string } }>('/assets/:sha256', PRIVATE, async (request, reply) => {
    const sha = request.params.sha256.toLowerCase();
    if (!SHA256.test(sha))
      return send(reply, 400, err('INVALID_INPUT', 'an asset id is 64 hex digits', 'sha256'));
    const file = core.assets.path(sha);
    if (!file) return send(reply, 404, err('NOT_FOUND', `no asset ${sha}`));
    // Content-addressed: the bytes behind a sha never change.
    return reply.sendFile(basename(file), dirname(file), { maxAge: 365 * 24 * 3600 * 1000, immutable: true });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (
      request.method === 'GET' &&
      hasRenderer &&
      !path.startsWith('/api/') &&
      !path.startsWith('/assets/')
    ) {
      return reply.sendFile('index.html', rendererDir); // one-page app: any other path is the app
    }
    if (request.method === 'GET' && !hasRenderer && path === '/') {
      return reply.code(503).type('text/plain').send('The renderer is not built yet: run `npm run build`.');
    }
    return send(reply, 404, err('NOT_FOUND', `no route ${request.method} ${path}`));
  });

  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: `${baseUrl}/?token=${encodeURIComponent(opts.token)}`,
    baseUrl,
    token: opts.token,
    port,
    close: () => app.close(),
  };
};
