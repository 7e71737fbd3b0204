import { describe, expect, it } from 'vitest';
import { eventKey, formatHotkey, matchesHotkey, parseHotkey, type KeyLike } from './hotkey';

const ev = (key: string, code: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key,
  code,
  shiftKey: false,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

describe('parseHotkey', () => {
  it('parses plain keys and modifiers, case-insensitively', () => {
    expect(parseHotkey('1')).toEqual({ key: '1', shift: false, alt: false, ctrl: false });
    expect(parseHotkey('Q')).toEqual({ key: 'q', shift: false, alt: false, ctrl: false });
    expect(parseHotkey('shift+2')).toEqual({ key: '2', shift: true, alt: false, ctrl: false });
    expect(parseHotkey('Ctrl+Alt+k')).toEqual({ key: 'k', shift: false, alt: true, ctrl: true });
  });
  it('rejects what is not one letter or digit with known modifiers', () => {
    expect(parseHotkey('')).toBeNull();
    expect(parseHotkey('enter')).toBeNull();
    expect(parseHotkey('meta+1')).toBeNull();
    expect(parseHotkey('shift+shift+1')).toBeNull();
    expect(parseHotkey('shift+')).toBeNull();
  });
});

describe('matchesHotkey', () => {
  const one = parseHotkey('1')!;
  const shiftOne = parseHotkey('shift+1')!;
  const q = parseHotkey('q')!;
  it('matches the plain key', () => {
    expect(matchesHotkey(one, ev('1', 'Digit1'))).toBe(true);
    expect(matchesHotkey(one, ev('1', 'Numpad1'))).toBe(true);
    expect(matchesHotkey(q, ev('Q', 'KeyQ', { shiftKey: false }))).toBe(true);
  });
  it('is exact on modifiers', () => {
    expect(matchesHotkey(one, ev('!', 'Digit1', { shiftKey: true }))).toBe(false);
    expect(matchesHotkey(shiftOne, ev('!', 'Digit1', { shiftKey: true }))).toBe(true);
    expect(matchesHotkey(shiftOne, ev('1', 'Digit1'))).toBe(false);
    expect(matchesHotkey(q, ev('q', 'KeyQ', { ctrlKey: true }))).toBe(false);
    expect(matchesHotkey(parseHotkey('ctrl+q')!, ev('q', 'KeyQ', { metaKey: true }))).toBe(true);
  });
  it('uses the typed character on other layouts, the physical key under Alt', () => {
    // AZERTY: the key labelled A sits where QWERTY has Q.
    expect(eventKey(ev('a', 'KeyQ'))).toBe('a');
    expect(eventKey(ev('¡', 'Digit1', { altKey: true }))).toBe('1');
    expect(eventKey(ev('Enter', 'Enter'))).toBeNull();
  });
});

describe('formatHotkey', () => {
  it('shows keys the way a keyboard labels them', () => {
    expect(formatHotkey(parseHotkey('q')!)).toBe('Q');
    expect(formatHotkey(parseHotkey('shift+2')!)).toBe('⇧2');
    expect(formatHotkey(parseHotkey('ctrl+k')!)).toBe('Ctrl+K');
  });
});
