import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  HUB_ROUTES,
  hubPath,
  HubErrorBody,
  LeaseResponse,
  MeResponse,
  ProjectInfo,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PullResponse,
  PushResponse,
  type LeaseRequest,
  type PushRequestInput,
  ActivityPushResponse,
  type ActivityPushRequest,
} from '../../../shared/sync';
import {
  AppError,
  signInProblemWords,
  syncProblemWords,
  type ErrorCode,
  type SyncProblem,
} from '../../../shared/contract';
import { HttpStatusError, NetworkError, type HttpClient, type HttpResponse, type PreparedBody } from './http';

/** The hub's answer did not match the protocol: a bug or another version, never retried blindly. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Which of the closed set of sync problems a failure is (worded by `syncProblemWords`). */
export const classifyHubError = (e: unknown): SyncProblem => {
  if (e instanceof NetworkError)
    return (
      {
        unreachable: 'hub-unreachable',
        timeout: 'hub-timeout',
        cut: 'link-cut',
        offline: 'computer-offline',
      } as const
    )[e.failure];
  if (e instanceof HttpStatusError) {
    if (e.status === 401) return 'token-refused';
    if (e.status === 403) return 'not-allowed';
    if (e.status >= 500 || e.status === 429 || e.status === 408) return 'hub-busy';
    return 'hub-incompatible';
  }
  if (e instanceof ProtocolError) return 'hub-incompatible';
  return 'unknown';
};

/**
 * A failed call to the hub as the renderer gets it: plain words (what went wrong, what happens
 * to the work) as the message, the technical line as `detail`.
 */
export const hubCallError = (e: unknown, hubUrl: string | null, what: string): AppError => {
  const problem = classifyHubError(e);
  const code =
    problem === 'token-refused' ? 'UNAUTHORIZED' : problem === 'not-allowed' ? 'FORBIDDEN' : 'OFFLINE';
  const words = what === 'sign-in' ? signInProblemWords(problem, hubUrl) : syncProblemWords(problem, hubUrl);
  return new AppError(code, words, undefined, `${what}: ${describeHubError(e)}`);
};

/** Hub answers that are the person's to act on (their input, a thing gone), not a link problem. */
const REQUEST_CODES: Partial<Record<number, ErrorCode>> = { 400: 'INVALID_INPUT', 404: 'NOT_FOUND' };

/**
 * Any failure of a call a workbench service makes to the hub, as the renderer gets it: an
 * AppError as it is; an answer off the protocol INTERNAL; the hub refusing the request itself
 * (400, 404) with that code and the hub's words; anything else (link, token, role, a busy hub)
 * as `hubCallError` words it.
 */
export const hubFailure = (e: unknown, hubUrl: string | null, what: string): AppError => {
  if (e instanceof AppError) return e;
  if (e instanceof ProtocolError) return new AppError('INTERNAL', `${what}: ${e.message}`);
  const code = e instanceof HttpStatusError ? REQUEST_CODES[e.status] : undefined;
  if (e instanceof HttpStatusError && code) {
    // The hub's own words (its error body) as the message, the technical line as the detail.
    const body = (() => {
      try {
        return HubErrorBody.safeParse(JSON.parse(e.body));
      } catch {
        return null;
      }
    })();
    return body?.success
      ? new AppError(code, body.data.error.message, undefined, `${what}: ${describeHubError(e)}`)
      : new AppError(code, `${what}: ${describeHubError(e)}`);
  }
  return hubCallError(e, hubUrl, what);
};

/** The signed-in hub a workbench service calls (`SyncEngine.hubClient()`), or null. */
export type SignedInHub = { http: HttpClient; hubUrl: string } | null;

/**
 * One GET to the signed-in hub (the protocol headers on), failures as `hubFailure` says: the
 * one way the team figures, review and quality screens read from the hub.
 */
export const hubGet = async (hub: SignedInHub, path: string, what: string): Promise<HttpResponse> => {
  if (!hub) throw new AppError('OFFLINE', `Not signed in to a hub: ${what} needs one.`);
  try {
    return await hub.http.request({ method: 'GET', path, headers: HUB_HEADERS });
  } catch (e) {
    throw hubFailure(e, hub.hubUrl, what);
  }
};

