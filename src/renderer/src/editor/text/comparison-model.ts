/**
 * A comparison judgement without a view: pick the better response (or a tie), rank all of them,
 * rate each on the rubric, justify. One `comparison` record in the shared record store, so undo,
 * redo and autosave work as in the other editors; a typing burst in the justification is one
 * undo step (a gesture between focus and blur).
 */
import type {
  Annotation,
  AnnotationResult,
  ComparisonResult,
  LabelConfig,
  TaskData,
} from '../../../../shared/model';
import { History } from '../core/history';
import { SessionState } from '../core/session';
import { RecordStore } from '../core/store';
import { newId } from './records';

type Responses = Extract<TaskData, { kind: 'comparison' }>['responses'];

export interface ComparisonSession {
  /** Rating cursor: response index and criterion index. */
  cell: { r: number; c: number };
}

export const responseLetter = (i: number): string => String.fromCharCode(65 + i);

export class ComparisonModel {
  readonly store = new RecordStore<ComparisonResult>();
  readonly history: History<ComparisonResult>;
  readonly session = new SessionState<ComparisonSession>({ cell: { r: 0, c: 0 } });
  private readonly id: string;
  private readonly passthrough: AnnotationResult[];
  private readonly activeMs: number;

  constructor(
    readonly responses: Responses,
    readonly config: LabelConfig,
    initial: Annotation,
  ) {
    const found = initial.results.find((r): r is ComparisonResult => r.type === 'comparison');
    this.passthrough = initial.results.filter((r) => r !== found);
    this.activeMs = initial.activeMs;
    this.id = found?.id ?? newId('cmp');
    this.store.load([
      found ?? {
        type: 'comparison',
        id: this.id,
        choice: null,
        tie: false,
        ranking: [],
        ratings: {},
        justification: '',
      },
    ]);
    this.history = new History(this.store);
  }

  get value(): ComparisonResult {
    return this.store.get(this.id)!;
  }

  annotation(): Annotation {
    return { results: [this.value, ...this.passthrough], activeMs: this.activeMs };
  }

  /** The ranking shown: the stored one, completed with unranked responses in their order. */
  ranking(): string[] {
    const ids = this.responses.map((r) => r.id);
    const stored = this.value.ranking.filter((id) => ids.includes(id));
    return [...stored, ...ids.filter((id) => !stored.includes(id))];
  }

  choose(responseId: string): void {
    if (!this.responses.some((r) => r.id === responseId)) return;
    const v = this.value;
    if (v.choice === responseId && !v.tie) return;
    // The better response goes to the top of the ranking; the rest keep their order.
    const ranking = [responseId, ...this.ranking().filter((id) => id !== responseId)];
    this.set({ choice: responseId, tie: false, ranking });
  }

  setTie(): void {
    this.set({ choice: null, tie: !this.value.tie });
  }

  /** Move a response one place up (-1) or down (+1) in the ranking. */
  moveRank(responseId: string, dir: -1 | 1): void {
    const r = this.ranking();
    const i = r.indexOf(responseId);
    const j = i + dir;
    if (i < 0 || j < 0 || j >= r.length) return;
    [r[i], r[j]] = [r[j]!, r[i]!];
    this.set({ ranking: r });
  }

  rate(responseId: string, criterion: string, value: number): boolean {
    const c = this.config.rubric.find((x) => x.name === criterion);
    if (!c || value < c.min || value > c.max || !Number.isInteger(value)) return false;
    const ratings = {
      ...this.value.ratings,
      [responseId]: { ...this.value.ratings[responseId], [criterion]: value },
    };
    this.set({ ratings });
    return true;
  }

  setJustification(text: string): void {
    this.set({ justification: text.slice(0, 10_000) });
  }

  /** Rate the cell under the cursor and move to the next one (down the rubric, then across). */
  rateAtCursor(value: number): boolean {
    const { r, c } = this.session.get().cell;
    const resp = this.responses[r];
    const crit = this.config.rubric[c];
    if (!resp || !crit || !this.rate(resp.id, crit.name, value)) return false;
    this.moveCursor(1);
    return true;
  }

  moveCursor(dir: -1 | 1): void {
    const n = this.config.rubric.length;
    if (n === 0) return;
    const { r, c } = this.session.get().cell;
    let flat = r * n + c + dir;
    const total = this.responses.length * n;
    flat = Math.max(0, Math.min(total - 1, flat));
    this.session.set({ cell: { r: Math.floor(flat / n), c: flat % n } });
  }

  /** What is still missing before the judgement is complete (shown, never blocking). */
  missing(): string[] {
    const v = this.value;
    const out: string[] = [];
    if (!v.choice && !v.tie) out.push('pick the better response or a tie');
    const unrated = this.responses.filter((r) =>
      this.config.rubric.some((c) => v.ratings[r.id]?.[c.name] === undefined),
    );
    if (unrated.length > 0)
      out.push(`rate ${unrated.map((r) => responseLetter(this.responses.indexOf(r))).join(', ')}`);
    if (!v.justification.trim()) out.push('write a justification');
    return out;
  }

  private set(patch: Partial<ComparisonResult>): void {
    const before = this.value;
    this.store.apply({ added: [], removed: [], updated: [[before, { ...before, ...patch }]] });
  }
}
