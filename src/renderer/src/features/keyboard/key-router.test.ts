import { describe, expect, it } from 'vitest';
import { ActionTable } from '../../editor/core/keymap';
import { KeyRouter, type KeyEvent } from './key-router';
import type { KeyOwner } from './focus-rules';

/** A synthetic key event; `owner` stands in for what the focused element keeps. */
const press = (key: string, code = key, mods: { ctrl?: boolean } = {}) => {
  const e: KeyEvent & { prevented: boolean } = {
    key,
    code,
    ctrlKey: !!mods.ctrl,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    target: null,
    defaultPrevented: false,
    prevented: false,
    preventDefault() {
      this.prevented = true;
      this.defaultPrevented = true;
    },
  };
  return e;
};

const setup = (owner: KeyOwner = null) => {
  const log: string[] = [];
  let selected = true;
  const router = new KeyRouter(() => owner);
  const editor = new ActionTable<null>([
    {
      id: 'clear',
      keys: ['escape'],
      label: 'Clear',
      run: () => (selected ? void ((selected = false), log.push('clear')) : false),
    },
    { id: 'label', keys: ['q'], label: 'Label', run: () => void log.push('label') },
    {
      id: 'submit-field',
      keys: ['ctrl+enter'],
      label: 'Submit',
      inFields: true,
      run: () => void log.push('ctrl-submit'),
    },
  ]);
  const task = new ActionTable<null>([
    { id: 'skip', keys: ['escape', 'backspace'], label: 'Skip', run: () => void log.push('skip') },
    { id: 'submit', keys: ['enter'], label: 'Submit', run: () => void log.push('submit') },
  ]);
  router.addScope({
    id: 'task',
    priority: 10,
    title: 'Task',
    table: task as ActionTable<unknown>,
    ctx: () => null,
  });
  router.addScope({
    id: 'editor',
    priority: 20,
    title: 'Editor',
    table: editor as ActionTable<unknown>,
    ctx: () => null,
  });
  return { router, log };
};

describe('KeyRouter', () => {
  it('gives a key to the editor first, then the task screen', () => {
    const { router, log } = setup();
    expect(router.route(press('Escape'))).toBe('clear');
    expect(router.route(press('Escape'))).toBe('skip');
    expect(log).toEqual(['clear', 'skip']);
  });

  it('Esc closes only the innermost open popover: it never skips the task (issue 19.1)', () => {
    const { router, log } = setup();
    const closed: string[] = [];
    const removeOuter = router.addLayer({ modal: true, close: () => closed.push('sheet') });
    const removeInner = router.addLayer({ modal: false, close: () => closed.push('popover') });
    const e = press('Escape');
    expect(router.route(e)).toBe('layer');
    expect(e.prevented).toBe(true);
    expect(closed).toEqual(['popover']);
    removeInner();
    router.route(press('Escape'));
    expect(closed).toEqual(['popover', 'sheet']);
    removeOuter();
    expect(log).toEqual([]);
  });

  it('a modal layer keeps every other key from the screens below', () => {
    const { router, log } = setup();
    router.addLayer({ modal: true, close: () => undefined });
    expect(router.route(press('Enter'))).toBe('layer');
    expect(router.route(press('q', 'KeyQ'))).toBe('layer');
    expect(log).toEqual([]);
  });

  it('a focused field keeps its keys; Esc leaves the field and nothing else', () => {
    const { router, log } = setup('field');
    expect(router.route(press('q', 'KeyQ'))).toBe('field');
    expect(router.route(press('Backspace'))).toBe('field');
    const esc = press('Escape');
    expect(router.route(esc)).toBe('field');
    expect(esc.prevented).toBe(true);
    expect(router.route(press('Enter', 'Enter', { ctrl: true }))).toBe('submit-field');
    expect(log).toEqual(['ctrl-submit']);
  });

  it('Enter on a focused button presses the button, it does not submit the task', () => {
    const { router, log } = setup('control');
    const e = press('Enter');
    expect(router.route(e)).toBe('control');
    expect(e.prevented).toBe(false);
    expect(log).toEqual([]);
  });

  it('skips events already claimed by an element', () => {
    const { router, log } = setup();
    const e = press('Escape');
    e.preventDefault();
    expect(router.route(e)).toBeNull();
    expect(log).toEqual([]);
  });
});
