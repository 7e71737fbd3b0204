import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect } from './index';
import type { OutriggerBridge } from '../../../shared/contract/bridge';

/** A minimal `window` for the Node test environment. */
const fakeWindow = (href: string, extra: Record<string, unknown> = {}) => {
  const store = new Map<string, string>();
  const win = {
    location: { href, origin: new URL(href).origin },
    sessionStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    },
    history: {
      state: null,
      replaceState: vi.fn((_s: unknown, _t: string, url: string) => (win.location.href = url)),
    },
    ...extra,
  };
  vi.stubGlobal('window', win);
  return win;
};

afterEach(() => vi.unstubAllGlobals());

describe('connect()', () => {
  it('uses the preload bridge when there is one', async () => {
    const bridge: OutriggerBridge = {
      invoke: vi.fn(async () => ({ ok: true as const, value: 7 })),
      onEvent: vi.fn(() => () => {}),
      platform: { os: 'linux', versions: { electron: '', chrome: '', node: '' } },
    };
    fakeWindow('outrigger-app://app/index.html', { outrigger: bridge });
    const c = connect();
    expect(c.mode).toBe('electron');
    expect(await c.api.call('queue.counts', {})).toEqual({ ok: true, value: 7 });
    expect(bridge.invoke).toHaveBeenCalledWith('queue.counts', {});
    expect(c.assetUrl('ab')).toBe('outrigger-asset://ab');
  });

  it('uses HTTP in a browser, takes the token from the URL once and removes it from the address bar', () => {
    const win = fakeWindow('http://127.0.0.1:5199/?token=secret&x=1');
    const c = connect();
    expect(c.mode).toBe('web');
    expect(c.assetUrl('ab')).toBe('http://127.0.0.1:5199/assets/ab?token=secret');
    expect(win.location.href).toBe('http://127.0.0.1:5199/?x=1');
    // A reload in the same tab finds the token in sessionStorage.
    expect(connect().assetUrl('ab')).toBe('http://127.0.0.1:5199/assets/ab?token=secret');
  });
});
