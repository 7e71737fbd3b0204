import type { ApiClient, AppErrorShape, TaskView } from '../../../../shared/contract';
import { emptyAnnotation, type Annotation } from '../../../../shared/model';
import { Autosaver, type SaveState } from './autosave';

const isFinished = (status: TaskView['status']) => status === 'submitted' || status === 'skipped';

/** What finishing a task led to: move on, or stay (the error was reported). */
export type Outcome = 'done' | 'failed';

export interface SessionSnapshot {
  view: TaskView;
  saveState: SaveState;
}

type ErrorReporter = (what: string, error: AppErrorShape) => void;

/**
 * One open task, framework-free: the annotation to restore, debounced autosave, and submit /
 * skip / leave (active time is recorded by the core from presence signals). A finished task opened from history is reopened (`tasks.reopen`) only
 * once the person changes it, so browsing history changes nothing.
 */
export class TaskSession {
  readonly initial: Annotation;
  private snapshot: SessionSnapshot;
  private latest: Annotation;
  private dirty = false;
  private busy = false;
  private draftFailing = false;
  private reopening: Promise<boolean> | null = null;
  private readonly saver: Autosaver<Annotation>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly api: ApiClient,
    opened: TaskView,
    private readonly report: ErrorReporter,
    /** Awaited before a submit or skip: the presence signals so far reach the core first. */
    private readonly beforeFinish: () => Promise<void> = () => Promise.resolve(),
    autosaveMs = 300,
  ) {
    this.initial = opened.draft?.annotation ?? opened.submitted ?? emptyAnnotation();
    this.latest = this.initial;
    this.snapshot = { view: opened, saveState: 'idle' };
    this.saver = new Autosaver(
      (a) => this.saveDraft(a),
      autosaveMs,
      (saveState) => this.set({ saveState }),
    );
  }

  private get taskId(): string {
    return this.snapshot.view.task.id;
  }

  private get status(): TaskView['status'] {
    return this.snapshot.view.status;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** The latest annotation (what the editor last reported, else the restored one). */
  get annotation(): Annotation {
    return this.latest;
  }

  change = (annotation: Annotation): void => {
    this.latest = annotation;
    this.dirty = true;
    this.saver.change(annotation);
  };

  submit = (): Promise<Outcome> =>
    this.exclusive(async () => {
      // An unchanged finished task has nothing new to send: Enter just moves on.
      if (isFinished(this.status) && !this.dirty) return 'done';
      // The submission carries the latest annotation, so a pending draft save is moot; one in
      // flight must land first, or it could arrive after the submit.
      this.saver.cancel();
      await this.saver.settled();
      if (!(await this.ensureEditable())) return 'failed';
      await this.beforeFinish();
      // Active and wall time are the core's (recorded from presence signals), not ours.
      const r = await this.api.call('tasks.submit', { taskId: this.taskId, annotation: this.latest });
      if (!r.ok) {
        this.report('Not submitted', r.error);
        this.saver.change(this.latest); // keep the work as a draft
        return 'failed';
      }
      this.dirty = false;
      this.setStatus('submitted');
      return 'done';
    });

  skip = (): Promise<Outcome> =>
    this.exclusive(async () => {
      if (isFinished(this.status) && !this.dirty) return 'done';
      // The draft is kept, so work done before skipping is there when the task comes back.
      if (this.dirty && !(await this.saver.flush())) return 'failed';
      if (!(await this.ensureEditable())) return 'failed';
      await this.beforeFinish();
      const r = await this.api.call('tasks.skip', { taskId: this.taskId });
      if (!r.ok) {
        this.report('Not skipped', r.error);
        return 'failed';
      }
      this.setStatus('skipped');
      return 'done';
    });

  /** Before leaving for another task or the queue: the pending draft is saved first. */
  leave = (): Promise<Outcome> =>
    this.exclusive(async () => ((await this.saver.flush()) ? 'done' : 'failed'));

  /** A finishing action is under way (a second one now would be refused). */
  get finishing(): boolean {
    return this.busy;
  }

  /** Whether the person changed the task since it was opened (or last submitted). */
  get changed(): boolean {
    return this.dirty;
  }

  /**
   * The core's fresh view of the task opened from its prepared copy (the claim's answer): status,
   * lease and delivery are taken from it; the annotation stays the one the editor was given.
   */
  adopt(view: TaskView): void {
    // Finished here meanwhile (Enter pressed again before the answer): this task's state is newer.
    if (view === this.snapshot.view || view.task.id !== this.taskId || isFinished(this.status)) return;
    this.set({ view });
  }

  /** Saves whatever is pending (on unmount or page hide); nothing to wait for. */
  flush = (): void => void this.saver.flush();

  private async saveDraft(a: Annotation): Promise<boolean> {
    if (!(await this.ensureEditable())) return false;
    const r = await this.api.call('tasks.saveDraft', { taskId: this.taskId, annotation: a });
    if (!r.ok) {
      // Retries repeat the failure: say it once per streak, not on every retry.
      if (!this.draftFailing) this.report('Draft not saved (retrying)', r.error);
      this.draftFailing = true;
      return false;
    }
    this.draftFailing = false;
    // The core starts a queued task on its first draft.
    if (this.status === 'queued') this.setStatus('in_progress');
    return true;
  }

  /**
   * Reads the task's delivery record again (a sync answered its submission while it is open:
   * refused, flagged, delivered), so the header says what the hub did. Only the record changes:
   * the annotation on screen and the status the session keeps are left alone.
   */
  async refreshDelivery(): Promise<void> {
    const r = await this.api.call('tasks.open', { taskId: this.taskId });
    if (!r.ok || r.value.task.id !== this.taskId) return;
    this.set({ view: { ...this.snapshot.view, delivery: r.value.delivery } });
  }

  private ensureEditable(): Promise<boolean> {
    if (!isFinished(this.status)) return Promise.resolve(true);
    this.reopening ??= this.api.call('tasks.reopen', { taskId: this.taskId }).then((r) => {
      this.reopening = null;
      if (!r.ok) {
        this.report('Could not reopen the task', r.error);
        return false;
      }
      this.set({ view: r.value });
      return true;
    });
    return this.reopening;
  }

  /** One finishing action at a time: a held or doubled key never submits twice. */
  private async exclusive(fn: () => Promise<Outcome>): Promise<Outcome> {
    if (this.busy) return 'failed';
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private setStatus(status: TaskView['status']): void {
    this.set({ view: { ...this.snapshot.view, status } });
  }

  private set(patch: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }
}
