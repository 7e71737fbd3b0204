import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Web mode's two checks. The Host check defeats DNS rebinding (a page on evil.example resolving
 * to 127.0.0.1 would send `Host: evil.example`); the token keeps other local users and other
 * browser tabs out.
 */
export const createGuard = (opts: { token: string; port: () => number }) => {
  const expected = createHash('sha256').update(opts.token).digest();
  return {
    hostAllowed(host: string | undefined): boolean {
      if (!host) return false;
      const port = opts.port();
      return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
    },
    /** The token from `Authorization: Bearer <t>` or, for <img> and EventSource, `?token=`. */
    tokenOk(authorization: string | undefined, queryToken: unknown): boolean {
      const bearer = authorization?.match(/^Bearer (.+)$/i)?.[1];
      const given = bearer ?? (typeof queryToken === 'string' ? queryToken : undefined);
      if (!given) return false;
      // Compare digests so the lengths match and the time does not depend on the token.
      return timingSafeEqual(createHash('sha256').update(given).digest(), expected);
    },
  };
};
