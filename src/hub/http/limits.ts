import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';

/**
 * What one client may take of the hub: bytes, time and connections. The defaults suit a team
 * on its own network; `hub serve` flags change each (src/hub/README.md lists them).
 */
export interface HubLimits {
  /** Largest request body, after gzip decompression (413 past it). */
  bodyBytes: number;
  /** Time to send the request line and headers; a client still sending them is cut off. */
  headersTimeoutMs: number;
  /** Time to send a whole request, body included (a trickled upload is cut off; 408). */
  requestTimeoutMs: number;
  /** A connection silent this long is closed (keep-alive idle included). */
  idleTimeoutMs: number;
  /** Open connections; more are closed at once until some end. */
  maxConnections: number;
  /** Mutations in one push (413 past it); the workbench sends 1,000 at most. */
  pushMutations: number;
  /** What one user may make the hub store: annotation text plus mutation records (413 past it). */
  userStoredBytes: number;
  /** Failed sign-ins per address per minute; past it a bad token gets 429, a valid one still works. */
  authFailuresPerMinute: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_LIMITS: HubLimits = {
  bodyBytes: 32 * MIB,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 120_000,
  idleTimeoutMs: 60_000,
  maxConnections: 1000,
  pushMutations: 2000,
  userStoredBytes: 1024 * MIB,
  authFailuresPerMinute: 30,
};

/** The Fastify/Node server options that enforce the byte and time limits. */
export const serverLimitOptions = (l: HubLimits): FastifyHttpOptions<Server> => ({
  bodyLimit: l.bodyBytes,
  requestTimeout: l.requestTimeoutMs,
  connectionTimeout: l.idleTimeoutMs,
  keepAliveTimeout: Math.min(l.idleTimeoutMs, 72_000),
  // Node checks the header and request deadlines on this interval (30 s by default), so a
  // short deadline needs a short interval to be kept.
  http: {
    headersTimeout: l.headersTimeoutMs,
    connectionsCheckingInterval: Math.max(
      50,
      Math.min(5_000, l.headersTimeoutMs / 4, l.requestTimeoutMs / 4),
    ),
  },
});
