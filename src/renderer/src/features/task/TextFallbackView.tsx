import Markdown from 'react-markdown';
import type { EditorProps } from '../../editor/types';
import { ClassPalette } from './ClassPalette';
import { EditorSidePanel } from './side-panel';
import { useClassResults } from './use-class-results';

/**
 * Text and comparison tasks until the text editor registers itself: the text (or the prompt and
 * its responses) readable, and the document classes by hotkey when the config has any. Span and
 * comparison results already in the annotation are kept untouched.
 */
export function TextFallbackView({ view, initial, onChange }: EditorProps) {
  const data = view.task.data;
  const config = view.project.labelConfig;
  const { results, toggle } = useClassResults(initial, config.classes, 'doc-class', onChange);

  return (
    <div className="text-view" data-testid="text-view">
      {data.kind === 'text' && (
        <article className="reading">
          {data.title && <h2 className="reading-title">{data.title}</h2>}
          <div className="reading-text">{data.text}</div>
        </article>
      )}
      {data.kind === 'comparison' && (
        <div className="comparison">
          <section className="prompt">
            <h3 className="panel-title">Prompt</h3>
            <div className="reading-text">{data.prompt}</div>
          </section>
          <div
            className="responses"
            style={{ gridTemplateColumns: `repeat(${Math.min(data.responses.length, 3)}, minmax(0, 1fr))` }}
          >
            {data.responses.map((r, i) => (
              <section className="response" key={r.id} data-testid="response">
                <h3 className="panel-title">
                  Response {String.fromCharCode(65 + i)}
                  {r.model && <span className="panel-hint">{r.model}</span>}
                </h3>
                {/* react-markdown renders no raw HTML: a <script> in a response shows as text. */}
                <div className="markdown">
                  <Markdown>{r.text}</Markdown>
                </div>
              </section>
            ))}
          </div>
        </div>
      )}
      <EditorSidePanel>
        {config.classes.length > 0 && (
          <ClassPalette groups={config.classes} results={results} type="doc-class" onToggle={toggle} />
        )}
        {config.rubric.length > 0 && (
          <section className="panel-section">
            <h3 className="panel-title">Rubric</h3>
            <ul className="rubric">
              {config.rubric.map((c) => (
                <li key={c.name}>
                  <strong>{c.name}</strong>{' '}
                  <span className="muted">
                    {c.min}–{c.max}
                  </span>
                  {c.description && <div className="muted">{c.description}</div>}
                </li>
              ))}
            </ul>
          </section>
        )}
      </EditorSidePanel>
    </div>
  );
}
