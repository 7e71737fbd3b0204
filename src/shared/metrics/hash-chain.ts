/**
 * The activity log as a hash chain (issue 13.3). Each link holds its sequence number, the hash of
 * the link before and its event; its own hash is SHA-256 over the canonical JSON of
 * { seq, prevHash, event }. A chain starts from a genesis hash derived from its chain id (one per
 * device), so links of one chain cannot be passed off as another's. Verifying a batch against the
 * head already held (the last seq and hash the verifier has) detects an edited, removed,
 * reordered or inserted event, and any rewrite of what was already handed over.
 *
 * SHA-256 is @noble/hashes' (pure JS, synchronous, audited): the same bytes on Node and in the
 * browser, with no node:crypto or WebCrypto.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

/** Where a chain stands: the last link's seq and hash (seq 0 and the genesis hash when empty). */
export const ChainHead = z.object({ seq: z.number().int().nonnegative(), hash: Sha256Hex });
export type ChainHead = z.infer<typeof ChainHead>;

export interface ChainLink<T> {
  /** 1 for the first event of the chain, then +1 per event. */
  seq: number;
  prevHash: string;
  hash: string;
  event: T;
}

/** zod schema of a link holding events of `event`'s schema (for the outbox and the hub's push route). */
export const chainLinkSchema = <S extends z.ZodType>(event: S) =>
  z.object({ seq: z.number().int().positive(), prevHash: Sha256Hex, hash: Sha256Hex, event });

export const sha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));

/** The head of an empty chain: seq 0 and a hash that names the chain. */
export const genesisHead = (chainId: string): ChainHead => ({
  seq: 0,
  hash: sha256Hex(`outrigger-activity-chain\u0000${chainId}`),
});

export const linkHash = (seq: number, prevHash: string, event: unknown): string =>
  sha256Hex(canonicalJson({ seq, prevHash, event }));

/** The next link after `head`, and the new head. */
export const appendLink = <T>(head: ChainHead, event: T): { link: ChainLink<T>; head: ChainHead } => {
  const seq = head.seq + 1;
  const hash = linkHash(seq, head.hash, event);
  return { link: { seq, prevHash: head.hash, hash, event }, head: { seq, hash } };
};

export const appendLinks = <T>(
  head: ChainHead,
  events: readonly T[],
): { links: ChainLink<T>[]; head: ChainHead } => {
  const links: ChainLink<T>[] = [];
  let h = head;
  for (const e of events) {
    const r = appendLink(h, e);
    links.push(r.link);
    h = r.head;
  }
  return { links, head: h };
};

export type ChainBreak =
  /** The link's seq is not the one after the previous: an event removed, inserted or moved. */
  | 'seq'
  /** The link does not point at the previous link's hash (or at the held head). */
  | 'prev'
  /** The link's hash is not the hash of its content: the event was edited. */
  | 'hash';

export type ChainVerdict =
  | { ok: true; head: ChainHead }
  | { ok: false; index: number; seq: number; reason: ChainBreak; message: string; head: ChainHead };

/**
 * Checks `links` as the continuation of `from` (the head the verifier already holds; a new
 * chain's genesisHead). On failure, `index` is the first bad link and `head` the last good one:
 * links before `index` may be kept.
 */
export const verifyChain = <T>(links: readonly ChainLink<T>[], from: ChainHead): ChainVerdict => {
  let head = from;
  for (let i = 0; i < links.length; i++) {
    const l = links[i]!;
    const fail = (reason: ChainBreak, message: string): ChainVerdict => ({
      ok: false,
      index: i,
      seq: l.seq,
      reason,
      message,
      head,
    });
    if (l.seq !== head.seq + 1) return fail('seq', `expected seq ${head.seq + 1}, got ${l.seq}`);
    if (l.prevHash !== head.hash) return fail('prev', `seq ${l.seq} does not follow the link before it`);
    let actual: string;
    try {
      actual = linkHash(l.seq, l.prevHash, l.event);
    } catch (e) {
      return fail('hash', `seq ${l.seq} cannot be hashed: ${(e as Error).message}`);
    }
    if (actual !== l.hash) return fail('hash', `seq ${l.seq} was changed after it was chained`);
    head = { seq: l.seq, hash: l.hash };
  }
  return { ok: true, head };
};
