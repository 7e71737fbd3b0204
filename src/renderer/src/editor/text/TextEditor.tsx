import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useKeyboard, useKeyScope } from '../../features/keyboard/keyboard-context';
import { EditorSidePanel } from '../../features/task/side-panel';
import { REDO_ICON, StrokeIcon, UNDO_ICON } from '../stroke-icon';
import type { EditorProps } from '../types';
import { readDomSelection } from './dom-offsets';
import { DocumentView } from './DocumentView';
import { useHistoryState, useSession, useStoreVersion } from './hooks';
import { textKeys, textViewKeys } from './text-keys';
import { textMarks } from './review-marks';
import { TextEditorModel } from './text-model';
import { preparedTexts } from './prepared-texts';
import { TextSidePanel } from './TextSidePanel';
import './text-editor.css';

/**
 * Text tasks: entity spans (overlapping and nested), relations between them, document classes and
 * suggestions from predictions. The model (`text-model.ts`) holds all the logic; this component
 * wires the view, the keyboard and autosave.
 */
export function TextEditor(props: EditorProps) {
  // A fresh model per task: keyed, so `initial` is read exactly once per opened task.
  return <TextEditorForTask key={props.view.task.id} {...props} />;
}

function TextEditorForTask({
  view,
  initial,
  onChange,
  readOnly = false,
  review,
  onSelectionChange,
}: EditorProps) {
  const data = view.task.data;
  const title = data.kind === 'text' ? data.title : undefined;
  const config = view.project.labelConfig;
  const language = (data.kind === 'text' ? data.language : undefined) ?? config.language;
  const [model] = useState(() => {
    const m = new TextEditorModel({
      text: data.kind === 'text' ? data.text : '',
      prepared: data.kind === 'text' ? preparedTexts.take(data.text) : null,
      config,
      initial,
      // A version under review is shown as sent: no model suggestions over it.
      predictions: readOnly ? [] : view.task.predictions,
      showSuggestions: !readOnly && view.submitted === null,
      direction: (data.kind === 'text' ? data.direction : undefined) ?? config.direction,
    });
    m.store.readOnly = readOnly;
    return m;
  });
  const session = useSession(model);
  const marks = useMemo(() => textMarks(model.doc, review), [model, review]);
  const version = useStoreVersion(model);
  const history = useHistoryState(model);
  const keys = useMemo(() => (readOnly ? textViewKeys() : textKeys(config)), [config, readOnly]);
  const { showShortcuts } = useKeyboard();

  const selectedSpan = session.selectedSpan;
  useEffect(() => {
    onSelectionChange?.(selectedSpan ? { kind: 'span', resultId: selectedSpan } : null);
  }, [selectedSpan, onSelectionChange]);

  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  useEffect(
    () =>
      model.store.listen((_diff, source) => {
        if (source !== 'load') onChangeRef.current(model.annotation());
      }),
    [model],
  );

  // A drag released outside the document left a DOM selection the model has not seen yet: take
  // it before any key acts (capture phase; this uses no key itself).
  useEffect(() => {
    const sync = (e: KeyboardEvent) => {
      const pane = document.querySelector('[data-testid="text-view"]');
      const pending = pane ? readDomSelection(model.doc, pane) : null;
      if (pending) model.select(pending[0], pending[1], e.altKey);
    };
    document.addEventListener('keydown', sync, true);
    return () => document.removeEventListener('keydown', sync, true);
  }, [model]);
  useKeyScope({
    id: 'text-editor',
    priority: 20,
    title: 'Text',
    table: keys,
    ctx: () => {
      const pane = document.querySelector('[data-testid="text-view"]');
      return { model, paneFocused: !!pane && pane === document.activeElement };
    },
  });

  const [canUndo, canRedo] = history.split('|').map((x) => x === 'true');
  return (
    <div className="tt-editor" data-testid="text-editor" data-readonly={readOnly || undefined}>
      {!readOnly && (
        <div className="tt-toolbar" role="toolbar" aria-label="Labels">
          {config.labels.map((l) => (
            <button
              key={l.name}
              type="button"
              className={`tt-label${session.armedLabel === l.name ? ' is-armed' : ''}`}
              style={{ '--c': l.color } as CSSProperties}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => model.applyLabel(l.name)}
              data-label={l.name}
              title={keys.tip(`label:${l.name}`, `Label the selection as ${l.name}`)}
            >
              <span className="tt-dot" />
              {l.name}
              {l.hotkey && <kbd>{l.hotkey}</kbd>}
            </button>
          ))}
          <span className="tt-spacer" />
          <button
            type="button"
            className="button ghost"
            disabled={!canUndo}
            onClick={() => model.undo()}
            title={keys.tip('undo')}
            aria-label="Undo"
          >
            <StrokeIcon d={UNDO_ICON} size={16} />
          </button>
          <button
            type="button"
            className="button ghost"
            disabled={!canRedo}
            onClick={() => model.redo()}
            title={keys.tip('redo')}
            aria-label="Redo"
          >
            <StrokeIcon d={REDO_ICON} size={16} />
          </button>
          <button
            type="button"
            className="button ghost"
            onClick={showShortcuts}
            title="Keyboard shortcuts (?)"
            aria-label="Keyboard shortcuts"
            data-testid="shortcuts"
          >
            ?
          </button>
        </div>
      )}
      {(session.notice || model.problems.length > 0) && (
        <div className="tt-notice" role="status" data-testid="text-notice">
          {session.notice ??
            `${model.problems.length} stored span(s) do not match the text: ${model.problems[0]}`}
        </div>
      )}
      <DocumentView
        model={model}
        session={session}
        version={version}
        title={title}
        language={language}
        marks={marks}
      />
      <EditorSidePanel>
        {readOnly ? (
          <fieldset className="tt-readonly" disabled>
            <legend className="sr-only">Spans and classes (read only)</legend>
            <TextSidePanel model={model} session={session} version={version} />
          </fieldset>
        ) : (
          <TextSidePanel model={model} session={session} version={version} />
        )}
      </EditorSidePanel>
    </div>
  );
}
