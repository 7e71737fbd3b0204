import { ActionTable, type KeyAction } from '../core/keymap';
import { type ComparisonModel, responseLetter } from './comparison-model';

/** What the comparison editor's actions run on. */
export interface ComparisonKeyContext {
  model: ComparisonModel;
  focusJustification(): void;
  submit(): void;
}

type Action = KeyAction<ComparisonKeyContext>;

/** Letters J and T are the justification and tie keys, so responses J and T are picked by click. */
const RESERVED = new Set(['J', 'T']);

/** The comparison editor's one table (key handler, tooltips, cheat sheet) for `n` responses. */
export const comparisonKeys = (n: number): ActionTable<ComparisonKeyContext> => {
  const pick: Action[] = [];
  const rank: Action[] = [];
  for (let i = 0; i < Math.min(n, 26); i++) {
    const letter = responseLetter(i);
    if (RESERVED.has(letter)) continue;
    pick.push({
      id: `choose:${letter}`,
      keys: [letter.toLowerCase()],
      label: `${letter} is better`,
      group: 'Decide',
      run: ({ model }) => model.choose(model.responses[i]!.id),
    });
    rank.push({
      id: `rank-up:${letter}`,
      keys: [`shift+${letter.toLowerCase()}`],
      label: `Move ${letter} up the ranking`,
      group: 'Ranking',
      run: ({ model }) => model.moveRank(model.responses[i]!.id, -1),
    });
  }
  const digits = Array.from({ length: 10 }, (_, d) => `${d}`);
  return new ActionTable<ComparisonKeyContext>([
    {
      id: 'undo',
      keys: ['ctrl+z'],
      label: 'Undo',
      group: 'Edit',
      run: ({ model }) => void model.history.undo(),
    },
    {
      id: 'redo',
      keys: ['ctrl+shift+z', 'ctrl+y'],
      label: 'Redo',
      group: 'Edit',
      run: ({ model }) => void model.history.redo(),
    },
    ...pick,
    { id: 'tie', keys: ['t'], label: 'Tie', group: 'Decide', run: ({ model }) => model.setTie() },
    {
      id: 'rate',
      keys: digits,
      caps: ['0–9'],
      label: 'Rate the highlighted cell, move to the next',
      group: 'Rubric',
      run: ({ model }, e) =>
        model.rateAtCursor(Number(/^(?:Digit|Numpad)([0-9])$/.exec(e.code ?? '')?.[1] ?? e.key)),
    },
    {
      id: 'prev-cell',
      keys: ['['],
      label: 'Previous rating cell',
      group: 'Rubric',
      repeat: true,
      run: ({ model }) => model.moveCursor(-1),
    },
    {
      id: 'next-cell',
      keys: [']'],
      label: 'Next rating cell',
      group: 'Rubric',
      repeat: true,
      run: ({ model }) => model.moveCursor(1),
    },
    ...rank,
    {
      id: 'justify',
      keys: ['j'],
      label: 'Write the justification (Esc leaves the field)',
      group: 'Decide',
      run: (c) => c.focusJustification(),
    },
    {
      id: 'submit-from-field',
      keys: ['ctrl+enter'],
      label: 'Submit, also from the justification',
      group: 'Decide',
      inFields: true,
      run: (c) => c.submit(),
    },
  ]);
};
