import type { KeyLike } from '../../editor/core/keymap';

/**
 * Which keys the focused element keeps for itself. `field`: a place to type (every key is its,
 * Esc leaves it); `control`: a button, checkbox, slider or list that uses this particular key
 * (Enter/Space press a button, arrows move a slider). Shortcuts never steal those.
 */
export type KeyOwner = 'field' | 'control' | null;

const NON_TEXT_INPUTS = ['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'];
const ARROWS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'];

/** Keys typed into a field belong to the field, never to a shortcut. */
export const isTypingTarget = (target: EventTarget | null): boolean => {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  return !NON_TEXT_INPUTS.includes((target as HTMLInputElement).type);
};

/**
 * Focus the person moved there by keyboard (Tab). A button that keeps focus after a mouse click
 * does not take Enter: Enter still submits the task, as it did before the click.
 */
const keyboardFocused = (el: HTMLElement): boolean => {
  try {
    return el.matches(':focus-visible');
  } catch {
    return true;
  }
};

export const ownsKey = (target: EventTarget | null, e: KeyLike): KeyOwner => {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return null;
  if (isTypingTarget(target)) return 'field';
  const press = (e.key === 'Enter' || e.key === ' ') && keyboardFocused(target);
  const role = target.getAttribute('role');
  const tag = target.tagName;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    if (type === 'range') return ARROWS.includes(e.key) ? 'control' : null;
    if (type === 'radio') return ARROWS.includes(e.key) || e.key === ' ' ? 'control' : null;
    return e.key === ' ' || (press && type !== 'checkbox') ? 'control' : null;
  }
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || role === 'button' || role === 'radio')
    return press ? 'control' : null;
  if (role === 'slider' || role === 'listbox' || role === 'radiogroup')
    return ARROWS.includes(e.key) ? 'control' : null;
  return null;
};
