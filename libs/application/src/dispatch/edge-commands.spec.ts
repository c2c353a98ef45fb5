import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parseOfficerCaseNote } from './leerplicht-inbox.usecase.js';
import { parseReportEndDate } from './school-deliveries.usecase.js';

const HEADER = {
  alg: 'ECDH-ES+A256KW',
  enc: 'A256GCM',
  epk: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ' },
};
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWE = `${b64(HEADER)}.a2V5.aXY.Y2lwaGVy.dGFn`;

const refusedWith =
  (code: string, field?: string) =>
  (error: unknown): boolean =>
    error instanceof ValidationError &&
    error.code === code &&
    error.issues.length > 0 &&
    (field === undefined || error.issues.every((issue) => issue.field === field));

const date = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('parseReportEndDate', () => {
  it('keeps any calendar date YYYY-MM-DD', () => {
    fc.assert(
      fc.property(date, (endDate) => {
        expect(parseReportEndDate({ endDate })).toEqual({ endDate });
      }),
    );
  });

  it('refuses anything else with END_DATE_INVALID on endDate', () => {
    const bad = fc.oneof(
      fc
        .anything()
        .filter((v) => typeof v !== 'string')
        .map((endDate) => ({ endDate })),
      fc
        .string()
        .filter((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v))
        .map((endDate) => ({ endDate })),
      date.map((d) => ({ endDate: `${d}T00:00:00Z` })),
      fc.constantFrom(null, undefined, '2026-01-01', {}, []),
    );
    fc.assert(
      fc.property(bad, (body) => {
        assert.throws(() => parseReportEndDate(body), refusedWith('END_DATE_INVALID', 'endDate'));
      }),
    );
  });
});

describe('parseOfficerCaseNote', () => {
  it('keeps a compact JWE and nothing else', () => {
    expect(parseOfficerCaseNote({ jwe: JWE })).toEqual({ jwe: JWE });
  });

  it('refuses a note with any other field, naming that field', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((k) => k !== 'jwe' && k !== '__proto__'),
        fc.anything(),
        (key, value) => {
          assert.throws(
            () => parseOfficerCaseNote({ jwe: JWE, [key]: value }),
            (error: unknown) =>
              refusedWith('CASE_NOTE_INVALID')(error) &&
              (error as ValidationError).issues.some((i) => i.field === key && i.code === 'UNKNOWN_FIELD'),
          );
        },
      ),
    );
  });

  it('refuses a body without a compact JWE with INVALID_JWE on jwe', () => {
    fc.assert(
      fc.property(
        fc.anything().filter((v) => typeof v !== 'string'),
        (jwe) => {
          assert.throws(() => parseOfficerCaseNote({ jwe }), refusedWith('CASE_NOTE_INVALID', 'jwe'));
        },
      ),
    );
  });
});
