import { useMemo } from 'react';
import type { ImageEditorEngine } from '../engine/engine';
import { useDocVersion } from './use-engine';

const chosen = (engine: ImageEditorEngine, _version: number): Map<string, string[]> =>
  new Map(engine.config.classes.map((g) => [g.name, engine.classLabels(g.name)]));

/** Image-level classes: every choice group of the config, hotkeys shown, undoable like regions. */
export function ImageClasses({ engine }: { engine: ImageEditorEngine }) {
  const version = useDocVersion(engine);
  const picked = useMemo(() => chosen(engine, version), [engine, version]);
  if (!engine.config.classes.length) return null;
  return (
    <>
      {engine.config.classes.map((g) => (
        <section key={g.name} className="panel-section" data-testid={`class-group-${g.name}`}>
          <h3 className="panel-title">
            {g.name} <span className="panel-hint">{g.multiple ? 'any number' : 'pick one'}</span>
          </h3>
          <ul className="ie-labels">
            {g.options.map((o) => {
              const on = picked.get(g.name)?.includes(o.name) ?? false;
              return (
                <li key={o.name}>
                  <button
                    type="button"
                    className="ie-label"
                    aria-pressed={on}
                    data-testid="class-option"
                    data-group={g.name}
                    data-label={o.name}
                    onClick={() => engine.toggleClass(g.name, o.name)}
                  >
                    <span
                      className={`ie-check${g.multiple ? '' : ' ie-radio'}`}
                      style={{ borderColor: o.color, background: on ? o.color : 'transparent' }}
                    />
                    <span className="ie-label-name">{o.name}</span>
                    {o.hotkey && <kbd>{o.hotkey.toUpperCase()}</kbd>}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </>
  );
}
