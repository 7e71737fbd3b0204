import type { AnnotationResult } from '../../../../shared/model';
import { diffInWords, targetInWords, type AnnotationDiff, type Pin } from '../../../../shared/review';
import { CHANGE_COLOR, CHANGE_SIGN } from '../../editor/review-marks';

/**
 * The pinned comments beside the editor (numbered as on the canvas and in the text): picking one
 * highlights what it points at; a reviewer composing a verdict can remove one.
 */
export function PinnedComments({
  pins,
  results,
  active,
  onPick,
  onRemove,
  title = 'Comments',
  empty,
}: {
  pins: readonly Pin[];
  results: readonly AnnotationResult[];
  active: number | null;
  onPick(n: number | null): void;
  onRemove?: (n: number) => void;
  title?: string;
  empty?: string;
}) {
  return (
    <section className="panel-section" data-testid="pinned-comments" aria-label={title}>
      <h3 className="panel-title">
        {title} <span className="panel-hint">{pins.length || ''}</span>
      </h3>
      {pins.length === 0 && empty && <p className="muted review-note">{empty}</p>}
      <ol className="pin-list">
        {pins.map((p) => (
          <li key={p.n} className={`pin-item${active === p.n ? ' is-active' : ''}`} data-testid="pin-item">
            <button
              type="button"
              className="pin-pick"
              aria-pressed={active === p.n}
              onClick={() => onPick(active === p.n ? null : p.n)}
              title="Show what it points at"
            >
              <span className="pin-n" aria-hidden="true">
                {p.n}
              </span>
              <span className="pin-body">
                <span className="pin-target">{targetInWords(p, results)}</span>
                <span className="pin-text">{p.text}</span>
              </span>
            </button>
            {onRemove && (
              <button
                type="button"
                className="button ghost pin-remove"
                onClick={() => onRemove(p.n)}
                aria-label={`Remove comment ${p.n}`}
                title="Remove this comment"
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

const typeWords: Record<AnnotationResult['type'], string> = {
  bbox: 'Box',
  polygon: 'Polygon',
  polyline: 'Line',
  keypoints: 'Keypoints',
  'image-class': 'Class',
  span: 'Span',
  relation: 'Relation',
  'doc-class': 'Class',
  comparison: 'Comparison',
};

const nameOf = (r: AnnotationResult | undefined): string =>
  !r
    ? ''
    : r.type === 'span'
      ? `${r.label} “${r.text.length > 30 ? `${r.text.slice(0, 29)}…` : r.text}”`
      : 'label' in r
        ? r.label
        : 'group' in r
          ? `${r.group}: ${r.labels.join(', ') || '—'}`
          : '';

/** What changed since the previous version, listed (the editor marks the same items). */
export function DiffSummary({
  diff,
  shown,
  onToggle,
  toggleKey,
}: {
  diff: AnnotationDiff | null;
  shown: boolean;
  onToggle(): void;
  toggleKey: string;
}) {
  return (
    <section
      className="panel-section"
      data-testid="diff-summary"
      aria-label="Changes since the previous version"
    >
      <h3 className="panel-title">
        Changes <span className="panel-hint">since the previous version</span>
      </h3>
      {diff === null ? (
        <p className="muted review-note">First version: nothing to compare with.</p>
      ) : (
        <>
          <label className="review-toggle">
            <input type="checkbox" checked={shown} onChange={onToggle} data-testid="diff-toggle" />
            Mark changes <kbd>{toggleKey}</kbd>
            <span className="muted" data-testid="diff-counts">
              {diffInWords(diff)}
            </span>
          </label>
          <ul className="diff-list">
            {diff.changes.map((c) => (
              <li key={`${c.kind}:${c.id}`} data-diff={c.kind}>
                <span className="diff-sign" style={{ background: CHANGE_COLOR[c.kind] }} aria-hidden="true">
                  {CHANGE_SIGN[c.kind]}
                </span>
                <span>
                  {typeWords[c.type]} {nameOf(c.after ?? c.before)}{' '}
                  <span className="muted">
                    {c.kind}
                    {c.fields.length ? `: ${c.fields.join(', ')}` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
