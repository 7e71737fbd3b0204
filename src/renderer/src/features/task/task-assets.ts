import { needsOverview } from '../../editor/image/view/detail-plan';
import { preparedImages } from '../../editor/image/view/prepared-images';
import { preparedTexts } from '../../editor/text/prepared-texts';
import type { AssetPreparer } from './prepare-cache';

/** How long a handed-over task's assets wait for its editor to take them. */
const HAND_OVER_MS = 10_000;

/** Long side of a large image's overview, as `overviewLongSide` sizes it on a common screen. */
const OVERVIEW_ESTIMATE_SIDE = 4096;

/** Decoded bytes an image will hold: the full RGBA bitmap and its quarter-size mip, or the overview. */
export const imageBytes = (size: { width: number; height: number }): number => {
  if (needsOverview(size)) {
    const r = OVERVIEW_ESTIMATE_SIDE / Math.max(size.width, size.height);
    return Math.round(size.width * r) * Math.round(size.height * r) * 4;
  }
  return Math.round(size.width * size.height * 4 * (1 + 1 / 16));
};

/**
 * The task screen's assets, prepared by the editors' own preparers: an image task's image fetched
 * and decoded (mip included) to bitmaps ready to draw, a text task's text indexed and segmented.
 */
export const taskAssets = (assetUrl: (sha256: string) => string): AssetPreparer => ({
  key(view) {
    const d = view.task.data;
    if (d.kind === 'image') return `image:${d.image.sha256}`;
    if (d.kind === 'text') return `text:${d.text}`;
    return d.kind;
  },
  async prepare(view) {
    const d = view.task.data;
    if (d.kind === 'image') await preparedImages.prepare(assetUrl(d.image.sha256), d.image);
    else if (d.kind === 'text') preparedTexts.prepare(d.text);
  },
  bytes(view) {
    const d = view.task.data;
    if (d.kind === 'image') return preparedImages.bytes(assetUrl(d.image.sha256)) || imageBytes(d.image);
    if (d.kind === 'text') return preparedTexts.bytes(d.text) || d.text.length * 12;
    return 0;
  },
  release(view) {
    const d = view.task.data;
    if (d.kind === 'image') preparedImages.drop(assetUrl(d.image.sha256));
    else if (d.kind === 'text') preparedTexts.drop(d.text);
  },
  handOver(view) {
    const d = view.task.data;
    if (d.kind === 'image') preparedImages.expire(assetUrl(d.image.sha256), HAND_OVER_MS);
    else if (d.kind === 'text') preparedTexts.expire(d.text, HAND_OVER_MS);
  },
});
