import { Fragment, memo, useMemo, type CSSProperties } from 'react';
import { readableOn } from '../../../../shared/color/contrast';
import type { Block, TextDoc } from './doc';
import { assignLanes, layoutRuns, type LaneSpan, type Run } from './layout';
import type { SpanRec } from './records';
import { CHANGE_COLOR, CHANGE_SIGN } from '../review-marks';
import { GHOST_PREFIX, type TextMarks } from './review-marks';

/** Underline geometry: each lane is a 3px bar with a 2px gap, lane 0 nearest the text. */
const LANE = 5;
const BAR = 3;

export interface BlockViewProps {
  doc: TextDoc;
  block: Block;
  /** The block's spans: an immutable list, replaced by the index on change. */
  spans: readonly SpanRec[];
  selStart: number;
  selEnd: number;
  caret: number;
  /** Selected span if it touches this block, else null (keeps other blocks memoized). */
  selectedId: string | null;
  relationFromId: string | null;
  colorOf(label: string): string;
  /** The text's direction; `auto` lets each block take its first strong character's. */
  dir: 'ltr' | 'rtl' | 'auto';
  /** Review overlay: changes, pinned comments, removed spans (null: none). */
  marks?: TextMarks | null;
}

const underline = (
  ls: LaneSpan,
  lanes: number,
  colorOf: (l: string) => string,
  marks: TextMarks | null,
): [string, string, string] => {
  const removed = marks?.change.get(ls.span.id) === 'removed';
  const color = removed ? CHANGE_COLOR.removed : colorOf(ls.span.label);
  const bottom = (lanes - 1 - ls.lane) * LANE + 1;
  const image =
    ls.span.suggestion || removed
      ? `repeating-linear-gradient(90deg, ${color} 0 5px, transparent 5px 8px)`
      : `linear-gradient(${color}, ${color})`;
  return [image, `0 calc(100% - ${bottom}px)`, `100% ${BAR}px`];
};

function runStyle(
  run: Run,
  lanes: number,
  selectedId: string | null,
  colorOf: (l: string) => string,
  marks: TextMarks | null,
): CSSProperties | undefined {
  if (run.spans.length === 0 && !run.inSelection) return lanes ? { paddingBottom: lanes * LANE } : undefined;
  const images: string[] = [];
  const positions: string[] = [];
  const sizes: string[] = [];
  for (const ls of run.spans) {
    const [i, p, s] = underline(ls, lanes, colorOf, marks);
    images.push(i);
    positions.push(p);
    sizes.push(s);
  }
  const sel = run.spans.find((s) => s.span.id === selectedId);
  if (sel) {
    const tint = `color-mix(in srgb, ${colorOf(sel.span.label)} 26%, transparent)`;
    images.push(`linear-gradient(${tint}, ${tint})`);
    positions.push('0 0');
    sizes.push(`100% calc(100% - ${lanes * LANE}px)`);
  }
  return {
    paddingBottom: lanes * LANE,
    backgroundImage: images.join(', ') || undefined,
    backgroundPosition: positions.join(', ') || undefined,
    backgroundSize: sizes.join(', ') || undefined,
  };
}

/** One display block: its runs with stacked underlines, label chips at span starts, the caret. */
export const BlockView = memo(function BlockView(p: BlockViewProps) {
  const { doc, block, spans, selectedId, colorOf } = p;
  const lanes = useMemo(() => assignLanes(block, spans), [block, spans]);
  const runs = useMemo(
    () =>
      layoutRuns(doc, block, lanes, {
        selection: p.selStart >= 0 ? [p.selStart, p.selEnd] : null,
        caret: p.caret >= 0 ? p.caret : null,
      }),
    [doc, block, lanes, p.selStart, p.selEnd, p.caret],
  );
  const n = lanes.count;
  // Edge handles of the selected span, at the runs its edges cut (in this block only).
  const sel = selectedId ? spans.find((s) => s.id === selectedId) : undefined;
  return (
    <div
      className="tt-block"
      dir={p.dir}
      data-block-start={block.cpStart}
      data-block-end={block.cpEnd}
      style={n ? { lineHeight: `calc(1.8em + ${n * LANE}px)` } : undefined}
    >
      {runs.map((run) => (
        <RunView
          key={run.start}
          run={run}
          lanes={n}
          selectedId={selectedId}
          relationFromId={p.relationFromId}
          caret={p.caret}
          colorOf={colorOf}
          marks={p.marks ?? null}
          handles={sel && (sel.start === run.start || sel.end === run.end) ? sel : undefined}
        />
      ))}
      {block.cpStart === block.cpEnd && <br />}
      {p.caret === block.cpEnd && block.cpEnd !== block.cpStart && (
        <span className="tt-caret" data-cp={block.cpEnd} />
      )}
    </div>
  );
});

