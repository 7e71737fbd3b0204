/**
 * Wire protocol version. Clients send it in the `outrigger-protocol` header; the hub answers
 * VERSION_MISMATCH (400) when the major part differs. Minor bumps are additive only.
 * 1.1 (both landed together, never released apart): delta pulls (`leases=delta`, see PullQuery;
 *   a 1.0 peer on either side gets 1.0 answers); batches, review policy, review leases, verdict
 *   mutations, review feed events.
 */
export const PROTOCOL_VERSION = '1.1';
export const PROTOCOL_HEADER = 'outrigger-protocol';
/** The version that brought review (verdict kinds, review feed events): the one place to say so. */
export const REVIEW_SINCE = '1.1';

const parse = (version: string): [number, number] | undefined => {
  const m = /^(\d+)\.(\d+)$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
};

export const protocolMajor = (version: string): number | undefined => parse(version)?.[0];

/** True when a peer speaking `version` can talk to this build. */
export const isCompatibleVersion = (version: string): boolean =>
  protocolMajor(version) === protocolMajor(PROTOCOL_VERSION);

/** True when `version` is `since` or a later minor of the same major. */
export const versionAtLeast = (version: string, since: string): boolean => {
  const v = parse(version);
  const need = parse(since);
  return v !== undefined && need !== undefined && v[0] === need[0] && v[1] >= need[1];
};

/** The protocol version that introduced each mutation kind (an older hub refuses the kind). */
export const MUTATION_KIND_SINCE: Record<string, string> = {
  submit: '1.0',
  skip: '1.0',
  release: '1.0',
  'review.accept': REVIEW_SINCE,
  'review.fix': REVIEW_SINCE,
  'review.reject': REVIEW_SINCE,
};

/**
 * Why a hub speaking `hubVersion` (its `outrigger-protocol` answer header, or /v1/health)
 * cannot take a mutation of `kind`, or undefined when it can. Clients check before pushing, so
 * a verdict meant for an older hub is held back with this message instead of failing the batch.
 */
export const unsupportedMutationKind = (hubVersion: string, kind: string): string | undefined => {
  const since = MUTATION_KIND_SINCE[kind];
  if (since === undefined) return `"${kind}" is not a mutation kind of protocol ${PROTOCOL_VERSION}`;
  if (!parse(hubVersion)) return `the hub's protocol version "${hubVersion}" is unreadable`;
  if (!versionAtLeast(hubVersion, since))
    return `the hub speaks protocol ${hubVersion}; "${kind}" needs ${since} or newer — update the hub`;
  return undefined;
};
