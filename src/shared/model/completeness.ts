import type { Annotation } from './annotation';
import type { LabelConfig } from './label-config';

const REGION_TYPES = new Set(['bbox', 'polygon', 'polyline', 'keypoints', 'span']);

export type Completeness =
  | { kind: 'ok' }
  /** Nothing labeled at all: allowed, but only deliberately (a second key). */
  | { kind: 'empty' }
  /** The label config's rules this annotation breaks, each in words. */
  | { kind: 'incomplete'; missing: string[] };

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Checks an annotation against its label config's rules (issue 16.4): required label classes,
 * required choice groups, required attributes on each region, a minimum number of regions. An
 * annotation with no results is `empty` when the config asks nothing of it, and `incomplete`
 * when it does (an empty submission must not pass a rule by being empty).
 */
export const checkCompleteness = (config: LabelConfig, annotation: Annotation): Completeness => {
  const missing: string[] = [];
  const regions = annotation.results.filter((r) => REGION_TYPES.has(r.type));
  if (config.minRegions !== undefined && regions.length < config.minRegions)
    missing.push(
      `at least ${plural(config.minRegions, 'region')} (${regions.length === 0 ? 'none' : regions.length} so far)`,
    );
  for (const label of config.labels) {
    if (label.required && !regions.some((r) => 'label' in r && r.label === label.name))
      missing.push(`a "${label.name}" region`);
  }
  for (const group of config.classes) {
    if (!group.required) continue;
    const chosen = annotation.results.some(
      (r) =>
        (r.type === 'image-class' || r.type === 'doc-class') && r.group === group.name && r.labels.length > 0,
    );
    if (!chosen) missing.push(`a choice for "${group.name}"`);
  }
  const byLabel = new Map(config.labels.map((l) => [l.name, l]));
  const unset = new Map<string, number>();
  for (const r of regions) {
    if (!('label' in r) || !('attributes' in r)) continue;
    for (const a of byLabel.get(r.label)?.attributes ?? []) {
      if (!a.required) continue;
      const v = (r.attributes as Record<string, string | boolean>)[a.name];
      const answered = a.type === 'checkbox' ? v === true : typeof v === 'string' && v.trim() !== '';
      if (!answered) {
        const key = `"${a.name}" on ${r.label}`;
        unset.set(key, (unset.get(key) ?? 0) + 1);
      }
    }
  }
  for (const [key, n] of unset) missing.push(`${key} (${plural(n, 'region')} without it)`);
  if (missing.length > 0) return { kind: 'incomplete', missing };
  return annotation.results.length === 0 ? { kind: 'empty' } : { kind: 'ok' };
};

/** The message Enter shows for an incomplete task: "Missing: a "Car" region; …". */
export const missingInWords = (missing: readonly string[]): string =>
  `Not submitted. Missing: ${missing.join('; ')}.`;
