/**
 * The one keyboard matcher and action tables: every shortcut in the app is a combo string
 * ("ctrl+z", "shift+a", "?", "delete", "shift+[") in a table of actions. Framework-free, so the
 * tables are tested in Node by dispatching plain key descriptors, and the key handler, toolbar
 * tooltips and the cheat sheet all read the same table.
 *
 * Physical-key rule (one for the whole app):
 * - Letters and digits without Ctrl/Alt match the character the key types (`event.key`), so on
 *   AZERTY "a" is the key labelled A; when the layout types no Latin letter (Cyrillic, Greek,
 *   Arabic…) the physical key (`event.code`) decides, so shortcuts still work.
 * - With Ctrl/⌘, Alt or Shift held the typed character changes ("!" for Shift+1, "¬" for Alt+L on
 *   a Mac), so letters and digits match the physical key (`KeyL`, `Digit1`, `Numpad1`).
 * - Symbols ("?", "+", ",", ".", "[") match the typed character; Shift is ignored for them unless
 *   the combo says `shift+`, because many layouts need Shift to type them. "shift+[" matches the
 *   physical bracket key with Shift (what US-layout users press for "{").
 * - Named keys (Enter, Escape, Tab, arrows, Delete, Backspace) match `event.key`, Shift exactly.
 * Ctrl also matches ⌘ on macOS. Modifiers are always exact (no Alt means Alt is not held).
 * The combo "any" matches every key (an action that holds the keyboard during a gesture).
 */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  repeat?: boolean;
}

interface ParsedCombo {
  key: string;
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
}

const aliases: Record<string, string> = {
  del: 'delete',
  esc: 'escape',
  space: ' ',
  plus: '+',
  minus: '-',
  left: 'arrowleft',
  right: 'arrowright',
  up: 'arrowup',
  down: 'arrowdown',
};

/** US-layout physical key of the symbols a combo may name with `shift+`. */
const symbolCodes: Record<string, string> = {
  '[': 'BracketLeft',
  ']': 'BracketRight',
  '-': 'Minus',
  '=': 'Equal',
  ',': 'Comma',
  '.': 'Period',
  '/': 'Slash',
  ';': 'Semicolon',
  "'": 'Quote',
  '`': 'Backquote',
  '\\': 'Backslash',
};

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

const alnum = /^[a-z0-9]$/;

