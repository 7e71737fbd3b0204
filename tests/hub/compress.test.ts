import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES } from '../../src/hub/http/compress';
import { httpFixture, type HttpFixture } from './http.fixture';

let f: HttpFixture;
beforeAll(async () => {
  f = await httpFixture({});
});
afterAll(() => f.close());

describe('hub answer compression', () => {
  it('gzips JSON answers above the threshold for clients that accept gzip, byte-identical inside', async () => {
    const body = { projectId: f.imageProject, deviceId: 'dev-z', count: 3 };
    const gz = await f.call('POST', '/v1/leases', {
      token: f.tokens.ann,
      body: { ...body, requestId: 'rq-compress' },
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(gz.rawPayload).toString('utf8');
    expect(text.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
    expect(gz.rawPayload.length).toBeLessThan(text.length);
    // The same request id answers the same leases, plain for a client that does not ask.
    const plain = await f.call('POST', '/v1/leases', {
      token: f.tokens.ann,
      body: { ...body, requestId: 'rq-compress' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.payload).leases).toEqual(JSON.parse(text).leases);
  });

  it('leaves small answers and images as they are', async () => {
    const me = await f.call('GET', '/v1/health', { headers: { 'accept-encoding': 'gzip' } });
    expect(me.rawPayload.length).toBeLessThan(COMPRESS_MIN_BYTES);
    expect(me.headers['content-encoding']).toBeUndefined();
    const leased = JSON.parse(
      (
        await f.call('POST', '/v1/leases', {
          token: f.tokens.ann,
          body: { projectId: f.imageProject, deviceId: 'dev-z', count: 1 },
        })
      ).payload,
    ) as { leases: { task: { data: { image: { sha256: string } } } }[] };
    const sha = leased.leases[0]!.task.data.image.sha256;
    const img = await f.call('GET', `/v1/assets/${sha}`, {
      token: f.tokens.ann,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-encoding']).toBeUndefined();
  });
});
