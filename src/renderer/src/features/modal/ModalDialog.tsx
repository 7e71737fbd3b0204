import { useEffect, type ReactNode } from 'react';
import { useModal, type ModalOptions } from '../../hooks/use-modal';

/**
 * Every dialog's shell: the overlay (a click on it closes), the `role="dialog"` element with
 * `useModal`'s keys and focus trap, named by a label or by its title's id. The dialog's own
 * look is its `className`; what is inside is its own.
 */
export function ModalDialog({
  onClose,
  closes,
  className,
  name,
  testId,
  state,
  focusFirst,
  children,
}: ModalOptions & {
  className: string;
  /** Its accessible name: a label, or the id of the title inside that names it. */
  name: { label: string } | { labelledBy: string };
  testId: string;
  /** Read by tests as `data-state` (loading, ready …). */
  state?: string;
  /** Focus the first element matching `selector` once `ready` (e.g. when a form has loaded). */
  focusFirst?: { selector: string; ready: boolean };
  children: ReactNode;
}) {
  const { ref, dialogProps } = useModal<HTMLDivElement>(closes ? { onClose, closes } : { onClose });
  const focusSelector = focusFirst?.ready ? focusFirst.selector : null;
  useEffect(() => {
    if (focusSelector) ref.current?.querySelector<HTMLElement>(focusSelector)?.focus();
  }, [focusSelector, ref]);
  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={ref}
        {...dialogProps}
        className={className}
        role="dialog"
        {...('label' in name ? { 'aria-label': name.label } : { 'aria-labelledby': name.labelledBy })}
        data-testid={testId}
        data-state={state}
        onClick={(e) => e.stopPropagation()}
      >
        {children}
      </div>
    </div>
  );
}
