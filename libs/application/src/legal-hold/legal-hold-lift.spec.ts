import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parseLegalHoldLift } from './legal-hold.usecase.js';

describe('parseLegalHoldLift', () => {
  it('takes no reason from a body without one', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant({}), fc.string()),
        (body) => {
          expect(parseLegalHoldLift(body)).toEqual({});
        },
      ),
    );
  });

  it('keeps a reason of 3..500 characters, trimmed', () => {
    const reason = fc.string({ minLength: 3, maxLength: 500 }).filter((r) => r.trim().length >= 3);
    fc.assert(
      fc.property(reason, (r) => {
        expect(parseLegalHoldLift({ reason: r })).toEqual({ reason: r.trim() });
      }),
    );
  });

  it('refuses a reason that is no text of 3..500 characters with LEGAL_HOLD_REASON', () => {
    const bad = fc.oneof(
      fc.string({ maxLength: 2 }),
      fc.string({ minLength: 501, maxLength: 560 }).filter((r) => r.trim().length > 500),
      fc.anything().filter((v) => typeof v !== 'string' && v !== undefined),
    );
    fc.assert(
      fc.property(bad, (reason) => {
        assert.throws(
          () => parseLegalHoldLift({ reason }),
          (error: unknown) =>
            error instanceof ValidationError &&
            error.code === 'LEGAL_HOLD_REASON' &&
            error.issues.length === 1 &&
            error.issues[0]?.field === 'reason',
        );
      }),
    );
  });
});
