/** Every app-level shortcut, for the handlers' documentation and the cheat sheet. */
export interface Shortcut {
  keys: string[];
  action: string;
}

export const queueShortcuts: Shortcut[] = [
  { keys: ['Enter'], action: 'Start labeling: open the next task' },
  { keys: ['↑', '↓'], action: 'Move through the list; Enter opens the task' },
  { keys: ['Ctrl/⌘', ','], action: 'Sync settings: sign in to a hub' },
  { keys: ['?'], action: 'Show this cheat sheet' },
];

export const taskShortcuts: Shortcut[] = [
  { keys: ['Enter'], action: 'Submit and open the next task' },
  { keys: ['Esc', 'Backspace'], action: 'Skip and open the next task' },
  { keys: ['←'], action: 'Previous finished task' },
  { keys: ['→'], action: 'Forward through history, then the next task' },
  { keys: ['Ctrl/⌘', ','], action: 'Sync settings: sign in to a hub' },
  { keys: ['?'], action: 'Show this cheat sheet' },
];
