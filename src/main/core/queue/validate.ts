import { AppError } from '../../../shared/contract';
import { codePointLength, sliceCodePoints, type Annotation, type TaskData } from '../../../shared/model';

/** The text a span's `field` points into: the task text, or a comparison's prompt / response. */
const fieldText = (data: TaskData, field: string | undefined): string | null => {
  if (data.kind === 'text') return field === undefined || field === 'text' ? data.text : null;
  if (data.kind === 'comparison') {
    if (field === undefined || field === 'prompt') return data.prompt;
    return data.responses.find((r) => r.id === field)?.text ?? null;
  }
  return null;
};

/**
 * Checks what the schema alone cannot: every span lies inside its text and carries exactly the
 * text it covers (offsets in code points). A mismatch names the result's path.
 */
export const checkAnnotation = (data: TaskData, annotation: Annotation): void => {
  annotation.results.forEach((r, i) => {
    if (r.type !== 'span') return;
    const path = `annotation.results.${i}`;
    const text = fieldText(data, r.field);
    if (text === null) {
      throw new AppError(
        'INVALID_INPUT',
        `${path}.field: no text field "${r.field ?? ''}" in a ${data.kind} task`,
        `${path}.field`,
      );
    }
    const len = codePointLength(text);
    if (r.end > len) {
      throw new AppError(
        'INVALID_INPUT',
        `${path}.end: ${r.end} is past the text's end (${len} code points)`,
        `${path}.end`,
      );
    }
    if (sliceCodePoints(text, r.start, r.end) !== r.text) {
      throw new AppError(
        'INVALID_INPUT',
        `${path}.text: does not match the text at [${r.start}, ${r.end})`,
        `${path}.text`,
      );
    }
  });
};
