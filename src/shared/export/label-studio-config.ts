import type { LabelConfig, ProjectKind } from '../model';
import { xmlEscape } from './voc';

/**
 * Control names our Label Studio export uses: results name these in `from_name`/`to_name`, and
 * `labelStudioConfigXml` declares them, so an exported file imports into a project created
 * with that config.
 */
export const LS_NAMES = {
  image: 'image',
  text: 'text',
  box: 'box',
  polygon: 'polygon',
  keypoint: 'keypoint',
  label: 'label',
  relations: 'relations',
} as const;

const labelTags = (labels: LabelConfig['labels']): string =>
  labels.map((l) => `    <Label value="${xmlEscape(l.name)}" background="${l.color}"/>\n`).join('');

/** Our label config as Label Studio's XML labeling config (what our results reference). */
export const labelStudioConfigXml = (kind: ProjectKind, c: LabelConfig): string => {
  const to = kind === 'image' ? LS_NAMES.image : LS_NAMES.text;
  const parts: string[] = [];
  if (kind === 'image') {
    parts.push(`  <Image name="${LS_NAMES.image}" value="$image"/>\n`);
    if (c.tools.includes('bbox'))
      parts.push(
        `  <RectangleLabels name="${LS_NAMES.box}" toName="${to}"${c.allowRotation ? '' : ' canRotate="false"'}>\n${labelTags(c.labels)}  </RectangleLabels>\n`,
      );
    if (c.tools.includes('polygon'))
      parts.push(
        `  <PolygonLabels name="${LS_NAMES.polygon}" toName="${to}">\n${labelTags(c.labels)}  </PolygonLabels>\n`,
      );
    if (c.tools.includes('keypoints') && c.skeleton)
      parts.push(
        `  <KeyPointLabels name="${LS_NAMES.keypoint}" toName="${to}">\n${c.skeleton.points.map((p) => `    <Label value="${xmlEscape(p.name)}"/>\n`).join('')}  </KeyPointLabels>\n`,
      );
  } else {
    parts.push(`  <Text name="${LS_NAMES.text}" value="$text"/>\n`);
    if (c.tools.includes('span'))
      parts.push(`  <Labels name="${LS_NAMES.label}" toName="${to}">\n${labelTags(c.labels)}  </Labels>\n`);
    if (c.relations.length)
      parts.push(
        `  <Relations>\n${c.relations.map((r) => `    <Relation value="${xmlEscape(r.name)}"/>\n`).join('')}  </Relations>\n`,
      );
  }
  for (const g of c.classes)
    parts.push(
      `  <Choices name="${xmlEscape(g.name)}" toName="${to}" choice="${g.multiple ? 'multiple' : 'single'}">\n${g.options.map((o) => `    <Choice value="${xmlEscape(o.name)}"/>\n`).join('')}  </Choices>\n`,
    );
  return `<View>\n${parts.join('')}</View>\n`;
};
