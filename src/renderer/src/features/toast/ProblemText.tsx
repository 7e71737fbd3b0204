import { useId, useState } from 'react';

/**
 * A problem in words, with the technical line one click away ("Details"): the words are what
 * a person reads; the detail is for a bug report or an admin. Used by toasts, the sync
 * settings and the ended-session page.
 */
export function ProblemText({
  words,
  detail,
  onExpand,
  className,
}: {
  words: string;
  detail: string | null;
  /** Told once the details are opened (a toast then stays until closed). */
  onExpand?: () => void;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className={`problem${className ? ` ${className}` : ''}`} data-testid="problem">
      <span className="problem-words">{words}</span>
      {detail && (
        <>
          <button
            type="button"
            className="problem-toggle"
            aria-expanded={open}
            aria-controls={id}
            data-testid="problem-details-toggle"
            onClick={() => {
              setOpen(!open);
              if (!open) onExpand?.();
            }}
          >
            {open ? 'Hide details' : 'Details'}
          </button>
          {open && (
            <code id={id} className="problem-detail" data-testid="problem-detail">
              {detail}
            </code>
          )}
        </>
      )}
    </div>
  );
}
