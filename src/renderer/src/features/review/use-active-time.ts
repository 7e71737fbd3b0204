import { useEffect, useState } from 'react';
import { ActiveTimer } from '../task/active-time';

/** Active time on a screen: the one `ActiveTimer` rule, fed by the window's keys and pointer. */
export const useActiveTime = (): ActiveTimer => {
  const [timer] = useState(() => new ActiveTimer());
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
