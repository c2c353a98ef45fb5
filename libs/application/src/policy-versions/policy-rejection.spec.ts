import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parsePolicyRejection } from './policy-versions.usecase.js';

describe('parsePolicyRejection', () => {
  it('keeps a non-empty reason of at most 2000 characters, trimmed', () => {
    const reason = fc.string({ minLength: 1, maxLength: 2000 }).filter((r) => r.trim() !== '');
    fc.assert(
      fc.property(reason, (r) => {
        expect(parsePolicyRejection({ reason: r })).toEqual({ reason: r.trim() });
      }),
    );
  });

  it('refuses a missing, blank, too long or non-text reason with REJECTION_REASON_MISSING', () => {
    const bad = fc.oneof(
      fc.constantFrom('', '  ', '\n').map((reason) => ({ reason })),
      fc
        .string({ minLength: 2001, maxLength: 2100 })
        .filter((r) => r.trim().length > 2000)
        .map((reason) => ({ reason })),
      fc
        .anything()
        .filter((v) => typeof v !== 'string')
        .map((reason) => ({ reason })),
      fc.constantFrom(null, undefined, 'reason', {}, []),
    );
    fc.assert(
      fc.property(bad, (body) => {
        assert.throws(
          () => parsePolicyRejection(body),
          (error: unknown) =>
            error instanceof ValidationError &&
            error.code === 'REJECTION_REASON_MISSING' &&
            error.issues[0]?.field === 'reason',
        );
      }),
    );
  });
});
