import { useMemo } from 'react';
import type { ImageEditorEngine } from '../engine/engine';
import type { KeypointsRegion, Region } from '../engine/records';
import type { ImageSession } from '../engine/session';
import { regionKind } from '../kinds';
import { useDocVersion, useSession } from './use-engine';

const pickSel = (s: ImageSession) => s.selected;
const pickActive = (s: ImageSession) => s.activePoint;
const pickPlacing = (s: ImageSession) => s.placing;
const pickLabel = (s: ImageSession) => s.label;

const selectedRegions = (engine: ImageEditorEngine, sel: ReadonlySet<string>, _version: number): Region[] =>
  [...sel].map((id) => engine.region(id)).filter((r): r is Region => !!r);

/** Labels (current one highlighted, hotkeys shown) and the selected region's attributes. */
export function LabelPicker({ engine }: { engine: ImageEditorEngine }) {
  const label = useSession(engine, pickLabel);
  const labels = engine.config.labels;
  if (!labels.length) return null;
  return (
    <section className="panel-section">
      <h3 className="panel-title">
        Labels <span className="panel-hint">new & selected regions</span>
      </h3>
      <ul className="ie-labels">
        {labels.map((l) => (
          <li key={l.name}>
            <button
              type="button"
              className="ie-label"
              aria-pressed={label === l.name}
              data-testid={`label-${l.name}`}
              onClick={() => engine.setLabel(l.name)}
            >
              <span className="ie-swatch" style={{ background: l.color }} />
              <span className="ie-label-name">{l.name}</span>
              {l.hotkey && <kbd>{l.hotkey.toUpperCase()}</kbd>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const VIS: { v: 0 | 1 | 2; name: string }[] = [
  { v: 2, name: 'visible' },
  { v: 1, name: 'occluded' },
  { v: 0, name: 'absent' },
];

export function Inspector({ engine }: { engine: ImageEditorEngine }) {
  const sel = useSession(engine, pickSel);
  const version = useDocVersion(engine);
  const regions = useMemo(() => selectedRegions(engine, sel, version), [engine, sel, version]);
  if (regions.length === 0) return null;
  if (regions.length > 1) {
    return (
      <section className="panel-section" data-testid="inspector">
        <h3 className="panel-title">{regions.length} regions selected</h3>
        <div className="ie-actions">
          <button type="button" className="ie-btn ie-text" onClick={() => engine.duplicateSelected()}>
            Duplicate
          </button>
          <button type="button" className="ie-btn ie-text ie-danger" onClick={() => engine.deleteSelected()}>
            Delete
          </button>
        </div>
      </section>
    );
  }
  const r = regions[0]!;
  const def = engine.config.labels.find((l) => l.name === r.label);
  return (
    <section className="panel-section" data-testid="inspector">
      <h3 className="panel-title">
        {regionKind(r).name}
        <span className="panel-hint">{r.label}</span>
      </h3>
      <p className="ie-geom" data-testid="geometry">
        {regionKind(r).summary(r)}
      </p>
      {r.suggested && (
        <div className="ie-actions">
          <span className="muted">Suggested by {r.suggested.model}</span>
          <button type="button" className="ie-btn ie-text" onClick={() => engine.acceptSuggestions([r.id])}>
            Accept <kbd>A</kbd>
          </button>
        </div>
      )}
      {(def?.attributes ?? []).map((a) => (
        <label key={a.name} className="ie-attr">
          <span>{a.name}</span>
          {a.type === 'checkbox' ? (
            <input
              type="checkbox"
              checked={r.attributes[a.name] === true}
              onChange={(e) => engine.setAttribute(r.id, a.name, e.target.checked)}
            />
          ) : a.type === 'select' ? (
            <select
              value={String(r.attributes[a.name] ?? '')}
              onChange={(e) => engine.setAttribute(r.id, a.name, e.target.value)}
            >
              {a.options.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input
              type="text"
              value={String(r.attributes[a.name] ?? '')}
              onChange={(e) => engine.setAttribute(r.id, a.name, e.target.value)}
            />
          )}
        </label>
      ))}
      {r.type === 'keypoints' && <KeypointList engine={engine} region={r} />}
    </section>
  );
}

/**
 * Each point of a keypoints region with its state (visible / occluded / absent), settable here or
 * by keys ([ ] pick the point, O cycles). Making a never-placed point present arms placement.
 */
function KeypointList({ engine, region: r }: { engine: ImageEditorEngine; region: KeypointsRegion }) {
  const active = useSession(engine, pickActive);
  const placing = useSession(engine, pickPlacing);
  const skeleton = engine.config.skeleton;
  return (
    <ol className="ie-kps" data-testid="keypoint-list">
      {r.points.map((k, i) => {
        const name = skeleton?.points[i]?.name ?? `point ${i + 1}`;
        const armed = placing?.id === r.id && placing.index === i;
        return (
          <li
            key={i}
            aria-current={active === i ? 'true' : undefined}
            data-testid={`keypoint-${i}`}
            data-v={k.v}
          >
            <button
              type="button"
              className="ie-kp-name"
              onClick={() => engine.session.set({ activePoint: i })}
            >
              {name}
            </button>
            <span className="ie-seg">
              {VIS.map((o) => (
                <button
                  key={o.v}
                  type="button"
                  aria-pressed={k.v === o.v}
                  data-testid={`keypoint-${i}-${o.name}`}
                  onClick={() => engine.setKeypointVisibility(r.id, i, o.v)}
                >
                  {o.name}
                </button>
              ))}
            </span>
            {armed && <span className="ie-kp-armed">click the image to place it</span>}
          </li>
        );
      })}
    </ol>
  );
}
