import { useSyncExternalStore } from 'react';
import { ProblemText } from './ProblemText';
import { toastStore } from './toast-store';

export function Toasts() {
  const toasts = useSyncExternalStore(toastStore.subscribe, toastStore.snapshot);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} data-testid="toast" data-tone={t.tone}>
          <ProblemText words={t.message} detail={t.detail ?? null} onExpand={() => toastStore.pin(t.id)} />
          <button
            type="button"
            className="toast-close"
            aria-label="Dismiss"
            onClick={() => toastStore.dismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
