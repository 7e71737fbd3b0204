import { Fragment, type CSSProperties } from 'react';
import { SpanList } from './SpanList';
import type { TextEditorModel, TextSession } from './text-model';
import { isClass } from './records';
import { THRESHOLD_STEP } from './suggestions';

/** The selected span's edge buttons, a word at a time (the [ ] keys do the same). */
const EDGE_BUTTONS: readonly { edge: 'start' | 'end'; step: -1 | 1; title: string; glyph: string }[] = [
  { edge: 'start', step: -1, title: 'Grow start by a word ([)', glyph: '◀' },
  { edge: 'start', step: 1, title: 'Shrink start by a word (⇧[)', glyph: '▶' },
  { edge: 'end', step: -1, title: 'Shrink end by a word (⇧])', glyph: '◀' },
  { edge: 'end', step: 1, title: 'Grow end by a word (])', glyph: '▶' },
];

const Kbd = ({ k }: { k?: string | undefined }) => (k ? <kbd>{k.replace(/shift\+/i, '⇧')}</kbd> : null);

/** Document classes, suggestions, the selected span or relation, and the lists. */
export function TextSidePanel({
  model,
  session,
  version,
}: {
  model: TextEditorModel;
  session: TextSession;
  version: number;
}) {
  const { config, index } = model;
  const selected = model.selectedSpan();
  const suggestions = model.suggestions();
  const pending = model.allSuggestions().length;
  const relations = [...index.relations.values()].filter((r) => model.shown.has(r));
  const classSuggestions = suggestions.filter(isClass);
  const threshold = session.scoreThreshold;
  return (
    <div className="tt-panel">
      {config.classes.length > 0 && (
        <section className="panel-section" data-testid="doc-classes">
          <h3 className="panel-title">Document</h3>
          {config.classes.map((g) => {
            const chosen = model.classRecord(g.name)?.labels ?? [];
            return (
              <div key={g.name} className="tt-class-group" role="group" aria-label={g.name}>
                <div className="tt-group-name">
                  {g.name} <span className="panel-hint">{g.multiple ? 'any' : 'one'}</span>
                </div>
                <div className="tt-class-options">
                  {g.options.map((o) => {
                    const on = chosen.includes(o.name);
                    const suggested = classSuggestions.some(
                      (c) => c.group === g.name && c.labels.includes(o.name),
                    );
                    return (
                      <button
                        key={o.name}
                        type="button"
                        aria-pressed={on}
                        className={`tt-class${on ? ' is-on' : ''}${suggested ? ' is-suggested' : ''}`}
                        style={{ '--c': o.color } as CSSProperties}
                        data-testid="class-option"
                        data-label={o.name}
                        data-class={`${g.name}:${o.name}`}
                        onClick={() => model.toggleClass(g.name, o.name)}
                      >
                        <span className="tt-dot" />
                        {o.name}
                        <Kbd k={o.hotkey} />
                      </button>
                    );
                  })}
                </div>
              </div>
            );
          })}
        </section>
      )}
      {pending > 0 && (
        <section className="panel-section tt-suggestions" data-testid="suggestions">
          <h3 className="panel-title">
            Suggestions{' '}
            <span className="panel-hint" data-testid="suggestion-count">
              {suggestions.length} of {pending} shown
            </span>
          </h3>
          <label className="tt-threshold" title="Hide suggestions scoring below this (- / =)">
            <span>Min score</span>
            <input
              type="range"
              min={0}
              max={1}
              step={THRESHOLD_STEP}
              value={threshold}
              onChange={(e) => model.setScoreThreshold(Number(e.target.value))}
              onKeyDown={(e) => {
                // Step here and claim the key, so arrows do not also page through tasks.
                const dir = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 }[e.key];
                if (dir === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
                e.preventDefault();
                model.setScoreThreshold(threshold + dir * THRESHOLD_STEP);
              }}
              aria-label="Score threshold"
              aria-keyshortcuts="- ="
              data-testid="score-threshold"
            />
            <output>{Math.round(threshold * 100)}%</output>
          </label>
          <div className="tt-row-actions">
            <button
              type="button"
              className="button"
              disabled={suggestions.length === 0}
              onClick={() => model.acceptSuggestions()}
              data-testid="accept-all"
            >
              Accept {suggestions.length} <kbd>⇧A</kbd>
            </button>
            <button
              type="button"
              className="button ghost"
              disabled={suggestions.length === 0}
              onClick={() => model.rejectSuggestions()}
              data-testid="reject-all"
            >
              Reject {suggestions.length}
            </button>
          </div>
          {classSuggestions.map((c) => (
            <div key={c.id} className="tt-suggested-class" data-suggestion={c.id}>
              {c.group}: <strong>{c.labels.join(', ')}</strong>
              <button
                type="button"
                className="tt-mini"
                onClick={() => model.acceptSuggestions([c.id])}
                title="Accept"
                data-testid="accept-suggestion"
              >
                ✓
              </button>
              <button
                type="button"
                className="tt-mini"
                onClick={() => model.rejectSuggestions([c.id])}
                title="Reject"
                data-testid="reject-suggestion"
              >
                ✕
              </button>
            </div>
          ))}
        </section>
      )}
      {selected && (
        <section className="panel-section" data-testid="selected-span">
          <h3 className="panel-title">
            Selected span{' '}
            <span className="panel-hint">
              [{selected.start}, {selected.end})
            </span>
          </h3>
          <blockquote
            dir="auto"
            className="tt-quote"
            style={{ '--c': model.labelColor(selected.label) } as CSSProperties}
          >
            {selected.text}
          </blockquote>
          {selected.suggestion && (
            <p className="tt-note">
              Suggested by {selected.suggestion}
              {selected.score !== undefined && ` (score ${Math.round(selected.score * 100)}%)`}. <kbd>A</kbd>{' '}
              accepts, <kbd>Del</kbd> rejects.
            </p>
          )}
          <div className="tt-field">
            <label htmlFor="tt-span-label">Label</label>
            <select
              id="tt-span-label"
              value={selected.label}
              onChange={(e) => model.setSpanLabel(selected.id, e.target.value)}
              data-testid="span-label"
            >
              {config.labels.map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
          <div className="tt-edges">
            {EDGE_BUTTONS.map(({ edge, step, title, glyph }) => (
              <Fragment key={`${edge}${step}`}>
                {step === -1 && <span>{edge === 'start' ? 'Start' : 'End'}</span>}
                <button
                  type="button"
                  className="tt-mini"
                  title={title}
                  onClick={() => model.nudgeSpan(selected.id, edge, step, false)}
                >
                  {glyph}
                </button>
              </Fragment>
            ))}
          </div>
          <div className="tt-row-actions">
            {session.selection && session.selection.anchor !== session.selection.focus && (
              <button
                type="button"
                className="button"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => model.setSpanToSelection()}
                data-testid="span-to-selection"
              >
                Set to selection <kbd>E</kbd>
              </button>
            )}
            {selected.suggestion && (
              <button
                type="button"
                className="button"
                onClick={() => model.acceptSuggestions([selected.id])}
                data-testid="accept-suggestion"
              >
                Accept
              </button>
            )}
            <button
              type="button"
              className="button ghost tt-danger"
              onClick={() =>
                selected.suggestion
                  ? model.rejectSuggestions([selected.id])
                  : model.deleteSpans([selected.id])
              }
              data-testid="delete-span"
            >
              {selected.suggestion ? 'Reject' : 'Delete'} <kbd>Del</kbd>
            </button>
          </div>
          {config.relations.length > 0 && (
            <div className="tt-rel-start">
              {config.relations.map((r) => (
                <button
                  key={r.name}
                  type="button"
                  className="tt-chip-button"
                  onClick={() => model.startRelation(r.name)}
                >
                  {r.name} → <Kbd k={r.hotkey} />
                </button>
              ))}
            </div>
          )}
        </section>
      )}
      {config.relations.length > 0 && (
        <section className="panel-section" data-testid="relations">
          <h3 className="panel-title">
            Relations <span className="panel-hint">{relations.length}</span>
          </h3>
          {relations.length === 0 && (
            <p className="tt-empty">Select a span, press a relation key, then pick the target.</p>
          )}
          <ul className="tt-rel-list">
            {relations.map((r) => {
              const from = index.spans.get(r.from);
              const to = index.spans.get(r.to);
              return (
                <li key={r.id} className={r.id === session.selectedRelation ? 'is-selected' : undefined}>
                  <button
                    type="button"
                    className="tt-rel"
                    onClick={() => model.session.set({ selectedRelation: r.id, selectedSpan: null })}
                  >
                    <span className="tt-rel-end">{from?.text ?? '?'}</span>
                    <span className="tt-rel-label">{r.label}</span>
                    <span className="tt-rel-end">{to?.text ?? '?'}</span>
                  </button>
                  <button
                    type="button"
                    className="tt-mini"
                    title="Delete relation"
                    onClick={() => model.deleteRelation(r.id)}
                  >
                    ✕
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <section className="panel-section tt-list-section">
        <h3 className="panel-title">
          Spans <span className="panel-hint">{model.shown.sorted().length}</span>
        </h3>
        <SpanList model={model} version={version} selectedId={session.selectedSpan} />
      </section>
    </div>
  );
}
