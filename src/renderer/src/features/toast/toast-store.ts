/** Toasts: short messages for failed calls and finished actions, never a silent failure. */
export type ToastTone = 'error' | 'info';
export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
}

type Listener = () => void;

let toasts: readonly Toast[] = [];
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
    toasts = toasts.filter((t) => t.id !== id);
    emit();
  },
};

/** Shows a toast for a few seconds (errors longer); at most four stay on screen. */
export const showToast = (message: string, tone: ToastTone = 'info'): void => {
  const id = nextId++;
  toasts = [...toasts.slice(-3), { id, tone, message }];
  emit();
  setTimeout(() => toastStore.dismiss(id), tone === 'error' ? 8000 : 3000);
};
