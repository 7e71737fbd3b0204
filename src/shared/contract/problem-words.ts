import { z } from 'zod';
import type { AppErrorShape } from './result';

/**
 * Why sync (or a call that needed the hub) failed, as a closed set the workbench core picks
 * from and the renderer words. The technical line (the request, the socket error) travels
 * beside it as `detail`, shown one click away.
 */
export const SyncProblem = z.enum([
  /** Refused, no route, name not found: nothing answers at that address. */
  'hub-unreachable',
  /** The hub stopped answering midway (a stalled or very slow link). */
  'hub-timeout',
  /** The connection broke mid-answer. */
  'link-cut',
  /** The operating system says there is no network. */
  'computer-offline',
  /** The hub answered 5xx or 429: overloaded, restarting or failing. */
  'hub-busy',
  /** The hub refused the token (401). */
  'token-refused',
  /** The hub refused this for this account (403). */
  'not-allowed',
  /** The hub answered in a way this version does not understand (or 4xx we did not expect). */
  'hub-incompatible',
  'unknown',
]);
export type SyncProblem = z.infer<typeof SyncProblem>;

/** "127.0.0.1:6110" for a hub URL (what a person recognises), or "the hub" without one. */
export const hubName = (hubUrl: string | null | undefined): string => {
  if (!hubUrl) return 'the hub';
  // No URL global in src/shared (pure, no DOM or node types): the authority by hand.
  const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(hubUrl)?.[1];
  return `the hub at ${host ?? hubUrl}`;
};

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const KEPT = 'Your work is kept here and will be sent when it is back.';

/**
 * One or two sentences: what is wrong and what happens to the person's work (or what they can
 * do). Every sentence here must be true whatever the state: work waiting in the outbox is on
 * this computer, never "safe on the hub".
 */
export const syncProblemWords = (problem: SyncProblem, hubUrl: string | null | undefined): string => {
  const hub = hubName(hubUrl);
  switch (problem) {
    case 'hub-unreachable':
      return `${capital(hub)} does not answer. ${KEPT}`;
    case 'hub-timeout':
      return `${capital(hub)} stopped answering midway: the link is slow or broken. ${KEPT}`;
    case 'link-cut':
      return `The connection to ${hub} broke off. Your work is kept here and will be sent on the next try.`;
    case 'computer-offline':
      return 'This computer is offline. Your work is kept here and will be sent when the network is back.';
    case 'hub-busy':
      return `${capital(hub)} is busy or having trouble. Your work is kept here; the workbench tries again by itself.`;
    case 'token-refused':
      return `${capital(hub)} no longer accepts your sign-in. Sign in again in Sync settings; until then your work is kept here.`;
    case 'not-allowed':
      return `${capital(hub)} does not allow this for your account. Ask the project's lead to check your role.`;
    case 'hub-incompatible':
      return `${capital(hub)} answered in a way this version of the workbench does not understand. Your work is kept here; the hub's admin can tell you which version to use.`;
    case 'unknown':
      return `Sync with ${hub} failed. Your work is kept here; the workbench tries again by itself.`;
  }
};

/**
 * A sign-in that failed: nothing is being sent yet, so the words say what to check instead of
 * promising delivery.
 */
export const signInProblemWords = (problem: SyncProblem, hubUrl: string | null | undefined): string => {
  const hub = hubName(hubUrl);
  switch (problem) {
    case 'hub-unreachable':
    case 'hub-timeout':
    case 'link-cut':
      return `${capital(hub)} does not answer. Check the address and that the hub is running; your work stays on this computer.`;
    case 'token-refused':
      return `${capital(hub)} did not accept this access token. Check it, or ask your team lead for a new one.`;
    default:
      return syncProblemWords(problem, hubUrl);
  }
};

/** What a failed call was trying to do, for the start of its message. */
const ACTIONS: Partial<Record<string, string>> = {
  'tasks.getMore': 'Could not get more tasks',
  'tasks.release': 'Could not release the task',
  'tasks.refetchImage': "Could not fetch the task's image again",
  'tasks.claimNext': 'Could not open the next task',
  'tasks.open': 'Could not open the task',
  'tasks.submit': 'Could not submit',
  'tasks.skip': 'Could not skip',
  'tasks.list': 'Could not list the tasks',
  'tasks.history': 'Could not read your task history',
  'tasks.hubProjects': "Could not list the hub's projects",
  'queue.counts': 'Could not count the tasks',
  'sync.signIn': 'Could not sign in',
  'sync.now': 'Could not sync',
  'quality.report': 'Could not read the quality report',
  'quality.createLot': 'Could not make the lot',
};

/** Words for a code when the error's own message is technical (no `detail` beside it). */
const CODE_WORDS: Record<AppErrorShape['code'], string> = {
  INVALID_INPUT: 'Something in that request was not valid.',
  NOT_FOUND: 'It is no longer here (another window or a sync may have removed it).',
  CONFLICT: 'It changed meanwhile; look again and retry.',
  LEASE_EXPIRED: 'The lease on this task has ended; the hub may give it to someone else.',
  UNAUTHORIZED: 'The sign-in was not accepted.',
  FORBIDDEN: 'Your account is not allowed to do this.',
  UNKNOWN_METHOD: 'This page is older than the workbench behind it. Reload the page.',
  OFFLINE: `The hub does not answer. ${KEPT}`,
  VERSION_MISMATCH: 'This page is older than the workbench behind it. Reload the page.',
  INTERNAL: 'Something went wrong inside the workbench. Work you saved before is kept.',
};

export type PlainError = { words: string; detail: string | null };

/**
 * A failed call in words a person understands, with the technical detail apart. An error that
 * carries `detail` was worded where it happened (its message is the words); otherwise the
 * code is worded here and the message becomes the detail.
 */
export const callErrorWords = (
  method: string,
  e: AppErrorShape,
  /** What the call was for, as the start of the message ("Not submitted"); by method when omitted. */
  action: string | undefined = ACTIONS[method],
): PlainError => {
  const where = e.path ? ` (${e.path})` : '';
  if (e.detail !== undefined) {
    return { words: action ? `${action}. ${e.message}` : e.message, detail: e.detail };
  }
  // Conflicts and invalid input are worded by the services for people already.
  const ownWords = e.code === 'CONFLICT' || e.code === 'INVALID_INPUT';
  const words = ownWords ? `${capital(e.message)}${where}.`.replace(/\.\.$/, '.') : CODE_WORDS[e.code];
  return {
    words: action ? `${action}. ${words}` : words,
    detail: `${method}: ${e.code}: ${e.message}${where}`,
  };
};
