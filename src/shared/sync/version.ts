/**
 * Wire protocol version. Clients send it in the `outrigger-protocol` header; the hub answers
 * VERSION_MISMATCH (400) when the major part differs. Minor bumps are additive only.
 * 1.1: delta pulls (`leases=delta`, see PullQuery); a 1.0 peer on either side gets 1.0 answers.
 */
export const PROTOCOL_VERSION = '1.1';
export const PROTOCOL_HEADER = 'outrigger-protocol';

export const protocolMajor = (version: string): number | undefined => {
  const m = /^(\d+)\.(\d+)$/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
};

/** True when a peer speaking `version` can talk to this build. */
export const isCompatibleVersion = (version: string): boolean =>
  protocolMajor(version) === protocolMajor(PROTOCOL_VERSION);
