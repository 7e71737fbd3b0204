import { z } from 'zod';
import {
  HeldLeasesQuery,
  HUB_ROUTES,
  Lease,
  PROTOCOL_HEADER,
  LeaseRequest,
  LeaseResponse,
  PullQuery,
  PullResponse,
  PushRequest,
  PushResponse,
  REVIEW_FEED_KINDS,
  REVIEW_SINCE,
  versionAtLeast,
} from '../../../shared/sync';
import { HubError } from '../errors';
import { defineRoute } from '../route';
import { ROLES_THAT } from '../../auth/roles';
import { requireRole } from '../roles';

/**
 * The lease answer as checked on the way out: every lease field, but of each task only its
 * identity — its content was validated (Task) when the hub stored it, and re-validating 1,000
 * tasks per answer was a large part of the lease time.
 */
const LeaseResponseOut = LeaseResponse.extend({
  leases: z.array(
    Lease.extend({
      task: z.looseObject({
        id: z.string(),
        projectId: z.string(),
        data: z.looseObject({ kind: z.string() }),
      }),
    }),
  ),
});

export const syncRoutes = [
  defineRoute({
    method: 'POST',
    url: HUB_ROUTES.lease,
    summary: 'Lease up to `count` more tasks of a project to the caller on one device.',
    roles: 'annotator, lead, admin of the project',
    body: LeaseRequest,
    response: LeaseResponse,
    responseCheck: LeaseResponseOut,
    handler: async ({ user, body, ctx, now }) => {
      requireRole(user, body.projectId, ROLES_THAT.lease, 'lease tasks');
      const leases = await ctx.storage.claim(
        {
          userId: user.id,
          deviceId: body.deviceId,
          projectId: body.projectId,
          count: body.count,
          requestId: body.requestId,
        },
        now,
      );
      return { leases, serverTime: now };
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.heldLeases,
    summary:
      "The caller's live leases on one device, with their tasks: how a workbench that lost a lease answer takes those tasks back.",
    roles: 'any signed-in user (own leases only)',
    query: HeldLeasesQuery,
    response: LeaseResponse,
    responseCheck: LeaseResponseOut,
    handler: async ({ user, query, ctx, now }) => ({
      leases: await ctx.storage.heldLeases(user.id, query.deviceId, now),
      serverTime: now,
    }),
  }),
  defineRoute({
    method: 'POST',
    url: HUB_ROUTES.push,
    summary:
      "Apply a batch of one client's mutations (submit, skip, release) at most once each; answers per mutation.",
    roles: 'any signed-in user; each mutation is checked against its task project and lease',
    // Decoded by ctx.pushDecoder (off the main thread on a served hub), to this same schema.
    rawBody: PushRequest,
    response: PushResponse,
    handler: async ({ user, body, ctx, now }) => {
      if (!(body instanceof Uint8Array))
        throw new HubError('INVALID_INPUT', 'body: expected a JSON object', 'body');
      // Bad bytes reject (now, or from storage.push when the annotations are awaited) with a
      // PushDecodeError, answered as a 400 naming the field like every other bad body.
      const push = await ctx.pushDecoder.decode(body);
      if (push.heads.length > ctx.limits.pushMutations)
        throw new HubError(
          'PAYLOAD_TOO_LARGE',
          `body.mutations: ${push.heads.length} mutations in one push, more than this hub's ${ctx.limits.pushMutations}; send them in smaller batches`,
          'body.mutations',
        );
      const out = await ctx.storage.push(
        { userId: user.id, clientId: push.clientId, mutations: push.heads, annotations: push.annotations },
        now,
        { userStoredBytes: ctx.limits.userStoredBytes },
      );
      return { ...out, serverTime: now };
    },
  }),
  defineRoute({
    method: 'GET',
    url: HUB_ROUTES.pull,
    summary:
      "The caller's change feed after `cursor`, plus their current (renewed) leases: listed, or with `leases=delta` (1.1) described by digest and expiry with only new grants listed.",
    roles: 'any signed-in user (own feed only)',
    query: PullQuery,
    response: PullResponse,
    handler: async ({ user, query, ctx, now, req }) => {
      const out = await ctx.storage.pull(
        {
          userId: user.id,
          deviceId: query.deviceId,
          cursor: Number(query.cursor),
          limit: query.limit,
          ...(query.leases ? { leases: query.leases } : {}),
          ...(query.leasesSince !== undefined ? { leasesSince: Number(query.leasesSince) } : {}),
        },
        now,
      );
      // A 1.0 client cannot parse the review events; its cursor still passes them.
      const v = req.headers[PROTOCOL_HEADER];
      if (typeof v === 'string' && !versionAtLeast(v, REVIEW_SINCE))
        return {
          ...out,
          events: out.events.filter((e) => !REVIEW_FEED_KINDS.has(e.kind)),
          serverTime: now,
        };
      return { ...out, serverTime: now };
    },
  }),
];

export const HealthResponse = z.object({
  ok: z.literal(true),
  protocolVersion: z.string(),
  serverTime: z.number().int(),
});
