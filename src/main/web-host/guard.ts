import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Web mode's checks. The Host check defeats DNS rebinding (a page on evil.example resolving
 * to 127.0.0.1 would send `Host: evil.example`); the token keeps other local users and other
 * browser tabs out; the Origin / Sec-Fetch-Site check refuses what another site's page sends.
 */
export const createGuard = (opts: { token: string; port: () => number }) => {
  const expected = createHash('sha256').update(opts.token).digest();
  return {
    hostAllowed(host: string | undefined): boolean {
      if (!host) return false;
      const port = opts.port();
      return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
    },
    /**
     * The site a cross-site request comes from, or null for our own page, a typed URL or a
     * client that is not a browser (no Origin, no Sec-Fetch-Site).
     */
    crossSite(origin: string | undefined, fetchSite: string | string[] | undefined): string | null {
      if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none')
        return origin ?? `a ${fetchSite} page`;
      if (origin === undefined) return null;
      const port = opts.port();
      return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}` ? null : origin;
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
