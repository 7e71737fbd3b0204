import type Konva from 'konva';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WARM_FRAMES, warmCompositing } from './compositor-warmup';

interface FakeEl {
  name: string;
  style: Record<string, string> & { cssText: string };
  parent: FakeEl | null;
  appendChild: (c: FakeEl) => FakeEl;
  remove: () => void;
  setAttribute: () => void;
}

const el = (name: string): FakeEl => {
  const e: FakeEl = {
    name,
    style: { cssText: '' },
    parent: null,
    appendChild: (c) => {
      c.parent = e;
      return c;
    },
    remove: () => void (e.parent = null),
    setAttribute: () => undefined,
  };
  return e;
};

/** A page whose frames are run by hand; what each frame showed is recorded. */
const setup = () => {
  const frames: FrameRequestCallback[] = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
  const body = el('body');
  const doc = { visibilityState: 'visible', body, createElement: () => el('host') };
  vi.stubGlobal('document', doc);
  const touched: string[] = [];
  const canvas = (name: string) => {
    const c = el(name) as FakeEl & { getContext: () => unknown };
    c.style.visibility = 'hidden'; // allocated ahead, not drawn yet
    c.getContext = () => ({ clearRect: () => touched.push(name) });
    return c;
  };
  const regions = canvas('regions');
  const image = canvas('image');
  const layer = (c: FakeEl) => ({ getCanvas: () => ({ _canvas: c }) }) as unknown as Konva.Layer;
  const content = el('content');
  const shown: string[][] = [];
  /** Runs the next frame and the task after it; false when none was asked for. */
  const frame = async (): Promise<boolean> => {
    const f = frames.shift();
    if (!f) return false;
    shown.push(
      [regions, image]
        .filter((c) => c.style.visibility !== 'hidden' && content.parent?.parent === body)
        .map((c) => c.name),
    );
    f(0);
    await vi.advanceTimersByTimeAsync(0);
    return true;
  };
  return {
    doc,
    body,
    content,
    regions,
    image,
    layers: [layer(regions), layer(image)],
    frame,
    shown,
    touched,
  };
};

describe('the spare stage put through its first compositor copies', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('shows each canvas alone for WARM_FRAMES changed frames, then parks the stage as it was', async () => {
    const t = setup();
    let done = false;
    void warmCompositing({ content: t.content as never, layers: t.layers, stillSpare: () => true }).then(
      () => (done = true),
    );
    while (!done && (await t.frame()));
    expect(done).toBe(true);
    expect(t.shown).toEqual([
      ...Array.from({ length: WARM_FRAMES }, () => ['regions']),
      ...Array.from({ length: WARM_FRAMES }, () => ['image']),
    ]);
    // One pixel touched before each frame, so each one commits the canvas.
    expect(t.touched).toHaveLength(2 * WARM_FRAMES);
    expect(t.content.parent).toBeNull();
    expect([t.regions.style.visibility, t.image.style.visibility]).toEqual(['hidden', 'hidden']);
  });

  it('leaves the stage alone once an editor has taken it', async () => {
    const t = setup();
    let spare = true;
    let done = false;
    void warmCompositing({ content: t.content as never, layers: t.layers, stillSpare: () => spare }).then(
      () => (done = true),
    );
    await t.frame();
    // The editor takes the stage: its content moves into the editor's container.
    spare = false;
    const editor = el('editor');
    editor.appendChild(t.content);
    t.regions.style.visibility = '';
    while (!done && (await t.frame()));
    expect(done).toBe(true);
    expect(t.shown.length).toBeLessThanOrEqual(2);
    expect(t.content.parent).toBe(editor);
    expect(t.regions.style.visibility).toBe('');
  });

  it('does nothing in a hidden window', async () => {
    const t = setup();
    t.doc.visibilityState = 'hidden';
    await warmCompositing({ content: t.content as never, layers: t.layers, stillSpare: () => true });
    expect(t.shown).toEqual([]);
    expect(t.content.parent).toBeNull();
  });
});
