/**
 * Session scope: per-editor UI state that is never saved nor undone (selection, hover, tool,
 * camera). A tiny observable so views can subscribe with useSyncExternalStore.
 */
export class SessionState<S extends object> {
  private state: S;
  private readonly listeners = new Set<() => void>();

  constructor(initial: S) {
    this.state = initial;
  }

  get(): S {
    return this.state;
  }

  set(patch: Partial<S> | ((s: S) => Partial<S>)): void {
    const p = typeof patch === 'function' ? patch(this.state) : patch;
    let changed = false;
    for (const k of Object.keys(p) as (keyof S)[]) {
      if (!Object.is(this.state[k], p[k])) changed = true;
    }
    if (!changed) return;
    this.state = { ...this.state, ...p };
    for (const l of this.listeners) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): S => this.state;
}
