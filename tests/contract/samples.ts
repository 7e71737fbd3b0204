/** What a sample may use: a task id that exists in the core under test. */
export interface SampleContext {
  taskId: string;
}

const annotation = { results: [], activeMs: 1200 };

/**
 * One valid input per contract method, in an order that makes sense against a real workbench.
 * A method added to the contract must get a sample here: the suite fails until it does. (Typed
 * loosely so a method can land in the contract and here in either order.)
 */
export const samples: Record<string, (ctx: SampleContext) => unknown> = {
  'app.info': () => ({}),
  'projects.list': () => ({}),
  'tasks.list': () => ({ limit: 5 }),
  'tasks.claimNext': () => ({}),
  'tasks.open': ({ taskId }) => ({ taskId }),
  'tasks.saveDraft': ({ taskId }) => ({ taskId, annotation }),
  'tasks.submit': ({ taskId }) => ({ taskId, annotation }),
  'tasks.reopen': ({ taskId }) => ({ taskId }),
  'tasks.skip': ({ taskId }) => ({ taskId, reason: 'contract suite' }),
  'tasks.history': () => ({ limit: 10 }),
  'queue.counts': () => ({}),
  'activity.report': () => ({ window: 'w1', signals: [{ kind: 'focus' }, { kind: 'input', ago: 5 }] }),
  'metrics.local': () => ({ days: 7, tzOffset: 0 }),
  'sync.state': () => ({}),
  // Port 9 (discard) on loopback: refused at once, so sign-in answers OFFLINE without a hub.
  'sync.signIn': () => ({ hubUrl: 'http://127.0.0.1:9', token: 'contract-suite' }),
  'sync.now': () => ({}),
  'tasks.getMore': () => ({ count: 1 }),
  'tasks.hubProjects': () => ({}),
  'tasks.release': ({ taskId }) => ({ taskId }),
  'tasks.resubmitRefused': ({ taskId }) => ({ taskId }),
  'tasks.discardRefused': ({ taskId }) => ({ taskId }),
  'tasks.exportSubmission': ({ taskId }) => ({ taskId }),
  // A task with no hub image: a clean answer (unavailable), nothing fetched.
  'tasks.refetchImage': ({ taskId }) => ({ taskId }),
  'sync.signOut': () => ({}),
  'sync.networkChanged': () => ({ online: true }),
  'workspaces.list': () => ({}),
  'workspaces.switch': () => ({ workspaceId: 'local' }),
  // No such workspace: a clean NOT_FOUND on the real workbench (nothing is deleted by the suite).
  'workspaces.signOut': () => ({ workspaceId: 'hub-nowhere' }),
  // Review: signed out, so the hub's methods answer OFFLINE and the local ones NOT_FOUND or empty.
  'review.roles': () => ({}),
  'review.lease': () => ({ projectId: 'p', count: 1 }),
  'review.list': () => ({ limit: 5 }),
  'review.open': () => ({ submissionId: 'no-such-submission' }),
  'review.next': () => ({}),
  'review.saveDraft': () => ({ submissionId: 'no-such-submission', draft: { comments: [] } }),
  'review.accept': () => ({ submissionId: 'no-such-submission' }),
  'review.fix': () => ({ submissionId: 'no-such-submission', annotation }),
  'review.reject': () => ({ submissionId: 'no-such-submission', reason: 'wrong label' }),
  'review.history': ({ taskId }) => ({ taskId }),
  'review.progress': () => ({ projectId: 'p' }),
  'tasks.reviewFeedback': ({ taskId }) => ({ taskId }),
  'quality.report': () => ({ projectId: 'p' }),
  'quality.createLot': () => ({ projectId: 'p', batch: 'week-1', level: 'II', aql: 2.5 }),
  // Signed out: the hub's team figures answer OFFLINE.
  'metrics.team': () => ({ projectId: 'p', from: 0, to: 86_400_000, tzOffset: 0 }),
  'metrics.flags': () => ({ projectId: 'p' }),
  'metrics.teamCsv': () => ({ projectId: 'p', from: 0, to: 86_400_000, tzOffset: 0, kind: 'rows' }),
  'export.sources': () => ({}),
  'export.preview': () => ({ projectId: 'demo-image', options: { format: 'coco', split: [0.8, 0.1, 0.1] } }),
  'export.start': () => ({ projectId: 'demo-image', options: { format: 'jsonl' } }),
  // No export by this id: NOT_FOUND, a domain answer (the export tests run real ones).
  'export.cancel': () => ({ exportId: 'none' }),
  'export.openFolder': () => ({ exportId: 'none' }),
};
