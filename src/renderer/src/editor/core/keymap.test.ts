import { describe, expect, it } from 'vitest';
import { Keymap, formatCombo, matchCombo } from './keymap';

const ev = (
  key: string,
  mods: Partial<{ ctrl: boolean; shift: boolean; alt: boolean; meta: boolean }> = {},
  code?: string,
) => ({
  key,
  code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe('keymap', () => {
  it('matches letters by physical key, with exact modifiers', () => {
    expect(matchCombo('ctrl+z', ev('z', { ctrl: true }, 'KeyZ'))).toBe(true);
    expect(matchCombo('ctrl+z', ev('z', { meta: true }, 'KeyZ'))).toBe(true);
    expect(matchCombo('ctrl+z', ev('Z', { ctrl: true, shift: true }, 'KeyZ'))).toBe(false);
    expect(matchCombo('ctrl+shift+z', ev('Z', { ctrl: true, shift: true }, 'KeyZ'))).toBe(true);
    expect(matchCombo('q', ev('q', {}, 'KeyQ'))).toBe(true);
    expect(matchCombo('q', ev('q', { alt: true }, 'KeyQ'))).toBe(false);
    // A non-Latin layout still hits the physical key.
    expect(matchCombo('q', ev('й', {}, 'KeyQ'))).toBe(true);
    expect(matchCombo('1', ev('!', { shift: true }, 'Digit1'))).toBe(false);
    expect(matchCombo('shift+1', ev('!', { shift: true }, 'Digit1'))).toBe(true);
  });
  it('matches symbols and named keys', () => {
    expect(matchCombo('?', ev('?', { shift: true }, 'Slash'))).toBe(true);
    expect(matchCombo('+', ev('+', { shift: true }, 'Equal'))).toBe(true);
    expect(matchCombo('ctrl++', ev('+', { ctrl: true }))).toBe(true);
    expect(matchCombo('delete', ev('Delete'))).toBe(true);
    expect(matchCombo('esc', ev('Escape'))).toBe(true);
  });
  it('finds the first binding and reports conflicts', () => {
    const km = new Keymap([
      { combo: 'ctrl+shift+z', action: 'redo', label: 'Redo' },
      { combo: 'ctrl+z', action: 'undo', label: 'Undo' },
      { combo: 'q', action: 'label:a', label: 'a' },
      { combo: 'Q', action: 'label:b', label: 'b' },
    ]);
    expect(km.match(ev('z', { ctrl: true }, 'KeyZ'))).toBe('undo');
    expect(km.match(ev('Z', { ctrl: true, shift: true }, 'KeyZ'))).toBe('redo');
    expect(km.match(ev('x', {}, 'KeyX'))).toBeNull();
    expect(km.conflicts()).toEqual(['Q']);
    expect(formatCombo('ctrl+shift+z')).toBe('Ctrl Shift Z');
    expect(formatCombo('ctrl++')).toBe('Ctrl +');
  });
});
