import sjson from 'secure-json-parse';
import type { z } from 'zod';
import { Annotation } from '../../shared/model';
import { PushEnvelope, type Mutation } from '../../shared/sync';
import type { MutationHead, PushBatch } from '../storage/types';
import { annotationSpans } from './annotation-spans';
import { MAX_ANNOTATION_CHARS, MAX_ANNOTATION_DEPTH, tooDeepAt } from './nesting';

/**
 * Decoding a push body in two steps, so the hub can start applying a batch before its
 * annotations (nine tenths of the bytes) are checked:
 *   1. `decodeEnvelope`: parse the JSON once and check everything but the annotations;
 *   2. `encodeAnnotations`: check each annotation against the shared `Annotation` schema; the
 *      text the hub stores is the client's own bytes of it (annotation-spans.ts) — fields this
 *      hub's schema does not know (a newer client's) are kept verbatim, and never read here.
 * Both run in a worker thread on a served hub (decoder.ts), or inline.
 */

/** Bad input, naming the field the way the rest of the hub's 400s do (`body.mutations.3.seq`). */
export class PushDecodeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'PushDecodeError';
  }
}

export interface DecodedEnvelope {
  clientId: string;
  heads: MutationHead[];
  /** By mutation index: a submit's annotation as parsed, not yet checked; undefined otherwise. */
  annotations: unknown[];
  /** The body's JSON text, where the annotations' own bytes are found. */
  source: string;
}

const problem = (
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly (string | number)[],
): PushDecodeError => {
  const issue = issues[0];
  const field = ['body', ...prefix, ...(issue?.path ?? [])].map(String).join('.');
  return new PushDecodeError(field, `${field}: ${issue?.message ?? 'invalid'}`);
};

/** Parses the body's text (JSON; `__proto__` keys refused, as Fastify's own parser does). */
const parseJson = (text: string): unknown => {
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'ignore' });
  } catch (e) {
    throw new PushDecodeError('body', `body: ${e instanceof Error ? e.message : 'not JSON'}`);
  }
};

type AnyMutation = PushEnvelope['mutations'][number] | Mutation;

const headOf = (m: AnyMutation, at: number): MutationHead => {
  const head: MutationHead = {
    at,
    mutationId: m.mutationId,
    clientId: m.clientId,
    seq: m.seq,
    kind: m.kind,
    taskId: m.taskId,
    leaseEpoch: m.leaseEpoch,
  };
  if (m.kind === 'submit' && m.payload.submittedAt !== undefined) head.submittedAt = m.payload.submittedAt;
  if (m.kind === 'review.accept' || m.kind === 'review.fix' || m.kind === 'review.reject') {
    const p = m.payload;
    head.verdict = { submissionId: p.submissionId, comments: p.comments, activeMs: p.activeMs };
    if ('reason' in p) head.verdict.reason = p.reason;
    if ('note' in p && p.note !== undefined) head.verdict.note = p.note;
  }
  return head;
};

export const decodeEnvelope = (body: Uint8Array | string): DecodedEnvelope => {
  const source =
    typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const r = PushEnvelope.safeParse(parseJson(source));
  if (!r.success) throw problem(r.error.issues, []);
  const annotations: unknown[] = [];
  const heads = r.data.mutations.map((m, at) => {
    if (m.kind === 'submit' || m.kind === 'review.fix') annotations[at] = m.payload.annotation;
    return headOf(m, at);
  });
  return { clientId: r.data.clientId, heads, annotations, source };
};

/**
 * Checks each annotation and returns the JSON text to store for it (by the same index): its
 * bytes in `source` (the body it was parsed from) when found there, else the checked copy
 * serialized.
 */
export const encodeAnnotations = (
  annotations: readonly unknown[],
  source: string,
): (string | undefined)[] => {
  const out = new Array<string | undefined>(annotations.length);
  const spans = annotationSpans(source);
  for (let at = 0; at < annotations.length; at++) {
    if (!(at in annotations)) continue;
    const where = ['mutations', at, 'payload', 'annotation'];
    // Fields this hub does not know are stored verbatim, so their depth is bounded here.
    const deep = tooDeepAt(annotations[at], MAX_ANNOTATION_DEPTH);
    if (deep) {
      const field = ['body', ...where, ...deep].join('.');
      throw new PushDecodeError(field, `${field}: nested deeper than ${MAX_ANNOTATION_DEPTH} levels`);
    }
    const r = Annotation.safeParse(annotations[at]);
    if (!r.success) throw problem(r.error.issues, where);
    const span = spans.get(at);
    const text = span ? source.slice(span[0], span[1]) : JSON.stringify(r.data);
    if (text.length > MAX_ANNOTATION_CHARS) {
      const field = ['body', ...where].join('.');
      throw new PushDecodeError(
        field,
        `${field}: ${text.length} characters of JSON, more than the ${MAX_ANNOTATION_CHARS} one annotation may take`,
      );
    }
    out[at] = text;
  }
  return out;
};

/** A push of already-parsed mutations as storage takes it (tests, in-process callers). */
export const pushBatchOf = (req: {
  userId: string;
  clientId: string;
  mutations: readonly Mutation[];
}): PushBatch => {
  const texts: (string | undefined)[] = [];
  const heads = req.mutations.map((m, at) => {
    if (m.kind === 'submit' || m.kind === 'review.fix') texts[at] = JSON.stringify(m.payload.annotation);
    return headOf(m, at);
  });
  return {
    userId: req.userId,
    clientId: req.clientId,
    mutations: heads,
    annotations: Promise.resolve(texts),
  };
};
