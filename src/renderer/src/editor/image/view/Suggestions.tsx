import { useMemo } from 'react';
import type { ImageEditorEngine } from '../engine/engine';
import type { ImageSession } from '../engine/session';
import { useDocVersion, useSession } from './use-engine';

const pickThreshold = (s: ImageSession) => s.scoreThreshold;

const counts = (engine: ImageEditorEngine, _version: number, _threshold: number) => {
  const all = engine.regions().filter((r) => r.suggested);
  return {
    all: all.length,
    shown: engine.suggestions().length,
    models: [...new Set(all.map((r) => r.suggested!.model))],
  };
};

/** Pre-annotations: accept or reject all that pass the score threshold; one at a time on the canvas. */
export function Suggestions({ engine }: { engine: ImageEditorEngine }) {
  const version = useDocVersion(engine);
  const threshold = useSession(engine, pickThreshold);
  const c = useMemo(() => counts(engine, version, threshold), [engine, version, threshold]);
  if (c.all === 0) return null;
  return (
    <section className="panel-section ie-suggest" data-testid="suggestions">
      <h3 className="panel-title">
        Suggestions <span className="panel-hint">{c.models.join(', ')}</span>
      </h3>
      <label className="ie-threshold">
        <span>Min score</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={threshold}
          onChange={(e) => engine.session.set({ scoreThreshold: Number(e.target.value) })}
          aria-label="Score threshold"
          data-testid="score-threshold"
        />
        <output>{Math.round(threshold * 100)}%</output>
      </label>
      <p className="muted">
        {c.shown} of {c.all} shown. Select one to edit it; <kbd>A</kbd> accepts, <kbd>Del</kbd> rejects.
      </p>
      <div className="ie-actions">
        <button
          type="button"
          className="ie-btn ie-text ie-primary"
          onClick={() => engine.acceptSuggestions()}
          data-testid="accept-all"
        >
          Accept {c.shown}
        </button>
        <button
          type="button"
          className="ie-btn ie-text ie-danger"
          onClick={() => engine.rejectSuggestions()}
          data-testid="reject-all"
        >
          Reject {c.shown}
        </button>
      </div>
    </section>
  );
}
