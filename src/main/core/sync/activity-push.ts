import type { ActivityPushResponse } from '../../../shared/sync';
import type { QueueService } from '../queue/service';
import type { HubApi } from './hub-api';

/** Links a request carries at most, and its raw JSON budget. */
const MAX_LINKS = 200;
const MAX_BYTES = 1024 * 1024;
const HEAD_KEY = 'hub_head_seq';
const BROKEN_KEY = 'hub_broken';

export type ActivityPushReport = { sent: number; broken: ActivityPushResponse['broken'] };

/**
 * Hands the activity chain to the hub after each push (issue 13.3): the links after the head
 * the hub last answered, in order, until it holds them all. Exactly once by the chain itself:
 * the hub skips links it holds (after comparing them) and answers its head, which is stored
 * here as the next starting point. A break the hub reports is kept (`hub_broken`) and stops
 * the hand-over: the lead sees the flag, the annotator's work is unaffected.
 */
export const pushActivity = async (api: HubApi, queue: QueueService): Promise<ActivityPushReport> => {
  const log = queue.activityLog;
  queue.flushActivity();
  const chainId = log.chainId();
  let from = Number(log.meta(HEAD_KEY) ?? '0');
  let sent = 0;
  let restarted = false;
  for (let round = 0; round < 1_000; round++) {
    const links = log.linksAfter(from, MAX_LINKS);
    let bytes = 0;
    const batch = links.filter((l) => (bytes += JSON.stringify(l).length) <= MAX_BYTES || l === links[0]);
    if (batch.length === 0) return { sent, broken: null };
    const res = await api.activity({ chainId, links: batch });
    sent += batch.length;
    const head = res.head.seq;
    queue.transaction(() => {
      log.setMeta(HEAD_KEY, String(head));
      if (res.broken) log.setMeta(BROKEN_KEY, JSON.stringify(res.broken));
    });
    if (res.broken) {
      // The hub holds less than we thought (a new hub): once, start again from its head.
      if (head < from && !restarted) {
        restarted = true;
        from = head;
        continue;
      }
      return { sent, broken: res.broken };
    }
    if (head <= from) return { sent, broken: null };
    from = head;
  }
  return { sent, broken: null };
};
