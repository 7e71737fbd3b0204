import { describe, expect, it } from 'vitest';
import { callErrorWords, hubName, signInProblemWords, SyncProblem, syncProblemWords } from './problem-words';

describe('syncProblemWords', () => {
  it('says the refused connection of issue 16.5 in words, with the hub a person recognises', () => {
    expect(syncProblemWords('hub-unreachable', 'http://127.0.0.1:6110')).toBe(
      'The hub at 127.0.0.1:6110 does not answer. Your work is kept here and will be sent when it is back.',
    );
  });

  it('words every problem without protocol jargon, and never says work is on the hub', () => {
    for (const p of SyncProblem.options) {
      const w = syncProblemWords(p, 'https://hub.example.org/');
      expect(w, p).toMatch(/^[A-Z].*\.$/);
      expect(w, p).not.toMatch(/HTTP|ECONN|POST|GET|\/v1\/|\d{3}\b/);
      expect(w, p).not.toMatch(/safe on the hub|synced|delivered/i);
    }
  });

  it('names the hub by host, or "the hub" without an address', () => {
    expect(hubName('https://user:pw@hub.example.org:8443/x?y')).toBe('the hub at hub.example.org:8443');
    expect(hubName(null)).toBe('the hub');
    expect(hubName('not a url')).toBe('the hub at not a url');
  });
});

describe('signInProblemWords', () => {
  it('says what to check, and promises no delivery while not signed in', () => {
    const w = signInProblemWords('hub-unreachable', 'http://127.0.0.1:9');
    expect(w).toBe(
      'The hub at 127.0.0.1:9 does not answer. Check the address and that the hub is running; your work stays on this computer.',
    );
    expect(signInProblemWords('token-refused', null)).toContain('did not accept this access token');
  });
});

describe('callErrorWords', () => {
  it('keeps words worded at the source and puts the technical line apart', () => {
    const e = callErrorWords('tasks.getMore', {
      code: 'OFFLINE',
      message: syncProblemWords('hub-unreachable', 'http://127.0.0.1:6110'),
      detail: 'getting more tasks: POST /v1/leases: connect ECONNREFUSED 127.0.0.1:6110',
    });
    expect(e.words).toBe(
      'Could not get more tasks. The hub at 127.0.0.1:6110 does not answer. Your work is kept here and will be sent when it is back.',
    );
    expect(e.detail).toContain('ECONNREFUSED');
  });

  it('words a bare code and moves its message to the detail', () => {
    const e = callErrorWords('queue.counts', {
      code: 'INTERNAL',
      message: 'SQLITE_BUSY: database is locked',
    });
    expect(e.words).toBe(
      'Could not count the tasks. Something went wrong inside the workbench. Work you saved before is kept.',
    );
    expect(e.detail).toBe('queue.counts: INTERNAL: SQLITE_BUSY: database is locked');
  });

  it("keeps a service's own words for conflicts and invalid input", () => {
    expect(
      callErrorWords('tasks.release', {
        code: 'CONFLICT',
        message: 'task "a" is submitted; only unfinished tasks can be released',
      }).words,
    ).toBe('Could not release the task. Task "a" is submitted; only unfinished tasks can be released.');
  });
});
