import {
  type CSSProperties,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import Markdown from 'react-markdown';
import { useKeyboard, useKeyScope } from '../../features/keyboard/keyboard-context';
import { EditorSidePanel } from '../../features/task/side-panel';
import { type ComparisonKeyContext, comparisonKeys } from './comparison-keys';
import { ActionTable } from '../core/keymap';
import type { EditorProps } from '../types';
import type { ChangeKind } from '../../../../shared/review';
import { CHANGE_COLOR, CHANGE_SIGN } from '../review-marks';
import { beforeWords, comparisonMarks } from './comparison-marks';
import { ComparisonModel, responseLetter } from './comparison-model';
import './comparison-editor.css';

/** A diff mark's attributes: its kind for tests and styles, its colour for the CSS. */
const diffMark = (kind: ChangeKind) => ({
  'data-diff': kind,
  style: { '--diff-color': CHANGE_COLOR[kind] } as CSSProperties,
});

const DIFF_WORDS: Record<ChangeKind, string> = {
  added: 'Decision added in this version',
  changed: 'Changed since the previous version',
  removed: 'Decision removed in this version',
};

/**
 * Comparison tasks: a prompt and 2–N responses side by side. Markdown renders through
 * react-markdown without raw HTML, so `<script>` in a response shows as text and never runs.
 */
export function ComparisonEditor(props: EditorProps) {
  return <ComparisonForTask key={props.view.task.id} {...props} />;
}

function ComparisonForTask({ view, initial, onChange, onSubmit, readOnly = false, review }: EditorProps) {
  const data = view.task.data;
  const responses = data.kind === 'comparison' ? data.responses : [];
  const config = view.project.labelConfig;
  const [model] = useState(() => {
    const m = new ComparisonModel(responses, config, initial);
    m.store.readOnly = readOnly;
    return m;
  });
  const subscribe = useCallback((cb: () => void) => model.store.listen(() => cb()), [model]);
  const value = useSyncExternalStore(subscribe, () => model.value);
  const { cell } = useSyncExternalStore(model.session.subscribe, model.session.getSnapshot);
  const justRef = useRef<HTMLTextAreaElement>(null);
  const onChangeRef = useRef(onChange);
  const onSubmitRef = useRef(onSubmit);
  useEffect(() => {
    onChangeRef.current = onChange;
    onSubmitRef.current = onSubmit;
  });
  useEffect(
    () => model.store.listen((_d, source) => source !== 'load' && onChangeRef.current(model.annotation())),
    [model],
  );

  // Read only: no picks or ratings by key, so letters stay free for the review screen's keys.
  const keys = useMemo(
    () => (readOnly ? new ActionTable<ComparisonKeyContext>([]) : comparisonKeys(responses.length)),
    [responses.length, readOnly],
  );
  const { showShortcuts } = useKeyboard();
  useKeyScope({
    id: 'comparison-editor',
    priority: 20,
    title: 'Comparison',
    table: keys,
    ctx: () => ({
      model,
      focusJustification: () => justRef.current?.focus(),
      submit: () => {
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        onSubmitRef.current();
      },
    }),
  });

  // The diff to the previous version (review screens; D toggles it).
  const diff = useMemo(() => comparisonMarks(review), [review]);
  const ranking = model.ranking();
  const missing = model.missing();
  const cols = Math.min(responses.length, 3);
  return (
    <div className="cmp-editor" data-testid="comparison-editor" data-readonly={readOnly || undefined}>
      {/* Read only: every control shows its value and none can change it. */}
      <fieldset className="cmp-scroll" disabled={readOnly}>
        <legend className="sr-only">{readOnly ? 'Comparison (read only)' : 'Comparison'}</legend>
        <section className="cmp-prompt" data-testid="prompt">
          <div className="cmp-eyebrow">Prompt</div>
          <div className="cmp-md">
            <Markdown>{data.kind === 'comparison' ? data.prompt : ''}</Markdown>
          </div>
        </section>
        <div
          className="cmp-responses"
          style={{
            gridTemplateColumns: `repeat(${responses.length}, minmax(${cols === responses.length ? 0 : 320}px, 1fr))`,
          }}
        >
          {responses.map((r, i) => {
            const chosen = value.choice === r.id;
            const rank = ranking.indexOf(r.id) + 1;
            // The choice moved: the newly picked response is marked added, the one before removed.
            const choiceMark: ChangeKind | null =
              diff?.choiceBefore === undefined
                ? null
                : chosen && !value.tie
                  ? 'added'
                  : diff.choiceBefore === r.id
                    ? 'removed'
                    : null;
            const rankBefore = diff?.rankBefore.get(r.id);
            return (
              <article
                key={r.id}
                className={`cmp-response${chosen ? ' is-chosen' : ''}${value.tie ? ' is-tie' : ''}`}
                data-testid="response"
                data-response={r.id}
                {...(choiceMark ? diffMark(choiceMark) : {})}
              >
                <header className="cmp-response-head">
                  <button
                    type="button"
                    className="cmp-pick"
                    onClick={() => model.choose(r.id)}
                    aria-pressed={chosen}
                    title={`Pick ${responseLetter(i)} as better (${responseLetter(i)})`}
                    aria-label={`Response ${responseLetter(i)} is better`}
                  >
                    <span className="cmp-letter">{responseLetter(i)}</span>
                    {chosen ? 'Better' : 'Pick'}
                  </button>
                  {r.model && <span className="cmp-model">{r.model}</span>}
                  {choiceMark && (
                    <span className="cmp-diff" {...diffMark(choiceMark)}>
                      {CHANGE_SIGN[choiceMark]} {choiceMark === 'added' ? 'now better' : 'was better'}
                    </span>
                  )}
                  <span className="cmp-rank" title="Rank">
                    <span className="sr-only">Rank </span>#{rank}
                  </span>
                  {rankBefore !== undefined && (
                    <span className="cmp-diff" data-testid="rank-before" {...diffMark('changed')}>
                      {CHANGE_SIGN.changed} {beforeWords(rankBefore, 'rank')}
                    </span>
                  )}
                </header>
                <div className="cmp-md cmp-body">
                  <Markdown>{r.text}</Markdown>
                </div>
                {config.rubric.length > 0 && (
                  <div className="cmp-rubric">
                    {config.rubric.map((c, ci) => {
                      const v = value.ratings[r.id]?.[c.name];
                      const at = cell.r === i && cell.c === ci;
                      const key = `${r.id}:${c.name}`;
                      const rated = diff?.ratingBefore.has(key) ?? false;
                      return (
                        <div
                          key={c.name}
                          className={`cmp-crit${at ? ' is-cursor' : ''}`}
                          onClick={() => model.session.set({ cell: { r: i, c: ci } })}
                          {...(rated ? diffMark('changed') : {})}
                        >
                          <span className="cmp-crit-name" title={c.description}>
                            {c.name}
                            {rated && (
                              <span className="cmp-diff" {...diffMark('changed')}>
                                {CHANGE_SIGN.changed} {beforeWords(diff?.ratingBefore.get(key), 'rating')}
                              </span>
                            )}
                          </span>
                          <div
                            className="cmp-scale"
                            role="radiogroup"
                            aria-label={`Rate response ${responseLetter(i)}: ${c.name}`}
                            onKeyDown={(e) => {
                              // One Tab stop per scale; arrows move the rating (and keep it from
                              // paging tasks), as in any radio group.
                              const step = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 }[e.key];
                              if (!step || e.altKey || e.ctrlKey || e.metaKey) return;
                              e.preventDefault();
                              e.stopPropagation();
                              const n = Math.min(c.max, Math.max(c.min, (v ?? c.min - step) + step));
                              model.rate(r.id, c.name, n);
                              model.session.set({ cell: { r: i, c: ci } });
                              const scale = e.currentTarget;
                              requestAnimationFrame(() =>
                                scale.querySelector<HTMLElement>(`[data-rate$=":${n}"]`)?.focus(),
                              );
                            }}
                          >
                            {Array.from({ length: c.max - c.min + 1 }, (_, k) => c.min + k).map((n) => (
                              <button
                                key={n}
                                type="button"
                                role="radio"
                                aria-checked={v === n}
                                aria-label={`Rate response ${responseLetter(i)}, ${c.name}: ${n} of ${c.max}`}
                                tabIndex={v === n || (v === undefined && n === c.min) ? 0 : -1}
                                className={
                                  v === n ? 'is-on' : v !== undefined && n < v ? 'is-under' : undefined
                                }
                                data-rate={`${r.id}:${c.name}:${n}`}
                                onClick={() => model.rate(r.id, c.name, n)}
                              >
                                {n}
                              </button>
                            ))}
                          </div>
                        </div>
                      );
                    })}
                  </div>
                )}
              </article>
            );
          })}
        </div>
      </fieldset>
      <fieldset className="cmp-decision" aria-label="Decision" disabled={readOnly}>
        {diff && (
          <div className="cmp-diff-banner" data-testid="comparison-diff" {...diffMark(diff.kind)}>
            {CHANGE_SIGN[diff.kind]} {DIFF_WORDS[diff.kind]}
            {diff.kind === 'changed' && diff.fields.length > 0 ? `: ${diff.fields.join(', ')}` : ''}
            {diff.choiceBefore !== undefined &&
              ` · before: ${
                diff.choiceBefore === null
                  ? 'no choice'
                  : diff.choiceBefore === 'tie'
                    ? 'a tie'
                    : `${responseLetter(responses.findIndex((x) => x.id === diff.choiceBefore))} better`
              }`}
          </div>
        )}
        <div className="cmp-choices" role="group" aria-labelledby="cmp-better-label">
          <span className="cmp-eyebrow" id="cmp-better-label">
            Better
          </span>
          {responses.map((r, i) => (
            <button
              key={r.id}
              type="button"
              className={`cmp-choice${value.choice === r.id ? ' is-on' : ''}`}
              onClick={() => model.choose(r.id)}
              data-choice={r.id}
              aria-pressed={value.choice === r.id}
              aria-label={`Response ${responseLetter(i)}`}
              aria-keyshortcuts={responseLetter(i)}
            >
              {responseLetter(i)} <kbd aria-hidden="true">{responseLetter(i)}</kbd>
            </button>
          ))}
          <button
            type="button"
            className={`cmp-choice${value.tie ? ' is-on' : ''}`}
            onClick={() => model.setTie()}
            data-choice="tie"
            aria-pressed={value.tie}
            aria-keyshortcuts="T"
          >
            Tie <kbd aria-hidden="true">T</kbd>
          </button>
        </div>
        <textarea
          ref={justRef}
          className="cmp-justification"
          data-testid="justification"
          placeholder="Why? One or two sentences.  (J to write, Ctrl+Enter to submit)"
          aria-label="Justification"
          value={value.justification}
          onFocus={() => model.history.mark()}
          onBlur={() => model.history.commit()}
          onChange={(e) => model.setJustification(e.target.value)}
          rows={2}
          {...(diff?.justificationBefore !== undefined ? diffMark('changed') : {})}
        />
        {diff?.justificationBefore !== undefined && (
          <p className="cmp-before" data-testid="justification-before" {...diffMark('changed')}>
            <span className="cmp-eyebrow">Before</span> {diff.justificationBefore || '(empty)'}
          </p>
        )}
        <div
          className={`cmp-status${missing.length === 0 ? ' is-done' : ''}`}
          data-testid="comparison-status"
          role="status"
        >
          {missing.length === 0 ? 'Complete — Enter submits' : `To do: ${missing.join(' · ')}`}
        </div>
      </fieldset>
      <EditorSidePanel>
        <section className="panel-section" data-testid="ranking">
          <h3 className="panel-title">
            Ranking <span className="panel-hint">best first</span>
          </h3>
          <ol className="cmp-ranking">
            {ranking.map((id, k) => {
              const i = responses.findIndex((r) => r.id === id);
              return (
                <li key={id} data-rank-id={id}>
                  <span className="cmp-letter">{responseLetter(i)}</span>
                  <span className="cmp-rank-model">{responses[i]?.model ?? id}</span>
                  <button
                    type="button"
                    className="tt-mini"
                    disabled={k === 0}
                    onClick={() => model.moveRank(id, -1)}
                    title={`Move up (Shift+${responseLetter(i)})`}
                    aria-label={`Move response ${responseLetter(i)} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="tt-mini"
                    disabled={k === ranking.length - 1}
                    onClick={() => model.moveRank(id, 1)}
                    title="Move down"
                    aria-label={`Move response ${responseLetter(i)} down`}
                  >
                    ↓
                  </button>
                </li>
              );
            })}
          </ol>
        </section>
        {config.rubric.length > 0 && (
          <section className="panel-section">
            <h3 className="panel-title">Rubric</h3>
            <dl className="cmp-rubric-help">
              {config.rubric.map((c) => (
                <div key={c.name}>
                  <dt>
                    {c.name}{' '}
                    <span className="muted">
                      {c.min}–{c.max}
                    </span>
                  </dt>
                  {c.description && <dd>{c.description}</dd>}
                </div>
              ))}
            </dl>
          </section>
        )}
        <section className="panel-section">
          <h3 className="panel-title">Keys</h3>
          <p className="panel-hint">
            {keys.tip('choose:A', 'Pick the better response')} · {keys.tip('tie')} · {keys.tip('rate')} ·{' '}
            {keys.tip('justify', 'Justify')}
          </p>
          <button type="button" className="button ghost" onClick={showShortcuts} data-testid="shortcuts">
            All shortcuts <kbd>?</kbd>
          </button>
        </section>
      </EditorSidePanel>
    </div>
  );
}
