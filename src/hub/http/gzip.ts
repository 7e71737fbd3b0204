import { createGunzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from './errors';

/** A request that announces a body: a non-zero Content-Length, or chunked transfer. */
export const hasRequestBody = (req: FastifyRequest): boolean => {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0;
};

/**
 * Accepts `Content-Encoding: gzip` request bodies (the sync engine compresses pushes). The
 * decompressed stream is what Fastify measures against bodyLimit, so a zip bomb stops at the
 * limit with 413; other encodings are refused with 415.
 *
 * Only a request with a body is decompressed: a GET or HEAD carrying the header has nothing to
 * inflate, and a gunzip fed an empty stream fails with "unexpected end of file". The gunzip
 * always has an error listener, so a stream nobody reads (a route without a body parser) can
 * never take the process down; when Fastify reads it, its own listener sees the error (400).
 */
export const gunzipBodies = (app: FastifyInstance): void => {
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (enc === 'identity' || enc === '') return payload;
    if (enc !== 'gzip')
      throw new HubError(
        'UNSUPPORTED_ENCODING',
        `content-encoding ${enc} is not supported; send gzip or identity`,
      );
    if (!hasRequestBody(req)) return payload;
    const gunzip = createGunzip() as ReturnType<typeof createGunzip> & { receivedEncodedLength?: number };
    gunzip.on('error', () => undefined);
    gunzip.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      gunzip.receivedEncodedLength = (gunzip.receivedEncodedLength ?? 0) + chunk.length;
    });
    payload.on('error', (e) => gunzip.destroy(e));
    payload.pipe(gunzip);
    return gunzip;
  });
};
