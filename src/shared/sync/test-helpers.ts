import type { TeamMember } from './activity';

/** One annotator's row of the team table for tests: nothing done, every figure overridable. */
export const teamMember = (userId: string, over: Partial<TeamMember> = {}): TeamMember => ({
  userId,
  name: userId,
  submitted: 0,
  skipped: 0,
  activeMs: 0,
  regions: 0,
  spans: 0,
  tasksPerActiveHour: null,
  medianActiveSec: null,
  p90ActiveSec: null,
  skipRate: null,
  firstVersionsReviewed: 0,
  firstPassAcceptance: null,
  reviewed: 0,
  reworkRate: null,
  goldTasks: 0,
  goldAccuracy: null,
  agreementTasks: 0,
  agreement: null,
  flags: 0,
  ...over,
});