/** The letter or digit of the physical key, or null. */
const codeChar = (code: string | undefined): string | null => {
  const m = code ? /^(?:Key([A-Z])|Digit([0-9])|Numpad([0-9]))$/.exec(code) : null;
  return m ? (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase() : null;
};

export const matchCombo = (combo: string | ParsedCombo, e: KeyLike): boolean => {
  const c = typeof combo === 'string' ? parseCombo(combo) : combo;
  // "any": every key (a gesture in progress that holds the keyboard).
  if (c.key === 'any') return true;
  const ctrl = e.ctrlKey || e.metaKey;
  if (c.ctrl !== ctrl || c.alt !== e.altKey) return false;
  const typed = e.key.toLowerCase();
  if (alnum.test(c.key)) {
    if (c.shift !== e.shiftKey) return false;
    if (!ctrl && !e.altKey && !e.shiftKey && alnum.test(typed)) return typed === c.key;
    return codeChar(e.code) === c.key;
  }
  if (c.key.length === 1 && c.key !== ' ') {
    if (c.shift) return e.shiftKey && e.code === symbolCodes[c.key];
    if (typed === c.key) return true;
    // A layout that types something else on this key (Cyrillic "х" on "["): the physical key.
    return !e.shiftKey && !/^[\x20-\x7e]$/.test(e.key) && e.code === symbolCodes[c.key];
  }
  return typed === c.key && c.shift === e.shiftKey;
};

/** How a combo is shown on a key cap: "ctrl+shift+z" → "Ctrl+Shift+Z", "shift+[" → "Shift+[". */
export const formatCombo = (combo: string): string => {
  const c = parseCombo(combo);
  const names: Record<string, string> = {
    escape: 'Esc',
    delete: 'Del',
    arrowleft: '←',
    arrowright: '→',
    arrowup: '↑',
    arrowdown: '↓',
    ' ': 'Space',
  };
  const key =
    names[c.key] ?? (c.key.length === 1 ? c.key.toUpperCase() : c.key[0]!.toUpperCase() + c.key.slice(1));
  return [c.ctrl && 'Ctrl', c.alt && 'Alt', c.shift && 'Shift', key].filter(Boolean).join('+');
};

/**
 * One command of an editor or screen. `run` returns false when the key does not apply right now
 * (nothing selected, no gesture…): the next action bound to the key, then the next scope (e.g.
 * the task screen's Esc = skip), gets it.
 */
export interface KeyAction<C> {
  id: string;
  /** Combos; empty for commands reached only from buttons. */
  keys: readonly string[];
  /** What it does, for the cheat sheet and tooltips. */
  label: string;
  /** Cheat-sheet section. */
  group?: string;
  run(ctx: C, e: KeyLike): boolean | void;
  /** Also taken while a text field has focus (e.g. Ctrl+Enter submits from the justification). */
  inFields?: boolean;
  /** Taken on auto-repeat (default: yes for arrows and nudges, which set it, no for the rest). */
  repeat?: boolean;
  /** Listed in the cheat sheet (default true). */
  listed?: boolean;
  /** How the keys are shown when listing each would be noise ("0–9" for ten digits). */
  caps?: readonly string[];
}

/** A row of the cheat sheet that is not a key binding (pointer gestures, hints). */
export interface KeyHint {
  keys: string;
  label: string;
  group?: string;
}

export class ActionTable<C> {
  private readonly parsed: { action: KeyAction<C>; combo: ParsedCombo }[] = [];
  private readonly byId = new Map<string, KeyAction<C>>();

  constructor(
    readonly actions: readonly KeyAction<C>[],
    readonly hints: readonly KeyHint[] = [],
  ) {
    for (const a of actions) {
      if (!this.byId.has(a.id)) this.byId.set(a.id, a);
      for (const k of a.keys) this.parsed.push({ action: a, combo: parseCombo(k) });
    }
  }

  /** Actions bound to this key, in table order. */
  matching(e: KeyLike): KeyAction<C>[] {
    const out: KeyAction<C>[] = [];
    for (const p of this.parsed) if (matchCombo(p.combo, e) && !out.includes(p.action)) out.push(p.action);
    return out;
  }

  /**
   * Runs the first action bound to the key that applies; returns its id, or null when none did.
   * `inField`: the key comes from a text field, which keeps every key but `inFields` actions'.
   */
  dispatch(e: KeyLike, ctx: C, inField = false): string | null {
    for (const a of this.matching(e)) {
      if (inField && !a.inFields) continue;
      if (e.repeat && !a.repeat) continue;
      if (a.run(ctx, e) !== false) return a.id;
    }
    return null;
  }

  get(id: string): KeyAction<C> | undefined {
    return this.byId.get(id);
  }

  /** Tooltip text for a button doing the same as an action: "Undo (Ctrl+Z)". */
  tip(id: string, text?: string): string {
    const a = this.byId.get(id);
    if (!a) return text ?? id;
    const keys = this.actions.filter((x) => x.id === id).flatMap((x) => x.caps ?? x.keys.map(formatCombo));
    return keys.length ? `${text ?? a.label} (${keys.join(', ')})` : (text ?? a.label);
  }

  /** Combos bound to more than one action id (a label config clashing with itself or a tool). */
  conflicts(): string[] {
    const seen = new Map<string, string>();
    const out: string[] = [];
    for (const p of this.parsed) {
      const c = p.combo;
      const k = `${c.ctrl}|${c.shift}|${c.alt}|${c.key}`;
      const prev = seen.get(k);
      if (prev !== undefined && prev !== p.action.id)
        out.push(
          formatCombo(`${c.ctrl ? 'ctrl+' : ''}${c.alt ? 'alt+' : ''}${c.shift ? 'shift+' : ''}${c.key}`),
        );
      else seen.set(k, p.action.id);
    }
    return out;
  }

  /** Cheat-sheet rows grouped by section, in table order; one row per action id. */
  sections(): { title: string; rows: { keys: string[]; label: string }[] }[] {
    const groups = new Map<string, { keys: string[]; label: string }[]>();
    const rows = new Map<string, { keys: string[]; label: string }>();
    const add = (group: string, row: { keys: string[]; label: string }) => {
      const g = groups.get(group) ?? [];
      g.push(row);
      groups.set(group, g);
    };
    for (const a of this.actions) {
      if (a.listed === false || a.keys.length === 0) continue;
      const had = rows.get(a.id);
      const caps = a.caps ? [...a.caps] : a.keys.map(formatCombo);
      if (had) {
        had.keys.push(...caps);
        continue;
      }
      const row = { keys: caps, label: a.label };
      rows.set(a.id, row);
      add(a.group ?? 'Keys', row);
    }
    for (const h of this.hints) add(h.group ?? 'Mouse', { keys: [h.keys], label: h.label });
    return [...groups].map(([title, r]) => ({ title, rows: r }));
  }
}

/** A label-config hotkey ("1", "Q", "shift+2") as a combo; null when it is not a valid hotkey. */
export const hotkeyCombo = (hotkey: string | undefined): string | null => {
  if (!hotkey) return null;
  const c = parseCombo(hotkey);
  return alnum.test(c.key) ? hotkey.toLowerCase() : null;
};

/**
 * The label and class hotkeys of a label config as action rows, for every editor: what a key does
 * is the editor's (`label`, `toggleClass`); ids, captions and groups are the same everywhere.
 */
export const configHotkeyActions = <C>(
  config: {
    labels: readonly { name: string; hotkey?: string | undefined }[];
    classes: readonly { name: string; options: readonly { name: string; hotkey?: string | undefined }[] }[];
  },
  run: {
    label: (ctx: C, name: string) => void | boolean;
    toggleClass: (ctx: C, group: string, option: string) => void | boolean;
    classGroup: string;
  },
): KeyAction<C>[] => {
  const rows: KeyAction<C>[] = [];
  for (const l of config.labels) {
    const combo = hotkeyCombo(l.hotkey);
    if (combo)
      rows.push({
        id: `label:${l.name}`,
        keys: [combo],
        label: `Label: ${l.name}`,
        group: 'Labels',
        run: (c) => run.label(c, l.name),
      });
  }
  for (const g of config.classes)
    for (const o of g.options) {
      const combo = hotkeyCombo(o.hotkey);
      if (combo)
        rows.push({
          id: `class:${g.name}:${o.name}`,
          keys: [combo],
          label: `${g.name}: ${o.name}`,
          group: run.classGroup,
          run: (c) => run.toggleClass(c, g.name, o.name),
        });
    }
  return rows;
};

/**
 * `build(config)` once per distinct config: a table is pure (its actions read the context they
 * are run with), and every task of a project brings its own copy of the same config, so a switch
 * would otherwise parse every combo again. Keyed by content; the last few configs are kept.
 */
export function tablePerConfig<T, C>(
  build: (config: T) => ActionTable<C>,
  keep = 8,
): (config: T) => ActionTable<C> {
  const tables = new Map<string, ActionTable<C>>();
  return (config) => {
    const key = JSON.stringify(config);
    let table = tables.get(key);
    if (table) {
      tables.delete(key); // most recent last
    } else {
      table = build(config);
      if (tables.size >= keep) tables.delete(tables.keys().next().value!);
    }
    tables.set(key, table);
    return table;
  };
}
