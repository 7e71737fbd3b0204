import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import type { ImageAsset } from '../../shared/model';
import { readImageInfo } from '../../shared/model/image-info';
import { putAsset } from '../assets/store';
import { InputError } from './errors';

const EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);

const listImages = async (root: string): Promise<string[]> => {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  await walk(root);
  return out;
};

export interface ImportedImage {
  /** Path relative to the folder, with forward slashes: the task's source id. */
  name: string;
  asset: ImageAsset;
}

/**
 * Hashes every image of a folder (recursively), stores it content-addressed in the data dir,
 * and reads its displayed size: EXIF orientations 5–8 rotate by 90°, so width and height swap.
 */
export const importImages = async (folder: string, dataDir: string): Promise<ImportedImage[]> => {
  const files = await listImages(folder).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(
      `--images ${folder}: ${e.code === 'ENOENT' ? 'no such folder' : e.code === 'ENOTDIR' ? 'not a folder' : e.message}`,
    );
  });
  if (files.length === 0)
    throw new InputError(`--images ${folder}: no images found (looked for ${[...EXTENSIONS].join(' ')})`);
  const out: ImportedImage[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    let info: ReturnType<typeof readImageInfo>;
    try {
      info = readImageInfo(bytes, file);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    const sha256 = await putAsset(dataDir, bytes);
    const name = relative(folder, file).split(/[\\/]/).join('/');
    out.push({
      name,
      asset: {
        sha256,
        ...info,
        bytes: bytes.byteLength,
        fileName: name,
      },
    });
  }
  return out;
};
