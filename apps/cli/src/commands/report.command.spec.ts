import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { REPORT_FIELD_PATHS, REPORT_KINDS } from '#domain';
import { UsageError } from './read-input.js';
import { disclosureRequest, outboundContext, parseApprovedReport } from './report.command.js';

const day = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A valid §7 report: the required fields plus any subset of the others with marked string values. */
const validReport = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
    kind: fc.constantFrom(...REPORT_KINDS),
    status: fc.constantFrom('APPROVED', 'QUEUED', 'SENT', 'REGISTERED', 'IN_BEHANDELING'),
    birth: day,
    begin: day,
    extra: fc.subarray(
      REPORT_FIELD_PATHS.filter(
        (p) =>
          ![
            'school.brin',
            'pupil.birthDate',
            'absence.beginDate',
            'absence.endDate',
            'absence.kind',
          ].includes(p),
      ),
    ),
  })
  .map(({ id, kind, status, birth, begin, extra }) => ({
    id,
    kind,
    status,
    fields: {
      'school.brin': '99XX',
      'pupil.birthDate': birth,
      'absence.beginDate': begin,
      ...Object.fromEntries(extra.map((p) => [p, `VALUE-${p}`])),
    },
  }));

function refusal(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('parseApprovedReport', () => {
  it('accepts every well-formed approved report and keeps its fields as they are', () => {
    fc.assert(
      fc.property(validReport, (report) => {
        const parsed = parseApprovedReport(structuredClone(report));
        assert.equal(parsed.id, report.id);
        assert.equal(parsed.kind, report.kind);
        expect(parsed.fields).toEqual(report.fields);
      }),
    );
  });

  it('refuses any unknown field path, naming the path and never a value (REPORT_INVALID, exit 2)', () => {
    const known = new Set<string>(REPORT_FIELD_PATHS);
    fc.assert(
      fc.property(
        validReport,
        fc.string({ minLength: 1, maxLength: 30 }).filter((p) => !known.has(p) && !p.includes('VALUE')),
        (report, path) => {
          const error = refusal(() =>
            parseApprovedReport({ ...report, fields: { ...report.fields, [path]: 'SECRET-VALUE-1' } }),
          );
          assert.equal(error.exitCode, 2);
          assert.match(error.message, /^REPORT_INVALID: unknown field path\(s\): /);
          assert.ok(error.message.includes(path));
          assert.ok(!error.message.includes('SECRET-VALUE'));
        },
      ),
    );
  });

  it('refuses every date field that is not a real YYYY-MM-DD date', () => {
    fc.assert(
      fc.property(
        validReport,
        fc.constantFrom('pupil.birthDate', 'absence.beginDate', 'absence.endDate'),
        fc.oneof(
          fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
          fc.constantFrom('2026-02-30', '2025-13-01', '2026-00-10', '2023-02-29'),
          fc.integer(),
        ),
        (report, path, bad) => {
          const error = refusal(() =>
            parseApprovedReport({ ...report, fields: { ...report.fields, [path]: bad } }),
          );
          assert.equal(error.message, `REPORT_INVALID: fields.${path} must be YYYY-MM-DD`);
        },
      ),
    );
  });

  it('refuses reports that are not approved, not objects or of an unknown kind', () => {
    const base = fc.sample(validReport, 1)[0];
    assert.match(refusal(() => parseApprovedReport(null)).message, /^REPORT_INVALID: /);
    assert.match(refusal(() => parseApprovedReport('x')).message, /^REPORT_INVALID: /);
    assert.match(refusal(() => parseApprovedReport({ ...base, kind: 'X' })).message, /kind must be one of/);
    for (const status of ['DRAFT', 'DISMISSED', 'WITHDRAWN', 'REJECTED', 'AFGESLOTEN'])
      assert.match(refusal(() => parseApprovedReport({ ...base, status })).message, /^REPORT_NOT_APPROVED: /);
    assert.match(
      refusal(() => parseApprovedReport({ ...base, fields: { ...base.fields, 'school.brin': '' } })).message,
      /fields\.school\.brin is required/,
    );
    assert.match(
      refusal(() => parseApprovedReport({ ...base, board: 7 })).message,
      /board, when present, must be a non-empty string/,
    );
  });
});

describe('outboundContext and disclosureRequest', () => {
  it('build the dispatcher’s first-attempt context and request, deterministically', () => {
    fc.assert(
      fc.property(validReport, fc.date({ noInvalidDate: true }), (raw, at) => {
        const report = parseApprovedReport(raw);
        const recipient = { kind: 'LEERPLICHT' as const, id: '0363' };
        const context = outboundContext(report, 'LEERPLICHT', recipient, 'cli', at);
        expect(context).toEqual(outboundContext(report, 'LEERPLICHT', recipient, 'cli', at));
        assert.equal(context.idempotencyKey, `kp-leerplicht-register-${report.id}`);
        assert.equal(context.operation, 'REGISTER');
        assert.equal(context.attempt, 1);
        assert.equal(context.school, '99XX');
        assert.equal(context.externalRef, null);
        assert.equal(context.sentAt, at);
        if (raw.fields['pupil.birthDate'] > raw.fields['absence.beginDate']) {
          assert.match(refusal(() => disclosureRequest(report, recipient)).message, /must lie before/);
          return;
        }
        const request = disclosureRequest(report, recipient);
        assert.equal(request.purpose, 'LEERPLICHT_ENFORCEMENT');
        assert.equal(request.reportKind, report.kind);
        assert.ok(request.pupil.ageAtDate >= 0);
        expect(request.payload).toEqual(report.fields);
      }),
    );
  });

  it('maps the recipient kind to its purpose and computes the age on the first absence day', () => {
    const report = parseApprovedReport({
      id: 'r1',
      kind: 'LRV',
      status: 'APPROVED',
      fields: { 'school.brin': '99XX', 'pupil.birthDate': '2010-03-02', 'absence.beginDate': '2026-03-01' },
    });
    const duo = disclosureRequest(report, { kind: 'DUO', id: '00000001800866472000' });
    assert.equal(duo.purpose, 'STATUTORY_REPORT');
    assert.equal(duo.pupil.ageAtDate, 15);
    const dsp = disclosureRequest(report, { kind: 'DOORSTROOMPUNT', id: 'RMC-07' });
    assert.equal(dsp.purpose, 'DOORSTROOMPUNT');
  });
});
