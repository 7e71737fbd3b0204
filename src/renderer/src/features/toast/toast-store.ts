/** Toasts: short messages for failed calls and finished actions, never a silent failure. */
export type ToastTone = 'error' | 'info';
export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
  /** The technical line behind an error, shown on request. */
  detail?: string;
}

type Listener = () => void;

let toasts: readonly Toast[] = [];
/** Toasts whose details are open: they stay until closed. */
const pinned = new Set<number>();
let nextId = 1;
const listeners = new Set<Listener>();
const emit = () => listeners.forEach((l) => l());

export const toastStore = {
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  snapshot: (): readonly Toast[] => toasts,
  dismiss(id: number): void {
    pinned.delete(id);
    toasts = toasts.filter((t) => t.id !== id);
    emit();
  },
  /** Keeps a toast on screen until it is closed (its details are being read). */
  pin(id: number): void {
    pinned.add(id);
  },
};

/** Shows a toast for a few seconds (errors longer); at most four stay on screen. */
export const showToast = (message: string, tone: ToastTone = 'info', detail?: string): void => {
  if (suppressed) return;
  const id = nextId++;
  toasts = [...toasts.slice(-3), { id, tone, message, ...(detail ? { detail } : {}) }];
  emit();
  setTimeout(
    () => {
      if (!pinned.has(id)) toastStore.dismiss(id);
    },
    tone === 'error' ? 10_000 : 3000,
  );
};

let suppressed = false;
/**
 * No more toasts (and the ones shown go): the page says it all (web mode's ended session,
 * where every call fails the same way and a toast per call would only bury the explanation).
 */
export const suppressToasts = (): void => {
  suppressed = true;
  toasts = [];
  pinned.clear();
  emit();
};
