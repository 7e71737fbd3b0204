import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LabelConfig, type LabelConfigInput, type ProjectKind } from '../../shared/model';
import { InputError } from '../admin/errors';

interface Node {
  tag: string;
  attrs: Record<string, string>;
  children: Node[];
}

const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#008080',
  '#9a6324',
];

const toNodes = (raw: unknown[]): Node[] =>
  raw.flatMap((item) => {
    const o = item as Record<string, unknown>;
    const tag = Object.keys(o).find((k) => k !== ':@' && k !== '#text');
    if (!tag) return [];
    const attrs = (o[':@'] ?? {}) as Record<string, string>;
    return [{ tag, attrs, children: toNodes((o[tag] as unknown[]) ?? []) }];
  });

const walk = (n: Node, f: (n: Node) => boolean): void => {
  if (f(n)) for (const c of n.children) walk(c, f);
};

/**
 * A Label Studio labeling config (XML) as our label config, with every tag or attribute that
 * has no counterpart listed (never silently dropped). Object tags: Image → an image project,
 * Text → a text project. Controls: RectangleLabels (bbox; canRotate), PolygonLabels, Labels
 * (spans), Relations, Choices (image or document classes), KeyPointLabels (its labels become
 * skeleton points of one "keypoints" label).
 */
export const translateLabelStudioConfig = (
  xml: string,
  file: string,
): { kind: ProjectKind; labelConfig: LabelConfig; untranslated: string[] } => {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new InputError(`${file} line ${valid.err.line}: ${valid.err.msg}`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true });
  let parsed: unknown[];
  try {
    parsed = parser.parse(xml) as unknown[];
  } catch (e) {
    // What the validator lets through and the parser refuses (two DOCTYPEs, say).
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
  const roots = toNodes(parsed);
  const view = roots.find((n) => n.tag === 'View');
  if (!view) throw new InputError(`${file}: the config has no <View> root`);
  const untranslated: string[] = [];
  let kind: ProjectKind | undefined;
  const tools = new Set<LabelConfigInput['tools'][number]>();
  const labels = new Map<string, { name: string; color: string }>();
  const relations: { name: string; color: string }[] = [];
  const classes: NonNullable<LabelConfigInput['classes']> = [];
  let skeleton: { points: { name: string }[] } | undefined;
  let allowRotation = false;
  const color = (a: Record<string, string>, i: number): string =>
    /^#[0-9a-fA-F]{6}$/.test(a.background ?? '')
      ? (a.background as string)
      : (PALETTE[i % PALETTE.length] as string);
  const labelsOf = (n: Node): { name: string; color: string }[] =>
    n.children
      .filter((c) => c.tag === 'Label')
      .map((c, i) => ({ name: c.attrs.value ?? '', color: color(c.attrs, i) }))
      .filter((l) => l.name);
  walk(view, (n) => {
    switch (n.tag) {
      case 'View':
      case 'Header':
      case 'Style':
        return true;
      case 'Image':
      case 'Text':
      case 'HyperText': {
        const k: ProjectKind = n.tag === 'Image' ? 'image' : 'text';
        if (kind && kind !== k)
          untranslated.push(`<${n.tag} name="${n.attrs.name ?? ''}">: a second object of another kind`);
        kind ??= k;
        if (n.tag === 'HyperText') untranslated.push('<HyperText>: imported as plain text');
        return false;
      }
      case 'RectangleLabels':
      case 'PolygonLabels':
      case 'Labels':
        tools.add(n.tag === 'RectangleLabels' ? 'bbox' : n.tag === 'PolygonLabels' ? 'polygon' : 'span');
        if (n.tag === 'RectangleLabels' && n.attrs.canRotate !== 'false') allowRotation = true;
        for (const l of labelsOf(n)) labels.set(l.name, l);
        return false;
      case 'KeyPointLabels':
        tools.add('keypoints');
        skeleton = { points: labelsOf(n).map((l) => ({ name: l.name })) };
        labels.set('keypoints', { name: 'keypoints', color: '#ff8800' });
        untranslated.push(
          '<KeyPointLabels>: its labels became the skeleton points of one "keypoints" label (no edges)',
        );
        return false;
      case 'Relations':
        tools.add('relation');
        relations.push(
          ...n.children
            .filter((c) => c.tag === 'Relation')
            .map((c, i) => ({ name: c.attrs.value ?? `relation ${i + 1}`, color: color(c.attrs, i) })),
        );
        return false;
      case 'Choices': {
        const options = n.children
          .filter((c) => c.tag === 'Choice')
          .map((c, i) => ({ name: c.attrs.value ?? '', color: color(c.attrs, i) }))
          .filter((o) => o.name);
        if (options.length)
          classes.push({
            name: n.attrs.name ?? `choices ${classes.length + 1}`,
            multiple: n.attrs.choice === 'multiple',
            options,
          });
        return false;
      }
      default:
        untranslated.push(`<${n.tag}${n.attrs.name ? ` name="${n.attrs.name}"` : ''}>`);
        return false;
    }
  });
  if (!kind)
    throw new InputError(
      `${file}: no <Image> or <Text> object tag; only image and text projects can be imported`,
    );
  if (classes.length) tools.add(kind === 'image' ? 'image-class' : 'doc-class');
  if (tools.size === 0)
    throw new InputError(
      `${file}: no control tag we can translate (RectangleLabels, PolygonLabels, Labels, Choices…)`,
    );
  if (tools.has('relation') && relations.length === 0) relations.push({ name: 'related', color: '#888888' });
  const r = LabelConfig.safeParse({
    tools: [...tools],
    labels: [...labels.values()],
    classes,
    relations,
    skeleton,
    allowRotation,
  });
  if (!r.success)
    throw new InputError(
      `${file}: translated config: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`,
    );
  return { kind, labelConfig: r.data, untranslated };
};
