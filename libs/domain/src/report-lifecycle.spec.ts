import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DELIVERY_STATUSES } from './delivery.js';
import { REPORT_STATUSES, type ReportStatus } from './report.js';
import {
  DELIVERY_MOVES,
  REPORT_STATUS_RANK,
  afterDelivered,
  afterFailed,
  afterPlanned,
  deliveryMayMove,
  reportMayAdvance,
} from './report-lifecycle.js';

/** Applies status changes the way the store does: a change is taken only when the lifecycle allows it. */
function follow(start: ReportStatus, changes: readonly ReportStatus[]): ReportStatus[] {
  const seen: ReportStatus[] = [start];
  for (const next of changes) {
    const current = seen[seen.length - 1];
    if (reportMayAdvance(current, next)) seen.push(next);
  }
  return seen;
}

describe('the report lifecycle', () => {
  it('ranks every report status', () => {
    expect(Object.keys(REPORT_STATUS_RANK).sort()).toEqual([...REPORT_STATUSES].sort());
  });

  it('never moves a report back, whatever order the chain reports its statuses in (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REPORT_STATUSES),
        fc.array(fc.constantFrom(...REPORT_STATUSES), { maxLength: 30 }),
        (start, changes) => {
          const path = follow(start, changes);
          for (let i = 1; i < path.length; i += 1) {
            assert.ok(REPORT_STATUS_RANK[path[i]] > REPORT_STATUS_RANK[path[i - 1]]);
          }
          // The end is the highest-ranked status offered that the start allowed.
          const best = Math.max(REPORT_STATUS_RANK[start], ...changes.map((s) => REPORT_STATUS_RANK[s]));
          assert.equal(REPORT_STATUS_RANK[path[path.length - 1]], best);
        },
      ),
    );
  });

  it('takes a status once: a repeated or late status from the chain changes nothing', () => {
    assert.equal(reportMayAdvance('REGISTERED', 'REGISTERED'), false);
    assert.equal(reportMayAdvance('IN_BEHANDELING', 'REGISTERED'), false);
    assert.equal(reportMayAdvance('AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN'), false);
    assert.equal(reportMayAdvance('SENT', 'REJECTED'), false);
    assert.equal(reportMayAdvance('QUEUED', 'REJECTED'), true);
    assert.equal(reportMayAdvance('AFGESLOTEN', 'WITHDRAWN'), true);
    assert.equal(reportMayAdvance('NOT_A_STATUS', 'APPROVED'), true);
  });
});

describe('the delivery lifecycle', () => {
  it('names the moves of every delivery status, and DELIVERED and SKIPPED are final', () => {
    expect(Object.keys(DELIVERY_MOVES).sort()).toEqual([...DELIVERY_STATUSES].sort());
    for (const to of DELIVERY_STATUSES) {
      assert.equal(deliveryMayMove('DELIVERED', to), false);
      assert.equal(deliveryMayMove('SKIPPED', to), false);
    }
    assert.equal(deliveryMayMove('PENDING', 'SENDING'), true);
    assert.equal(deliveryMayMove('PENDING', 'DELIVERED'), false);
    assert.equal(deliveryMayMove('SENDING', 'SENDING'), true, 'an expired lease is claimed again');
    assert.equal(deliveryMayMove('DEAD', 'PENDING'), true, 'a person replays');
  });

  it('every delivery status but the final ones can still reach DELIVERED (property)', () => {
    const reaches = (from: (typeof DELIVERY_STATUSES)[number], seen = new Set<string>()): boolean => {
      if (from === 'DELIVERED') return true;
      seen.add(from);
      return DELIVERY_MOVES[from].some((to) => !seen.has(to) && reaches(to, seen));
    };
    fc.assert(
      fc.property(fc.constantFrom(...DELIVERY_STATUSES.filter((s) => s !== 'SKIPPED')), (status) => {
        assert.ok(reaches(status), status);
      }),
    );
  });
});

describe('what a delivery does to the reports', () => {
  const result = { externalRef: 'DUO-42', status: 'REGISTERED' as const };

  it('a first report takes the answer, and DUO’s report number is kept', () => {
    expect(
      afterDelivered({ reportId: 'r1', operation: 'REGISTER', destination: 'DUO', supersedes: null, result }),
    ).toEqual([
      { kind: 'advance', reportId: 'r1', status: 'REGISTERED', externalRef: 'DUO-42', detail: 'DUO-42' },
    ]);
    const [leerplicht] = afterDelivered({
      reportId: 'r1',
      operation: 'REGISTER',
      destination: 'LEERPLICHT',
      supersedes: null,
      result: { externalRef: 'ref', status: 'SENT' },
    });
    expect(leerplicht).toEqual({
      kind: 'advance',
      reportId: 'r1',
      status: 'SENT',
      externalRef: null,
      detail: null,
    });
  });

  it('a withdrawal withdraws the report it supersedes; a correction notes UPDATED on it', () => {
    const withdrawn = afterDelivered({
      reportId: 'w',
      operation: 'WITHDRAW',
      destination: 'DUO',
      supersedes: 'r1',
      result,
    });
    expect(withdrawn.map((c) => [c.kind, c.reportId, c.status])).toEqual([
      ['advance', 'w', 'REGISTERED'],
      ['advance', 'r1', 'WITHDRAWN'],
    ]);
    assert.equal(withdrawn[0].kind === 'advance' && withdrawn[0].externalRef, null);
    const corrected = afterDelivered({
      reportId: 'c',
      operation: 'UPDATE',
      destination: 'LEERPLICHT',
      supersedes: 'r1',
      result,
    });
    expect(corrected[1]).toEqual({
      kind: 'note',
      reportId: 'r1',
      status: 'UPDATED',
      detail: 'correctie c',
    });
  });

  it('a retry changes nothing; a permanent error rejects; exhausted retries are noted', () => {
    const base = { reportId: 'r1', code: 'DUO_VALIDATION', reason: 'onbekend' };
    expect(afterFailed({ ...base, outcome: 'RETRY_WAIT' })).toEqual([]);
    expect(afterFailed({ ...base, outcome: 'REJECTED' })).toEqual([
      { kind: 'advance', reportId: 'r1', status: 'REJECTED', quiet: true },
      { kind: 'note', reportId: 'r1', status: 'REJECTED', detail: 'DUO_VALIDATION: onbekend' },
    ]);
    expect(afterFailed({ ...base, outcome: 'DEAD' })).toEqual([
      { kind: 'note', reportId: 'r1', status: 'DEAD_LETTERED', detail: 'DUO_VALIDATION: onbekend' },
    ]);
    const long = afterFailed({ ...base, outcome: 'DEAD', reason: 'x'.repeat(5000) });
    assert.equal(long[0].kind === 'note' && long[0].detail?.length, 2000);
  });

  it('only an APPROVED report is planned: QUEUED, or REJECTED with the reason', () => {
    expect(afterPlanned({ reportId: 'r1', status: 'QUEUED' })).toEqual([]);
    expect(afterPlanned({ reportId: 'r1', status: 'APPROVED' }).map((c) => c.status)).toEqual([
      'QUEUED',
      'QUEUED',
    ]);
    const rejected = afterPlanned(
      { reportId: 'r1', status: 'APPROVED' },
      { code: 'NO_ROUTE', reason: 'geen route' },
    );
    expect(rejected[1]).toEqual({
      kind: 'note',
      reportId: 'r1',
      status: 'REJECTED',
      detail: 'NO_ROUTE: geen route',
    });
  });
});
