import { createGunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { HubError } from './errors';

/**
 * Accepts `Content-Encoding: gzip` request bodies (the sync engine compresses pushes). The
 * decompressed stream is what Fastify measures against bodyLimit, so a zip bomb stops at the
 * limit with 413; other encodings are refused with 415.
 */
export const gunzipBodies = (app: FastifyInstance): void => {
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (enc === 'identity' || enc === '') return payload;
    if (enc !== 'gzip') throw new HubError('UNSUPPORTED_ENCODING', `content-encoding ${enc} is not supported; send gzip or identity`);
    const gunzip = createGunzip() as ReturnType<typeof createGunzip> & { receivedEncodedLength?: number };
    gunzip.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      gunzip.receivedEncodedLength = (gunzip.receivedEncodedLength ?? 0) + chunk.length;
    });
    payload.on('error', (e) => gunzip.destroy(e));
    payload.pipe(gunzip);
    return gunzip;
  });
};

/**
 * JSON bodies of the listed routes (`METHOD /url`) reach their handler as bytes, for a route
 * that decodes its own (the push: in a worker thread); every other JSON body is parsed as
 * Fastify does by default (`__proto__` keys refused). The body limit applies to both.
 */
export const rawBodiesFor = (app: FastifyInstance, routes: ReadonlySet<string>): void => {
  const json = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    if (routes.has(`${req.method} ${req.routeOptions.url ?? ''}`)) {
      if (body.length === 0) done(new HubError('INVALID_INPUT', 'body: empty', 'body'), undefined);
      else done(null, body);
      return;
    }
    json(req, body as unknown as string, done);
  });
};
