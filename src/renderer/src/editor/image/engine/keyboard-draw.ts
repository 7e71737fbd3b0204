import { visibleWorld } from '../../core/camera';
import { REGION_KINDS, regionKind } from '../kinds';
import type { ImageEditorEngine } from './engine';
import { newId } from './records';

/**
 * Drawing by keyboard: I inserts a region of the active tool's kind (the first kind that can be
 * drawn by keys when the select tool is active) at the centre of the view, selected, so arrows
 * move it and Alt+arrows resize it. False when no offered kind can be drawn by keys.
 */
export const insertRegion = (engine: ImageEditorEngine): boolean => {
  const tool = engine.session.get().tool;
  const kind =
    REGION_KINDS.find((k) => k.type === tool && k.keyboard) ??
    REGION_KINDS.find((k) => k.keyboard && engine.config.tools.includes(k.type));
  if (!kind?.keyboard) return false;
  const { camera, viewport } = engine.session.get();
  const v = visibleWorld(camera, viewport);
  const clamp = (x: number, max: number) => Math.min(Math.max(x, 0), max);
  const at: [number, number] = [
    clamp((v.minX + v.maxX) / 2, engine.image.width),
    clamp((v.minY + v.maxY) / 2, engine.image.height),
  ];
  const size = Math.max(4, Math.min(v.maxX - v.minX, v.maxY - v.minY) / 6);
  const region = kind.keyboard.create({ id: newId(), ...engine.newRegionBase() }, at, size);
  engine.add([region]);
  engine.select([region.id]);
  return true;
};

/** Alt+arrows: resize the single selected region (if its kind can be resized by keys). */
export const resizeSelected = (engine: ImageEditorEngine, dw: number, dh: number): boolean => {
  const sel = engine.selected();
  if (sel.length !== 1 || engine.session.get().locked.has(sel[0]!.id)) return false;
  const r = sel[0]!;
  const resize = regionKind(r).keyboard?.resize;
  if (!resize) return false;
  engine.update([resize(r, dw, dh)]);
  return true;
};
