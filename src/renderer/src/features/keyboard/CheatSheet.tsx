import { useSyncExternalStore } from 'react';
import { ModalDialog } from '../modal/ModalDialog';
import { useKeyboard } from './keyboard-context';

interface Row {
  keys: string[];
  label: string;
}

function Section({ title, rows }: { title: string; rows: Row[] }) {
  return (
    <section className="cheat-section">
      <h3>{title}</h3>
      <dl>
        {rows.map((r) => (
          <div className="cheat-row" key={r.label}>
            <dt>
              {r.keys.map((k, i) => (
                <kbd key={`${k}:${i}`}>{k}</kbd>
              ))}
            </dt>
            <dd>{r.label}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/**
 * The one cheat sheet: every key of every table registered right now (the open editor's, the
 * screen's, the app's), derived from the tables the key handler runs, so it cannot drift.
 */
export function CheatSheet({ onClose }: { onClose(): void }) {
  const { router } = useKeyboard();
  const scopes = useSyncExternalStore(router.subscribe, () => router.list());
  const sections = scopes.flatMap((s) =>
    s.table.sections().map((sec) => ({
      key: `${s.id}:${sec.title}`,
      title: sec.title === 'Keys' ? s.title : `${s.title}: ${sec.title}`,
      rows: sec.rows,
    })),
  );
  const conflicts = scopes.flatMap((s) => s.table.conflicts());
  return (
    // A modal: focus moves in (so it scrolls by keyboard), Tab stays inside, the page below is
    // inert; Esc or ? closes it and focus goes back where it was.
    <ModalDialog
      onClose={onClose}
      closes={(e) => e.key === '?'}
      className="cheat-sheet"
      name={{ label: 'Keyboard shortcuts' }}
      testId="cheat-sheet"
    >
      <header>
        <h2>Keyboard shortcuts</h2>
        <button type="button" className="button ghost" onClick={onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </header>
      {conflicts.length > 0 && (
        <p className="cheat-warn" role="alert">
          Keys bound twice by the label config (the first wins): {conflicts.join(', ')}
        </p>
      )}
      <div className="cheat-columns">
        {sections.map((s) => (
          <Section key={s.key} title={s.title} rows={s.rows} />
        ))}
      </div>
    </ModalDialog>
  );
}
