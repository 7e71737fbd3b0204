import { AppError, methodNames, type MethodName } from '../../src/shared/contract';
import { createDispatcher, EventBus, type Handlers } from '../../src/main/core/dispatch';

const counts = {
  queued: 1,
  inProgress: 0,
  submitted: 0,
  skipped: 0,
  submittedToday: 0,
  skippedToday: 0,
  activeMsToday: 0,
};

/**
 * A small core with canned answers, so transport tests do not need a database. Every handler
 * records its call; a method without a canned answer answers NOT_FOUND (still a Result).
 */
export const createFakeCore = (assetFiles: Record<string, string> = {}) => {
  const events = new EventBus();
  const calls: { method: MethodName; input: unknown }[] = [];
  const canned: Partial<Record<MethodName, (input: never) => Promise<unknown>>> = {
    'app.info': async () => ({ version: '0.0.0', contractVersion: '1.0.0', mode: 'test', dataDir: '/fake' }),
    'projects.list': async () => [],
    'tasks.list': async () => ({ items: [], total: 0 }),
    'tasks.claimNext': async () => null,
    'tasks.saveDraft': async () => ({ savedAt: 1 }),
    'tasks.submit': async () => ({ submissionId: 's1', submittedAt: 2 }),
    'tasks.skip': async () => ({ skippedAt: 3 }),
    'tasks.history': async () => [],
    'queue.counts': async () => counts,
  };
  const handlers = Object.fromEntries(
    methodNames.map((m) => [
      m,
      async (input: never) => {
        calls.push({ method: m, input });
        const answer = canned[m];
        if (!answer) throw new AppError('NOT_FOUND', `the fake core has no ${m}`);
        return answer(input);
      },
    ]),
  ) as unknown as Handlers;
  return {
    dispatch: createDispatcher(handlers),
    events,
    handlers,
    calls,
    power: [] as string[],
    assets: { path: (sha256: string) => assetFiles[sha256] ?? null },
    recordPower(kind: 'suspend' | 'resume') {
      this.power.push(kind);
    },
    close: async () => {},
  };
};
export type FakeCore = ReturnType<typeof createFakeCore>;
