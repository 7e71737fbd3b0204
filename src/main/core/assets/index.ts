export { sha256Hex } from './store';
