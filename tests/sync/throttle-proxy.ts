import net from 'node:net';
import { seededRandom } from '../../src/main/core/sync/clock';

/**
 * A TCP proxy that behaves like a slow link, for the sync tests and the slow-link bench: a
 * bandwidth per direction shared by every connection (one link), a one-way latency, and seeded
 * resets — a share of exchanges cut at a random point, or every upload larger than a limit
 * (some mobile links reset long uploads). It counts every byte each way, headers included.
 * An exchange is a request and its answer: it begins with the first client bytes after the
 * hub has spoken (or on a fresh connection).
 */
export interface ThrottleOptions {
  targetPort: number;
  /** Bytes per second; Infinity for no limit. */
  upBytesPerSec: number;
  downBytesPerSec: number;
  /** Round trip added by the link, ms (half each way). */
  rttMs: number;
  seed: number;
  /** Share of exchanges (0–1) cut at a random point. */
  resetRate?: number;
  /** An exchange whose upload passes this many bytes is cut there. */
  resetUploadsAbove?: number;
}

export interface ThrottleProxy {
  readonly port: number;
  readonly url: string;
  readonly stats: { up: number; down: number; connections: number; exchanges: number; resets: number };
  /** Changes the link (a test turns it slow, fast, or lossy mid-run). */
  configure(o: Partial<Omit<ThrottleOptions, 'targetPort' | 'seed'>>): void;
  resetStats(): void;
  close(): Promise<void>;
}

/** Bytes are paced in pieces this large, so a big write does not hold the link in one lump. */
const PIECE = 4096;
/** Bytes a direction may have waiting before its sender is paused (backpressure reaches it). */
const QUEUE_LIMIT = 32 * 1024;

type Lane = { rate: number; free: number };

export const startThrottleProxy = async (o: ThrottleOptions): Promise<ThrottleProxy> => {
  const opts = { resetRate: 0, resetUploadsAbove: Infinity, ...o };
  const random = seededRandom(o.seed);
  const lanes = { up: { rate: o.upBytesPerSec, free: 0 }, down: { rate: o.downBytesPerSec, free: 0 } };
  const stats = { up: 0, down: 0, connections: 0, exchanges: 0, resets: 0 };
  const sockets = new Set<net.Socket>();

  /** When `n` bytes entering `lane` now are out the other end (ms, performance clock). */
  const schedule = (lane: Lane, n: number): number => {
    const now = performance.now();
    const start = Math.max(now, lane.free);
    lane.free = start + (Number.isFinite(lane.rate) ? (n * 1000) / lane.rate : 0);
    return lane.free + opts.rttMs / 2;
  };

  const server = net.createServer((client) => {
    stats.connections++;
    const hub = net.connect(o.targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(hub);
    let closed = false;
    const cut = () => {
      if (closed) return;
      closed = true;
      client.destroy();
      hub.destroy();
    };
    client.on('close', () => {
      sockets.delete(client);
      cut();
    });
    hub.on('close', () => {
      sockets.delete(hub);
      cut();
    });
    client.on('error', cut);
    hub.on('error', cut);

    // The exchange under way: its upload so far, and where (if anywhere) it is to be cut.
    let hubSpoke = true;
    let uploaded = 0;
    let cutAt: { dir: 'up' | 'down'; at: number } | null = null;
    let downloaded = 0;

    const pipe = (from: net.Socket, to: net.Socket, dir: 'up' | 'down') => {
      let queued = 0;
      from.on('data', (chunk: Buffer) => {
        if (dir === 'up' && hubSpoke) {
          hubSpoke = false;
          uploaded = 0;
          downloaded = 0;
          stats.exchanges++;
          cutAt = random() < opts.resetRate ? { dir: random() < 0.5 ? 'up' : 'down', at: 0 } : null;
          if (cutAt) cutAt.at = Math.floor(random() * 4096);
        }
        if (dir === 'down') hubSpoke = true;
        for (let i = 0; i < chunk.length; i += PIECE) {
          const piece = chunk.subarray(i, i + PIECE);
          const sent = dir === 'up' ? (uploaded += piece.length) : (downloaded += piece.length);
          const doomed =
            (dir === 'up' && uploaded > opts.resetUploadsAbove) ||
            (cutAt !== null && cutAt.dir === dir && sent >= cutAt.at);
          stats[dir] += piece.length;
          queued += piece.length;
          if (queued > QUEUE_LIMIT) from.pause();
          const at = schedule(lanes[dir], piece.length);
          setTimeout(
            () => {
              queued -= piece.length;
              if (queued <= QUEUE_LIMIT / 2) from.resume();
              if (closed) return;
              if (doomed) {
                stats.resets++;
                return cut();
              }
              to.write(piece);
            },
            Math.max(0, at - performance.now()),
          );
        }
      });
      from.on('end', () => {
        const at = schedule(lanes[dir], 0);
        setTimeout(() => to.end(), Math.max(0, at - performance.now()));
      });
    };
    pipe(client, hub, 'up');
    pipe(hub, client, 'down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    configure(c) {
      if (c.upBytesPerSec !== undefined) lanes.up.rate = c.upBytesPerSec;
      if (c.downBytesPerSec !== undefined) lanes.down.rate = c.downBytesPerSec;
      if (c.rttMs !== undefined) opts.rttMs = c.rttMs;
      if (c.resetRate !== undefined) opts.resetRate = c.resetRate;
      if (c.resetUploadsAbove !== undefined) opts.resetUploadsAbove = c.resetUploadsAbove;
    },
    resetStats() {
      Object.assign(stats, { up: 0, down: 0, connections: 0, exchanges: 0, resets: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};
