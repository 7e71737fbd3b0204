import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { Sha256 } from '../../../shared/model';
import { HUB_ROUTES } from '../../../shared/sync';
import { assetPath } from '../../assets/store';
import { HubError } from '../errors';
import { parseRange } from '../range';
import { defineRoute } from '../route';

const AssetParams = z.object({ sha256: Sha256 });

export const assetRoutes = [
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.asset,
    summary: 'An image by its sha256, with ETag and single byte ranges (206) for resumed downloads.',
    roles:
      'holder of a live lease or a live review lease on a task showing it, or reviewer/lead/admin of its project',
    params: AssetParams,
    response: 'binary',
    handler: async ({ user, params, ctx, now, req, reply }) => {
      const asset = await ctx.storage.getAsset(params.sha256);
      if (!asset) throw new HubError('NOT_FOUND', `no asset ${params.sha256}`);
      if (!(await ctx.storage.canReadAsset(user.id, params.sha256, now))) {
        throw new HubError(
          'FORBIDDEN',
          'you hold no lease on a task showing this asset and do not review its project',
        );
      }
      const file = assetPath(ctx.dataDir, params.sha256);
      const size = (await stat(file).catch(() => undefined))?.size;
      if (size === undefined)
        throw new HubError('NOT_FOUND', `asset ${params.sha256} is missing from the hub's data folder`);
      const etag = `"${params.sha256}"`;
      reply
        .header('ETag', etag)
        .header('Accept-Ranges', 'bytes')
        .header('Cache-Control', 'private, max-age=31536000, immutable')
        .type(asset.mime);
      if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === etag))
        return reply.code(304).send();
      const ifRange = req.headers['if-range'];
      const range =
        ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, size) : undefined;
      if (range === 'unsatisfiable') {
        throw new HubError(
          'RANGE_NOT_SATISFIABLE',
          `range ${req.headers.range ?? ''} is outside the ${size}-byte asset`,
          'headers.range',
          {
            'Content-Range': `bytes */${size}`,
          },
        );
      }
      if (range) {
        reply
          .code(206)
          .header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
          .header('Content-Length', range.end - range.start + 1);
        return reply.send(createReadStream(file, { start: range.start, end: range.end }));
      }
      reply.header('Content-Length', size);
      return reply.send(createReadStream(file));
    },
  }),
];
