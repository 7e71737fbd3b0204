import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DatasetWriter, type ExportRecord, SkipCounter, WRITERS } from '../../src/shared/export';
import { chunkText, ctxOf, imageRecord, textRecord } from '../../src/shared/export/test-helpers';
import { readCoco } from '../../src/hub/import/coco';
import { fromLsResult, joinLsKeypoints } from '../../src/hub/import/label-studio';
import { NotImported } from '../../src/hub/import/parse';
import { readVocXml, vocBoxes } from '../../src/hub/import/voc';
import { readDataYaml, readYoloLabels } from '../../src/hub/import/yolo';
import { type AnnotationResult, sliceCodePoints, codePointLength } from '../../src/shared/model';

const W = 640;
const H = 480;
const config = {
  tools: ['bbox', 'polygon', 'keypoints'],
  allowRotation: true,
  labels: [
    { name: 'a', color: '#ff0000' },
    { name: 'b', color: '#00ff00' },
  ],
  skeleton: { points: [{ name: 'p1' }, { name: 'p2' }, { name: 'p3' }], edges: [] },
};

const files = async (writer: DatasetWriter, recs: ExportRecord[], ctx = ctxOf('image', config)) => {
  const out = new Map<string, string>();
  async function* gen() {
    yield* recs;
  }
  for await (const c of writer(gen(), ctx, new SkipCounter()))
    out.set(c.file, (out.get(c.file) ?? '') + chunkText(c));
  return out;
};

// Coordinates include the image edges exactly (0 and W/H), as the issue asks.
const xCoord = fc.oneof(fc.constant(0), fc.constant(W), fc.double({ min: 0, max: W, noNaN: true }));
const yCoord = fc.oneof(fc.constant(0), fc.constant(H), fc.double({ min: 0, max: H, noNaN: true }));
const label = fc.constantFrom('a', 'b');
const axisBox = fc.record({ x0: xCoord, x1: xCoord, y0: yCoord, y1: yCoord, label }).map((b) => ({
  type: 'bbox' as const,
  label: b.label,
  x: Math.min(b.x0, b.x1),
  y: Math.min(b.y0, b.y1),
  w: Math.abs(b.x1 - b.x0),
  h: Math.abs(b.y1 - b.y0),
  rotation: 0,
}));
/** A rotated box wholly inside the image (a clamped one cannot come back unchanged). */
const rotatedBox = fc
  .record({
    cx: fc.double({ min: 100, max: W - 100, noNaN: true }),
    cy: fc.double({ min: 100, max: H - 100, noNaN: true }),
    w: fc.double({ min: 2, max: 120, noNaN: true }),
    h: fc.double({ min: 2, max: 120, noNaN: true }),
    rot: fc.double({ min: 0.5, max: 359.5, noNaN: true }),
    label,
  })
  .map((b) => ({
    type: 'bbox' as const,
    label: b.label,
    x: b.cx - b.w / 2,
    y: b.cy - b.h / 2,
    w: b.w,
    h: b.h,
    rotation: b.rot,
  }));
const polygon = fc
  .record({ points: fc.array(fc.tuple(xCoord, yCoord), { minLength: 3, maxLength: 8 }), label })
  .map((p) => ({ type: 'polygon' as const, ...p }));
const keypoints = fc
  .record({
    points: fc.array(
      fc.record({ x: xCoord, y: yCoord, v: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2> }),
      { minLength: 3, maxLength: 3 },
    ),
    label,
  })
  .map((k) => ({ type: 'keypoints' as const, ...k }));

const withIds = (rs: object[]) => rs.map((r, i) => ({ ...r, id: `r${i}`, attributes: {} }));
const near = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol);
const angle = (a: number, b: number) => Math.min(Math.abs(a - b) % 360, 360 - (Math.abs(a - b) % 360));