function RunView({
  run,
  lanes,
  selectedId,
  relationFromId,
  caret,
  colorOf,
  marks,
  handles,
}: {
  run: Run;
  marks: TextMarks | null;
  lanes: number;
  selectedId: string | null;
  relationFromId: string | null;
  caret: number;
  colorOf(label: string): string;
  /** The selected span, when one of its edges is at this run's start or end. */
  handles?: SpanRec | undefined;
}) {
  if (run.start === run.end) return null;
  // Ghosts (spans the newer version removed) are drawn, never picked.
  const ids = run.spans
    .map((s) => s.span.id)
    .filter((id) => !id.startsWith(GHOST_PREFIX))
    .join(' ');
  const handle = (edge: 'start' | 'end', cp: number) => (
    <span
      className={`tt-handle is-${edge}`}
      style={{ '--c': colorOf(handles!.label) } as CSSProperties}
      data-handle={edge}
      data-cp={cp}
      title={`Drag to move the span's ${edge} (snaps to words; hold Alt for characters)`}
      aria-hidden="true"
    />
  );
  return (
    <>
      {caret === run.start && <span className="tt-caret" data-cp={run.start} />}
      {run.starting.map(({ span }) => {
        const change = marks?.change.get(span.id);
        const pins = marks?.pins.get(span.id);
        return (
          <Fragment key={span.id}>
            <span
              className={`tt-chip${span.id === selectedId ? ' is-selected' : ''}${span.suggestion ? ' is-suggestion' : ''}${span.id === relationFromId ? ' is-from' : ''}${change ? ` is-${change}` : ''}`}
              style={
                {
                  '--c': colorOf(span.label),
                  '--on-c': readableOn(colorOf(span.label)),
                  ...(change ? { '--diff': CHANGE_COLOR[change] } : {}),
                } as CSSProperties
              }
              data-cp={run.start}
              data-chip={change === 'removed' ? undefined : span.id}
              data-diff={change}
              title={
                change
                  ? `${span.label} — ${change} since the previous version`
                  : span.suggestion
                    ? `${span.label} — suggested by ${span.suggestion}${span.score === undefined ? '' : ` (score ${Math.round(span.score * 100)}%)`}`
                    : span.label
              }
            >
              {change && (
                <span className="tt-diff-sign" aria-label={`${change}:`}>
                  {CHANGE_SIGN[change]}
                </span>
              )}
              {span.label}
            </span>
            {pins?.map((pin) => (
              <span
                key={pin.n}
                className={`tt-pin${marks?.activePin === pin.n ? ' is-active' : ''}`}
                data-cp={run.start}
                data-pin={pin.n}
                role="note"
                aria-label={`Reviewer comment ${pin.n}: ${pin.text}`}
                title={pin.text}
              >
                <span className="tt-pin-n" aria-hidden="true">
                  {pin.n}
                </span>
                <span className="tt-pin-text" aria-hidden="true">
                  {pin.text}
                </span>
              </span>
            ))}
          </Fragment>
        );
      })}
      {handles?.start === run.start && handle('start', run.start)}
      <span
        className={run.inSelection ? 'tt-run is-sel' : 'tt-run'}
        data-run=""
        data-cp={run.start}
        data-cp-end={run.end}
        data-spans={ids || undefined}
        style={runStyle(run, lanes, selectedId, colorOf, marks)}
      >
        {run.text}
      </span>
      {handles?.end === run.end && handle('end', run.end)}
    </>
  );
}
