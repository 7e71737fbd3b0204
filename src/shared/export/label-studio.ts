import type { AnnotationResult } from '../model';
import { codePointToUtf16 } from '../model';
import { boxCorners } from '../geometry';
import { normDeg } from './geometry';
import { LS_NAMES, labelStudioConfigXml } from './label-studio-config';
import { ChunkBuffer, type DatasetWriter, type ExportRecord, imagePath } from './record';

/**
 * Label Studio JSON tasks (labelstud.io/guide/task_format), importable into a Label Studio
 * project created with the `label_config.xml` written beside it.
 *
 * Coordinates: image regions in **percent (0–100)** of `original_width`/`original_height`
 * (the displayed image). Rectangles are `{x, y, width, height, rotation}` where Label Studio
 * rotates about the rectangle's top-left corner: `x, y` is our rotated box's own top-left
 * corner, so the same box appears. Polygons are `points: [[x%, y%], …]`. Keypoints: each
 * labelled point a `keypointlabels` region named after its skeleton point (Label Studio has no
 * skeletons or visibility; points with v = 0 are left out). Text spans are `{start, end, text}`
 * end-exclusive in **UTF-16 code units**, the units Label Studio's editor selects in (it has
 * long mixed them with code points; `text` is written too, so either reading can be checked).
 * Relations reference region ids; image and document classes are `choices` under their group's
 * name. Comparisons and polylines have no Label Studio form here (counted as skipped).
 *
 * Layout: `label-studio.json` (one array, streamed) and `label_config.xml`.
 */
export const writeLabelStudio: DatasetWriter = async function* (records, ctx, skipped) {
  const out = new ChunkBuffer('label-studio.json');
  out.push('[');
  let first = true;
  let id = 0;
  for await (const r of records) {
    const names = ctx.project.labelConfig.skeleton?.points.map((p) => p.name) ?? [];
    const result = r.results.flatMap((res) => lsResults(res, r, names, skipped));
    const task = {
      id: ++id,
      data: taskData(r, ctx),
      meta: { source_id: r.sourceId, outrigger_task_id: r.taskId, ...(r.split ? { split: r.split } : {}) },
      annotations: [
        {
          result,
          completed_by: r.annotator,
          created_at: new Date(r.submittedAt).toISOString(),
          ...(r.conflict ? { conflict: true } : {}),
        },
      ],
    };
    if (out.push(`${first ? '' : ','}\n${JSON.stringify(task)}`)) yield out.take();
    first = false;
  }
  out.push('\n]\n');
  yield out.take(true);
  yield {
    file: 'label_config.xml',
    text: labelStudioConfigXml(ctx.project.kind, ctx.project.labelConfig),
    last: true,
  };
};

const taskData = (r: ExportRecord, ctx: Parameters<typeof imagePath>[1]): Record<string, unknown> => {
  if (r.data.kind === 'image') return { image: imagePath(r, ctx) };
  if (r.data.kind === 'text') return { text: r.data.text, ...(r.data.title ? { title: r.data.title } : {}) };
  return { prompt: r.data.prompt, responses: r.data.responses };
};

const pct = (v: number, of: number): number => (v / of) * 100;

export const lsResults = (
  res: AnnotationResult,
  r: ExportRecord,
  pointNames: readonly string[],
  skipped: { add(reason: string): void },
): Record<string, unknown>[] => {
  const img = r.data.kind === 'image' ? r.data.image : undefined;
  const to = img ? LS_NAMES.image : LS_NAMES.text;
  const dims = img ? { original_width: img.width, original_height: img.height, image_rotation: 0 } : {};
  if (img && res.type === 'bbox') {
    const [tl] = boxCorners(res);
    return [
      {
        id: res.id,
        type: 'rectanglelabels',
        from_name: LS_NAMES.box,
        to_name: to,
        ...dims,
        value: {
          x: pct(tl![0], img.width),
          y: pct(tl![1], img.height),
          width: pct(res.w, img.width),
          height: pct(res.h, img.height),
          rotation: normDeg(res.rotation ?? 0),
          rectanglelabels: [res.label],
        },
        ...(res.score === undefined ? {} : { score: res.score }),
      },
    ];
  }
  if (img && res.type === 'polygon')
    return [
      {
        id: res.id,
        type: 'polygonlabels',
        from_name: LS_NAMES.polygon,
        to_name: to,
        ...dims,
        value: {
          points: res.points.map(([x, y]) => [pct(x, img.width), pct(y, img.height)]),
          closed: true,
          polygonlabels: [res.label],
        },
      },
    ];
  if (img && res.type === 'keypoints')
    return res.points.flatMap((p, i) => {
      if (p.v === 0) return [];
      return [
        {
          id: `${res.id}_${i}`,
          type: 'keypointlabels',
          from_name: LS_NAMES.keypoint,
          to_name: to,
          ...dims,
          value: {
            x: pct(p.x, img.width),
            y: pct(p.y, img.height),
            width: 0.5,
            keypointlabels: [pointNames[i] ?? String(i + 1)],
          },
          meta: { text: [res.label] },
        },
      ];
    });
  if (res.type === 'image-class' || res.type === 'doc-class')
    return [
      { id: res.id, type: 'choices', from_name: res.group, to_name: to, value: { choices: res.labels } },
    ];
  if (res.type === 'span' && r.data.kind === 'text') {
    const text = r.data.text;
    return [
      {
        id: res.id,
        type: 'labels',
        from_name: LS_NAMES.label,
        to_name: to,
        value: {
          start: codePointToUtf16(text, res.start),
          end: codePointToUtf16(text, res.end),
          text: res.text,
          labels: [res.label],
        },
      },
    ];
  }
  if (res.type === 'relation')
    return [{ type: 'relation', from_id: res.from, to_id: res.to, direction: 'right', labels: [res.label] }];
  skipped.add(`${res.type} results have no Label Studio form`);
  return [];
};
