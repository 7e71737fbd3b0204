import type { SpanResult } from '../../shared/model';
import { InputError } from '../admin/errors';

export interface ConllToken {
  text: string;
  /** The NER tag (the last column). */
  tag: string;
  line: number;
  /** The first token of a sentence (after a blank line or a document start). */
  sentenceStart: boolean;
}

export interface ConllDoc {
  /** The line the document starts on (its `-DOCSTART-`, or its first token). */
  line: number;
  tokens: ConllToken[];
}

const TAG = /^(?:O|[BIESLU]-\S+)$/;

/**
 * CoNLL-2003 columns (`token … TAG`, the NER tag last; space- or tab-separated), documents
 * split at `-DOCSTART-` lines. A file without any `-DOCSTART-` is read as one text per
 * sentence (blank-line separated). Errors name the file, the line and the field.
 */
export const readConll = (text: string, file: string): ConllDoc[] => {
  const docs: ConllDoc[] = [];
  const lines = text.split(/\r?\n/);
  const hasDocstart = lines.some((l) => l.trimStart().startsWith('-DOCSTART-'));
  let doc: ConllDoc | undefined;
  let sentenceStart = true;
  const close = () => {
    if (doc && doc.tokens.length) docs.push(doc);
    doc = undefined;
  };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('-DOCSTART-')) {
      close();
      doc = { line: i + 1, tokens: [] };
      sentenceStart = true;
      return;
    }
    if (line === '') {
      if (!hasDocstart) close();
      sentenceStart = true;
      return;
    }
    const cols = line.split(/\s+/);
    const where = `${file} line ${i + 1}`;
    if (cols.length < 2) throw new InputError(`${where}: one field; a CoNLL line is "token … TAG"`);
    const tag = cols[cols.length - 1]!;
    if (!TAG.test(tag))
      throw new InputError(`${where}: field ${cols.length} ("${tag}") is not an IOB tag (O, B-X, I-X)`);
    doc ??= { line: i + 1, tokens: [] };
    doc.tokens.push({ text: cols[0]!.normalize('NFC'), tag, line: i + 1, sentenceStart });
    sentenceStart = false;
  });
  close();
  return docs;
};

/** A document's text without white space: what it is matched to a task's text by. */
export const conllKey = (doc: ConllDoc): string => doc.tokens.map((t) => t.text).join('');
export const textKey = (text: string): string => text.replace(/\s+/gu, '');

/**
 * Entities of a document's tags as token ranges `[first, last]`: `B-`/`S-`/`U-` start one,
 * `I-`/`E-`/`L-` continue one of the same label in the same sentence (else start one, as IOB1
 * does), `E-`/`L-`/`S-`/`U-` end it, `O` ends it. So IOB2, IOB1 and BIOES/BILOU all read.
 */
export const conllEntities = (
  tokens: readonly ConllToken[],
): { label: string; first: number; last: number }[] => {
  const out: { label: string; first: number; last: number }[] = [];
  let open: { label: string; first: number; last: number } | undefined;
  tokens.forEach((t, i) => {
    if (t.tag === 'O') {
      open = undefined;
      return;
    }
    const kind = t.tag[0];
    const label = t.tag.slice(2);
    const continues =
      (kind === 'I' || kind === 'E' || kind === 'L') && open?.label === label && !t.sentenceStart;
    if (continues) open!.last = i;
    else {
      open = { label, first: i, last: i };
      out.push(open);
    }
    if (kind === 'E' || kind === 'L' || kind === 'S' || kind === 'U') open = undefined;
  });
  return out;
};

/**
 * A document's entities as spans of the task's text: each token is found in the text in order
 * (only white space between), giving its code-point offsets. Throws naming the token's line
 * when the tokens are not the text's.
 */
export const conllSpans = (doc: ConllDoc, text: string, file: string, taskName: string): SpanResult[] => {
  // Code-point and UTF-16 offsets of each token's start and end.
  const starts: number[] = [];
  const ends: number[] = [];
  const starts16: number[] = [];
  const ends16: number[] = [];
  let u = 0;
  let cp = 0;
  const step = () => {
    const c = text.charCodeAt(u);
    const pair = c >= 0xd800 && c <= 0xdbff && u + 1 < text.length;
    u += pair ? 2 : 1;
    cp++;
  };
  for (const t of doc.tokens) {
    while (u < text.length && /\s/u.test(text[u]!)) step();
    if (!text.startsWith(t.text, u))
      throw new InputError(
        `${file} line ${t.line}: token "${t.text}" is not the text of task ${taskName} at code point ${cp}`,
      );
    starts.push(cp);
    starts16.push(u);
    const end = u + t.text.length;
    while (u < end) step();
    ends.push(cp);
    ends16.push(u);
  }
  return conllEntities(doc.tokens).map((e, k) => ({
    type: 'span',
    id: `conll-${doc.line}-${k + 1}`,
    label: e.label,
    start: starts[e.first]!,
    end: ends[e.last]!,
    text: text.slice(starts16[e.first], ends16[e.last]),
    attributes: {},
  }));
};
