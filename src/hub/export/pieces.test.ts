import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePieces, pieceAt } from './pieces';

describe('encoded pieces', () => {
  it('gives back every piece, text or bytes, as its UTF-8', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 40 }))),
        (pieces) => {
          const p = encodePieces(pieces);
          pieces.forEach((t, k) => {
            expect(pieceAt(p, k).equals(typeof t === 'string' ? Buffer.from(t) : Buffer.from(t))).toBe(true);
          });
          expect(p.ends.at(-1) ?? 0).toBe(p.bytes.length);
        },
      ),
    );
  });

  it('owns its memory, so it can be transferred', () => {
    const p = encodePieces(['ab', 'c']);
    expect(p.bytes.byteOffset).toBe(0);
    expect(p.bytes.buffer.byteLength).toBe(3);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(p.bytes, [p.bytes.buffer]);
    expect(p.bytes.length).toBe(0);
    port1.close();
    port2.close();
  });
});
