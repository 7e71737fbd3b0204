import type { ReactNode } from 'react';
import { LOT_DEFECT_RULE, type QualityReport } from '../../../../shared/sync';
import { readableOn } from '../../../../shared/color/contrast';
import {
  annotatorRows,
  coefficient,
  consensusWords,
  heatColor,
  heatmap,
  labelRows,
  lotRows,
  percent,
  ratio,
} from './quality-view';

/** The report's four views: lots, agreement heatmap, per-label agreement, gold accuracy. */
export function QualityTables({
  report,
  fetchedAt,
  lotMaker,
}: {
  report: QualityReport;
  fetchedAt: number;
  /** The form that makes a lot, shown above the lots table. */
  lotMaker?: ReactNode;
}) {
  const lots = lotRows(report.lots);
  const heat = heatmap(report.agreement.pairs);
  const labels = labelRows(report.agreement.perLabel);
  const people = annotatorRows(report.annotators);
  const a = report.agreement;
  return (
    <div className="quality-body">
      <p className="muted quality-summary">
        Overlap {report.overlap} · gold rate {percent(report.goldRate)} · pass mark{' '}
        {ratio(report.goldPassMark)} · read from the hub at {new Date(fetchedAt).toLocaleTimeString()}
      </p>

      <section aria-labelledby="quality-lots">
        <h3 id="quality-lots">Lots</h3>
        {lotMaker}
        <p className="muted quality-rule" data-testid="quality-defect-rule">
          What counts as a defect: {report.lots[0]?.defectRule ?? LOT_DEFECT_RULE}. A rejected lot puts its
          other items up for full review.
        </p>
        {lots.length === 0 ? (
          <p className="muted">No lot yet: a lot is made from a batch for audit (ISO 2859-1 sampling).</p>
        ) : (
          <table className="quality-table" data-testid="quality-lots">
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">
                  <abbr title="Lot size: submitted items">N</abbr>
                </th>
                <th scope="col">Level</th>
                <th scope="col">AQL</th>
                <th scope="col">Code letter</th>
                <th scope="col">
                  <abbr title="Sample size">n</abbr>
                </th>
                <th scope="col">
                  <abbr title="Accept / reject numbers">Ac / Re</abbr>
                </th>
                <th scope="col">Audited</th>
                <th scope="col">Defects</th>
                <th scope="col">Verdict</th>
                <th scope="col">Seed</th>
              </tr>
            </thead>
            <tbody>
              {lots.map((l) => (
                <tr key={l.id}>
                  <th scope="row">{l.batch}</th>
                  <td>{l.lotSize}</td>
                  <td>{l.level}</td>
                  <td>{l.aql}</td>
                  <td>{l.codeLetter}</td>
                  <td>{l.sampleSize}</td>
                  <td>{l.acRe}</td>
                  <td>{l.audited}</td>
                  <td>{l.defects}</td>
                  <td>
                    <span className={`quality-verdict quality-verdict-${l.verdict}`}>{l.verdictText}</span>
                  </td>
                  <td className="quality-seed">{l.seed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="quality-agreement">
        <h3 id="quality-agreement">Agreement</h3>
        <p className="muted">
          {a.tasks} task{a.tasks === 1 ? '' : 's'} with two or more submissions · mean score {ratio(a.score)}{' '}
          · Krippendorff&apos;s α (classes) {coefficient(a.classAlpha)}
        </p>
        {heat.annotators.length === 0 ? (
          <p className="muted">No two annotators have submitted the same task yet.</p>
        ) : (
          <table className="quality-table quality-heatmap" data-testid="quality-heatmap">
            <caption>
              Mean agreement of each pair of annotators (0 to 1) over the tasks both submitted
            </caption>
            <thead>
              <tr>
                <td />
                {heat.annotators.map((p) => (
                  <th scope="col" key={p.id}>
                    {p.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {heat.annotators.map((row, i) => (
                <tr key={row.id}>
                  <th scope="row">{row.name}</th>
                  {heat.rows[i]!.map((c, j) =>
                    c.kind === 'score' ? (
                      <td
                        key={j}
                        className="quality-heat"
                        style={{ background: c.background, color: c.color }}
                        title={c.label}
                      >
                        {c.text}
                        <span className="quality-heat-n"> ({c.tasks})</span>
                      </td>
                    ) : (
                      <td key={j} className={c.kind === 'self' ? 'quality-heat-self' : 'quality-heat-none'}>
                        {c.kind === 'self' ? <span className="sr-only">same person</span> : '—'}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {heat.annotators.length > 0 && (
          <p className="quality-legend" aria-hidden="true">
            {[0, 0.25, 0.5, 0.75, 1].map((v) => (
              <span key={v} style={{ background: heatColor(v), color: readableOn(heatColor(v)) }}>
                {v.toFixed(2)}
              </span>
            ))}
          </p>
        )}
        {labels.length > 0 && (
          <table className="quality-table" data-testid="quality-labels">
            <caption>Per label, pairs of submissions matched against each other</caption>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">
                  <abbr title="Matched (true positives)">TP</abbr>
                </th>
                <th scope="col">
                  <abbr title="Only in the first of a pair (false positives)">FP</abbr>
                </th>
                <th scope="col">
                  <abbr title="Only in the second of a pair (false negatives)">FN</abbr>
                </th>
                <th scope="col">F1</th>
              </tr>
            </thead>
            <tbody>
              {labels.map((l) => (
                <tr key={l.label}>
                  <th scope="row">{l.label}</th>
                  <td>{l.tp}</td>
                  <td>{l.fp}</td>
                  <td>{l.fn}</td>
                  <td>{l.f1}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="quality-consensus">
        <h3 id="quality-consensus">Consensus</h3>
        <p className="muted" data-testid="quality-consensus-summary">
          {consensusWords(report.consensus)}
        </p>
      </section>

      <section aria-labelledby="quality-gold">
        <h3 id="quality-gold">Gold accuracy per annotator</h3>
        {people.length === 0 ? (
          <p className="muted">No submissions yet.</p>
        ) : (
          <table className="quality-table" data-testid="quality-gold">
            <thead>
              <tr>
                <th scope="col">Annotator</th>
                <th scope="col">Gold tasks</th>
                <th scope="col">Gold score</th>
                <th scope="col">Passed</th>
                <th scope="col">Accepted tasks</th>
                <th scope="col">Score vs accepted</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.userId}>
                  <th scope="row">{p.name}</th>
                  <td>{p.goldTasks}</td>
                  <td>{p.goldScore}</td>
                  <td>{p.goldPassed}</td>
                  <td>{p.acceptedTasks}</td>
                  <td>{p.acceptedScore}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
