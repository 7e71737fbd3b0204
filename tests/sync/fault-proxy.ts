import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { seededRandom } from '../../src/main/core/sync/clock';

/**
 * Our own HTTP fault proxy for the sync tests: sits between a workbench core and the hub on
 * 127.0.0.1, decides per request (seeded) what goes wrong, and logs every decision as JSONL so a
 * failing run can be read and replayed.
 */
export const FAULTS = ['pass', 'drop', 'cut', 'dup', 'hold', 'reorder', 'truncate', 'e503', 'e401'] as const;
export type Fault = (typeof FAULTS)[number];

export type Decision = { i: number; method: string; path: string; fault: Fault | 'refuse'; note?: string };

export interface FaultProxyOptions {
  targetPort: number;
  seed: number;
  /** Relative weights of each fault when no scripted fault is queued; missing = 0, pass defaults to 1. */
  rates?: Partial<Record<Fault, number>>;
  /** Only requests for which this is true may be faulted (others pass). */
  applies?: (method: string, path: string) => boolean;
  /** How long `hold` keeps an answer (set above the client's timeout). */
  holdMs?: number;
  retryAfterSeconds?: number;
  /** How long `reorder` waits for a second request before forwarding alone. */
  reorderWaitMs?: number;
  logFile?: string;
}

export interface FaultProxy {
  readonly port: number;
  readonly url: string;
  readonly log: Decision[];
  /** Queues faults for the next matching requests, in order, ahead of the random choice. */
  enqueue(...faults: Fault[]): void;
  setRates(rates: Partial<Record<Fault, number>>): void;
  /** Closes the listening socket (connections refused) for `ms`, then listens again on the same port. */
  refuseFor(ms: number): Promise<void>;
  /** Forwarded requests per path prefix (for "forwarded twice" checks). */
  forwarded: Map<string, number>;
  /** Requests being handled (one `reorder` parks is not): 0 once every one sent has its answer. */
  readonly pending: number;
  close(): Promise<void>;
}

type Buffered = { method: string; path: string; headers: http.IncomingHttpHeaders; body: Buffer };
type Upstream = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

const readBody = async (req: http.IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const startFaultProxy = async (options: FaultProxyOptions): Promise<FaultProxy> => {
  const random = seededRandom(options.seed);
  let rates: Partial<Record<Fault, number>> = { pass: 1, ...options.rates };
  const queue: Fault[] = [];
  const log: Decision[] = [];
  const forwarded = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const upstreamAgent = new http.Agent({ keepAlive: true });
  const holdMs = options.holdMs ?? 1500;
  let counter = 0;
  let parked: { run: () => void; timer: NodeJS.Timeout } | null = null;

  const record = (d: Decision) => {
    log.push(d);
    if (options.logFile) fs.appendFileSync(options.logFile, `${JSON.stringify(d)}\n`);
  };

  const choose = (): Fault => {
    const next = queue.shift();
    if (next) return next;
    const entries = FAULTS.map((f) => [f, rates[f] ?? 0] as const).filter(([, w]) => w > 0);
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = random() * total;
    for (const [f, w] of entries) {
      if ((x -= w) < 0) return f;
    }
    return 'pass';
  };

  const forward = (b: Buffered): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const key = b.path.split('?')[0] ?? b.path;
      forwarded.set(key, (forwarded.get(key) ?? 0) + 1);
      const headers = {
        ...b.headers,
        host: `127.0.0.1:${options.targetPort}`,
        'content-length': String(b.body.length),
      };
      delete headers.connection;
      const up = http.request(
        {
          host: '127.0.0.1',
          port: options.targetPort,
          method: b.method,
          path: b.path,
          headers,
          agent: upstreamAgent,
        },
        (res) => {
          readBody(res).then(
            (body) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body }),
            reject,
          );
        },
      );
      up.on('error', reject);
      up.end(b.body);
    });

  const send = (res: http.ServerResponse, u: Upstream, truncateTo?: number) => {
    if (res.destroyed) return;
    const headers = { ...u.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    headers['content-length'] = String(u.body.length);
    res.writeHead(u.status, headers);
    if (truncateTo === undefined) res.end(u.body);
    else {
      res.write(u.body.subarray(0, truncateTo));
      res.socket?.destroy();
    }
  };

  let pending = 0;
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    pending++;
    try {
      await handleOne(req, res);
    } finally {
      pending--;
    }
  };
  const handleOne = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const b: Buffered = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: await readBody(req),
    };
    const i = counter++;
    const faultable = options.applies ? options.applies(b.method, b.path) : true;
    const fault: Fault = faultable ? choose() : 'pass';
    // A request parked by `reorder` goes upstream right after this one.
    const before = parked;
    parked = null;
    if (before) clearTimeout(before.timer);
    const releaseParked = () => before?.run();
    record({ i, method: b.method, path: b.path, fault });
    try {
      switch (fault) {
        case 'pass':
          send(res, await forward(b));
          break;
        case 'drop':
          req.socket.destroy();
          break;
        case 'cut':
          await forward(b);
          req.socket.destroy();
          break;
        case 'dup':
          await forward(b);
          send(res, await forward(b));
          break;
        case 'hold': {
          const u = await forward(b);
          await delay(holdMs);
          send(res, u);
          break;
        }
        case 'truncate': {
          const u = await forward(b);
          if (u.body.length < 2) {
            req.socket.destroy();
            break;
          }
          send(res, u, Math.floor(u.body.length / 2));
          break;
        }
        case 'e503':
          res.writeHead(503, {
            'retry-after': String(options.retryAfterSeconds ?? 1),
            'content-type': 'text/plain',
          });
          res.end('fault proxy: unavailable');
          break;
        case 'e401':
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'fault proxy: unauthorized' }));
          break;
        case 'reorder': {
          const run = () => {
            forward(b).then(
              (u) => send(res, u),
              () => res.socket?.destroy(),
            );
          };
          parked = {
            run,
            timer: setTimeout(() => {
              if (parked?.run === run) parked = null;
              run();
            }, options.reorderWaitMs ?? 300),
          };
          break;
        }
      }
    } catch {
      res.socket?.destroy();
    } finally {
      releaseParked();
    }
  };

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(0);
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    log,
    forwarded,
    get pending() {
      return pending;
    },
    enqueue: (...f) => queue.push(...f),
    setRates: (r) => {
      rates = { pass: 1, ...r };
    },
    async refuseFor(ms) {
      record({
        i: counter,
        method: '-',
        path: '-',
        fault: 'refuse',
        note: `refuse connections for ${ms} ms`,
      });
      await closeServer();
      await delay(ms);
      await listen(port);
    },
    async close() {
      if (parked) {
        clearTimeout(parked.timer);
        parked.run();
      }
      await closeServer();
      upstreamAgent.destroy();
    },
  };
};
