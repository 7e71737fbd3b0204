import type { SinkChunk } from './record';

// The WHATWG encoder, a global in Node and in browsers; declared here because shared code is
// compiled without the DOM's or Node's type libraries.
declare const TextEncoder: new () => {
  encode(s: string): Uint8Array;
  encodeInto(s: string, into: Uint8Array): { read: number; written: number };
};
const utf8 = new TextEncoder();

/** A constant's UTF-8 bytes, encoded once. */
export const bytesOf = (s: string): Uint8Array => utf8.encode(s);

const ZERO = 48;
const MINUS = 45;
const DOT = 46;

/** Writes ASCII text (a number's `String`) at `at`; the new position. */
const putAscii = (buf: Uint8Array, at: number, s: string): number => {
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
};

/** Writes short constant bytes at `at` (a loop beats `set` for a few bytes); the new position. */
export const putBytes = (buf: Uint8Array, at: number, b: Uint8Array): number => {
  for (let i = 0; i < b.length; i++) buf[at++] = b[i]!;
  return at;
};

/** Writes 0 ≤ n < 2³¹ in 32-bit integer arithmetic; the new position. */
const putSmall = (buf: Uint8Array, at: number, n: number): number => {
  const end =
    at +
    (n < 10
      ? 1
      : n < 100
        ? 2
        : n < 1000
          ? 3
          : n < 1e4
            ? 4
            : n < 1e5
              ? 5
              : n < 1e6
                ? 6
                : n < 1e7
                  ? 7
                  : n < 1e8
                    ? 8
                    : n < 1e9
                      ? 9
                      : 10);
  let i = end;
  do {
    const q = (n / 10) | 0;
    buf[--i] = ZERO + n - q * 10;
    n = q;
  } while (n > 0);
  return end;
};

/** Writes an integer's decimal digits as `String(n)` does (at most 22 bytes); the new position. */
export const putInt = (buf: Uint8Array, at: number, n: number): number => {
  if (n >= 0 && n < 0x80000000) return putSmall(buf, at, n);
  if (!(n > -1e15 && n < 1e15)) return putAscii(buf, at, String(n));
  if (n === 0) {
    buf[at] = ZERO;
    return at + 1;
  }
  if (n < 0) {
    buf[at++] = MINUS;
    n = -n;
  }
  if (n < 0x80000000) return putSmall(buf, at, n);
  const hi = Math.floor(n / 1e9);
  at = putSmall(buf, at, hi);
  // The nine lower digits, zero-padded.
  let lo = n - hi * 1e9;
  for (let i = at + 8; i >= at; i--) {
    const q = (lo / 10) | 0;
    buf[i] = ZERO + lo - q * 10;
    lo = q;
  }
  return at + 9;
};

/**
 * Writes a coordinate as `num` (record.ts) does: the shortest round-tripping decimal, -0 as 0
 * (at most 25 bytes). Integers and values with at most three decimals are built from integers
 * (see `num` for why that is the shortest); anything else is written from `String`.
 */
export const putNum = (buf: Uint8Array, at: number, n: number): number => {
  if (Number.isInteger(n)) return putInt(buf, at, n);
  const a = n < 0 ? -n : n;
  if (a >= 1e-3 && a < 1e9) {
    const m = Math.round(a * 1000);
    if (m / 1000 === a) {
      const i = Math.floor(m / 1000);
      const f = m - i * 1000;
      if (n < 0) buf[at++] = MINUS;
      at = putSmall(buf, at, i);
      buf[at++] = DOT;
      // The three fraction digits, trailing zeros dropped (0 < f < 1000).
      const d2 = ((f / 10) | 0) % 10;
      const d3 = f % 10;
      buf[at++] = ZERO + ((f / 100) | 0);
      if (d2 !== 0 || d3 !== 0) buf[at++] = ZERO + d2;
      if (d3 !== 0) buf[at++] = ZERO + d3;
      return at;
    }
  }
  return putAscii(buf, at, String(n));
};

/** The most bytes putInt or putNum writes. */
export const NUM_ROOM = 25;

/**
 * An output file's text built straight into UTF-8 bytes, taken in blocks of about `size`
 * bytes. For the hot paths of a big export (a million boxes): numbers are written digit by
 * digit and constants copied from their encoded bytes, so formatting a box allocates nothing.
 * Building the same text as strings made ~20 short-lived strings per box (each template
 * substitution, each number), then a flattening copy and an encoding copy of every block.
 *
 * A hot path may `reserve` room once and then write with the `put*` functions straight into
 * `buf` from `at`, setting `at` after (fewer calls and checks per number).
 */
export class ByteOut {
  buf: Uint8Array;
  at = 0;

  constructor(
    readonly file: string,
    private readonly size = 1 << 16,
  ) {
    this.buf = new Uint8Array(size + 1024);
  }

  /** True when a block is ready to take. */
  get full(): boolean {
    return this.at >= this.size;
  }

  get empty(): boolean {
    return this.at === 0;
  }

  /** Makes room for `n` more bytes at `at` (`buf` may be replaced). */
  reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    grown.set(this.buf.subarray(0, this.at));
    this.buf = grown;
  }

  /** The block written so far (a fresh buffer is started). */
  take(last = false): SinkChunk {
    const text = this.buf.subarray(0, this.at);
    this.buf = new Uint8Array(this.size + 1024);
    this.at = 0;
    return last ? { file: this.file, text, last } : { file: this.file, text };
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    if (b.length < 32) this.at = putBytes(this.buf, this.at, b);
    else {
      this.buf.set(b, this.at);
      this.at += b.length;
    }
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.at++] = b;
  }

  /**
   * A string as JSON.stringify writes it: copied byte for byte when it is printable ASCII with
   * nothing to escape (file names, ids), else through JSON.stringify.
   */
  jsonString(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === 34 || c === 92) return this.text(JSON.stringify(s));
    }
    this.reserve(s.length + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 34;
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    buf[at++] = 34;
    this.at = at;
  }

  /** Any text, as UTF-8 (a plain loop while it is ASCII, the encoder from the first other character). */
  text(s: string): void {
    this.reserve(s.length);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.at = at;
        const rest = s.slice(i);
        this.reserve(rest.length * 3);
        this.at += utf8.encodeInto(rest, this.buf.subarray(this.at)).written;
        return;
      }
      buf[at++] = c;
    }
    this.at = at;
  }
}
