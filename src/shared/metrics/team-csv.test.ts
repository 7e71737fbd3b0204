import { describe, expect, it } from 'vitest';
import type { TeamMember, TeamMetrics } from '../sync';
import { teamMember } from '../sync/test-helpers';
import { TEAM_CSV_HEADER, teamLabelNames, teamTableCsv } from './team-csv';

const member = (userId: string, name: string): TeamMember =>
  teamMember(userId, {
    name,
    submitted: 2,
    activeMs: 3_600_000,
    spans: 3,
    tasksPerActiveHour: 2,
    medianActiveSec: 10,
    p90ActiveSec: 12,
    skipRate: 0,
  });

describe('team table CSV', () => {
  const m: TeamMetrics = {
    projectId: 'p',
    from: 0,
    to: 1,
    members: [member('a', 'Ann'), member('b', 'Bob')],
    daily: [],
    labels: [
      { userId: 'a', label: 'person', count: 2 },
      { userId: 'a', label: 'car', count: 1 },
      { userId: 'b', label: '=cmd', count: 4 },
    ],
    qualityAsOf: null,
  };
  it('adds one column per label, a count per annotator (0 when none), names guarded', () => {
    expect(teamLabelNames(m)).toEqual(['=cmd', 'car', 'person']);
    const [header, ann, bob] = teamTableCsv(m).split('\r\n');
    expect(header).toBe([...TEAM_CSV_HEADER, 'label:=cmd', 'label:car', 'label:person'].join(','));
    expect(ann!.endsWith(',0,0,1,2')).toBe(true);
    expect(bob!.endsWith(',0,4,0,0')).toBe(true);
  });
  it('has no label columns when nothing was labelled', () => {
    expect(teamTableCsv({ ...m, labels: [] }).split('\r\n')[0]).toBe(TEAM_CSV_HEADER.join(','));
  });
});
