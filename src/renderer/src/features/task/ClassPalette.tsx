import type { CSSProperties } from 'react';
import type { AnnotationResult, ChoiceGroup } from '../../../../shared/model';
import { formatHotkey, parseHotkey } from '../keyboard/hotkey';
import { chosenLabels, type ClassResultType } from './class-toggle';

interface Props {
  groups: readonly ChoiceGroup[];
  results: readonly AnnotationResult[];
  type: ClassResultType;
  onToggle(group: ChoiceGroup, label: string): void;
}

/** The label config's class groups, each option with its colour and hotkey; click or press to toggle. */
export function ClassPalette({ groups, results, type, onToggle }: Props) {
  return (
    <div className="class-palette" data-testid="class-palette">
      {groups.map((group) => {
        const chosen = chosenLabels(results, type, group.name);
        return (
          <section className="panel-section" key={group.name}>
            <h3 className="panel-title">
              {group.name}
              <span className="panel-hint">{group.multiple ? 'any of' : 'one of'}</span>
            </h3>
            <ul className="class-list">
              {group.options.map((option) => {
                const hk = option.hotkey ? parseHotkey(option.hotkey) : null;
                const on = chosen.includes(option.name);
                return (
                  <li key={option.name}>
                    <button
                      type="button"
                      className="class-option"
                      aria-pressed={on}
                      data-testid="class-option"
                      data-group={group.name}
                      data-label={option.name}
                      style={{ '--class-color': option.color } as CSSProperties}
                      onClick={() => onToggle(group, option.name)}
                    >
                      <span className="class-swatch" aria-hidden="true" />
                      <span className="class-name">{option.name}</span>
                      {hk && <kbd className="class-hotkey">{formatHotkey(hk)}</kbd>}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