/** Compares geometry; `tol` in pixels. Keypoints with v = 0 compare by visibility only. */
const same = (got: AnnotationResult, want: AnnotationResult, tol: number, angleTol = 1e-4): void => {
  expect(got.type).toBe(want.type);
  if (got.type === 'bbox' && want.type === 'bbox') {
    for (const k of ['x', 'y', 'w', 'h'] as const) near(got[k], want[k], tol);
    expect(angle(got.rotation ?? 0, want.rotation ?? 0)).toBeLessThan(angleTol);
  } else if (got.type === 'polygon' && want.type === 'polygon') {
    expect(got.points).toHaveLength(want.points.length);
    got.points.forEach((p, i) => {
      near(p[0], want.points[i]![0], tol);
      near(p[1], want.points[i]![1], tol);
    });
  } else if (got.type === 'keypoints' && want.type === 'keypoints') {
    got.points.forEach((p, i) => {
      const w = want.points[i]!;
      expect(p.v).toBe(w.v);
      if (w.v > 0) {
        near(p.x, w.x, tol);
        near(p.y, w.y, tol);
      }
    });
  }
  if ('label' in got && 'label' in want) expect(got.label).toBe(want.label);
};

describe('export → import round trips (property)', () => {
  it('COCO carries boxes (rotated too), polygons and keypoints exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(axisBox, rotatedBox, polygon, keypoints), { maxLength: 12 }),
        async (rs) => {
          const rec = imageRecord('img.png', W, H, withIds(rs));
          const out = await files(WRITERS.coco, [rec]);
          const back = readCoco(out.get('annotations.json')!, 'annotations.json', new NotImported()).get(
            'img.jpg',
          )!;
          expect(back.results).toHaveLength(rec.results.length);
          back.results.forEach((r, i) => same(r, rec.results[i]!, 1e-6));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('YOLO detect, segment, pose and OBB carry their shapes to 6 decimals', async () => {
    const tol = 1e-6 * W;
    const cases = [
      ['yolo-detect', axisBox],
      ['yolo-segment', polygon],
      ['yolo-pose', keypoints],
      ['yolo-obb', rotatedBox],
    ] as const;
    for (const [format, arb] of cases) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(arb as fc.Arbitrary<object>, { minLength: 1, maxLength: 8 }),
          async (rs) => {
            const rec = imageRecord('img.png', W, H, withIds(rs));
            const out = await files(WRITERS[format], [rec]);
            const meta = readDataYaml(out.get('data.yaml')!, 'data.yaml');
            const back = readYoloLabels(
              out.get('labels/img.txt')!,
              'img.txt',
              format.slice(5) as never,
              meta,
              W,
              H,
            );
            expect(back).toHaveLength(rec.results.length);
            // OBB: the angle comes back from 6-decimal corners (a 2 px box: ~0.02° at most).
            back.forEach((r, i) => same(r, rec.results[i]!, format === 'yolo-obb' ? 2e-3 : tol, 0.05));
          },
        ),
        { numRuns: 60 },
      );
    }
  });

  it('Pascal VOC carries whole-pixel boxes exactly (edges too); polygons come back as their bounds', async () => {
    const intX = fc.oneof(fc.constant(0), fc.constant(W), fc.integer({ min: 0, max: W }));
    const intY = fc.oneof(fc.constant(0), fc.constant(H), fc.integer({ min: 0, max: H }));
    // VOC boxes are whole pixels, at least one wide: [x0, x1) with x0 < x1.
    const pixelBox = fc
      .record({ a: intX, b: intX, c: intY, d: intY, label, difficult: fc.boolean() })
      .filter((b) => b.a !== b.b && b.c !== b.d)
      .map((b) => ({
        type: 'bbox' as const,
        label: b.label,
        x: Math.min(b.a, b.b),
        y: Math.min(b.c, b.d),
        w: Math.abs(b.a - b.b),
        h: Math.abs(b.c - b.d),
        rotation: 0,
        attributes: b.difficult ? { difficult: true } : {},
      }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(pixelBox, polygon), { maxLength: 10 }), async (rs) => {
        const rec = imageRecord(
          'img.png',
          W,
          H,
          rs.map((r, i) => ({ attributes: {}, ...r, id: `r${i}` })),
        );
        const out = await files(WRITERS.voc, [rec]);
        const img = readVocXml(out.get('Annotations/img.xml')!, 'img.xml');
        expect(img).toMatchObject({ fileName: 'img.jpg', width: W, height: H });
        const n = new NotImported();
        const back = vocBoxes(img, W, H, 'img.xml', n);
        expect(n.list()).toEqual([]);
        expect(back).toHaveLength(rec.results.length);
        back.forEach((got, i) => {
          const want = rec.results[i]!;
          if (want.type === 'bbox') {
            expect(got).toMatchObject({ label: want.label, x: want.x, y: want.y, w: want.w, h: want.h });
            expect(got.attributes).toEqual(want.attributes);
          } else if (want.type === 'polygon') {
            // Bounds rounded to whole pixels, at least one wide (a line on the right edge
            // becomes the last pixel column): within a pixel.
            const xs = want.points.map((p) => p[0]);
            const ys = want.points.map((p) => p[1]);
            near(got.x, Math.min(...xs), 1);
            near(got.y, Math.min(...ys), 1);
            near(got.x + got.w, Math.max(...xs), 1);
            near(got.y + got.h, Math.max(...ys), 1);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('Label Studio carries rotated boxes, polygons, keypoints and spans over emoji and combining marks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(axisBox, rotatedBox, polygon, keypoints), { maxLength: 8 }),
        async (rs) => {
          const rec = imageRecord('img.png', W, H, withIds(rs));
          const [task] = JSON.parse((await files(WRITERS['label-studio'], [rec])).get('label-studio.json')!);
          const raw = task.annotations[0].result;
          const back = joinLsKeypoints(
            raw,
            raw.map((r: never) =>
              fromLsResult(
                r,
                { kind: 'image', width: W, height: H },
                '$',
                new NotImported(),
                (x) => `ls-${x}`,
              ),
            ),
            3,
          );
          // Keypoints with no labelled point leave no region; Label Studio marks none hidden.
          const want = rec.results
            .filter((r) => r.type !== 'keypoints' || r.points.some((p) => p.v > 0))
            .map((r) =>
              r.type === 'keypoints'
                ? { ...r, points: r.points.map((p) => ({ ...p, v: p.v === 0 ? 0 : 2 }) as typeof p) }
                : r,
            );
          expect(back).toHaveLength(want.length);
          back.forEach((r: AnnotationResult, i: number) => {
            same(r, want[i]!, 1e-6);
            expect(r.id).toBe(`ls-${want[i]!.id}`);
          });
        },
      ),
      { numRuns: 100 },
    );
    const pieces = fc.constantFrom('😀', 'Nguyễn', 'e\u0301', 'नमस्ते', 'สวัสดี', ' ', '\r\n', 'abc', '👩‍👩‍👧');
    await fc.assert(
      fc.asyncProperty(
        fc.array(pieces, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 5 }),
        async (parts, cuts) => {
          const text = parts.join('').normalize('NFC');
          const n = codePointLength(text);
          const spans = cuts
            .map(([a, b], i) => [Math.min(a % n, b % n), Math.max(a % n, b % n) + 1, i] as const)
            .map(([s, e, i]) => ({
              type: 'span',
              id: `s${i}`,
              label: 'a',
              start: s,
              end: Math.min(e, n),
              text: sliceCodePoints(text, s, Math.min(e, n)),
            }))
            .filter((s) => s.end > s.start);
          const rec = textRecord('t', text, spans);
          const [task] = JSON.parse(
            (
              await files(
                WRITERS['label-studio'],
                [rec],
                ctxOf('text', { tools: ['span'], labels: [{ name: 'a', color: '#ff0000' }] }),
              )
            ).get('label-studio.json')!,
          );
          const back = task.annotations[0].result.map((r: never) =>
            fromLsResult(r, { kind: 'text', text }, '$', new NotImported(), (x) => String(x)),
          );
          expect(
            back.map((s: { start: number; end: number; text: string }) => [s.start, s.end, s.text]),
          ).toEqual(spans.map((s) => [s.start, s.end, s.text]));
        },
      ),
      { numRuns: 150 },
    );
  });
});
