/**
 * Keyboard shortcuts as data: a combo string ("ctrl+z", "shift+a", "?", "delete") matched against
 * a keyboard event. `ctrl` also matches ⌘ on macOS. Framework-free so it can be tested in Node
 * and listed verbatim in the cheat sheet.
 */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface Binding<A extends string> {
  combo: string;
  action: A;
  /** Human text for the cheat sheet. */
  label: string;
}

interface ParsedCombo {
  key: string;
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
}

const aliases: Record<string, string> = { del: 'delete', esc: 'escape', space: ' ', plus: '+', minus: '-' };

export const parseCombo = (combo: string): ParsedCombo => {
  const parts = combo.toLowerCase().split('+');
  // "ctrl++" splits into [..., '', '']: the key is '+'.
  let key = parts.pop() ?? '';
  if (key === '' && parts.at(-1) === '') {
    parts.pop();
    key = '+';
  }
  return {
    key: aliases[key] ?? key,
    ctrl: parts.includes('ctrl') || parts.includes('cmd') || parts.includes('mod'),
    shift: parts.includes('shift'),
    alt: parts.includes('alt'),
  };
};

/** Letters and digits compare by physical key so shift+1 still reads as "1". */
const eventKey = (e: KeyLike): string => {
  if (e.code?.startsWith('Key')) return e.code.slice(3).toLowerCase();
  if (e.code?.startsWith('Digit')) return e.code.slice(5);
  return e.key.toLowerCase();
};

export const matchCombo = (combo: string, e: KeyLike): boolean => {
  const c = parseCombo(combo);
  const ctrl = e.ctrlKey || e.metaKey;
  if (c.ctrl !== ctrl || c.alt !== e.altKey) return false;
  const k = eventKey(e);
  if (/^[a-z0-9]$/.test(c.key)) return k === c.key && c.shift === e.shiftKey;
  // Symbols ("?", "+") are produced with shift on many layouts: compare the produced key only.
  return e.key.toLowerCase() === c.key && (c.shift ? e.shiftKey : true);
};

export class Keymap<A extends string> {
  constructor(readonly bindings: readonly Binding<A>[]) {}

  /** First binding matching the event; more specific combos should come first. */
  match(e: KeyLike): A | null {
    for (const b of this.bindings) if (matchCombo(b.combo, e)) return b.action;
    return null;
  }

  /** Combos bound to more than one action (reported in the cheat sheet, tested for configs). */
  conflicts(): string[] {
    const seen = new Map<string, A>();
    const out: string[] = [];
    for (const b of this.bindings) {
      const c = parseCombo(b.combo);
      const k = `${c.ctrl}|${c.shift}|${c.alt}|${c.key}`;
      const prev = seen.get(k);
      if (prev !== undefined && prev !== b.action) out.push(b.combo);
      else seen.set(k, b.action);
    }
    return out;
  }
}

/** Pretty form for the cheat sheet: "ctrl+shift+z" → "Ctrl Shift Z". */
export const formatCombo = (combo: string): string =>
  combo
    .split(/\+(?!$)/)
    .map((p) => (p.length === 1 ? p.toUpperCase() : p[0]!.toUpperCase() + p.slice(1)))
    .join(' ');
