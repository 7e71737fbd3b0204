/**
 * A 2D context that records what is drawn (tests of the drawing code run in Node, without a
 * canvas): every method call is kept as [name, ...args]; the transform follows setTransform.
 */
export interface FakeContext extends CanvasRenderingContext2D {
  calls: [string, ...unknown[]][];
  named(name: string): unknown[][];
}

export const fakeContext = (): FakeContext => {
  let m = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };
  const stack: (typeof m)[] = [];
  const calls: [string, ...unknown[]][] = [];
  const props: Record<string, unknown> = {};
  const own: Record<string, unknown> = {
    calls,
    named: (name: string) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)),
    getTransform: () => ({ ...m }),
    setTransform: (a: number, b: number, c: number, d: number, e: number, f: number) => {
      calls.push(['setTransform', a, b, c, d, e, f]);
      m = { a, b, c, d, e, f };
    },
    save: () => (calls.push(['save']), stack.push({ ...m })),
    restore: () => (calls.push(['restore']), (m = stack.pop() ?? m)),
    measureText: (t: string) => ({ width: t.length * 6 }),
  };
  return new Proxy(props, {
    get: (_, k: string) =>
      k in own ? own[k] : k in props ? props[k] : (...args: unknown[]) => void calls.push([k, ...args]),
    set: (_, k: string, v) => ((props[k] = v), calls.push([`${k}=`, v]), true),
  }) as unknown as FakeContext;
};

/** A canvas whose context is a `fakeContext` (made on first use, as a real canvas's is). */
export const fakeCanvas = () => {
  const c = {
    width: 300,
    height: 150,
    ctx: null as FakeContext | null,
    getContext: () => (c.ctx ??= fakeContext()),
  };
  return c;
};
