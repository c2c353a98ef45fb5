import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { tookEffectOn } from './policy-versions.usecase.js';

describe('tookEffectOn: the day a version took effect (Europe/Amsterdam)', () => {
  it('is the effective date when the version was approved before it', () => {
    assert.equal(
      tookEffectOn({ status: 'APPROVED', approvedAt: '2026-07-15T10:00:00Z', effectiveFrom: '2026-08-01' }),
      '2026-08-01',
    );
  });

  it('is the Amsterdam day of the approval when that came later, across midnight UTC', () => {
    // 23:30 UTC on 4 December is 00:30 on 5 December in Amsterdam (CET, UTC+1).
    assert.equal(
      tookEffectOn({ status: 'APPROVED', approvedAt: '2026-12-04T23:30:00Z', effectiveFrom: '2025-08-01' }),
      '2026-12-05',
    );
    // 21:59 UTC on 30 June is 23:59 the same day in summer time (CEST, UTC+2); 22:00 UTC is 1 July.
    assert.equal(
      tookEffectOn({ status: 'APPROVED', approvedAt: '2026-06-30T21:59:00Z', effectiveFrom: '2025-08-01' }),
      '2026-06-30',
    );
    assert.equal(
      tookEffectOn({ status: 'APPROVED', approvedAt: '2026-06-30T22:00:00Z', effectiveFrom: '2025-08-01' }),
      '2026-07-01',
    );
  });

  it('is null for a version that was never approved', () => {
    for (const status of ['DRAFT', 'SUBMITTED', 'REJECTED'] as const) {
      assert.equal(tookEffectOn({ status, approvedAt: null, effectiveFrom: '2025-08-01' }), null);
    }
  });
});
