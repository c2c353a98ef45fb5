import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parseReportDismissal } from './decide-report.usecase.js';

const refused = (error: unknown): boolean =>
  error instanceof ValidationError &&
  error.code === 'REASON_REQUIRED' &&
  error.issues.length === 1 &&
  error.issues[0]?.field === 'reason';

describe('parseReportDismissal', () => {
  it('keeps a reason of 1..1000 characters, trimmed', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 1000 }).filter((r) => r.trim() !== ''),
        (reason) => {
          expect(parseReportDismissal({ reason })).toEqual({ reason: reason.trim() });
        },
      ),
    );
  });

  it('refuses a blank or too long reason, or a body without one, with REASON_REQUIRED on reason', () => {
    const bad = fc.oneof(
      fc.string({ minLength: 1001, maxLength: 1100 }).map((reason) => ({ reason })),
      fc.constantFrom('', ' ', '\n\t').map((reason) => ({ reason })),
      fc
        .anything()
        .filter((v) => typeof v !== 'string')
        .map((reason) => ({ reason })),
      fc.constantFrom(null, undefined, 'reason', 42, [], {}),
    );
    fc.assert(
      fc.property(bad, (body) => {
        assert.throws(() => parseReportDismissal(body), refused);
      }),
    );
  });
});
