import { LabelConfig, type AnnotationResult } from '../model';
import { AnnotationResult as ResultSchema } from '../model';
import {
  type DatasetWriter,
  type ExportContext,
  type ExportRecord,
  type SinkChunk,
  SkipCounter,
} from './record';

declare const TextDecoder: new () => { decode(b: Uint8Array): string };
const utf8 = new TextDecoder();

/** A piece's text, whether a writer gave it as text or as UTF-8 bytes (tests only). */
export const chunkText = (c: SinkChunk): string =>
  typeof c.text === 'string' ? c.text : utf8.decode(c.text);

/** Runs a writer over records and gathers its files (tests only). */
export const collect = async (
  writer: DatasetWriter,
  records: ExportRecord[],
  ctx: ExportContext,
): Promise<{ files: Map<string, string>; skipped: SkipCounter; closed: string[] }> => {
  const files = new Map<string, string>();
  const closed: string[] = [];
  const skipped = new SkipCounter();
  async function* gen() {
    yield* records;
  }
  for await (const c of writer(gen(), ctx, skipped)) {
    if (closed.includes(c.file)) throw new Error(`${c.file} written after it was closed`);
    files.set(c.file, (files.get(c.file) ?? '') + chunkText(c));
    if (c.last) closed.push(c.file);
  }
  return { files, skipped, closed };
};

export const ctxOf = (
  kind: ExportContext['project']['kind'],
  config: unknown,
  split = false,
): ExportContext => ({
  project: { id: 'p', name: 'Proj', kind, labelConfig: LabelConfig.parse(config) },
  split,
  now: Date.UTC(2026, 0, 2),
});

const SHA = 'a'.repeat(64);

export const imageRecord = (
  sourceId: string,
  W: number,
  H: number,
  results: unknown[],
  extra: Partial<ExportRecord> = {},
): ExportRecord => ({
  taskId: `p:${sourceId}`,
  sourceId,
  data: {
    kind: 'image',
    image: { sha256: SHA, width: W, height: H, mime: 'image/jpeg', bytes: 1, fileName: sourceId },
  },
  results: results.map((r) => ResultSchema.parse(r)) as AnnotationResult[],
  annotator: 'ann',
  submittedAt: Date.UTC(2026, 0, 1),
  conflict: false,
  ...extra,
});

export const textRecord = (
  sourceId: string,
  text: string,
  results: unknown[],
  extra: Partial<ExportRecord> = {},
): ExportRecord => ({
  taskId: `p:${sourceId}`,
  sourceId,
  data: { kind: 'text', text },
  results: results.map((r) => ResultSchema.parse(r)) as AnnotationResult[],
  annotator: 'ann',
  submittedAt: Date.UTC(2026, 0, 1),
  conflict: false,
  ...extra,
});
