import { useId, useState } from 'react';
import { callErrorWords, type PlainError } from '../../../../shared/contract';
import type { Aql, InspectionLevel } from '../../../../shared/quality';
import type { LotBatch } from '../../../../shared/sync';
import { useConnection } from '../../hooks/api-context';
import { ProblemText } from '../toast/ProblemText';
import { AQL_CHOICES, LEVELS, aqlText, planPreview } from './lot-plan';

type Outcome = { kind: 'made'; words: string } | { kind: 'error'; problem: PlainError } | null;

/** Offline is said plainly: a lot exists only once the hub has drawn it. */
const OFFLINE_WORDS: PlainError = {
  words:
    'No lot was made: the hub does not answer. Making a lot needs the hub; try again when it is reachable.',
  detail: null,
};

/**
 * The lead's form for handing a batch over as a lot (ISO 2859-1, normal inspection): batch,
 * inspection level and AQL, the plan they give (worked out here with the shared sampling code,
 * before anything is made), then the hub makes the lot and draws its sample.
 */
export function LotMaker({
  projectId,
  batches,
  onMade,
}: {
  projectId: string;
  batches: readonly LotBatch[];
  onMade(): void;
}) {
  const { api } = useConnection();
  const ready = batches.find((b) => b.items > 0 && b.openLotId === null) ?? batches[0];
  const [batchName, setBatchName] = useState(ready?.batch ?? '');
  const [level, setLevel] = useState<InspectionLevel>('II');
  const [aql, setAql] = useState<Aql>(2.5);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const id = useId();
  const batch = batches.find((b) => b.batch === batchName);
  const preview = planPreview(batch, level, aql);

  const make = async () => {
    if (preview.kind !== 'plan' || busy) return;
    setBusy(true);
    setOutcome(null);
    const r = await api.call('quality.createLot', { projectId, batch: batchName, level, aql });
    setBusy(false);
    if (r.ok) {
      const l = r.value.lot;
      setOutcome({
        kind: 'made',
        words:
          l.verdict === 'pending'
            ? `Lot ${l.id} made: ${l.sampleSize} of ${l.lotSize} items are up for audit review (seed ${l.seed}).`
            : `Lot ${l.id} made and already ${l.verdict}: its sampled items had been reviewed before.`,
      });
      onMade();
    } else
      setOutcome({
        kind: 'error',
        problem: r.error.code === 'OFFLINE' ? OFFLINE_WORDS : callErrorWords('quality.createLot', r.error),
      });
  };

  return (
    <form
      className="lot-maker"
      aria-labelledby={`${id}-title`}
      data-testid="lot-maker"
      onSubmit={(e) => {
        e.preventDefault();
        void make();
      }}
    >
      <h4 id={`${id}-title`}>Make a lot for audit</h4>
      <div className="lot-maker-fields">
        <label>
          Batch
          <select
            className="control"
            value={batchName}
            onChange={(e) => setBatchName(e.target.value)}
            data-testid="lot-batch"
          >
            {batches.map((b) => (
              <option key={b.batch} value={b.batch}>
                {b.batch} — {b.items} item{b.items === 1 ? '' : 's'}
                {b.openLotId !== null ? ' (lot under audit)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Inspection level
          <select
            className="control"
            value={level}
            onChange={(e) => setLevel(e.target.value as InspectionLevel)}
            data-testid="lot-level"
          >
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
                {l === 'II' ? ' (usual)' : l === 'I' ? ' (smaller sample)' : ' (larger sample)'}
              </option>
            ))}
          </select>
        </label>
        <label>
          AQL (% defective)
          <select
            className="control"
            value={String(aql)}
            onChange={(e) => setAql(Number(e.target.value) as Aql)}
            data-testid="lot-aql"
          >
            {AQL_CHOICES.map((a) => (
              <option key={a} value={String(a)}>
                {aqlText(a)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="lot-plan" aria-live="polite" data-testid="lot-plan">
        {preview.kind === 'plan' && (
          <dl>
            <div>
              <dt>
                <abbr title="Lot size: submitted items of the batch">N</abbr>
              </dt>
              <dd>{preview.lotSize}</dd>
            </div>
            <div>
              <dt>Code letter</dt>
              <dd>{preview.codeLetter}</dd>
            </div>
            <div>
              <dt>
                <abbr title="Sample size">n</abbr>
              </dt>
              <dd>{preview.sampleSize}</dd>
            </div>
            <div>
              <dt>
                <abbr title="Accept / reject numbers">Ac / Re</abbr>
              </dt>
              <dd>{preview.acRe}</dd>
            </div>
          </dl>
        )}
        <p className="muted">{preview.words}</p>
      </div>
      <div className="lot-maker-actions">
        <button
          type="submit"
          className="button primary"
          disabled={preview.kind !== 'plan' || busy}
          data-testid="lot-make"
        >
          {busy ? 'Making the lot…' : 'Make lot'}
        </button>
        <span role="status" className="lot-made">
          {outcome?.kind === 'made' ? outcome.words : ''}
        </span>
      </div>
      {outcome?.kind === 'error' && (
        <div role="alert" className="quality-error">
          <ProblemText words={outcome.problem.words} detail={outcome.problem.detail} />
        </div>
      )}
    </form>
  );
}
