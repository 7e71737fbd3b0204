import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport, type EventSourceLike } from './http-transport';
import { assetUrlFor } from './asset-url';
import { CONTRACT_VERSION } from '../../../shared/contract/api';

class FakeEventSource implements EventSourceLike {
  static all: FakeEventSource[] = [];
  readyState = 0;
  onmessage: ((event: { data: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  deliver(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const make = (fetchImpl: typeof fetch = vi.fn(async () => json({ ok: true, value: 1 }))) =>
  createHttpTransport({
    baseUrl: 'http://127.0.0.1:5199/',
    token: 't/k',
    fetch: fetchImpl,
    EventSource: FakeEventSource,
    reconnectDelayMs: 10,
  });

afterEach(() => {
  FakeEventSource.all = [];
  vi.useRealTimers();
});

describe('HTTP transport', () => {
  it('posts the input as JSON with the bearer token and returns the envelope', async () => {
    const fetchImpl = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
      json({ ok: true, value: { n: 1 } }),
    );
    expect(await make(fetchImpl as typeof fetch).invoke('tasks.open', { taskId: 'a' })).toEqual({
      ok: true,
      value: { n: 1 },
    });
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect(url).toBe('http://127.0.0.1:5199/api/tasks.open');
    expect(init).toMatchObject({
      method: 'POST',
      body: '{"taskId":"a"}',
      headers: { authorization: 'Bearer t/k', 'x-outrigger-contract': CONTRACT_VERSION },
    });
  });

  it('says the session ended when the host refuses the token, and still answers the error', async () => {
    const ended = vi.fn();
    const refuse = vi.fn(async () =>
      json({ ok: false, error: { code: 'UNAUTHORIZED', message: 'a valid session token is required' } }, 401),
    );
    const t = createHttpTransport({
      baseUrl: 'http://127.0.0.1:5199',
      token: 'old',
      fetch: refuse as typeof fetch,
      EventSource: FakeEventSource,
      onSessionEnded: ended,
    });
    expect(await t.invoke('queue.counts', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(ended).toHaveBeenCalledWith('POST /api/queue.counts: HTTP 401: a valid session token is required');
    // Any other refusal is the call's own business.
    const other = vi.fn(async () =>
      json({ ok: false, error: { code: 'NOT_FOUND', message: 'no task' } }, 404),
    );
    await createHttpTransport({
      baseUrl: 'http://127.0.0.1:5199',
      token: 't',
      fetch: other as typeof fetch,
      onSessionEnded: ended,
    }).invoke('tasks.open', { taskId: 'x' });
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('passes an error envelope through, whatever the status', async () => {
    const answer = { ok: false, error: { code: 'INVALID_INPUT', message: 'bad', path: 'taskId' } };
    expect(await make(async () => json(answer, 400)).invoke('tasks.open', {})).toEqual(answer);
  });

  it('turns a dead host, a non-JSON answer and a foreign shape into error values', async () => {
    expect(
      await make(async () => Promise.reject(new TypeError('fetch failed'))).invoke('x', {}),
    ).toMatchObject({ ok: false, error: { code: 'OFFLINE' } });
    expect(await make(async () => new Response('<html>', { status: 502 })).invoke('x', {})).toMatchObject({
      ok: false,
      error: { code: 'OFFLINE' },
    });
    expect(await make(async () => json({ hello: 1 })).invoke('x', {})).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('shares one event stream between subscribers, with the token in its URL, and closes it after the last', () => {
    const t = make();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = t.subscribe((e, p) => a.push([e, p]));
    const offB = t.subscribe((e, p) => b.push([e, p]));
    expect(FakeEventSource.all).toHaveLength(1);
    const es = FakeEventSource.all[0];
    expect(es?.url).toBe('http://127.0.0.1:5199/api/events?token=t%2Fk');
    es?.deliver({ event: 'task.saved', payload: { taskId: 'x' } });
    es?.deliver('not json');
    es?.deliver({ payload: 'no name' });
    expect(a).toEqual([['task.saved', { taskId: 'x' }]]);
    expect(b).toEqual(a);
    offA();
    expect(es?.closed).toBe(false);
    offB();
    expect(es?.closed).toBe(true);
  });

  it('opens a new stream when the browser gives up on the old one', async () => {
    vi.useFakeTimers();
    const t = make();
    const off = t.subscribe(() => {});
    const first = FakeEventSource.all[0];
    if (!first) throw new Error('no stream');
    first.readyState = 0; // still retrying by itself: leave it alone
    first.onerror?.({});
    await vi.advanceTimersByTimeAsync(50);
    expect(FakeEventSource.all).toHaveLength(1);
    first.readyState = 2; // closed for good
    first.onerror?.({});
    await vi.advanceTimersByTimeAsync(10);
    expect(FakeEventSource.all).toHaveLength(2);
    off();
    expect(FakeEventSource.all[1]?.closed).toBe(true);
  });
});

describe('asset URLs', () => {
  const sha = 'f'.repeat(64);
  it('use the privileged scheme in Electron and the token query in web mode', () => {
    expect(assetUrlFor('electron')(sha)).toBe(`outrigger-asset://${sha}`);
    expect(assetUrlFor('web', { baseUrl: 'http://127.0.0.1:1/', token: 'a b' })(sha)).toBe(
      `http://127.0.0.1:1/assets/${sha}?token=a%20b`,
    );
  });
});
