export { AssetStore, sha256Hex } from './store';
export type { AssetInfo } from './store';
