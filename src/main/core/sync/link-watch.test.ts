import { describe, expect, it } from 'vitest';
import { HttpStatusError, NetworkError, type HttpClient } from './http';
import { watchedHttp } from './link-watch';

const failingWith = (e: unknown): HttpClient => ({
  baseUrl: 'http://hub.test',
  prepareJson: () => Promise.reject(new Error('unused')),
  request: () => Promise.reject(e),
  stream: () => Promise.reject(e),
  close: () => undefined,
});

describe('watchedHttp', () => {
  it.each([
    ['no answer', new NetworkError('connect ECONNREFUSED', 'unreachable'), 1],
    ['a broken hub', new HttpStatusError(503, 'busy', null), 1],
    ['a refused request', new HttpStatusError(404, 'no such project', null), 0],
    ['a token refused', new HttpStatusError(401, 'bad token', null), 0],
    ['a local failure', new Error('disk full'), 0],
  ])('tells the engine of %s only when the hub cannot be reached', async (_what, e, told) => {
    let seen = 0;
    const http = watchedHttp(failingWith(e), () => seen++);
    await expect(http.request({ method: 'GET', path: '/x' })).rejects.toBe(e);
    await expect(http.stream({ method: 'GET', path: '/x' }, () => Promise.resolve(1))).rejects.toBe(e);
    expect(seen).toBe(2 * told);
  });
});
