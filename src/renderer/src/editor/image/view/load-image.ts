/**
 * Images are decoded with createImageBitmap, which Chromium runs off the main thread, so a
 * 100-megapixel photo does not freeze the editor while it decodes. Large images also get a
 * quarter-size copy: drawn whenever the camera is zoomed out far enough that it looks the same,
 * it makes panning a big image cost like panning a small one.
 */
export interface LoadedImage {
  full: ImageBitmap;
  /** Reduced copy, or null when the image is small enough to draw directly. */
  mip: ImageBitmap | null;
  /** mip pixels per source pixel. */
  mipScale: number;
}

const MIP_MIN_SIDE = 2048;

export const loadImage = async (url: string, signal?: AbortSignal): Promise<LoadedImage> => {
  const res = await fetch(url, signal ? { signal } : {});
  if (!res.ok) throw new Error(`image request failed: HTTP ${res.status}`);
  const blob = await res.blob();
  const full = await createImageBitmap(blob);
  performance.mark('image-editor:decoded');
  if (Math.max(full.width, full.height) < MIP_MIN_SIDE) return { full, mip: null, mipScale: 1 };
  const mipScale = 0.25;
  const mip = await createImageBitmap(full, {
    resizeWidth: Math.max(1, Math.round(full.width * mipScale)),
    resizeHeight: Math.max(1, Math.round(full.height * mipScale)),
    resizeQuality: 'medium',
  });
  return { full, mip, mipScale };
};

/** Pick the bitmap to draw at a camera scale: the mip while it still has a pixel per screen pixel. */
export const bitmapFor = (img: LoadedImage, scale: number): { bitmap: ImageBitmap; k: number } =>
  img.mip && scale <= img.mipScale * 1.1 ? { bitmap: img.mip, k: 1 / img.mipScale } : { bitmap: img.full, k: 1 };
