import type { AnnotationResult, LabelConfig, ProjectKind, TaskData } from '../model';

export type Split = 'train' | 'val' | 'test';
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

/**
 * One exported version of one task: the task's content and the results of the submission the
 * version filter picked. Sources (the hub's storage, the workbench's local queue) yield these
 * one at a time; writers never see the whole dataset.
 */
export interface ExportRecord {
  taskId: string;
  /** The id the task had in the client's import (a file name, a JSONL id); the task id if none. */
  sourceId: string;
  data: TaskData;
  results: readonly AnnotationResult[];
  annotator: string;
  /** Milliseconds since the epoch when the hub (or the workbench) stored the submission. */
  submittedAt: number;
  /** A late submission for a task someone else had already completed (kept, flagged). */
  conflict: boolean;
  /** Set when the export splits; writers then file the record under its split. */
  split?: Split;
}

export interface ExportProject {
  id: string;
  name: string;
  kind: ProjectKind;
  labelConfig: LabelConfig;
}

export interface ExportContext {
  project: ExportProject;
  /** True when the export splits train/val/test: files go to per-split folders/files. */
  split: boolean;
  /** Wall-clock time of the export (for `info` blocks), injected for reproducible output. */
  now: number;
}

/**
 * A piece of an output file. A writer yields these in order; consecutive pieces of one `file`
 * (a path relative to the export folder, `/`-separated) append. `last` says the writer will not
 * write to that file again, so the sink may close it (YOLO's one `.txt` per image).
 */
export interface OutChunk {
  file: string;
  text: string;
  last?: boolean;
}

/**
 * What a sink is given: a writer's piece, or the same piece as UTF-8 bytes (a format thread
 * encodes its output once and hands the bytes over without copying them; see
 * src/hub/export/format-thread.ts). A sink writes either as it is.
 */
export interface SinkChunk {
  file: string;
  text: string | Uint8Array;
  last?: boolean;
}

/** What a writer could not express in its format, counted and named in the export summary. */
export interface Skipped {
  reason: string;
  count: number;
}

export type DatasetWriter = (
  records: AsyncIterable<ExportRecord>,
  ctx: ExportContext,
  skipped: SkipCounter,
) => AsyncGenerator<SinkChunk, void, undefined>;

/** Counts results a format cannot carry, by reason. */
export class SkipCounter {
  private readonly counts = new Map<string, number>();
  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }
  list(): Skipped[] {
    return [...this.counts].map(([reason, count]) => ({ reason, count }));
  }
}

/**
 * Buffers many small strings for one file into pieces of about `size` characters, so a sink
 * gets few large writes (a million boxes are a million short lines).
 */
export class ChunkBuffer {
  // Appending to one string builds a rope that is flattened once, when the piece is written:
  // cheaper than an array of a million short strings joined.
  private text = '';
  constructor(
    readonly file: string,
    private readonly size = 1 << 16,
  ) {}
  /** Appends; true when the buffer is full and should be taken. */
  push(s: string): boolean {
    this.text += s;
    return this.text.length >= this.size;
  }
  take(last = false): OutChunk {
    const text = this.text;
    this.text = '';
    return last ? { file: this.file, text, last } : { file: this.file, text };
  }
  get empty(): boolean {
    return this.text.length === 0;
  }
}

const EXT_BY_MIME: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/bmp': '.bmp',
  'image/tiff': '.tif',
};

/**
 * The file name an image gets in an export: its import name (folders flattened with `__`,
 * characters unsafe on Windows or in YAML/CSV replaced by `_`), always ending in the
 * extension of its type. Source ids are unique in a project, so names are too.
 */
export const imageFileName = (r: ExportRecord): string => {
  if (r.data.kind !== 'image') throw new Error(`task ${r.taskId} is not an image task`);
  const ext = EXT_BY_MIME[r.data.image.mime] ?? '';
  const base = r.sourceId
    .replace(/[/\\]+/g, '__')
    .replace(/[^\p{L}\p{N}._+-]/gu, '_')
    .replace(/^\.+/, '_');
  const stem = base.replace(/\.(png|jpe?g|webp|gif|bmp|tiff?)$/i, '');
  return `${stem || '_'}${ext}`;
};

export const stemOf = (fileName: string): string => {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
};

/** Where an image sits in an export folder: `images/[split/]name` (YOLO and COCO expect this). */
export const imagePath = (r: ExportRecord, ctx: ExportContext): string =>
  `images/${ctx.split && r.split ? `${r.split}/` : ''}${imageFileName(r)}`;

/** The three fraction digits of 0 < f < 1000, trailing zeros dropped ("5", "25", "125"). */
const frac3 = (f: number): string =>
  f % 100 === 0
    ? String(f / 100)
    : f % 10 === 0
      ? (f < 100 ? '0' : '') + String(f / 10)
      : String(1000 + f).slice(1);

/**
 * Shortest round-tripping decimal of a coordinate, with -0 written as 0: exactly `String(n)`.
 * Integers and values with at most three decimals (imported pixel coordinates, halves and
 * quarters) take a fast path that builds the same digits from integers: a double within
 * 1e-3…1e9 that equals m/1000 has exactly one decimal of ≤ 3 fraction digits that reads back
 * as it, so that decimal is the shortest. Anything else goes to `String`.
 */
export const num = (n: number): string => {
  if (Number.isInteger(n)) return n === 0 ? '0' : String(n);
  const a = n < 0 ? -n : n;
  if (a >= 1e-3 && a < 1e9) {
    const m = Math.round(a * 1000);
    if (m / 1000 === a) {
      const i = Math.floor(m / 1000);
      return `${n < 0 ? '-' : ''}${i}.${frac3(m - i * 1000)}`;
    }
  }
  return String(n);
};

/**
 * Fixed decimals without trailing zeros (YOLO's normalized values): `toFixed(digits)` trimmed.
 * For 0 ≤ n ≤ 1 and 6 digits (every YOLO value) the digits come from one rounded integer,
 * unless n·10⁶ lies within 10⁻⁶ of a tie, where only toFixed's exact decimal rounding is right.
 */
export const fixed = (n: number, digits: number): string => {
  if (digits === 6 && n >= 0 && n <= 1) {
    const scaled = n * 1e6;
    const f = scaled - Math.floor(scaled);
    if (f < 0.499999 || f > 0.500001) {
      let m = Math.round(scaled);
      if (m === 0) return '0';
      if (m === 1e6) return '1';
      let width = 6;
      while (m % 10 === 0) {
        m /= 10;
        width--;
      }
      return `0.${String(m).padStart(width, '0')}`;
    }
  }
  const s = n.toFixed(digits);
  const t = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return t === '-0' ? '0' : t;
};

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
