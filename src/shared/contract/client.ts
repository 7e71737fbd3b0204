import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './api';
import type { Result } from './result';

/** What every transport offers the client: one invoke, one event stream. */
export interface Transport {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  /** Calls `handler` for every event; returns an unsubscribe function. */
  subscribe(handler: (event: string, payload: unknown) => void): () => void;
}

export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

/**
 * What the renderer connects to, chosen once at start-up: the typed client, how to address an
 * asset by hash, and which host serves it (the shell's custom protocol or web mode's HTTP).
 */
export interface Connection {
  api: ApiClient;
  assetUrl(sha256: string): string;
  mode: 'electron' | 'web';
}

/**
 * The typed client over any transport. Results come back as values (never thrown): the caller
 * decides what an error means to the user.
 */
export const createClient = (transport: Transport): ApiClient => ({
  async call(method, input) {
    try {
      return (await transport.invoke(method, input)) as never;
    } catch (e) {
      return { ok: false, error: { code: 'OFFLINE', message: e instanceof Error ? e.message : String(e) } };
    }
  },
  on(event, handler) {
    return transport.subscribe((name, payload) => {
      if (name === event) handler(payload as never);
    });
  },
});
