/**
 * The decodes behind the image view, run in a worker (decode-worker.ts) so that neither the
 * decode nor the resize that follows it lands on the main thread (a 100 MP resize there is a
 * ~0.6 s long task). Also usable directly where workers are not available.
 */
import { type Rect, needsOverview } from './detail-plan';

export interface Decoded {
  /** The whole image at full size (small images) or null (large ones: see `overview`). */
  full: ImageBitmap | null;
  /** A reduced copy: the quarter-size mip of a small image or the overview of a large one. */
  reduced: ImageBitmap | null;
  /** `reduced` pixels per source pixel. */
  reducedRes: number;
}

const MIP_MIN_SIDE = 2048;

/**
 * Images up to 16 MP: decoded whole, plus a quarter-size mip from 2048 px (it makes panning a
 * zoomed-out image cheap). Larger: only an overview of `longSide` px, decoded straight from the
 * file so the full bitmap is never kept.
 */
export const decodeImage = async (
  blob: Blob,
  natural: { width: number; height: number },
  longSide: number,
): Promise<Decoded> => {
  if (needsOverview(natural)) {
    const res = longSide / Math.max(natural.width, natural.height);
    const reduced = await createImageBitmap(blob, {
      resizeWidth: Math.max(1, Math.round(natural.width * res)),
      resizeHeight: Math.max(1, Math.round(natural.height * res)),
      resizeQuality: 'medium',
    });
    return { full: null, reduced, reducedRes: reduced.width / natural.width };
  }
  const full = await createImageBitmap(blob);
  if (Math.max(full.width, full.height) < MIP_MIN_SIDE) return { full, reduced: null, reducedRes: 1 };
  const reduced = await createImageBitmap(full, {
    resizeWidth: Math.max(1, Math.round(full.width / 4)),
    resizeHeight: Math.max(1, Math.round(full.height / 4)),
    resizeQuality: 'medium',
  });
  return { full, reduced, reducedRes: reduced.width / full.width };
};

/** One region of the source at `res` bitmap pixels per source pixel. */
export const decodeRegion = (blob: Blob, rect: Rect, res: number): Promise<ImageBitmap> =>
  createImageBitmap(blob, rect.x, rect.y, rect.w, rect.h, {
    resizeWidth: Math.max(1, Math.round(rect.w * res)),
    resizeHeight: Math.max(1, Math.round(rect.h * res)),
    resizeQuality: res < 1 ? 'medium' : 'pixelated',
  });
