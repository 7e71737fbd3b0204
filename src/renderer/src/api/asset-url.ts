/** Where an `<img>` finds an asset by its sha256, per mode. */
export type AssetUrlFn = (sha256: string) => string;

/** Electron serves assets on a privileged scheme of its own (src/main/electron/protocols.ts). */
export const electronAssetUrl: AssetUrlFn = (sha256) => `outrigger-asset://${sha256}`;

/** Web mode: `<img>` cannot send a header, so the session token rides in the query. */
export const webAssetUrl =
  (opts: { baseUrl: string; token: string }): AssetUrlFn =>
  (sha256) =>
    `${opts.baseUrl.replace(/\/+$/, '')}/assets/${sha256}?token=${encodeURIComponent(opts.token)}`;

export const assetUrlFor = (
  mode: 'electron' | 'web',
  opts: { baseUrl: string; token: string } = { baseUrl: '', token: '' },
): AssetUrlFn => (mode === 'electron' ? electronAssetUrl : webAssetUrl(opts));
