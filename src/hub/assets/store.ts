import { createHash } from 'node:crypto';
import { chmod, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../storage/private-files';

/** Content-addressed: <dataDir>/assets/ab/abcdef… (two-letter fan-out keeps folders small). */
export const assetPath = (dataDir: string, sha256: string): string =>
  join(dataDir, 'assets', sha256.slice(0, 2), sha256);

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Stores bytes under their hash; written to a temp name then renamed, so never half a file. */
export const putAsset = async (dataDir: string, bytes: Uint8Array): Promise<string> => {
  const sha = sha256Hex(bytes);
  const path = assetPath(dataDir, sha);
  if ((await stat(path).catch(() => undefined))?.size === bytes.byteLength) return sha;
  mkdirPrivate(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, bytes, { flush: true, mode: PRIVATE_FILE_MODE });
  await chmod(tmp, PRIVATE_FILE_MODE);
  await rename(tmp, path);
  return sha;
};
