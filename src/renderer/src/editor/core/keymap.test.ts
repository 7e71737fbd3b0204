import { describe, expect, it } from 'vitest';
import { ActionTable, formatCombo, hotkeyCombo, matchCombo, tablePerConfig, type KeyLike } from './keymap';

const ev = (
  key: string,
  code?: string,
  mods: Partial<{ ctrl: boolean; shift: boolean; alt: boolean; meta: boolean; repeat: boolean }> = {},
): KeyLike => ({
  key,
  code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
  repeat: !!mods.repeat,
});

describe('matchCombo: the one physical-key rule', () => {
  it('matches unmodified letters by the typed character (the key cap), digits by either', () => {
    expect(matchCombo('q', ev('q', 'KeyQ'))).toBe(true);
    // AZERTY: the key labelled A sits where QWERTY has Q.
    expect(matchCombo('a', ev('a', 'KeyQ'))).toBe(true);
    expect(matchCombo('q', ev('a', 'KeyQ'))).toBe(false);
    expect(matchCombo('1', ev('1', 'Numpad1'))).toBe(true);
    expect(matchCombo('q', ev('Q', 'KeyQ'))).toBe(true); // Caps Lock
  });
  it('falls back to the physical key on a layout with no Latin letters', () => {
    expect(matchCombo('q', ev('й', 'KeyQ'))).toBe(true);
    expect(matchCombo('[', ev('х', 'BracketLeft'))).toBe(true);
  });
  it('matches letters and digits with modifiers by the physical key, modifiers exact', () => {
    expect(matchCombo('ctrl+z', ev('z', 'KeyZ', { ctrl: true }))).toBe(true);
    expect(matchCombo('ctrl+z', ev('z', 'KeyZ', { meta: true }))).toBe(true);
    expect(matchCombo('ctrl+z', ev('Z', 'KeyZ', { ctrl: true, shift: true }))).toBe(false);
    expect(matchCombo('ctrl+shift+z', ev('Z', 'KeyZ', { ctrl: true, shift: true }))).toBe(true);
    expect(matchCombo('q', ev('q', 'KeyQ', { alt: true }))).toBe(false);
    expect(matchCombo('alt+l', ev('¬', 'KeyL', { alt: true }))).toBe(true); // macOS Option+L
    expect(matchCombo('1', ev('!', 'Digit1', { shift: true }))).toBe(false);
    expect(matchCombo('shift+1', ev('!', 'Digit1', { shift: true }))).toBe(true);
    expect(matchCombo('shift+1', ev('1', 'Digit1'))).toBe(false);
    expect(matchCombo('ctrl+0', ev('0', 'Digit0', { ctrl: true }))).toBe(true);
  });
  it('matches symbols by the typed character, Shift ignored unless named', () => {
    expect(matchCombo('?', ev('?', 'Slash', { shift: true }))).toBe(true);
    expect(matchCombo('+', ev('+', 'Equal', { shift: true }))).toBe(true);
    expect(matchCombo('ctrl++', ev('+', 'Equal', { ctrl: true }))).toBe(true);
    expect(matchCombo('.', ev('.', 'Period'))).toBe(true);
    expect(matchCombo('[', ev('[', 'BracketLeft'))).toBe(true);
    expect(matchCombo('shift+[', ev('{', 'BracketLeft', { shift: true }))).toBe(true);
    expect(matchCombo('[', ev('{', 'BracketLeft', { shift: true }))).toBe(false);
    expect(matchCombo('alt+[', ev('“', 'BracketLeft', { alt: true }))).toBe(true);
    expect(matchCombo('ctrl+,', ev(',', 'Comma', { ctrl: true }))).toBe(true);
  });
  it('matches named keys with Shift exact', () => {
    expect(matchCombo('delete', ev('Delete'))).toBe(true);
    expect(matchCombo('esc', ev('Escape'))).toBe(true);
    expect(matchCombo('tab', ev('Tab', 'Tab', { shift: true }))).toBe(false);
    expect(matchCombo('shift+arrowleft', ev('ArrowLeft', 'ArrowLeft', { shift: true }))).toBe(true);
    expect(matchCombo('arrowleft', ev('ArrowLeft', 'ArrowLeft', { shift: true }))).toBe(false);
    expect(matchCombo('ctrl+enter', ev('Enter', 'Enter', { ctrl: true }))).toBe(true);
  });
  it('formats combos as key caps and reads config hotkeys', () => {
    expect(formatCombo('ctrl+shift+z')).toBe('Ctrl+Shift+Z');
    expect(formatCombo('ctrl++')).toBe('Ctrl++');
    expect(formatCombo('escape')).toBe('Esc');
    expect(formatCombo('shift+[')).toBe('Shift+[');
    expect(hotkeyCombo('Shift+2')).toBe('shift+2');
    expect(hotkeyCombo('enter')).toBeNull();
    expect(hotkeyCombo(undefined)).toBeNull();
  });
});

