import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annotationSpans } from './annotation-spans';

/** What JSON.parse sees: index → annotation value, for every mutation whose payload has one. */
const expected = (text: string): Map<number, unknown> => {
  const out = new Map<number, unknown>();
  const body = JSON.parse(text) as { mutations?: unknown };
  if (!Array.isArray(body.mutations)) return out;
  body.mutations.forEach((m: unknown, i) => {
    const payload =
      m !== null && typeof m === 'object' && !Array.isArray(m)
        ? (m as { payload?: unknown }).payload
        : undefined;
    if (
      payload !== null &&
      typeof payload === 'object' &&
      !Array.isArray(payload) &&
      Object.hasOwn(payload, 'annotation')
    ) {
      out.set(i, (payload as { annotation: unknown }).annotation);
    }
  });
  return out;
};

const found = (text: string): Map<number, unknown> =>
  new Map([...annotationSpans(text)].map(([i, [s, e]]) => [i, JSON.parse(text.slice(s, e)) as unknown]));

describe('annotationSpans', () => {
  it('finds each annotation of a push body exactly where JSON.parse reads it', () => {
    const annotation = fc.oneof(
      fc.jsonValue(),
      fc.record({ results: fc.array(fc.jsonValue(), { maxLength: 4 }), activeMs: fc.nat() }),
    );
    const mutation = fc.oneof(
      fc.record({
        mutationId: fc.uuid(),
        seq: fc.nat(),
        kind: fc.constantFrom('submit', 'skip'),
        payload: fc.record({ annotation, submittedAt: fc.nat() }, { requiredKeys: [] }),
      }),
      fc.record({ payload: fc.jsonValue(), other: fc.dictionary(fc.string(), fc.jsonValue()) }),
      fc.jsonValue(),
    );
    const body = fc.record(
      { clientId: fc.string(), mutations: fc.array(mutation, { maxLength: 6 }), extra: fc.jsonValue() },
      { requiredKeys: ['mutations'] },
    );
    fc.assert(
      fc.property(body, fc.constantFrom(undefined, 2, '\t'), (b, indent) => {
        const text = JSON.stringify(b, null, indent);
        expect(found(text)).toEqual(expected(text));
      }),
      { numRuns: 400 },
    );
  });

  it('reads escaped keys, strings full of brackets and quotes, and keeps the last of a repeated key', () => {
    const text = String.raw`{"mutations":[
      {"payload":{"annot\u0061tion":{"t":"a \"}]{[ \\","n":[1,-2.5e3,true,null]}}},
      {"payload":{"annotation":{"first":1},"annotation":{"second":2}}},
      7,
      {"payload":{"note":"annotation"}},
      {"payload":{"annotation":"just a string"}}
    ],"mutations2":[{"payload":{"annotation":0}}]}`;
    expect(found(text)).toEqual(expected(text));
    expect(found(text).get(0)).toEqual({ t: 'a "}]{[ \\', n: [1, -2500, true, null] });
    expect(found(text).get(1)).toEqual({ second: 2 });
    expect([...found(text).keys()]).toEqual([0, 1, 4]);
  });

  it('finds nothing outside mutations[i].payload', () => {
    expect(annotationSpans('{"payload":{"annotation":1}}').size).toBe(0);
    expect(annotationSpans('[{"mutations":[{"payload":{"annotation":1}}]}]').size).toBe(0);
    expect(annotationSpans('{"mutations":{"0":{"payload":{"annotation":1}}}}').size).toBe(0);
    expect(annotationSpans('{"mutations":[[{"payload":{"annotation":1}}]]}').size).toBe(0);
  });
});
