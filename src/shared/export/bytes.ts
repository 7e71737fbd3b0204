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

/**
 * An output file's text built straight into UTF-8 bytes, taken in blocks of about `size`
 * bytes. For the hot paths of a big export (a million boxes): numbers are written digit by
 * digit and constants copied from their encoded bytes, so formatting a box allocates nothing.
 * Building the same text as strings made ~20 short-lived strings per box (each template
 * substitution, each number), then a flattening copy and an encoding copy of every block.
 */
export class ByteOut {
  private buf: Uint8Array;
  private at = 0;

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

  private room(n: number): void {
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
    this.room(b.length);
    const buf = this.buf;
    let at = this.at;
    // A loop beats `set` for the short constants written per box.
    if (b.length < 32) for (let i = 0; i < b.length; i++) buf[at++] = b[i]!;
    else {
      buf.set(b, at);
      at += b.length;
    }
    this.at = at;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  /** Any text, as UTF-8 (a plain loop while it is ASCII, the encoder from the first other character). */
  text(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.at = at;
        const rest = s.slice(i);
        this.room(rest.length * 3);
        this.at += utf8.encodeInto(rest, this.buf.subarray(this.at)).written;
        return;
      }
      buf[at++] = c;
    }
    this.at = at;
  }

  /** An integer's decimal digits (as `String(n)` writes it). */
  int(n: number): void {
    if (n >= 0 && n < 0x80000000) return this.small(n);
    if (!(n > -1e15 && n < 1e15)) return this.text(String(n));
    if (n === 0) return this.byte(ZERO);
    this.room(17);
    if (n < 0) {
      this.buf[this.at++] = MINUS;
      n = -n;
    }
    if (n < 0x80000000) return this.small(n);
    const hi = Math.floor(n / 1e9);
    this.small(hi);
    // The nine lower digits, zero-padded.
    let lo = n - hi * 1e9;
    const buf = this.buf;
    for (let at = this.at + 8; at >= this.at; at--) {
      const q = (lo / 10) | 0;
      buf[at] = ZERO + lo - q * 10;
      lo = q;
    }
    this.at += 9;
  }

  /** 0 ≤ n < 2³¹, in 32-bit integer arithmetic. */
  private small(n: number): void {
    const digits =
      n < 10
        ? 1
        : n < 100
          ? 2
          : n < 1000
            ? 3
            : n < 10000
              ? 4
              : n < 100000
                ? 5
                : n < 1e6
                  ? 6
                  : n < 1e7
                    ? 7
                    : n < 1e8
                      ? 8
                      : n < 1e9
                        ? 9
                        : 10;
    this.room(digits);
    const buf = this.buf;
    let at = this.at + digits;
    this.at = at;
    do {
      const q = (n / 10) | 0;
      buf[--at] = ZERO + n - q * 10;
      n = q;
    } while (n > 0);
  }

  /**
   * A coordinate as `num` (record.ts) writes it: the shortest round-tripping decimal, -0 as 0.
   * Integers and values with at most three decimals are built from integers (see `num` for
   * why that is the shortest); anything else is written from `String`.
   */
  num(n: number): void {
    if (Number.isInteger(n)) return this.int(n);
    const a = n < 0 ? -n : n;
    if (a >= 1e-3 && a < 1e9) {
      const m = Math.round(a * 1000);
      if (m / 1000 === a) {
        const i = Math.floor(m / 1000);
        const f = m - i * 1000;
        if (n < 0) this.byte(MINUS);
        this.int(i);
        this.room(4);
        const buf = this.buf;
        buf[this.at++] = DOT;
        // The three fraction digits, trailing zeros dropped (0 < f < 1000).
        const d1 = Math.floor(f / 100);
        const d2 = Math.floor(f / 10) % 10;
        const d3 = f % 10;
        buf[this.at++] = ZERO + d1;
        if (d2 !== 0 || d3 !== 0) buf[this.at++] = ZERO + d2;
        if (d3 !== 0) buf[this.at++] = ZERO + d3;
        return;
      }
    }
    this.text(String(n));
  }
}
