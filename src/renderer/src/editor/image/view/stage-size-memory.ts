import { z } from 'zod';

/**
 * The image stage's last size in a window of this size, kept across sessions: the spare stage's
 * canvases are given it at an idle moment, so a window's first image open does not allocate
 * them (20–26 ms a canvas on the reference VM, on the way to the image's first frame).
 */
export interface StageSize {
  width: number;
  height: number;
}

const KEY = 'outrigger.stageSize';
/** Window geometries remembered (a few monitors and window sizes a person uses). */
const KEEP = 6;

const Side = z.number().int().positive().max(16_384);
const Stored = z.array(
  z.object({ window: z.string().max(40), size: z.object({ width: Side, height: Side }) }).strict(),
);

/** This window's geometry: its inner size and pixel ratio (the stage's size follows from them). */
const windowKey = (): string => `${window.innerWidth}x${window.innerHeight}@${window.devicePixelRatio || 1}`;

const read = (): z.infer<typeof Stored> => {
  try {
    const parsed = Stored.safeParse(JSON.parse(localStorage.getItem(KEY) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return []; // storage off, or not JSON: nothing remembered
  }
};

/** The stage's size the last time an image editor measured itself in a window like this one. */
export const recallStageSize = (): StageSize | null =>
  read().find((e) => e.window === windowKey())?.size ?? null;

/** A resize drag sizes the stage every frame: only its last size is written, this long after. */
const WRITE_AFTER_MS = 1_000;
let pendingWrite: ReturnType<typeof setTimeout> | undefined;
/** Geometries this window has written a size for: their first is written at once. */
const writtenHere = new Set<string>();

/**
 * Remembers the stage's size for this window geometry. A geometry's first size in this window is
 * written at once (a window closed within the second still leaves it for the next one); later
 * sizes once they stop changing.
 */
export const rememberStageSize = (size: StageSize): void => {
  const w = windowKey();
  clearTimeout(pendingWrite);
  if (!writtenHere.has(w)) {
    writtenHere.add(w);
    return write(w, size);
  }
  pendingWrite = setTimeout(() => write(w, size), WRITE_AFTER_MS);
};

const write = (w: string, size: StageSize): void => {
  const all = read();
  const known = all.find((e) => e.window === w)?.size;
  if (known && known.width === size.width && known.height === size.height) return;
  const next = [
    { window: w, size: { width: size.width, height: size.height } },
    ...all.filter((e) => e.window !== w),
  ];
  try {
    localStorage.setItem(KEY, JSON.stringify(next.slice(0, KEEP)));
  } catch {
    // Storage can be off: the next window's first open allocates its canvases then.
  }
};
