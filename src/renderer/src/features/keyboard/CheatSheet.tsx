import { useModal } from '../../hooks/use-modal';
import type { LabelConfig } from '../../../../shared/model';
import { formatHotkey, parseHotkey } from './hotkey';
import { queueShortcuts, taskShortcuts, type Shortcut } from './shortcuts';

interface Props {
  screen: 'queue' | 'task';
  /** The open task's label config, whose hotkeys are listed too. */
  labelConfig?: LabelConfig | undefined;
  onClose(): void;
}

const labelHotkeys = (config: LabelConfig): { title: string; rows: Shortcut[] }[] => {
  const rows = (items: { name: string; hotkey?: string | undefined }[]) =>
    items.flatMap((i) => {
      const hk = i.hotkey ? parseHotkey(i.hotkey) : null;
      return hk ? [{ keys: [formatHotkey(hk)], action: i.name }] : [];
    });
  const sections = config.classes.map((g) => ({
    title: `${g.name} (${g.multiple ? 'any of' : 'one of'})`,
    rows: rows(g.options),
  }));
  sections.push({ title: 'Region and span labels', rows: rows(config.labels) });
  sections.push({ title: 'Relations', rows: rows(config.relations) });
  return sections.filter((s) => s.rows.length > 0);
};

function Section({ title, rows }: { title: string; rows: Shortcut[] }) {
  return (
    <section className="cheat-section">
      <h3>{title}</h3>
      <dl>
        {rows.map((r) => (
          <div className="cheat-row" key={r.action}>
            <dt>
              {r.keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{r.action}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function CheatSheet({ screen, labelConfig, onClose }: Props) {
  const sections = labelConfig ? labelHotkeys(labelConfig) : [];
  // A modal (focus trapped, the screen below inert and deaf to keys); Esc and ? close it.
  const { ref, dialogProps } = useModal<HTMLDivElement>({ onClose, closes: (e) => e.key === '?' });

  return (
    <div className="overlay" onClick={onClose}>
      <div
        className={`cheat-sheet${sections.length === 0 ? ' cheat-sheet-narrow' : ''}`}
        ref={ref}
        {...dialogProps}
        role="dialog"
        aria-label="Keyboard shortcuts"
        data-testid="cheat-sheet"
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <h2>Keyboard shortcuts</h2>
          <span className="muted">
            <kbd>Esc</kbd> to close
          </span>
        </header>
        <div className="cheat-columns">
          <Section
            title={screen === 'task' ? 'Task' : 'Queue'}
            rows={screen === 'task' ? taskShortcuts : queueShortcuts}
          />
          {sections.map((s) => (
            <Section key={s.title} {...s} />
          ))}
        </div>
      </div>
    </div>
  );
}
