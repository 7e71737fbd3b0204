import { ResultEnvelope, type Result } from '../../../shared/contract/result';
import type { Transport } from '../../../shared/contract/client';
import { CONTRACT_VERSION } from '../../../shared/contract/api';

/** Sent with every call: a host of another major version answers VERSION_MISMATCH. */
export const CONTRACT_HEADER = 'x-outrigger-contract';

/** The parts of EventSource we use, so Node tests can pass the `eventsource` package. */
export interface EventSourceLike {
  readonly readyState: number;
  onmessage: ((event: { data: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}
export type EventSourceCtor = new (url: string) => EventSourceLike;

export interface HttpTransportOptions {
  /** The web host's origin, e.g. `http://127.0.0.1:5199`. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  EventSource?: EventSourceCtor;
  /** First delay before reopening a closed event stream; doubles up to 30 s. */
  reconnectDelayMs?: number;
  /**
   * The host refused this tab's token (HTTP 401): it restarted with a new one. Told with the
   * technical line; the call still answers its error.
   */
  onSessionEnded?: (detail: string) => void;
}

const EVENTSOURCE_CLOSED = 2;

const offline = (message: string): Result<never> => ({ ok: false, error: { code: 'OFFLINE', message } });

/**
 * Web mode's transport: `POST /api/:method` for calls, one shared EventSource on
 * `/api/events` for events. The token rides in the Authorization header, and in the query only
 * for the event stream (EventSource cannot send headers).
 */
export const createHttpTransport = (opts: HttpTransportOptions): Transport => {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const firstDelay = opts.reconnectDelayMs ?? 1000;
  let source: EventSourceLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let delay = firstDelay;

  const open = () => {
    const Ctor = opts.EventSource ?? (globalThis as unknown as { EventSource?: EventSourceCtor }).EventSource;
    if (!Ctor) throw new Error('EventSource is not available here');
    const es = new Ctor(`${base}/api/events?token=${encodeURIComponent(opts.token)}`);
    es.onmessage = (e) => {
      delay = firstDelay;
      let message: unknown;
      try {
        message = JSON.parse(e.data);
      } catch {
        return; // not ours; the server only sends JSON envelopes
      }
      if (typeof message !== 'object' || message === null) return;
      const { event, payload } = message as { event?: unknown; payload?: unknown };
      if (typeof event !== 'string') return;
      for (const l of [...listeners]) l(event, payload);
    };
    es.onerror = () => {
      // EventSource retries by itself while CONNECTING; once CLOSED (e.g. the host restarted
      // and answered an error), it never will, so we open a new one after a growing pause.
      if (es.readyState !== EVENTSOURCE_CLOSED || source !== es) return;
      source = null;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (listeners.size > 0 && !source) source = open();
      }, delay);
      delay = Math.min(delay * 2, 30_000);
    };
    return es;
  };

  return {
    async invoke(method, input) {
      let res: Response;
      try {
        res = await doFetch(`${base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${opts.token}`,
            [CONTRACT_HEADER]: CONTRACT_VERSION,
          },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        return offline(`the workbench host did not answer: ${e instanceof Error ? e.message : String(e)}`);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        return offline(`the workbench host answered HTTP ${res.status} without a result`);
      }
      const parsed = ResultEnvelope.safeParse(body);
      if (res.status === 401)
        opts.onSessionEnded?.(
          `POST /api/${method}: HTTP 401${parsed.success && !parsed.data.ok ? `: ${parsed.data.error.message}` : ''}`,
        );
      if (!parsed.success)
        return { ok: false, error: { code: 'INTERNAL', message: `unexpected answer (HTTP ${res.status})` } };
      return parsed.data as Result<unknown>;
    },
    subscribe(handler) {
      listeners.add(handler);
      if (!source && !retryTimer) source = open();
      return () => {
        listeners.delete(handler);
        if (listeners.size > 0) return;
        source?.close();
        source = null;
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = null;
      };
    },
  };
};