describe('ActionTable', () => {
  interface Ctx {
    log: string[];
    busy: boolean;
  }
  const table = new ActionTable<Ctx>(
    [
      { id: 'label:a', keys: ['q'], label: 'A', group: 'Labels', run: (c) => void c.log.push('a') },
      // Falls through when busy: the next action bound to q runs.
      { id: 'tool', keys: ['q'], label: 'Tool', run: (c) => (c.busy ? false : void c.log.push('tool')) },
      { id: 'undo', keys: ['ctrl+z'], label: 'Undo', group: 'Edit', run: (c) => void c.log.push('undo') },
      {
        id: 'nudge',
        keys: ['arrowleft'],
        label: 'Nudge',
        repeat: true,
        run: (c) => void c.log.push('nudge'),
      },
      {
        id: 'submit',
        keys: ['ctrl+enter'],
        label: 'Submit',
        inFields: true,
        run: (c) => void c.log.push('submit'),
      },
      { id: 'hidden', keys: ['x'], label: 'Hidden', listed: false, run: () => false },
    ],
    [{ keys: 'Drag', label: 'Draw' }],
  );

  it('runs the first action that applies, in table order', () => {
    const c: Ctx = { log: [], busy: false };
    expect(table.dispatch(ev('q', 'KeyQ'), c)).toBe('label:a');
    expect(table.dispatch(ev('x', 'KeyX'), c)).toBeNull();
    expect(table.dispatch(ev('w', 'KeyW'), c)).toBeNull();
    expect(c.log).toEqual(['a']);
  });
  it('lets a key through when its action does not apply', () => {
    const t = new ActionTable<Ctx>([
      { id: 'tool', keys: ['q'], label: 'Tool', run: (c) => (c.busy ? false : void c.log.push('tool')) },
    ]);
    expect(t.dispatch(ev('q', 'KeyQ'), { log: [], busy: true })).toBeNull();
  });
  it('ignores auto-repeat except where asked, and field keys except inFields actions', () => {
    const c: Ctx = { log: [], busy: false };
    expect(table.dispatch(ev('z', 'KeyZ', { ctrl: true, repeat: true }), c)).toBeNull();
    expect(table.dispatch(ev('ArrowLeft', 'ArrowLeft', { repeat: true }), c)).toBe('nudge');
    expect(table.dispatch(ev('q', 'KeyQ'), c, true)).toBeNull();
    expect(table.dispatch(ev('Enter', 'Enter', { ctrl: true }), c, true)).toBe('submit');
    expect(c.log).toEqual(['nudge', 'submit']);
  });
  it('derives tooltips, cheat-sheet sections and conflicts from the same rows', () => {
    expect(table.tip('undo')).toBe('Undo (Ctrl+Z)');
    expect(table.tip('label:a', 'Label as A')).toBe('Label as A (Q)');
    const sections = table.sections();
    expect(sections.map((s) => s.title)).toEqual(['Labels', 'Keys', 'Edit', 'Mouse']);
    expect(sections.flatMap((s) => s.rows.map((r) => r.label))).not.toContain('Hidden');
    expect(table.conflicts()).toEqual(['Q']);
  });
});

describe('tablePerConfig', () => {
  const build = (config: { letter: string }) =>
    new ActionTable([{ id: 'go', keys: [config.letter], label: 'Go', group: 'G', run: () => undefined }]);

  it('builds once per distinct config, whatever object carries it', () => {
    let built = 0;
    const table = tablePerConfig((c: { letter: string }) => (built++, build(c)));
    const a = table({ letter: 'a' });
    expect(table({ letter: 'a' })).toBe(a);
    expect(built).toBe(1);
    const b = table({ letter: 'b' });
    expect(b).not.toBe(a);
    expect(b.matching(ev('b')).map((x) => x.id)).toEqual(['go']);
    expect(built).toBe(2);
  });

  it('keeps only the last few configs', () => {
    let built = 0;
    const table = tablePerConfig((c: { letter: string }) => (built++, build(c)), 2);
    const a = table({ letter: 'a' });
    table({ letter: 'b' });
    table({ letter: 'a' }); // used again: now the most recent
    table({ letter: 'c' }); // evicts b
    expect(table({ letter: 'a' })).toBe(a);
    expect(built).toBe(3);
    table({ letter: 'b' });
    expect(built).toBe(4);
  });
});
