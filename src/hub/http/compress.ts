import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Answers smaller than this go as they are: gzip's header and trailer would eat the saving. */
export const COMPRESS_MIN_BYTES = 512;

/**
 * Gzips answers for clients that accept it (the workbench always does). On a 1.5 Mbit/s link a
 * pull with 100 leases goes from 15 KB to under 1 KB and a 100-task lease answer from 46 KB to
 * 6.5 KB. Only gzip: every client speaks it, and brotli costs far more CPU per answer. Images
 * are left alone (already compressed, and Range answers must stay byte-exact); request bodies
 * are decompressed by `gzip.ts`, not here. Registered before the routes (it hooks onRoute).
 */
export const compressAnswers = async (app: FastifyInstance): Promise<void> => {
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    encodings: ['gzip'],
    threshold: COMPRESS_MIN_BYTES,
    customTypes: /^application\/json\b/,
  });
};
