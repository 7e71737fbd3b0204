import type { ServerResponse } from 'node:http';
import type { EventBus } from '../core/dispatch';

const HEARTBEAT_MS = 15_000;

/**
 * One Server-Sent Events stream: every core event as `data: {"event","payload"}`. A comment
 * line every 15 s keeps proxies and idle timers from closing it. Returns a function that ends it.
 */
export const openEventStream = (
  res: ServerResponse,
  events: Pick<EventBus, 'subscribe'>,
  onEnd: () => void,
): (() => void) => {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  res.write('retry: 2000\n: connected\n\n');
  const write = (chunk: string): void => {
    if (!res.writableEnded && !res.destroyed) res.write(chunk);
  };
  const unsubscribe = events.subscribe((event, payload) => {
    let data: string;
    try {
      data = JSON.stringify({ event, payload });
    } catch {
      return; // a payload JSON cannot carry; the in-process suite reports it
    }
    write(`data: ${data}\n\n`);
  });
  const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
    onEnd();
  };
  res.on('close', end);
  // A write racing a client that just left must end this stream, not the process.
  res.on('error', end);
  return end;
};
