/**
 * Many text pieces as one buffer of UTF-8 bytes and their end offsets, for handing output to
 * another thread: a buffer is transferred (moved, not copied), where cloning strings copies
 * them and flattens every rope first, and the receiver can write the bytes without encoding
 * them again.
 */
export interface EncodedPieces {
  /** Its own ArrayBuffer (never a slice of Node's shared pool), so it can be transferred. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Piece k is `bytes[ends[k - 1] ?? 0 .. ends[k])`. */
  ends: number[];
}

export const encodePieces = (texts: readonly (string | Uint8Array)[]): EncodedPieces => {
  let total = 0;
  for (const t of texts) total += typeof t === 'string' ? Buffer.byteLength(t, 'utf8') : t.byteLength;
  const bytes = Buffer.allocUnsafeSlow(total);
  const ends: number[] = [];
  let at = 0;
  for (const t of texts) {
    if (typeof t === 'string') at += bytes.write(t, at, 'utf8');
    else {
      bytes.set(t, at);
      at += t.byteLength;
    }
    ends.push(at);
  }
  return { bytes, ends };
};

/** Piece k of an encoded batch, as a Buffer over the same memory (nothing copied). */
export const pieceAt = (p: { bytes: Uint8Array; ends: readonly number[] }, k: number): Buffer => {
  const from = k > 0 ? p.ends[k - 1]! : 0;
  return Buffer.from(p.bytes.buffer, p.bytes.byteOffset + from, p.ends[k]! - from);
};
