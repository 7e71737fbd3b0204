/**
 * Scenes the browser benches label: photo-like JPEGs encoded by Chromium, 2,000-word texts with
 * spans, and boxes, all deterministic (the same scene on every run).
 */
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { AnnotationResult } from '../../src/shared/model';
import imageProject from '../../resources/demo/image-project.json';
import textProject from '../../resources/demo/text-project.json';

/** Deterministic pseudo-random numbers: every run labels the same scene. */
export const rng = (seed: number) => () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

/** Photo-like JPEGs encoded by Chromium (gradients and soft shapes, like the image bench's). */
export const makeJpeg = async (page: Page, w: number, h: number): Promise<Buffer> => {
  const b64 = await page.evaluate(
    async ([w, h]) => {
      const c = new OffscreenCanvas(w, h);
      const ctx = c.getContext('2d')!;
      const g = ctx.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, '#2b4162');
      g.addColorStop(0.5, '#6b8f71');
      g.addColorStop(1, '#d3b88c');
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, w, h);
      let seed = 3;
      const r = () => ((seed = (seed * 1664525 + 1013904223) >>> 0), seed / 2 ** 32);
      for (let i = 0; i < 600; i++) {
        ctx.fillStyle = `hsla(${Math.floor(r() * 360)}, 45%, ${30 + r() * 40}%, 0.35)`;
        ctx.beginPath();
        ctx.arc(r() * w, r() * h, 5 + r() * (w / 20), 0, Math.PI * 2);
        ctx.fill();
      }
      const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.88 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    [w, h] as const,
  );
  return Buffer.from(b64, 'base64');
};

/** The same pixels under a new digest: bytes after the JPEG's end marker are ignored by decoders. */
export const distinct = (jpeg: Buffer): Buffer => Buffer.concat([jpeg, randomBytes(16)]);

const WORDS =
  'the annotator reads each document carefully and marks every person place organization date and amount that appears in the text while the reviewer later checks a sample of spans against the guidelines for consistency'.split(
    ' ',
  );

/** A 2,000-word text in paragraphs, and 20 spans over whole words of it. */
export const makeText = (seed: number): { text: string; spans: AnnotationResult[] } => {
  const r = rng(seed);
  const words: string[] = [];
  for (let i = 0; i < 2000; i++) words.push(WORDS[Math.floor(r() * WORDS.length)]!);
  let text = '';
  const starts: number[] = [];
  words.forEach((w, i) => {
    if (i > 0) text += i % 90 === 0 ? '\n\n' : ' ';
    starts.push(text.length);
    text += w;
  });
  const labels = textProject.labelConfig.labels.map((l) => l.name);
  const spans: AnnotationResult[] = [];
  for (let k = 0; k < 20; k++) {
    const i = Math.floor((k + 0.5) * 100);
    const start = starts[i]!;
    const end = start + words[i]!.length;
    spans.push({
      type: 'span',
      id: `s${k}`,
      label: labels[k % labels.length]!,
      start,
      end,
      text: text.slice(start, end),
      attributes: {},
    });
  }
  return { text, spans };
};

export const makeBoxes = (n: number, w: number, h: number, seed: number): AnnotationResult[] => {
  const r = rng(seed);
  const labels = imageProject.labelConfig.labels.map((l) => l.name);
  return Array.from({ length: n }, (_, i) => {
    const bw = (0.02 + r() * 0.08) * w;
    const bh = (0.02 + r() * 0.08) * h;
    return {
      type: 'bbox' as const,
      id: `b${i}`,
      label: labels[i % labels.length]!,
      x: r() * (w - bw),
      y: r() * (h - bh),
      w: bw,
      h: bh,
      rotation: 0,
      attributes: {},
    };
  });
};
