import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { STATIC_MIME } from './chromium';

/**
 * A static server for a bench page, on its own thread: the bench's own event loop stalls for
 * 20–80 ms at times (Playwright's traffic, GC), and a request that lands in a stall waited for it
 * — a cold open's image then came 40–80 ms late, which measured the harness, not the editor.
 * Serves `dir` (index.html for a folder), the repo's resources/ under /resources/, and `extra`
 * (path → bytes) from memory.
 */
export const serveDir = async (
  dir: string,
  extra: Record<string, Buffer> = {},
): Promise<{ server: { close(): void }; url: string }> => {
  const worker = new Worker(SERVER_SOURCE, {
    eval: true,
    workerData: {
      dir,
      resources: resolve('resources'),
      mime: { ...STATIC_MIME, '.png': 'image/png', '.jpg': 'image/jpeg' },
      extra: Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, new Uint8Array(v)])),
    },
  });
  const port = await new Promise<number>((ok, fail) => {
    worker.once('message', (m: { port: number }) => ok(m.port));
    worker.once('error', fail);
  });
  return { server: { close: () => void worker.terminate() }, url: `http://127.0.0.1:${port}/` };
};

const SERVER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
const { existsSync, readFileSync } = require('node:fs');
const { extname, join } = require('node:path');
const { dir, resources, mime, extra } = workerData;
const server = createServer((req, res) => {
  const p = decodeURIComponent(new URL(req.url || '/', 'http://x').pathname);
  const body = extra[p];
  if (body) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  const base = p.startsWith('/resources/') ? resources : dir;
  const rel = p.startsWith('/resources/') ? p.slice('/resources'.length) : p;
  const full = join(base, rel.endsWith('/') ? rel + 'index.html' : rel);
  if (!full.startsWith(base) || !existsSync(full)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': mime[extname(full)] || 'application/octet-stream' }).end(readFileSync(full));
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
`;
