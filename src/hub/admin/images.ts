import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { imageSize } from 'image-size';
import type { ImageAsset } from '../../shared/model';
import { putAsset } from '../assets/store';
import { InputError } from './errors';

const EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);
const MIME: Record<string, ImageAsset['mime']> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
};

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
    throw new InputError(`--images ${folder}: ${e.code === 'ENOENT' ? 'no such folder' : e.code === 'ENOTDIR' ? 'not a folder' : e.message}`);
  });
  if (files.length === 0) throw new InputError(`--images ${folder}: no images found (looked for ${[...EXTENSIONS].join(' ')})`);
  const out: ImportedImage[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    let size: ReturnType<typeof imageSize>;
    try {
      size = imageSize(bytes);
    } catch (e) {
      throw new InputError(`${file}: not a readable image (${(e as Error).message})`);
    }
    const mime = size.type ? MIME[size.type === 'jpeg' ? 'jpg' : size.type] : undefined;
    if (!mime || !size.width || !size.height) throw new InputError(`${file}: unsupported image type ${size.type ?? 'unknown'}`);
    const rotated = size.orientation !== undefined && size.orientation >= 5 && size.orientation <= 8;
    const sha256 = await putAsset(dataDir, bytes);
    const name = relative(folder, file).split(/[\\/]/).join('/');
    out.push({
      name,
      asset: {
        sha256,
        width: rotated ? size.height : size.width,
        height: rotated ? size.width : size.height,
        mime,
        bytes: bytes.byteLength,
        fileName: name,
      },
    });
  }
  return out;
};
