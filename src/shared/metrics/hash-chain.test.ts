import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import {
  type ChainLink,
  appendLink,
  appendLinks,
  chainLinkSchema,
  genesisHead,
  sha256Hex,
  verifyChain,
} from './hash-chain';
import { z } from 'zod';

describe('canonical JSON (RFC 8785)', () => {
  it('RFC 8785 §3.2.2 worked example: numbers, strings and literals', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });
  it('RFC 8785 §3.2.3 worked example: keys sorted by UTF-16 code units', () => {
    const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6'];
    const obj = Object.fromEntries(keys.map((k) => [k, 0]));
    expect(canonicalJson(obj)).toBe(
      '{"\\r":0,"1":0,"\u0080":0,"\u00f6":0,"\u20ac":0,"\ud83d\ude00":0,"\ufb33":0}',
    );
  });
  it('refuses what JSON cannot say exactly; drops undefined members like JSON', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
    expect(() => canonicalJson(new Date(0))).toThrow(TypeError);
    expect(() => canonicalJson(1n)).toThrow(TypeError);
    expect(canonicalJson({ b: 1, a: undefined, c: { z: [1, 'x'], y: null } })).toBe(
      '{"b":1,"c":{"y":null,"z":[1,"x"]}}',
    );
  });
  it('key order never changes the text (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
});

describe('SHA-256', () => {
  it('FIPS 180-2 test vectors', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('activity hash chain', () => {
  type Ev = { kind: string; taskId: string; at: number };
  const events: Ev[] = [1, 2, 3, 4, 5].map((i) => ({
    kind: 'task.submitted',
    taskId: `t${i}`,
    at: 1_700_000_000_000 + i,
  }));
  const genesis = genesisHead('device-1');
  const { links, head } = appendLinks(genesis, events);
  const clone = (): ChainLink<Ev>[] => links.map((l) => ({ ...l, event: { ...l.event } }));

  it('an untouched chain verifies and gives its head', () => {
    expect(verifyChain(links, genesis)).toEqual({ ok: true, head });
    expect(head.seq).toBe(5);
    expect(links[1]!.prevHash).toBe(links[0]!.hash);
  });
  it('an edited event is found', () => {
    const l = clone();
    l[2]!.event.at += 60_000;
    expect(verifyChain(l, genesis)).toMatchObject({
      ok: false,
      index: 2,
      seq: 3,
      reason: 'hash',
      head: { seq: 2 },
    });
  });
  it('an edited event whose hash was recomputed breaks the next link', () => {
    const l = clone();
    l[2]!.event.at += 60_000;
    l[2]!.hash = appendLink({ seq: 2, hash: l[2]!.prevHash }, l[2]!.event).link.hash;
    expect(verifyChain(l, genesis)).toMatchObject({ ok: false, index: 3, reason: 'prev' });
  });
  it('a removed event is found', () => {
    const l = clone();
    l.splice(1, 1);
    expect(verifyChain(l, genesis)).toMatchObject({ ok: false, index: 1, reason: 'seq' });
  });
  it('reordered events are found', () => {
    const l = clone();
    [l[1], l[2]] = [l[2]!, l[1]!];
    expect(verifyChain(l, genesis)).toMatchObject({ ok: false, index: 1, reason: 'seq' });
  });
  it('an inserted event is found, even with a plausible seq', () => {
    const l = clone();
    const forged = appendLink(
      { seq: 2, hash: l[1]!.hash },
      { kind: 'task.submitted', taskId: 'tx', at: 0 },
    ).link;
    l.splice(2, 0, forged);
    expect(verifyChain(l, genesis)).toMatchObject({ ok: false, index: 3, reason: 'seq' });
  });
  it('continuity with the prefix already held: the next batch verifies from its head', () => {
    const next = appendLinks(head, [{ kind: 'task.skipped', taskId: 't6', at: 1 }]);
    expect(verifyChain(next.links, head)).toEqual({ ok: true, head: next.head });
  });
  it('a whole chain rebuilt with one event changed does not continue the held prefix', () => {
    const held = { seq: 3, hash: links[2]!.hash };
    const rebuilt = appendLinks(
      genesis,
      events.map((e, i) => (i === 0 ? { ...e, at: 0 } : e)),
    ).links;
    expect(verifyChain(rebuilt.slice(3), held)).toMatchObject({ ok: false, index: 0, reason: 'prev' });
  });
  it("another device's chain does not continue this one", () => {
    const other = appendLinks(genesisHead('device-2'), events).links;
    expect(verifyChain(other, genesis)).toMatchObject({ ok: false, index: 0, reason: 'prev' });
  });
  it('a batch sent twice is not a continuation', () => {
    expect(verifyChain(links, head)).toMatchObject({ ok: false, index: 0, reason: 'seq' });
  });
  it('links parse with the schema for their events', () => {
    const schema = chainLinkSchema(z.object({ kind: z.string(), taskId: z.string(), at: z.number() }));
    expect(z.array(schema).parse(links)).toEqual(links);
    expect(schema.safeParse({ ...links[0], hash: 'xyz' }).success).toBe(false);
  });
  it('any single edit of any link is detected (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('seq', 'prevHash', 'hash', 'kind', 'taskId', 'at'),
        (i, field) => {
          const l = clone();
          const link = l[i]!;
          if (field === 'seq') link.seq += 1;
          else if (field === 'prevHash' || field === 'hash') link[field] = sha256Hex('forged');
          else if (field === 'at') link.event.at += 1;
          else link.event[field] += 'x';
          const v = verifyChain(l, genesis);
          expect(v.ok).toBe(false);
          if (!v.ok) expect(v.index).toBeLessThanOrEqual(i + 1);
        },
      ),
    );
  });
});
