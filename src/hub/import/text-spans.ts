import { type SpanResult, codePointLength, normalizeText, sliceCodePoints } from '../../shared/model';
import { InputError } from '../admin/errors';

/** A text task as the text importers match it: by its ids, else by its NFC text. */
export interface TextTask {
  taskId: string;
  sourceId: string;
  text: string;
}

/**
 * Finds the task a line of a text import belongs to: by `id` (the task's source id or its own
 * id) when the line has one, else by its NFC text. A line matched by id must carry that task's
 * text, since its offsets count into it.
 */
export class TextTasks {
  private readonly byId = new Map<string, TextTask>();
  private readonly byText = new Map<string, TextTask>();
  constructor(tasks: Iterable<TextTask>) {
    for (const t of tasks) {
      this.byId.set(t.sourceId, t);
      this.byId.set(t.taskId, t);
      if (!this.byText.has(t.text)) this.byText.set(t.text, t);
    }
  }

  find(ids: readonly (string | number | undefined)[], text: string, where: string): TextTask | undefined {
    const nfc = normalizeText(text);
    for (const id of ids) {
      if (id === undefined) continue;
      const t = this.byId.get(String(id));
      if (!t) continue;
      if (t.text !== nfc)
        throw new InputError(`${where}: $.text: not the text of task ${t.sourceId} (offsets count into it)`);
      return t;
    }
    return this.byText.get(nfc);
  }
}

/**
 * A span of code points `[start, end)` checked against the task's text; a `covered` text, when
 * the source gives one, must be what the offsets cover (so offsets in other units are refused,
 * never imported shifted). `where` names the file, line and JSON path of the span.
 */
export const checkedSpan = (
  text: string,
  s: { start: number; end: number; label: string; covered?: string },
  where: string,
): Pick<SpanResult, 'start' | 'end' | 'text' | 'label'> => {
  const n = codePointLength(text);
  if (s.end <= s.start) throw new InputError(`${where}.end: ${s.end} is not after start ${s.start}`);
  if (s.end > n) throw new InputError(`${where}.end: ${s.end} is past the text's end (${n} code points)`);
  const covered = sliceCodePoints(text, s.start, s.end);
  if (s.covered !== undefined && normalizeText(s.covered) !== covered)
    throw new InputError(
      `${where}.text: ${JSON.stringify(s.covered)} is not the text at code points ${s.start}–${s.end} (${JSON.stringify(covered)})`,
    );
  return { start: s.start, end: s.end, text: covered, label: s.label };
};
