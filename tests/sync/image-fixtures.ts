import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { assetPath, type HubStorage } from '../../src/hub';
import { LabelConfig, type Annotation, type ImageAsset, type Task } from '../../src/shared/model';
import { DEMO_DIR } from './harness';

/**
 * An image project of `count` tasks straight into hub storage, each with its own asset of
 * `bytesOf(i)` random bytes (declared a 4000×3000 JPEG: sync moves bytes, nothing decodes them).
 * Cheap by the thousand; used by the slow-link tests and bench.
 */
export const createSyntheticImageProject = async (
  storage: HubStorage,
  hubDataDir: string,
  o: { id: string; count: number; bytesOf: (i: number) => number; seed?: number },
): Promise<{ projectId: string; assets: ImageAsset[] }> => {
  const cfg = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'image-project.json'), 'utf8')) as {
    labelConfig: unknown;
  };
  const assets: ImageAsset[] = [];
  for (let i = 0; i < o.count; i++) {
    const bytes = crypto.randomBytes(o.bytesOf(i));
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const file = assetPath(hubDataDir, sha256);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    assets.push({
      sha256,
      width: 4000,
      height: 3000,
      mime: 'image/jpeg',
      bytes: bytes.length,
      fileName: `i${i}.jpg`,
    });
  }
  const tasks = assets.map((image, i) => {
    const task: Task = {
      id: `${o.id}:${i}`,
      projectId: o.id,
      data: { kind: 'image', image },
      predictions: [],
      meta: {},
    };
    return { task, assetSha256: image.sha256 };
  });
  await storage.createProject(
    {
      id: o.id,
      name: `Images ${o.id}`,
      kind: 'image',
      labelConfig: LabelConfig.parse(cfg.labelConfig),
      leaseHours: 72,
      overlap: 1,
    },
    tasks,
    assets,
    Date.now(),
  );
  return { projectId: o.id, assets };
};

/** A polygon-heavy annotation: `polygons` × `points` vertices, one decimal each (as drawn). */
export const polygonAnnotation = (
  random: () => number,
  activeMs: number,
  polygons = 20,
  points = 40,
): Annotation => ({
  activeMs,
  results: Array.from({ length: polygons }, (_, k) => {
    const cx = random() * 3600 + 200;
    const cy = random() * 2600 + 200;
    return {
      type: 'polygon' as const,
      id: `p${k}`,
      label: ['person', 'animal', 'object'][k % 3]!,
      points: Array.from({ length: points }, (_, j) => {
        const a = (j / points) * 2 * Math.PI;
        const r = 80 + random() * 60;
        return [
          Math.round((cx + r * Math.cos(a)) * 10) / 10,
          Math.round((cy + r * Math.sin(a)) * 10) / 10,
        ] as [number, number];
      }),
      attributes: {},
    };
  }),
});
