import { z } from 'zod';

/**
 * What the workbench's records say about a task's last finished action (submit, skip, release)
 * on its way to the hub: read from the outbox (a row there = not answered yet) and the hub's
 * per-mutation answers kept in `sync_conflicts` (a flagged conflict or a refusal, until the person
 * acts on it). `describeDelivery` is the one place that turns it into a state and words; the
 * queue list, the task header, the status bar and the sync dialog all show what it says.
 */
export const DeliveryRecord = z.object({
  /** The task came from a hub (it has a hub lease epoch); false: local-only work. */
  fromHub: z.boolean(),
  /** Kind of the newest outbox row for the task, if any: sent or not, the hub has not answered. */
  waiting: z.enum(['submit', 'skip', 'release']).nullable(),
  /** The hub's newest answer that needs the person (open until they act on it). */
  answer: z
    .object({
      mutationId: z.string(),
      kind: z.enum(['conflict', 'rejected']),
      mutationKind: z.enum(['submit', 'skip', 'release']),
      /** The hub's reason code for a refusal (NOT_FOUND, STALE_LEASE, …). */
      reason: z.string().nullable(),
      at: z.number().int(),
      /** Closed by the person (discarded, resubmitted); open answers are null. */
      resolution: z.enum(['discarded', 'resubmitted']).nullable(),
    })
    .nullable(),
});
export type DeliveryRecord = z.infer<typeof DeliveryRecord>;

export type DeliveryState = 'local' | 'open' | 'waiting' | 'delivered' | 'flagged' | 'refused' | 'discarded';
export type DeliveryTone = 'muted' | 'busy' | 'ok' | 'warn' | 'danger';

export type DeliveryWords = {
  state: DeliveryState;
  /** A few words for a pill: "Waiting to send", "Refused by the hub". */
  label: string;
  /** One or two sentences: what happened and, for a refusal, what the person can do. */
  detail: string;
  tone: DeliveryTone;
};

/** A hub refusal code in words a person understands. */
export const refusalInWords = (reason: string | null, kind: 'submit' | 'skip' | 'release'): string => {
  const what = kind === 'submit' ? 'this submission' : kind === 'skip' ? 'this skip' : 'this release';
  switch (reason) {
    case 'NOT_FOUND':
      return `The hub no longer has this task (it was removed, or the project changed), so it refused ${what}.`;
    case 'STALE_LEASE':
      return `Your lease on this task had already ended (the task was finished, released or leased again), so the hub refused ${what}${kind === 'submit' ? '' : ' and still counts what it had before'}.`;
    case 'NO_LEASE':
      return `You no longer held this task's lease when ${what} arrived (it expired or went to someone else), so the hub refused it.`;
    case 'FORBIDDEN':
      return `Your account may no longer work on this task's project, so the hub refused ${what}.`;
    case 'SEQ_REUSED':
      return `The hub had already taken a different change under the same number from this workbench, so it refused ${what}.`;
    default:
      return `The hub refused ${what}${reason ? ` (${reason})` : ''}.`;
  }
};

const WHAT_TO_DO =
  'It is not on any hub: only this computer has it. You can resubmit it under a new lease, export it to a file, or discard it.';

/**
 * The delivery state of a task's last finished action, with its words. `status` is the task's
 * local status: open tasks have nothing on the way unless a refusal is still waiting for the person.
 */
export const describeDelivery = (
  r: DeliveryRecord,
  status: 'queued' | 'in_progress' | 'submitted' | 'skipped',
): DeliveryWords => {
  // Local-only work goes to no hub: its outbox rows only keep the client's sequence dense (sent
  // as content-free fillers, if ever), so "waiting to send" would be a promise nothing keeps.
  if (!r.fromHub)
    return {
      state: 'local',
      label: status === 'submitted' ? 'Submitted here' : status === 'skipped' ? 'Skipped here' : 'Local only',
      detail: 'Local-only work: it is stored on this computer and is not sent to any hub.',
      tone: 'muted',
    };
  if (r.waiting !== null) {
    const what = r.waiting === 'submit' ? 'submission' : r.waiting;
    return {
      state: 'waiting',
      label: 'Waiting to send',
      detail: `This ${what} is kept on this computer and will be sent when the hub answers.`,
      tone: 'busy',
    };
  }
  if (r.answer?.kind === 'rejected' && r.answer.resolution === 'discarded') {
    const kind = r.answer.mutationKind;
    return {
      state: 'discarded',
      label: kind === 'submit' ? 'Refused, discarded' : `${kind === 'skip' ? 'Skip' : 'Release'} refused`,
      detail: `${refusalInWords(r.answer.reason, kind)} You discarded it: it is on no hub, only in this computer's history.`,
      tone: 'muted',
    };
  }
  if (r.answer?.kind === 'rejected' && r.answer.resolution === null) {
    const kind = r.answer.mutationKind;
    return {
      state: 'refused',
      label: kind === 'submit' ? 'Refused by the hub' : `${kind === 'skip' ? 'Skip' : 'Release'} refused`,
      detail:
        refusalInWords(r.answer.reason, kind) +
        (kind === 'submit'
          ? ` ${WHAT_TO_DO}`
          : ' Reopen the task to submit it again, or discard the refusal.'),
      tone: 'danger',
    };
  }
  if (status === 'queued' || status === 'in_progress')
    return {
      state: 'open',
      label: 'Not sent yet',
      detail: 'Nothing of this task has been sent yet.',
      tone: 'muted',
    };
  if (r.answer?.kind === 'conflict' && r.answer.resolution === null)
    return {
      state: 'flagged',
      label: 'Delivered, flagged',
      detail:
        'The hub kept this work but flagged it: the task had been given to someone else (or the lease had ended) before it arrived. A reviewer will decide; nothing was thrown away.',
      tone: 'warn',
    };
  return {
    state: 'delivered',
    label: status === 'submitted' ? 'Delivered' : status === 'skipped' ? 'Skip delivered' : 'Delivered',
    detail: 'The hub has stored this for good.',
    tone: 'ok',
  };
};

/** The record of local-only work with nothing on the way (fixtures, local tasks). */
export const LOCAL_DELIVERY: DeliveryRecord = Object.freeze({ fromHub: false, waiting: null, answer: null });