/** Turns an HTTP error into one line a person can act on. */
export const describeHubError = (e: unknown): string => {
  if (e instanceof HttpStatusError) {
    const parsed = (() => {
      try {
        return HubErrorBody.safeParse(JSON.parse(e.body));
      } catch {
        return null;
      }
    })();
    const detail = parsed?.success
      ? `${parsed.data.error.code}: ${parsed.data.error.message}`
      : e.body.slice(0, 200);
    if (e.status === 401) return `the hub did not accept the token (${detail})`;
    if (e.status === 403) return `not allowed by the hub (${detail})`;
    return `hub answered ${e.status}${detail ? ` (${detail})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
};

export interface HubApi {
  /** One attempt, no token needed: is the hub reachable? (The offline probe.) */
  health(): Promise<void>;
  me(): Promise<MeResponse>;
  project(id: string): Promise<ProjectInfo>;
  lease(req: LeaseRequest): Promise<LeaseResponse>;
  /** This device's live leases with their tasks (adopting leases whose answer was lost). */
  heldLeases(deviceId: string): Promise<LeaseResponse>;
  push(req: PushRequestInput): Promise<PushResponse>;
  /** Hands over activity links (idempotent: the chain's seq and hashes say what the hub holds). */
  activity(req: ActivityPushRequest): Promise<ActivityPushResponse>;
  /** A push request body from mutations already serialized (each a JSON object's text), encoded. */
  preparePush(clientId: string, mutationsJson: readonly string[]): Promise<PreparedBody>;
  /** `retry: false`: one attempt (the push loop retries with a smaller batch on its own). */
  pushPrepared(body: PreparedBody, opts?: { retry?: boolean }): Promise<PushResponse>;
  pull(q: {
    cursor: string;
    limit: number;
    deviceId: string;
    leases?: 'full' | 'delta';
    leasesSince?: string | undefined;
  }): Promise<PullResponse>;
}

/** Parses a hub answer's body with its schema; anything else is a ProtocolError naming `what`. */
export const parseHubAnswer = <T extends z.ZodType>(schema: T, body: Buffer, what: string): z.infer<T> => {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProtocolError(`${what}: the hub's answer is not JSON`);
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new ProtocolError(
      `${what}: unexpected answer at ${first?.path.join('.') || '(root)'}: ${first?.message ?? ''}`,
    );
  }
  return r.data;
};

/** The headers every request to the hub carries. */
export const HUB_HEADERS = { [PROTOCOL_HEADER]: PROTOCOL_VERSION };

export const createHubApi = (http: HttpClient): HubApi => {
  const headers = HUB_HEADERS;
  const parse = parseHubAnswer;
  return {
    health: async () => {
      await http.request({
        method: 'GET',
        path: HUB_ROUTES.health,
        headers,
        retry: false,
        timeoutMs: 10_000,
      });
    },
    me: async () =>
      parse(MeResponse, (await http.request({ method: 'GET', path: HUB_ROUTES.me, headers })).body, 'me'),
    project: async (id) =>
      parse(
        ProjectInfo,
        (await http.request({ method: 'GET', path: hubPath(HUB_ROUTES.project, { projectId: id }), headers }))
          .body,
        'project',
      ),
    lease: async (req) => {
      // Idempotent by requestId (the hub answers a retry with the same leases), so a lost answer
      // is retried like a push instead of leaving its leases unknown until they expire.
      const json = { ...req, requestId: req.requestId ?? randomUUID() };
      return parse(
        LeaseResponse,
        (await http.request({ method: 'POST', path: HUB_ROUTES.lease, json, headers })).body,
        'lease',
      );
    },
    activity: async (req) =>
      parse(
        ActivityPushResponse,
        (await http.request({ method: 'POST', path: HUB_ROUTES.activity, json: req, headers })).body,
        'activity',
      ),
    heldLeases: async (deviceId) =>
      parse(
        LeaseResponse,
        (
          await http.request({
            method: 'GET',
            path: `${HUB_ROUTES.heldLeases}?${new URLSearchParams({ deviceId })}`,
            headers,
          })
        ).body,
        'held leases',
      ),
    push: async (req) =>
      // Idempotent (each mutation id is applied at most once), so a lost answer is simply retried.
      parse(
        PushResponse,
        (await http.request({ method: 'POST', path: HUB_ROUTES.push, json: req, headers })).body,
        'push',
      ),
    preparePush: (clientId, mutationsJson) =>
      http.prepareJson(`{"clientId":${JSON.stringify(clientId)},"mutations":[${mutationsJson.join(',')}]}`),
    pushPrepared: async (body, opts) =>
      parse(
        PushResponse,
        (
          await http.request({
            method: 'POST',
            path: HUB_ROUTES.push,
            body,
            headers,
            ...(opts?.retry === false ? { retry: false } : {}),
          })
        ).body,
        'push',
      ),
    pull: async (q) => {
      const qs = new URLSearchParams({ cursor: q.cursor, limit: String(q.limit), deviceId: q.deviceId });
      if (q.leases) qs.set('leases', q.leases);
      if (q.leasesSince !== undefined) qs.set('leasesSince', q.leasesSince);
      return parse(
        PullResponse,
        (await http.request({ method: 'GET', path: `${HUB_ROUTES.pull}?${qs}`, headers })).body,
        'pull',
      );
    },
  };
};
