import { useEffect, useRef } from 'react';
import type { ImageEditorEngine } from '../engine/engine';
import { visibleWorld } from '../../core/camera';
import type { ImageSource } from './image-source';

const W = 180;

/**
 * Overview of a large image with the visible part outlined; click or drag to move there. Shown
 * only while the viewport does not hold the whole image.
 */
export function Minimap({ engine, image }: { engine: ImageEditorEngine; image: ImageSource | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const { width, height } = engine.image;
  const h = Math.round((W * height) / width);
  const k = W / width;

  useEffect(() => {
    const draw = () => {
      const s = engine.session.get();
      const v = visibleWorld(s.camera, s.viewport);
      const whole = v.minX <= 0 && v.minY <= 0 && v.maxX >= width && v.maxY >= height;
      if (wrap.current) wrap.current.hidden = whole;
      // Hidden (every task opens fitted): no context yet, its first one costs ~0.5 ms of a switch.
      if (whole) return;
      const c = canvas.current;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return;
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== W * dpr) {
        c.width = W * dpr;
        c.height = h * dpr;
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, W, h);
      const bmp = image && !image.isDisposed ? image.overview : undefined;
      if (bmp) ctx.drawImage(bmp, 0, 0, W, h);
      ctx.fillStyle = 'rgba(0,0,0,0.45)';
      ctx.fillRect(0, 0, W, h);
      const x = Math.max(0, v.minX * k);
      const y = Math.max(0, v.minY * k);
      const x2 = Math.min(W, v.maxX * k);
      const y2 = Math.min(h, v.maxY * k);
      if (bmp) ctx.drawImage(bmp, x / k, y / k, (x2 - x) / k, (y2 - y) / k, x, y, x2 - x, y2 - y);
      ctx.strokeStyle = '#91a7ff';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x + 0.75, y + 0.75, x2 - x - 1.5, y2 - y - 1.5);
    };
    draw();
    let last = engine.session.get().camera;
    return engine.session.subscribe(() => {
      const cam = engine.session.get().camera;
      if (cam !== last) {
        last = cam;
        draw();
      }
    });
  }, [engine, image, width, height, h, k]);

  const centreOn = (e: React.PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    const wx = (e.clientX - r.left) / k;
    const wy = (e.clientY - r.top) / k;
    const s = engine.session.get();
    engine.setCamera({
      ...s.camera,
      x: s.viewport.width / 2 - wx * s.camera.scale,
      y: s.viewport.height / 2 - wy * s.camera.scale,
    });
  };

  return (
    <div ref={wrap} className="ie-minimap" hidden>
      <canvas
        ref={canvas}
        style={{ width: W, height: h }}
        data-testid="minimap"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          centreOn(e);
        }}
        onPointerMove={(e) => {
          if (e.buttons & 1) centreOn(e);
        }}
      />
    </div>
  );
}
