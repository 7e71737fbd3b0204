/**
 * Hotkeys as the label config writes them: one letter or digit, optionally with one modifier
 * ("1", "q", "shift+2", "alt+x", "ctrl+k"). Matching is exact on modifiers, so "1" and "shift+1"
 * are different keys.
 */
export interface Hotkey {
  key: string;
  shift: boolean;
  alt: boolean;
  /** Ctrl, or Cmd on macOS. */
  ctrl: boolean;
}

/** The fields of a KeyboardEvent that matching reads (a plain object in tests). */
export type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey'>;

export const parseHotkey = (text: string): Hotkey | null => {
  const parts = text.toLowerCase().split('+');
  const key = parts.pop();
  if (key === undefined || !/^[a-z0-9]$/.test(key)) return null;
  const mods = new Set(parts);
  for (const m of mods) if (m !== 'shift' && m !== 'alt' && m !== 'ctrl') return null;
  if (mods.size !== parts.length) return null;
  return { key, shift: mods.has('shift'), alt: mods.has('alt'), ctrl: mods.has('ctrl') };
};

/**
 * The letter or digit a key event stands for. With Shift or Alt held, `key` is the shifted
 * character ("!" for Shift+1, "¡" for Alt+1 on a Mac), so the physical `code` decides then.
 */
export const eventKey = (e: KeyLike): string | null => {
  const k = e.key.length === 1 ? e.key.toLowerCase() : '';
  if (/^[a-z0-9]$/.test(k) && !e.altKey) return k;
  const m = /^(?:Key([A-Z])|Digit([0-9])|Numpad([0-9]))$/.exec(e.code);
  if (m) return (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
  return /^[a-z0-9]$/.test(k) ? k : null;
};

export const matchesHotkey = (hotkey: Hotkey, e: KeyLike): boolean =>
  eventKey(e) === hotkey.key &&
  e.shiftKey === hotkey.shift &&
  e.altKey === hotkey.alt &&
  (e.ctrlKey || e.metaKey) === hotkey.ctrl;

/** How a hotkey is shown next to its label: "1", "Q", "⇧2". */
export const formatHotkey = (hotkey: Hotkey): string =>
  `${hotkey.ctrl ? 'Ctrl+' : ''}${hotkey.alt ? 'Alt+' : ''}${hotkey.shift ? '⇧' : ''}${hotkey.key.toUpperCase()}`;

/** Keys typed into a field belong to the field, never to a shortcut. */
export const isTypingTarget = (target: EventTarget | null): boolean => {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(type);
};

/** The keyboard rule of editor/types.ts: skip consumed events and keys typed into fields. */
export const shouldHandle = (e: KeyboardEvent): boolean =>
  !e.defaultPrevented && !e.isComposing && !isTypingTarget(e.target);
