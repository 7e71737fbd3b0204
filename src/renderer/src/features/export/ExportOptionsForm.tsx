import { useId } from 'react';
import type { ExportSources } from '../../../../shared/contract';
import { FORMAT_TITLES, type ExportVersion, type ImagesMode } from '../../../../shared/export';
import { withProject, type ExportForm } from './export-form';

const VERSION_TITLES: Record<ExportVersion, string> = {
  latest: 'Latest submitted, one per task',
  submitted: 'Every submitted version',
  reviewed: 'Reviewed (accepted or fixed)',
  accepted: 'Accepted unchanged',
  consensus: 'Consensus',
};

const IMAGE_MODES: { mode: ImagesMode; title: string }[] = [
  { mode: 'none', title: 'Annotations only' },
  { mode: 'copy', title: 'Copy images' },
  { mode: 'link', title: 'Link images' },
  { mode: 'zip', title: 'One zip with images' },
];

const SPLIT_NAMES = ['Train', 'Validation', 'Test'] as const;

interface Props {
  sources: ExportSources;
  form: ExportForm;
  onChange(f: ExportForm): void;
  disabled: boolean;
  /** The field the form check named, to mark it invalid. */
  invalid: string | null;
}

/** The export screen's options: every field a labelled native control, so Tab reaches each. */
export function ExportOptionsForm({ sources, form, onChange, disabled, invalid }: Props) {
  const uid = useId();
  const project = sources.projects.find((p) => p.id === form.projectId);
  const set = (patch: Partial<ExportForm>) => onChange({ ...form, ...patch });
  const labels = project?.labels ?? [];
  const chosen = new Set(form.labels ?? labels);
  const toggleLabel = (l: string, on: boolean) => {
    const next = labels.filter((x) => (x === l ? on : chosen.has(x)));
    set({ labels: next.length === labels.length ? null : next });
  };

  return (
    <fieldset className="export-options" disabled={disabled}>
      <legend className="sr-only">Export options</legend>
      <label>
        Project
        <select
          value={form.projectId}
          data-testid="export-project"
          onChange={(e) => {
            const p = sources.projects.find((x) => x.id === e.target.value);
            if (p) onChange(withProject(form, p));
          }}
        >
          {sources.projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} — {p.submitted} submitted
            </option>
          ))}
        </select>
      </label>
      <label>
        Format
        <select
          value={form.format}
          data-testid="export-format"
          onChange={(e) => set({ format: e.target.value as ExportForm['format'] })}
        >
          {(project?.formats ?? []).map((f) => (
            <option key={f} value={f}>
              {FORMAT_TITLES[f]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Versions
        <select
          value={form.version}
          aria-describedby={`${uid}-versions`}
          onChange={(e) => set({ version: e.target.value as ExportVersion })}
        >
          {sources.versions.map((v) => (
            <option key={v} value={v}>
              {VERSION_TITLES[v]}
            </option>
          ))}
        </select>
        <span className="export-hint" id={`${uid}-versions`}>
          This workspace keeps your submissions only; reviewed and accepted versions are exported from the
          hub.
        </span>
      </label>

      <div className="export-row">
        <label>
          Submitted from
          <input
            type="date"
            value={form.from}
            onChange={(e) => set({ from: e.target.value })}
            aria-invalid={invalid === 'from' || undefined}
          />
        </label>
        <label>
          to (inclusive)
          <input
            type="date"
            value={form.to}
            onChange={(e) => set({ to: e.target.value })}
            aria-invalid={invalid === 'to' || undefined}
          />
        </label>
      </div>

      <fieldset className="export-labels" aria-invalid={invalid === 'labels' || undefined}>
        <legend>Labels</legend>
        {labels.map((l) => (
          <label key={l} className="export-check">
            <input
              type="checkbox"
              checked={chosen.has(l)}
              onChange={(e) => toggleLabel(l, e.target.checked)}
            />
            {l}
          </label>
        ))}
      </fieldset>

      <fieldset className="export-split">
        <legend>
          <label className="export-check">
            <input
              type="checkbox"
              checked={form.split}
              data-testid="export-split"
              onChange={(e) => set({ split: e.target.checked })}
            />
            Split into train / validation / test
          </label>
        </legend>
        {form.split && (
          <div className="export-row">
            {SPLIT_NAMES.map((name, i) => (
              <label key={name}>
                {name} %
                <input
                  type="number"
                  min={0}
                  max={100}
                  value={form.shares[i]}
                  aria-invalid={invalid === 'split' || undefined}
                  onChange={(e) => {
                    const shares = [...form.shares] as [number, number, number];
                    shares[i] = Number(e.target.value);
                    set({ shares });
                  }}
                />
              </label>
            ))}
            <label>
              Seed
              <input
                type="number"
                min={0}
                step={1}
                value={form.seed}
                aria-invalid={invalid === 'seed' || undefined}
                onChange={(e) => set({ seed: Number(e.target.value) })}
              />
            </label>
          </div>
        )}
        {form.split && (
          <span className="export-hint">
            Stratified by each task&apos;s rarest label; the same seed always gives the same split.
          </span>
        )}
      </fieldset>

      {project?.kind === 'image' && (
        <fieldset className="export-images">
          <legend>Images</legend>
          {IMAGE_MODES.map(({ mode, title }) => (
            <label key={mode} className="export-check">
              <input
                type="radio"
                name={`${uid}-images`}
                value={mode}
                checked={form.images === mode}
                onChange={() => set({ images: mode })}
              />
              {title}
            </label>
          ))}
        </fieldset>
      )}

      <label>
        Into the folder
        <input
          type="text"
          value={form.outDir}
          spellCheck={false}
          data-testid="export-outdir"
          onChange={(e) => set({ outDir: e.target.value })}
        />
      </label>
    </fieldset>
  );
}
