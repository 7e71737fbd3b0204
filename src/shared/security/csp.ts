/**
 * The renderer's Content-Security-Policy: one directive list for the Electron shell and web
 * mode. Scripts only from our own origin; styles allow inline attributes (React/Konva set
 * element styles); nothing may frame the page, post a form or set a base URL.
 *
 * `assetSource`: where images come from besides our origin (the shell's asset scheme,
 * `outrigger-asset:`; web mode serves them from its own origin). `dev`: what Vite's hot reload
 * needs (an inline preamble and a websocket).
 */
export const rendererCsp = ({
  assetSource,
  dev = false,
}: { assetSource?: string; dev?: boolean } = {}): string => {
  const asset = assetSource ? ` ${assetSource}` : '';
  return [
    "default-src 'none'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${asset}`,
    `connect-src 'self'${asset}${dev ? ' ws: http://localhost:*' : ''}`,
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `media-src 'self' blob:${asset}`,
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
};
