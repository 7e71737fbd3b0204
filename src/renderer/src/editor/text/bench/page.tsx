/**
 * Standalone page for the bench and screenshots: mounts TextEditor or ComparisonEditor with a
 * task built from URL parameters, inside the same layout and theme as the task screen.
 *   ?words=50000&spans=5000   generated long document
 *   ?demo=0..4                a demo text;  ?comparison=0..2  a demo comparison
 *   &predict=1                add predictions;  &theme=dark
 */
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { type Annotation, LabelConfig, LOCAL_DELIVERY, type Prediction } from '../../../../../shared/model';
import type { TaskView } from '../../../../../shared/contract';
import textProject from '../../../../../../resources/demo/text-project.json';
import comparisonProject from '../../../../../../resources/demo/comparison-project.json';
import { SidePanelContext } from '../../../features/task/side-panel';
import { KeyboardProvider } from '../../../features/keyboard/keyboard-context';
import { ComparisonEditor } from '../ComparisonEditor';
import { DEMO_COMPARISONS } from '../demo-comparisons';
import { DEMO_TEXTS } from '../demo-texts';
import { TextEditor } from '../TextEditor';
import { generateDoc } from './generate';
import '../../../styles/app.css';

declare global {
  interface Window {
    __tt: {
      openStart: number;
      openEnd: number;
      annotation: Annotation | null;
      changes: number;
      submits: number;
    };
    __ttStart?: () => void;
  }
}

const q = new URLSearchParams(location.search);
document.documentElement.dataset.theme = q.get('theme') === 'dark' ? 'dark' : 'light';
window.__tt = { openStart: 0, openEnd: 0, annotation: null, changes: 0, submits: 0 };

const cmpIndex = q.get('comparison');
const kind = cmpIndex !== null ? 'comparison' : 'text';
const project = kind === 'comparison' ? comparisonProject : textProject;
let data: TaskView['task']['data'];
let initial: Annotation = { results: [], activeMs: 0 };
let predictions: Prediction[] = [];
if (cmpIndex !== null) {
  const c = DEMO_COMPARISONS[Number(cmpIndex)]!;
  data = { kind: 'comparison', prompt: c.prompt, responses: c.responses };
} else if (q.get('words')) {
  const g = generateDoc(Number(q.get('words')), Number(q.get('spans') ?? 0));
  data = { kind: 'text', text: g.text, title: `${q.get('words')} words` };
  initial = g.annotation;
} else {
  const t = DEMO_TEXTS[Number(q.get('demo') ?? 0)]!;
  data = { kind: 'text', text: t.text, title: t.title };
}
if (q.get('predict') && data.kind === 'text') {
  const chars = [...data.text];
  const find = (w: string) => {
    const at = chars.join('').indexOf(w);
    const start = [...data.text.slice(0, at)].length;
    return { start, end: start + [...w].length };
  };
  const words = data.text.split(/[\s.,()]+/).filter((w) => w.length > 3);
  predictions = [
    {
      model: 'ner-small',
      score: 0.82,
      results: [
        ...words.slice(0, 3).map((w, i) => ({
          type: 'span' as const,
          id: `p${i}`,
          label: i === 0 ? 'PER' : 'ORG',
          ...find(w),
          text: w,
          attributes: {},
          score: [0.92, 0.55, 0.35][i], // spread, so the score threshold has something to hide
        })),
        { type: 'doc-class' as const, id: 'pc', group: 'sentiment', labels: ['positive'] },
      ],
    },
  ];
}

const bigView: TaskView = {
  task: { id: 'bench-1', projectId: 'p', data, predictions, meta: {} },
  project: {
    id: 'p',
    name: project.name,
    kind,
    labelConfig: LabelConfig.parse(project.labelConfig),
    leaseHours: 72,
    overlap: 1,
  },
  status: 'in_progress',
  draft: null,
  submitted: null,
  leaseExpiresAt: null,
  delivery: LOCAL_DELIVERY,
};

/** A small demo task, rendered first with ?warm=1: the app has React and the editor warmed up. */
const warmView: TaskView = {
  ...bigView,
  task: { ...bigView.task, id: 'warm', data: { kind: 'text', text: DEMO_TEXTS[0]!.text }, predictions: [] },
};

let showView: ((v: TaskView) => void) | null = null;

function Shell({ first }: { first: TaskView }) {
  const [view, setView] = useState(first);
  const [panel, setPanel] = useState<HTMLElement | null>(null);
  useEffect(() => {
    showView = setView;
  }, []);
  const Editor = view.task.data.kind === 'comparison' ? ComparisonEditor : TextEditor;
  return (
    <KeyboardProvider>
      <div className="task-body" style={{ height: '100vh' }}>
        <main className="editor-area">
          <SidePanelContext.Provider value={panel}>
            <Editor
              view={view}
              initial={view === bigView ? initial : { results: [], activeMs: 0 }}
              onChange={(a) => {
                window.__tt.annotation = a;
                window.__tt.changes++;
              }}
              onSubmit={() => window.__tt.submits++}
              assetUrl={() => ''}
            />
          </SidePanelContext.Provider>
        </main>
        <aside className="side-panel">
          <div ref={setPanel} />
        </aside>
      </div>
    </KeyboardProvider>
  );
}

const markPainted = (): void => {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      window.__tt.openEnd = performance.now();
    }),
  );
};

const root = createRoot(document.getElementById('root')!);
if (q.get('warm')) {
  // Like opening a task in the running app: the shell and a first task are already on screen.
  root.render(<Shell first={warmView} />);
  window.__ttStart = () => {
    window.__tt.openStart = performance.now();
    flushSync(() => showView!(bigView));
    markPainted();
  };
} else {
  const start = (): void => {
    window.__tt.openStart = performance.now();
    root.render(<Shell first={bigView} />);
    markPainted();
  };
  // With ?defer=1 the bench starts the render itself, so it can read CPU counters around it.
  if (q.get('defer')) window.__ttStart = start;
  else start();
}
