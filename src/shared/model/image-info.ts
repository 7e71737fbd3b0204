import { imageSize } from 'image-size';
import type { ImageAsset } from './task';

type ImageMime = ImageAsset['mime'];

const MIME_BY_TYPE: Record<string, ImageMime> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
};

/**
 * Width and height as displayed. EXIF orientations 5–8 rotate the image a quarter turn and
 * browsers apply them, so the stored size swaps the encoded one: annotations are drawn on the
 * displayed image, in its pixels.
 */
export const readImageInfo = (
  bytes: Uint8Array,
  name: string,
): { width: number; height: number; mime: ImageMime } => {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch (e) {
    throw new Error(`${name}: not a readable image (${e instanceof Error ? e.message : String(e)})`, {
      cause: e,
    });
  }
  const mime = size.type ? MIME_BY_TYPE[size.type] : undefined;
  if (!mime) throw new Error(`${name}: unsupported image type "${size.type ?? 'unknown'}"`);
  if (!size.width || !size.height) throw new Error(`${name}: no image size in the file`);
  const quarterTurn = size.orientation !== undefined && size.orientation >= 5 && size.orientation <= 8;
  return quarterTurn
    ? { width: size.height, height: size.width, mime }
    : { width: size.width, height: size.height, mime };
};
