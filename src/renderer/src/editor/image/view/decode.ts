/**
 * The decodes behind the image view, run in a worker (decode-worker.ts) so that neither the
 * decode nor the resize that follows it lands on the main thread (a 100 MP resize there is a
 * ~0.6 s long task). Also usable directly where workers are not available.
 */
import { type Size, fitCamera } from '../../core/camera';
import { type Rect, needsOverview } from './detail-plan';

export interface Decoded {
  /** The whole image at full size (small images) or null (large ones: see `overview`). */
  full: ImageBitmap | null;
  /** A reduced copy: the quarter-size mip of a small image or the overview of a large one. */
  reduced: ImageBitmap | null;
  /** `reduced` pixels per source pixel. */
  reducedRes: number;
  /** The whole image at the fitted view's device pixels (`decodeFit`), once decoded. */
  fitted?: ImageBitmap | null;
}

const MIP_MIN_SIDE = 2048;

/**
 * The bitmap to show first: up to 16 MP the whole image, decoded at full size; larger, only an
 * overview of `longSide` px, decoded straight from the file so the full bitmap is never kept.
 * No smaller copy is built here: the person sees the image before any mip exists (`decodeMip`).
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
  return { full, reduced: null, reducedRes: 1 };
};

/** Whether a whole image gets a quarter-size mip (it makes drawing it zoomed out cheap). */
export const wantsMip = (natural: { width: number; height: number }): boolean =>
  !needsOverview(natural) && Math.max(natural.width, natural.height) >= MIP_MIN_SIDE;

/**
 * The quarter-size mip of a whole image, decoded again from the file (the full bitmap has been
 * handed over by then; a JPEG decodes at a quarter size faster than at full size).
 */
export const decodeMip = async (
  blob: Blob,
  natural: { width: number; height: number },
): Promise<{ reduced: ImageBitmap; reducedRes: number }> => {
  const reduced = await createImageBitmap(blob, {
    resizeWidth: Math.max(1, Math.round(natural.width / 4)),
    resizeHeight: Math.max(1, Math.round(natural.height / 4)),
    resizeQuality: 'medium',
  });
  return { reduced, reducedRes: reduced.width / natural.width };
};

/** Where the image canvas is (CSS px) and its device pixel ratio: what a fitted copy is sized to. */
export interface StageHint {
  viewport: Size;
  dpr: number;
}

/** Device pixels of the whole image when the camera fits it into `viewport` (as the editor does). */
export const fittedSize = (natural: Size, stage: StageHint | null): Size | null => {
  if (!stage || stage.viewport.width <= 0 || stage.viewport.height <= 0) return null;
  const { scale } = fitCamera(stage.viewport, natural);
  return {
    width: Math.max(1, Math.round(natural.width * scale * stage.dpr)),
    height: Math.max(1, Math.round(natural.height * scale * stage.dpr)),
  };
};

/**
 * The whole image at `size` (the fitted view's device pixels), decoded again from the file after
 * the first bitmap and the mip: the view opens every image fitted, and drawing this copy 1:1 is
 * ~0.6 ms of raster where scaling the 12 MP bitmap into the canvas is 4–8 ms, in the frame that
 * shows a switch. Never before the first bitmap: resizing costs the worker 20–35 ms.
 */
export const decodeFit = (blob: Blob, size: Size): Promise<ImageBitmap> =>
  createImageBitmap(blob, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });

/** One region of the source at `res` bitmap pixels per source pixel. */
export const decodeRegion = (blob: Blob, rect: Rect, res: number): Promise<ImageBitmap> =>
  createImageBitmap(blob, rect.x, rect.y, rect.w, rect.h, {
    resizeWidth: Math.max(1, Math.round(rect.w * res)),
    resizeHeight: Math.max(1, Math.round(rect.h * res)),
    resizeQuality: res < 1 ? 'medium' : 'pixelated',
  });
