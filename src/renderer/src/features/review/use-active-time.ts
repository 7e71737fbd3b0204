import { useEffect, useState } from 'react';
import { DEFAULT_IDLE_MS } from '../../../../shared/metrics/active-time';

/** Time between a reviewer's inputs, each gap counted up to the idle threshold. */
class GapTimer {
  private last: number | null = null;
  private total = 0;
  touch(now: number): void {
    if (this.last !== null && now > this.last) this.total += Math.min(now - this.last, DEFAULT_IDLE_MS);
    this.last = now;
  }
  get ms(): number {
    return Math.round(this.total);
  }
}

/** Active time on the review screen, fed by the window's keys and pointer (the verdict's `activeMs`). */
export const useActiveTime = (): GapTimer => {
  const [timer] = useState(() => new GapTimer());
  useEffect(() => {
    const touch = () => timer.touch(Date.now());
    touch();
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true, capture: true });
    return () => {
      for (const e of events) window.removeEventListener(e, touch, { capture: true });
    };
  }, [timer]);
  return timer;
};
