import type { FastifyInstance } from 'fastify';
import { HubError } from './errors';

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
