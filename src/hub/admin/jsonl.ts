import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LanguageTag, Prediction, TextDirection, normalizeText } from '../../shared/model';
import { InputError } from './errors';

const SourceId = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);

const TextLine = z.object({
  id: SourceId.optional(),
  text: z.string(),
  title: z.string().optional(),
  language: LanguageTag.optional(),
  direction: TextDirection.optional(),
  predictions: z.array(Prediction).default([]),
  meta: z.record(z.string(), z.unknown()).default({}),
});
const ComparisonLine = z.object({
  id: SourceId.optional(),
  prompt: z.string(),
  responses: z
    .array(z.object({ id: z.string().min(1), model: z.string().optional(), text: z.string() }))
    .min(2),
  meta: z.record(z.string(), z.unknown()).default({}),
});

export interface TextRecord {
  id: string;
  data:
    | { kind: 'text'; text: string; title?: string; language?: string; direction?: TextDirection }
    | { kind: 'comparison'; prompt: string; responses: { id: string; model?: string; text: string }[] };
  predictions: z.infer<typeof Prediction>[];
  meta: Record<string, unknown>;
}

/**
 * Reads a JSONL file of texts (`{id?, text, title?, language?, direction?}`) or comparisons (`{id?, prompt,
 * responses: [{id, model?, text}]}`); every string shown to an annotator is NFC-normalized, so
 * span offsets count the same code points everywhere. Errors name the file, line and field.
 */
export const readJsonl = async (
  file: string,
  kind: 'text' | 'comparison',
  flag: string,
): Promise<TextRecord[]> => {
  const raw = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(
      `${flag} ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a folder, expected a .jsonl file' : e.message}`,
    );
  });
  const out: TextRecord[] = [];
  const seen = new Set<string>();
  const lines = raw.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    const where = `${file} line ${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new InputError(`${where}: not valid JSON (${(e as Error).message})`);
    }
    const parsed = (kind === 'text' ? TextLine : ComparisonLine).safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        `${where}: ${(issue?.path ?? []).join('.') || 'line'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const id = parsed.data.id ?? `line-${i + 1}`;
    if (seen.has(id)) throw new InputError(`${where}: id "${id}" appears twice`);
    seen.add(id);
    if ('text' in parsed.data) {
      const d = parsed.data;
      out.push({
        id,
        data: {
          kind: 'text',
          text: normalizeText(d.text),
          ...(d.title === undefined ? {} : { title: normalizeText(d.title) }),
          ...(d.language === undefined ? {} : { language: d.language }),
          ...(d.direction === undefined ? {} : { direction: d.direction }),
        },
        predictions: d.predictions,
        meta: d.meta,
      });
    } else {
      const d = parsed.data;
      out.push({
        id,
        data: {
          kind: 'comparison',
          prompt: normalizeText(d.prompt),
          responses: d.responses.map((r) => ({ ...r, text: normalizeText(r.text) })),
        },
        predictions: [],
        meta: d.meta,
      });
    }
  }
  if (out.length === 0) throw new InputError(`${flag} ${file}: no records found`);
  return out;
};
