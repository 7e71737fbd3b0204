import { useId } from 'react';
import type { ExportableProject, ExportSources } from '../../../../shared/contract';
import { FORMAT_TITLES, type ExportVersion, type ImagesMode } from '../../../../shared/export';
import { projectKey, withProject, type ExportForm } from './export-form';

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
/** Versions not available, grouped by their reason (one line per reason). */
const byReason = (list: ExportableProject['unavailable']): Map<string, ExportVersion[]> => {
  const out = new Map<string, ExportVersion[]>();
  for (const u of list) out.set(u.reason, [...(out.get(u.reason) ?? []), u.version]);
  return out;
};

/** A checkbox list where "all checked" is stored as null (no filter). */
function CheckList({
  legend,
  all,
  chosen,
  invalid,
  onChange,
  testId,
}: {
  legend: string;
  all: readonly string[];
  chosen: readonly string[] | null;
  invalid: boolean;
  onChange(next: readonly string[] | null): void;
  testId?: string;
}) {
  const on = new Set(chosen ?? all);
  return (
    <fieldset className="export-labels" aria-invalid={invalid || undefined} data-testid={testId}>
      <legend>{legend}</legend>
      {all.map((x) => (
        <label key={x} className="export-check">
          <input
            type="checkbox"
            checked={on.has(x)}
            onChange={(e) => {
              const next = all.filter((y) => (y === x ? e.target.checked : on.has(y)));
              onChange(next.length === all.length ? null : next);
            }}
          />
          {x}
        </label>
      ))}
    </fieldset>
  );
}

export function ExportOptionsForm({ sources, form, onChange, disabled, invalid }: Props) {
  const uid = useId();
  const project = sources.projects.find((p) => p.id === form.projectId && p.source === form.source);
  const set = (patch: Partial<ExportForm>) => onChange({ ...form, ...patch });
  const local = sources.projects.filter((p) => p.source === 'local');
  const hub = sources.projects.filter((p) => p.source === 'hub');
  const fromHub = form.source === 'hub';
  const modes = fromHub ? IMAGE_MODES.filter((m) => m.mode === 'none' || m.mode === 'zip') : IMAGE_MODES;

  return (
    <fieldset className="export-options" disabled={disabled}>
      <legend className="sr-only">Export options</legend>
      <label>
        Project
        <select
          value={project ? projectKey(project) : ''}
          data-testid="export-project"
          aria-describedby={`${uid}-source`}
          onChange={(e) => {
            const p = sources.projects.find((x) => projectKey(x) === e.target.value);
            if (p) onChange(withProject(form, p));
          }}
        >
          {local.length > 0 && (
            <optgroup label="This workspace (your work)">
              {local.map((p) => (
                <option key={projectKey(p)} value={projectKey(p)}>
                  {p.name} — {p.submitted} submitted here
                </option>
              ))}
            </optgroup>
          )}
          {hub.length > 0 && (
            <optgroup label="The hub (projects you lead)">
              {hub.map((p) => (
                <option key={projectKey(p)} value={projectKey(p)}>
                  {p.name} — {p.submitted} submissions on the hub
                </option>
              ))}
            </optgroup>
          )}
        </select>
        <span className="export-hint" id={`${uid}-source`} data-testid="export-source-hint">
          {fromHub
            ? 'Exported by the hub from every annotator’s work, streamed here as one zip.'
            : `Your own work on this computer.${sources.hubNote ? ` ${sources.hubNote}` : ''}`}
        </span>
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
          data-testid="export-version"
          aria-describedby={`${uid}-versions`}
          onChange={(e) => set({ version: e.target.value as ExportVersion })}
        >
          {(Object.keys(VERSION_TITLES) as ExportVersion[]).map((v) => {
            const off = project?.unavailable.find((u) => u.version === v);
            if (!project?.versions.includes(v) && !off) return null;
            return (
              <option key={v} value={v} disabled={!!off}>
                {VERSION_TITLES[v]}
                {off ? ' — not on this computer' : ''}
              </option>
            );
          })}
        </select>
        {project && project.unavailable.length > 0 && (
          <ul
            className="export-hint export-unavailable"
            id={`${uid}-versions`}
            data-testid="export-unavailable"
          >
            {[...byReason(project.unavailable)].map(([reason, versions]) => (
              <li key={reason}>
                <strong>{versions.map((v) => VERSION_TITLES[v]).join(', ')}:</strong> {reason}
              </li>
            ))}
          </ul>
        )}
      </label>

      {fromHub && project && project.batches.length > 0 && (
        <CheckList
          legend="Batches"
          all={project.batches}
          chosen={form.batches}
          invalid={invalid === 'batches'}
          onChange={(batches) => set({ batches })}
          testId="export-batches"
        />
      )}
      {fromHub && project && project.annotators.length > 0 && (
        <CheckList
          legend="Annotators"
          all={project.annotators}
          chosen={form.annotators}
          invalid={invalid === 'annotators'}
          onChange={(annotators) => set({ annotators })}
          testId="export-annotators"
        />
      )}

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

      <CheckList
        legend="Labels"
        all={project?.labels ?? []}
        chosen={form.labels}
        invalid={invalid === 'labels'}
        onChange={(labels) => set({ labels })}
      />

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
          {modes.map(({ mode, title }) => (
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
