import { extname, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_ORIGIN, contentSecurityPolicy } from './security';

/** Reads a file: URL (Electron's `net.fetch`; tests pass their own). Range headers pass through. */
export type FetchFile = (fileUrl: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

const SHA256 = /^[0-9a-f]{64}$/;

const withHeaders = (res: Response, headers: Record<string, string>): Response => {
  const merged = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) merged.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: merged });
};

const rangeOf = (request: Request): Record<string, string> => {
  const range = request.headers.get('range');
  return range ? { range } : {};
};

/**
 * `outrigger-app://app/<path>` → a file under the built renderer, with the CSP header. Paths
 * that would leave the folder are refused; paths without an extension get index.html (the app
 * is one page).
 */
export const createAppProtocolHandler = (opts: { rendererDir: string; fetchFile: FetchFile }) => {
  const root = resolve(opts.rendererDir);
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return new Response('not found', { status: 404 });
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return new Response('malformed % escape in the path', { status: 400 });
    }
    if (path.includes('\u0000')) return new Response('bad path', { status: 400 });
    const rel = path.replace(/^\/+/, '') || 'index.html';
    const file = resolve(root, extname(rel) ? rel : 'index.html');
    if (file !== root && !file.startsWith(root + sep)) return new Response('forbidden', { status: 403 });
    const res = await opts.fetchFile(pathToFileURL(file).toString());
    return withHeaders(res, {
      'Content-Security-Policy': contentSecurityPolicy(false),
      'X-Content-Type-Options': 'nosniff',
    });
  };
};

/**
 * `outrigger-asset://<sha256>` → the cached asset file. Content-addressed, so the answer never
 * changes: cache it for good. Only our renderer's origin may read it with fetch().
 */
export const createAssetProtocolHandler = (opts: {
  /** The renderer's origin (Vite's dev server in dev); default `outrigger-app://app`. */
  allowOrigin?: string;
  assetPath: (sha256: string) => string | null;
  fetchFile: FetchFile;
}) => {
  return async (request: Request): Promise<Response> => {
    const sha = new URL(request.url).host.toLowerCase();
    if (!SHA256.test(sha)) return new Response('bad asset id', { status: 400 });
    const file = opts.assetPath(sha);
    if (!file) return new Response('no such asset', { status: 404 });
    const res = await opts.fetchFile(pathToFileURL(file).toString(), { headers: rangeOf(request) });
    return withHeaders(res, {
      'Cache-Control': 'private, max-age=31536000, immutable',
      ETag: `"${sha}"`,
      'Access-Control-Allow-Origin': opts.allowOrigin ?? APP_ORIGIN,
      'X-Content-Type-Options': 'nosniff',
    });
  };
};
