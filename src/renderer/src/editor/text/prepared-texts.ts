/**
 * Texts indexed and segmented ahead of their editor (the next task's, prepared while the person
 * works on this one), handed over once by text. Building the TextDoc and every block's grapheme
 * and word segmentation is the part of opening a document that grows with its length.
 */
import { TextDoc } from './doc';
import { Segmentation } from './segment';

export interface PreparedText {
  doc: TextDoc;
  seg: Segmentation;
}

/** The doc and its segmentation, every block segmented now rather than on first use. */
export const indexText = (text: string): PreparedText => {
  const doc = new TextDoc(text);
  const seg = new Segmentation(doc);
  for (let i = 0; i < doc.blocks.length; i++) seg.wordsOf(i);
  return { doc, seg };
};

export class PreparedTexts {
  private readonly items = new Map<string, { text: PreparedText; timer?: ReturnType<typeof setTimeout> }>();

  prepare(text: string): PreparedText {
    let e = this.items.get(text);
    if (!e) this.items.set(text, (e = { text: indexText(text) }));
    return e.text;
  }

  /** Hands the prepared text over; null when it was not prepared. */
  take(text: string): PreparedText | null {
    const e = this.items.get(text);
    if (!e) return null;
    this.drop(text);
    return e.text;
  }

  /** Approximate bytes held for `text`: its UTF-16 and the per-character index arrays. */
  bytes(text: string): number {
    return this.items.has(text) ? text.length * 12 : 0;
  }

  /** Keeps `text` at most `ms` longer for its editor to take. */
  expire(text: string, ms: number): void {
    const e = this.items.get(text);
    if (!e) return;
    clearTimeout(e.timer);
    e.timer = setTimeout(() => this.drop(text), ms);
  }

  drop(text: string): void {
    clearTimeout(this.items.get(text)?.timer);
    this.items.delete(text);
  }
}

/** The window's prepared texts. */
export const preparedTexts = new PreparedTexts();
