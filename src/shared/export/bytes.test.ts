import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteOut, bytesOf, NUM_ROOM, putInt, putNum } from './bytes';
import { chunkText } from './test-helpers';
import { num } from './record';

const written = (write: (o: ByteOut) => void): string => {
  const o = new ByteOut('f', 8);
  write(o);
  return chunkText(o.take());
};
/** A number written in place, as the COCO writer does, after reserving room for it. */
const put = (f: typeof putNum) => (n: number) =>
  written((o) => {
    o.reserve(NUM_ROOM);
    o.at = f(o.buf, o.at, n);
  });

describe('ByteOut', () => {
  it('writes every number in place exactly as num() does', () => {
    const edge = [
      0,
      -0,
      0.5,
      -3.5,
      0.001,
      0.0005,
      0.1 + 0.2,
      1 / 3,
      999999999.5,
      1e9 + 0.5,
      2 ** 31,
      -(2 ** 31),
      1e15,
      1e21,
      5e-324,
      NaN,
      Infinity,
    ];
    for (const n of edge) expect(put(putNum)(n)).toBe(num(n));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.integer({ min: -1e6, max: 1e6 }).map((m) => m / 1000),
          fc.integer({ min: 0, max: 32000 }).map((m) => m / 8),
          fc.maxSafeInteger(),
        ),
        (n) => {
          expect(put(putNum)(n)).toBe(num(n));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('writes integers as String() does, past 32 bits too', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger()), (n) => {
        expect(put(putInt)(n)).toBe(String(n === 0 ? 0 : n));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes any text as UTF-8, growing past its block', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 20 }), (parts) => {
        const whole = parts.join('');
        // Lone surrogates become U+FFFD, as in every UTF-8 encoder.
        expect(written((o) => parts.forEach((p) => o.text(p)))).toBe(
          chunkText({ file: 'f', text: bytesOf(whole) }),
        );
      }),
    );
    expect(written((o) => o.text('Trần 👍🏽 e\u0301'))).toBe('Trần 👍🏽 e\u0301');
  });

  it('writes any string as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(written((o) => o.jsonString(s))).toBe(
          chunkText({ file: 'f', text: bytesOf(JSON.stringify(s)) }),
        );
      }),
    );
    for (const s of ['0.jpg', 'a "b" \\ c', 'tab\there', 'Trần.jpg', '\u007f', ''])
      expect(JSON.parse(written((o) => o.jsonString(s)))).toBe(s);
  });

  it('says when a block is full and starts a fresh one on take', () => {
    const o = new ByteOut('f', 4);
    o.bytes(bytesOf('abc'));
    expect(o.full).toBe(false);
    o.byte(100);
    expect(o.full).toBe(true);
    const first = o.take(true);
    expect(first).toMatchObject({ file: 'f', last: true });
    expect(chunkText(first)).toBe('abcd');
    expect(o.empty).toBe(true);
    o.text('e');
    expect(chunkText(o.take())).toBe('e');
    expect(chunkText(first)).toBe('abcd');
  });
});
