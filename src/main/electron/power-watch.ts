import type * as ElectronModule from 'electron';

/** The OS events that start and end a stretch in which nobody can be working at this machine. */
export const POWER_EVENTS = {
  suspend: 'suspend',
  resume: 'resume',
  // A locked screen is a person away: nothing counts until it is unlocked (issue 13.1).
  'lock-screen': 'suspend',
  'unlock-screen': 'resume',
} as const;

/**
 * Tells the core's activity recorder when the machine sleeps or wakes, or the screen locks or
 * unlocks (`QueueService.recordPower`): no active time counts in between, whatever the renderer
 * reports, and a monotonic clock that runs on in sleep (Windows) cannot bridge the gap.
 */
export const watchPower = (o: {
  powerMonitor: Pick<typeof ElectronModule.powerMonitor, 'on'>;
  recordPower: (kind: 'suspend' | 'resume') => void;
  log: (message: string) => void;
}): void => {
  const record = (event: keyof typeof POWER_EVENTS) => () => {
    try {
      o.recordPower(POWER_EVENTS[event]);
    } catch (e) {
      // A workspace being switched or closed records nothing; never crash the shell for it.
      o.log(`power ${event} not recorded: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  // One call per event: powerMonitor.on is overloaded by event name.
  o.powerMonitor.on('suspend', record('suspend'));
  o.powerMonitor.on('resume', record('resume'));
  o.powerMonitor.on('lock-screen', record('lock-screen'));
  o.powerMonitor.on('unlock-screen', record('unlock-screen'));
};
