/**
 * How much one push request carries. Sized in bytes on the wire (gzip estimated from the last
 * batch's ratio), not rows: a polygon-heavy task is a hundred times a ten-box one. A failed
 * attempt quarters the size (down to one mutation: a link that resets large uploads still
 * passes small ones); each answered one doubles it back, never past what the measured uplink
 * moves in `targetSeconds` — a reset then costs seconds, not a whole backlog.
 */
export interface PushPacerOptions {
  /** Rows per request at most (the hub takes 5,000). */
  maxRows: number;
  /** Raw JSON bytes per request at most (the hub's limit applies after decompression). */
  maxRawBytes: number;
  /** Wire bytes of the first request, before anything is measured. */
  startWireBytes?: number;
  /** How long one request should take on the measured link. */
  targetSeconds?: number;
}

export class PushPacer {
  private wireBudget: number;
  /** raw bytes / wire bytes of the last batch (JSON of numbers gzips about 3:1). */
  private ratio = 3;
  /** Measured wire bytes per second of answered pushes (null until one is answered). */
  private rate: number | null = null;

  constructor(private readonly o: PushPacerOptions) {
    this.wireBudget = o.startWireBytes ?? 256 * 1024;
  }

  get maxRows(): number {
    return this.o.maxRows;
  }

  /** Raw JSON bytes the next request may carry (at least one mutation is always sent). */
  rawBudget(): number {
    return Math.max(1, Math.min(this.o.maxRawBytes, Math.floor(this.wireBudget * this.ratio)));
  }

  /** The uplink as measured by answered pushes, bytes per second (null until measured). */
  get bytesPerSecond(): number | null {
    return this.rate;
  }

  /** Wire bytes the next request aims at (diagnostics, tests). */
  get wireBytes(): number {
    return this.wireBudget;
  }

  /** An answered request: `ms` from sending to the answer. */
  answered(rawBytes: number, wireBytes: number, ms: number): void {
    if (wireBytes > 0) this.ratio = Math.max(1, rawBytes / wireBytes);
    // Small requests measure latency, not bandwidth: only those that took a while count.
    if (ms >= 500 && wireBytes >= 16 * 1024) {
      const r = (wireBytes * 1000) / ms;
      this.rate = this.rate === null ? r : 0.5 * this.rate + 0.5 * r;
    }
    const cap = this.rate === null ? Infinity : Math.max(16 * 1024, this.rate * (this.o.targetSeconds ?? 8));
    // Grow from what actually went (one big row may have exceeded a tiny budget).
    this.wireBudget = Math.min(Math.max(this.wireBudget, wireBytes) * 2, cap);
  }

  /** A request that got no answer: the next is a quarter of this one (one mutation at the least). */
  failed(wireBytesTried: number): void {
    this.wireBudget = Math.max(1, Math.floor(Math.min(this.wireBudget, wireBytesTried) / 4));
  }
}
