import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Clock } from '../../shared/clock';
import type { HubRoute, Role } from '../../shared/sync';
import type { PushDecoder } from '../push/decoder';
import type { HubLimits } from './limits';
import type { HubStorage, UserRecord } from '../storage/types';

export interface HubContext {
  storage: HubStorage;
  pushDecoder: PushDecoder;
  dataDir: string;
  clock: Clock;
  limits: HubLimits;
}

export interface Call<B, Q, P> {
  user: UserRecord;
  body: B;
  query: Q;
  params: P;
  now: number;
  ctx: HubContext;
  req: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One HTTP route: its schemas (the single source for validation and for /openapi.json), who
 * may call it, and the handler. `response: 'binary'` routes write the reply themselves.
 */
export interface RouteDef<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'PUT';
  /** A pattern of the shared route table (the client builds its paths from the same one). */
  url: HubRoute;
  summary: string;
  /** Roles that may call it, checked against the project the handler names (see requireRole). */
  roles: string;
  body?: B;
  /**
   * For a route that decodes its own request bytes (the handler's `body` is the raw Buffer):
   * the body it accepts, for /openapi.json.
   */
  rawBody?: z.ZodType;
  query?: Q;
  params?: P;
  response: z.ZodType | 'binary';
  /**
   * What the answer is parsed with on the way out, when lighter than `response` (which stays
   * the documented shape): e.g. stored task content the hub validated when it wrote it.
   */
  responseCheck?: z.ZodType;
  handler(call: Call<z.infer<B>, z.infer<Q>, z.infer<P>>): Promise<unknown>;
}

export const defineRoute = <B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  r: RouteDef<B, Q, P>,
): RouteDef => r as unknown as RouteDef;

export type { Role };
