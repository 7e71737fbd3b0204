import type { ActionTable, KeyLike } from '../../editor/core/keymap';
import { ownsKey, type KeyOwner } from './focus-rules';

/**
 * The app's one key handler. Screens and editors register scopes (an action table and the
 * context its actions run on); open popovers and dialogs register layers. Each key goes to:
 *
 * 1. the innermost open layer only: Esc closes it and nothing else, a modal layer keeps every
 *    other key from what is under it (Tab still moves focus);
 * 2. nobody, when the focused control owns the key: typing in a field (Esc leaves the field),
 *    Enter/Space on a button, arrows on a slider or a list — except actions marked `inFields`;
 * 3. the scopes, highest priority first (editor before task screen before app), until one
 *    action runs. A used key is `preventDefault()`ed.
 *
 * Element handlers (`onKeyDown`) run before it and claim a key with `preventDefault()`.
 */
export interface KeyScope {
  id: string;
  /** Higher runs first: app 0, screen 10, editor 20. */
  priority: number;
  /** Cheat-sheet section title for this scope's table. */
  title: string;
  table: ActionTable<unknown>;
  ctx(): unknown;
}

export interface KeyLayer {
  /** Closes the layer (Esc). */
  close(): void;
  /** Keeps all keys from the scopes below (dialogs); a popover only takes Esc. */
  modal: boolean;
  /** Keys the layer uses itself (besides Esc); true when used. */
  handle?(e: KeyEvent): boolean;
}

export interface KeyEvent extends KeyLike {
  target: EventTarget | null;
  defaultPrevented: boolean;
  isComposing?: boolean;
  preventDefault(): void;
}

export class KeyRouter {
  private scopes: KeyScope[] = [];
  private layers: KeyLayer[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly owner: (e: KeyEvent) => KeyOwner = (e) => ownsKey(e.target, e)) {}

  addScope(scope: KeyScope): () => void {
    this.scopes = [...this.scopes, scope].sort((a, b) => b.priority - a.priority);
    this.emit();
    return () => {
      this.scopes = this.scopes.filter((s) => s !== scope);
      this.emit();
    };
  }

  addLayer(layer: KeyLayer): () => void {
    this.layers = [...this.layers, layer];
    return () => {
      this.layers = this.layers.filter((l) => l !== layer);
    };
  }

  /** Registered scopes, editor first: what the cheat sheet lists. */
  list(): readonly KeyScope[] {
    return this.scopes;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  /** Handles one keydown; returns the id of what took it ("layer", "field", an action id) or null. */
  route(e: KeyEvent): string | null {
    if (e.defaultPrevented || e.isComposing) return null;
    const layer = this.layers.at(-1);
    if (layer) {
      if (e.key === 'Escape') {
        e.preventDefault();
        layer.close();
        return 'layer';
      }
      if (layer.handle?.(e)) {
        e.preventDefault();
        return 'layer';
      }
      // A modal keeps keys from the screen below; the focused control in it still gets them.
      if (layer.modal) return 'layer';
    }
    const owner = this.owner(e);
    if (owner === 'field' && e.key === 'Escape') {
      // Esc leaves the field and does nothing else (it never skips the task).
      (e.target as HTMLElement | null)?.blur?.();
      e.preventDefault();
      return 'field';
    }
    for (const s of this.scopes) {
      const used = s.table.dispatch(e, s.ctx(), owner !== null);
      if (used) {
        e.preventDefault();
        return used;
      }
    }
    return owner === null ? null : owner;
  }
}
