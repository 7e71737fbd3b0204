import type { LabelConfig } from '../model';

/**
 * Class ids for a project's region labels, in label-config order. COCO numbers categories from
 * 1, YOLO from 0; a label a result carries that the config no longer lists (a config edited
 * after the work) is appended, so nothing is lost and ids stay stable for the listed ones.
 */
export class LabelIndex {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  constructor(config: LabelConfig) {
    for (const l of config.labels) this.id(l.name);
  }
  /** 0-based index of a label, registering an unknown one at the end. */
  id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(name, i);
      this.names.push(name);
    }
    return i;
  }
  has(name: string): boolean {
    return this.ids.has(name);
  }
}
