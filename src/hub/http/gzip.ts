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
    if (enc !== 'gzip')
      throw new HubError(
        'UNSUPPORTED_ENCODING',
        `content-encoding ${enc} is not supported; send gzip or identity`,
      );
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
