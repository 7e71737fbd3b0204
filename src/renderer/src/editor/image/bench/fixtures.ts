import {
  LOCAL_DELIVERY,
  type AnnotationResult,
  type LabelConfig,
  type Prediction,
} from '../../../../../shared/model';
import type { TaskView } from '../../../../../shared/contract';

/** Deterministic pseudo-random numbers, so every bench run draws the same scene. */
export const rng = (seed: number) => () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

export const makeBoxes = (
  n: number,
  w: number,
  h: number,
  labels: string[],
  seed = 1,
): AnnotationResult[] => {
  const r = rng(seed);
  const out: AnnotationResult[] = [];
  for (let i = 0; i < n; i++) {
    const bw = 16 + r() * 110;
    const bh = 16 + r() * 110;
    out.push({
      type: 'bbox',
      id: `b${i}`,
      label: labels[i % labels.length]!,
      x: r() * (w - bw),
      y: r() * (h - bh),
      w: bw,
      h: bh,
      rotation: 0,
      attributes: {},
    });
  }
  return out;
};

export const makePolygons = (
  n: number,
  pts: number,
  w: number,
  h: number,
  labels: string[],
  seed = 2,
): AnnotationResult[] => {
  const r = rng(seed);
  const out: AnnotationResult[] = [];
  for (let i = 0; i < n; i++) {
    const rad = 25 + r() * 70;
    const cx = rad + r() * (w - 2 * rad);
    const cy = rad + r() * (h - 2 * rad);
    const points: [number, number][] = [];
    for (let k = 0; k < pts; k++) {
      const a = (k / pts) * Math.PI * 2;
      const rr = rad * (0.7 + 0.3 * r());
      points.push([cx + Math.cos(a) * rr, cy + Math.sin(a) * rr]);
    }
    out.push({ type: 'polygon', id: `p${i}`, label: labels[i % labels.length]!, points, attributes: {} });
  }
  return out;
};

export const makePredictions = (n: number, w: number, h: number, labels: string[]): Prediction[] => [
  {
    model: 'detector-v3',
    results: makeBoxes(n, w, h, labels, 7).map((b, i) => ({ ...b, score: 0.3 + ((i * 37) % 70) / 100 })),
  },
];

/** A synthetic photo-like 4000×3000 image (gradients and shapes), encoded as JPEG. */
export const syntheticImage = async (w: number, h: number): Promise<Blob> => {
  const c = new OffscreenCanvas(w, h);
  const ctx = c.getContext('2d')!;
  const g = ctx.createLinearGradient(0, 0, w, h);
  g.addColorStop(0, '#2b4162');
  g.addColorStop(0.5, '#6b8f71');
  g.addColorStop(1, '#d3b88c');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  const r = rng(3);
  for (let i = 0; i < 400; i++) {
    ctx.fillStyle = `hsla(${Math.floor(r() * 360)}, 45%, ${30 + r() * 40}%, 0.35)`;
    ctx.beginPath();
    ctx.arc(r() * w, r() * h, 10 + r() * 180, 0, Math.PI * 2);
    ctx.fill();
  }
  return c.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
};

export const benchView = (
  config: LabelConfig,
  size: { width: number; height: number },
  predictions: Prediction[],
): TaskView => ({
  task: {
    id: `bench-${Date.now()}`,
    projectId: 'bench',
    data: {
      kind: 'image',
      image: {
        sha256: '0'.repeat(64),
        width: size.width,
        height: size.height,
        mime: 'image/jpeg',
        bytes: 0,
        fileName: 'bench.jpg',
      },
    },
    predictions,
    meta: {},
  },
  project: { id: 'bench', name: 'Bench', kind: 'image', labelConfig: config, leaseHours: 72, overlap: 1 },
  status: 'in_progress',
  draft: null,
  submitted: null,
  leaseExpiresAt: null,
  delivery: LOCAL_DELIVERY,
});
