import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { IncrementalEvaluator } from '#signals';
import { CALENDAR, NATIONAL, lessons, pupil, rec } from './support.js';

describe('IncrementalEvaluator', () => {
  it('adds, changes and withdraws signals as records arrive, are corrected and deleted', () => {
    const evaluator = new IncrementalEvaluator([pupil(), pupil({ localId: 'other' })], CALENDAR, NATIONAL);
    const monday = lessons('2025-09-08', 1, 8, 'UNAUTHORISED');
    assert.equal(evaluator.apply(monday, '2025-09-08').added.length, 0);
    const tuesday = lessons('2025-09-09', 1, 8, 'UNAUTHORISED');
    const first = evaluator.apply(tuesday, '2025-09-09');
    expect(first.added.map((s) => s.rule).sort()).toEqual(['LPW_16H_4W', 'UNCHECKED_LESSON']);
    // A ninth lesson recorded late on Tuesday changes the evidence, not the report's key.
    const late = evaluator.apply([rec('2025-09-09', 'UNAUTHORISED', {}, 9)], '2025-09-10');
    const changedLpw = late.changed.find((s) => s.rule === 'LPW_16H_4W');
    assert.ok(changedLpw, JSON.stringify(late));
    assert.equal(changedLpw.previousSignalId, first.added.find((s) => s.rule === 'LPW_16H_4W')?.signalId);
    // Monday re-categorised as sick upstream: the 16-hour signal is withdrawn.
    const fixed = evaluator.apply(
      monday.map((r) => ({ ...r, category: 'SICK' as const, legalClass: 'authorised' as const })),
      '2025-09-10',
    );
    assert.ok(fixed.withdrawn.some((s) => s.rule === 'LPW_16H_4W'));
    // Unknown pupils are skipped and counted.
    evaluator.apply([rec('2025-09-10', 'UNAUTHORISED', { pupilId: 'nobody' })], '2025-09-10');
    assert.equal(evaluator.unknownPupilRecords, 1);
    // Deleting the late lesson leaves no 16-hour signal either.
    const removed = evaluator.apply([], '2025-09-10', [rec('2025-09-09', 'UNAUTHORISED', {}, 9).recordId]);
    assert.equal(removed.added.filter((s) => s.rule === 'LPW_16H_4W').length, 0);
    assert.ok(evaluator.signals().every((s) => s.rule !== 'LPW_16H_4W'));
  });
});
