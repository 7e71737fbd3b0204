import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Annotation } from '../../shared/model';
import { PushDecodeError } from './decode';
import { inlinePushDecoder, workerPushDecoder, type PushDecoder } from './decoder';

const box = (i: number) => ({
  type: 'bbox',
  id: `b${i}`,
  label: 'car',
  x: i,
  y: 2 * i,
  w: 10,
  h: 5,
  rotation: 0,
  attributes: {},
});
const submit = (seq: number, extra: Record<string, unknown> = {}) => ({
  mutationId: randomUUID(),
  clientId: 'c1',
  seq,
  kind: 'submit',
  taskId: `t${seq}`,
  leaseEpoch: 1,
  payload: {
    annotation: { results: [box(seq), box(seq + 1)], activeMs: 100 * seq, ...extra },
    submittedAt: 1000 + seq,
  },
});
const body = (value: unknown): Uint8Array =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const failure = async (p: Promise<unknown>): Promise<PushDecodeError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof PushDecodeError) return e;
    throw e;
  }
  throw new Error('expected a PushDecodeError');
};

const workers = workerPushDecoder(2);
afterAll(() => workers.close());

describe.each<[string, PushDecoder]>([
  ['inline', inlinePushDecoder()],
  ['worker threads', workers],
])('push decoder (%s)', (_name, decoder) => {
  it("returns the heads, then each submit annotation as the client's own bytes, once checked", async () => {
    const mutations = [
      submit(1, { junk: 'kept' }),
      {
        mutationId: randomUUID(),
        clientId: 'c1',
        seq: 2,
        kind: 'skip',
        taskId: 't2',
        leaseEpoch: 3,
        payload: { reason: 'blurry' },
      },
      submit(3),
    ];
    const out = await decoder.decode(body({ clientId: 'c1', mutations }));
    expect(out.clientId).toBe('c1');
    expect(out.heads.map((h) => [h.at, h.seq, h.kind, h.taskId, h.leaseEpoch, h.submittedAt])).toEqual([
      [0, 1, 'submit', 't1', 1, 1001],
      [1, 2, 'skip', 't2', 3, undefined],
      [2, 3, 'submit', 't3', 1, 1003],
    ]);
    const texts = await out.annotations;
    expect(texts[1]).toBeUndefined();
    // The bytes the client sent; a field this hub does not know (a newer client's) is kept as is.
    expect(texts[0]).toBe(
      JSON.stringify(mutations[0]?.payload && (mutations[0].payload as { annotation: unknown }).annotation),
    );
    expect(JSON.parse(texts[0] ?? '')).toMatchObject({ junk: 'kept' });
    expect(Annotation.parse(JSON.parse(texts[0] ?? ''))).toEqual(
      Annotation.parse(submit(1).payload.annotation),
    );
    expect(JSON.parse(texts[2] ?? '')).toMatchObject({
      activeMs: 300,
      results: [{ id: 'b3' }, { id: 'b4' }],
    });
  });

  it('names the field of bad input: not JSON, a bad envelope, a mismatched client, __proto__', async () => {
    expect((await failure(decoder.decode(body('{"clientId": ')))).field).toBe('body');
    expect(
      (await failure(decoder.decode(body({ clientId: 'c1', mutations: [{ ...submit(1), seq: 0 }] })))).field,
    ).toBe('body.mutations.0.seq');
    expect((await failure(decoder.decode(body({ clientId: 'c1', mutations: [] })))).field).toBe(
      'body.mutations',
    );
    expect((await failure(decoder.decode(body({ clientId: 'c2', mutations: [submit(1)] })))).field).toBe(
      'body.mutations',
    );
    expect(
      (await failure(decoder.decode(body('{"clientId":"c1","__proto__":{"x":1},"mutations":[]}')))).field,
    ).toBe('body');
  });

  it('gives the heads of a batch whose annotation is bad, then fails its texts naming the field', async () => {
    const bad = submit(2);
    (bad.payload.annotation.results[1] as { w: number }).w = -3;
    const out = await decoder.decode(body({ clientId: 'c1', mutations: [submit(1), bad] }));
    expect(out.heads).toHaveLength(2);
    const e = await failure(out.annotations);
    expect(e.field).toBe('body.mutations.1.payload.annotation.results.1.w');
    expect(e.message).toMatch(/^body\.mutations\.1\.payload\.annotation\.results\.1\.w: /);
  });

  it('keeps concurrent bodies apart', async () => {
    const outs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        decoder.decode(body({ clientId: 'c1', mutations: [submit(i + 1)] })),
      ),
    );
    const texts = await Promise.all(outs.map((o) => o.annotations));
    outs.forEach((o, i) => {
      expect(o.heads[0]?.seq).toBe(i + 1);
      expect(JSON.parse(texts[i]?.[0] ?? '')).toMatchObject({ activeMs: 100 * (i + 1) });
    });
  });
});

describe('worker push decoder', () => {
  it('fails the job of a thread that dies, and replaces the thread', async () => {
    const pool = workerPushDecoder(1);
    try {
      // Not bytes: the worker's own check of its message throws, which ends the thread.
      await expect(pool.decode('not bytes' as unknown as Uint8Array)).rejects.toThrow();
      const out = await pool.decode(body({ clientId: 'c1', mutations: [submit(7)] }));
      expect(out.heads[0]?.seq).toBe(7);
      expect(await out.annotations).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });

  it('refuses work once closed', async () => {
    const pool = workerPushDecoder(1);
    await pool.close();
    await expect(pool.decode(body({ clientId: 'c1', mutations: [submit(1)] }))).rejects.toThrow(/closed/);
  });
});
