import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { type OutboundContext, REPORT_FIELD_PATHS, ValidationError } from '#domain';
import { type ReleasedPayload, parsePolicy, release } from '#privacy';
import { outboundContextOf } from '#testing';
import { LEERPLICHT_REPORT_SCHEMA_ID, buildLeerplichtReport } from './report.js';

const SCHEMA = JSON.parse(
  readFileSync(new URL('../../../../../config/leerplicht/report.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(SCHEMA);

const POLICY = `
id: leerplicht-spec
version: '1'
effectiveFrom: '2025-08-01'
effectiveUntil: '2027-08-01'
recipients:
  LEERPLICHT: { name: leerplicht }
  DOORSTROOMPUNT: { name: doorstroompunt }
purposes:
  STATUTORY_REPORT: { description: een verzuimmelding, basis: legal_obligation, legalBasis: LPW art. 21a }
dataCategories:
  identification: [pupil.bsn, pupil.name, pupil.birthDate, pupil.phone]
  school: [school.brin, school.vestiging]
  absence: [absence.kind, absence.beginDate, absence.endDate, absence.hours, absence.clockMinutes, absence.days, absence.perDay, absence.allLessonsMissed]
  texts: [report.suspectedReason, report.actionTaken, report.municipalActionWanted]
  reporter: [reporter.name, reporter.role, reporter.email]
  free_text: [registration.remarks, health.detail]
rules:
  - id: leerplicht
    effect: permit
    reason: Melding aan leerplicht
    when: { recipients: [LEERPLICHT, DOORSTROOMPUNT], purposes: [STATUTORY_REPORT] }
    fields: [identification, school, absence, texts, reporter]
    obligations: { retention: P2Y }
  - id: no-free-text
    effect: forbid
    reason: Vrije tekst blijft op school.
    fields: [free_text]
retention:
  default: P1Y
`;
const parsed = parsePolicy(POLICY);
if (!parsed.ok) throw new Error(`spec policy invalid: ${JSON.stringify(parsed.issues)}`);
const policy = parsed.value;

/** A genuine ReleasedPayload (made by the privacy engine) for these fields. */
export function released(payload: Record<string, unknown>): ReleasedPayload {
  const { released: r } = release(
    policy,
    { recipient: { kind: 'LEERPLICHT' }, purpose: 'STATUTORY_REPORT', pupil: { ageAtDate: 15 }, payload },
    { at: '2026-03-02' },
  );
  if (r === null) throw new Error('spec policy did not permit');
  return r;
}

export const FULL_PAYLOAD: Record<string, unknown> = {
  'pupil.bsn': '123456782',
  'pupil.name': 'Jan Jansen',
  'pupil.birthDate': '2011-04-05',
  'pupil.phone': '0612345678',
  'school.brin': '99XX',
  'school.vestiging': '00',
  'absence.kind': '16U_MINDERJARIG',
  'absence.beginDate': '2026-02-02',
  'absence.endDate': '2026-02-20',
  'absence.hours': 17,
  'absence.clockMinutes': 850,
  'absence.days': 2,
  'absence.perDay': [
    { date: '2026-02-02', lessonHours: [1, 2, 3] },
    { date: '2026-02-03', lessonHours: [] },
  ],
  'absence.allLessonsMissed': false,
  'report.suspectedReason': 'Spijbelen',
  'report.actionTaken': 'Gesprek met ouders',
  'report.municipalActionWanted': true,
  'reporter.name': 'M. de Vries',
  'reporter.role': 'verzuimcoördinator',
  'reporter.email': 'verzuim@school.example',
  'registration.remarks': 'vrije tekst die op school blijft',
  'health.detail': 'iets medisch',
};

export function context(overrides: Partial<OutboundContext> = {}): OutboundContext {
  return outboundContextOf({
    idempotencyKey: 'lp-r1-LEERPLICHT-REGISTER',
    reportId: 'r1',
    board: 'B1',
    recipient: { kind: 'LEERPLICHT', id: '0344' },
    sentAt: new Date('2026-03-02T09:00:00.000Z'),
    ...overrides,
  });
}

describe('buildLeerplichtReport', () => {
  it('carries only the released fields, grouped by field path, and validates against the published schema', () => {
    const report = buildLeerplichtReport(context(), released(FULL_PAYLOAD));
    assert.equal(report.schema, LEERPLICHT_REPORT_SCHEMA_ID);
    assert.equal(SCHEMA['$id'], LEERPLICHT_REPORT_SCHEMA_ID);
    assert.equal(report.pupil?.bsn, '123456782');
    expect(report.absence?.perDay).toEqual(FULL_PAYLOAD['absence.perDay']);
    expect(report.school).toEqual({ board: 'B1', id: '99XX', brin: '99XX', vestiging: '00' });
    assert.equal(report.operation, 'REGISTER');
    assert.equal(report.issuedAt, '2026-03-02T09:00:00.000Z');
    assert.equal('registration' in report, false, 'withheld free text is absent');
    assert.equal('health' in report, false, 'withheld health data is absent');
    assert.equal('parent' in report, false, 'fields not in the payload are absent');
    assert.ok(validate(report), JSON.stringify(validate.errors));
  });

  it('carries the name and the clock minutes (schema 1.1); the schema still accepts a 1.0 report without them', () => {
    const report = buildLeerplichtReport(context(), released(FULL_PAYLOAD));
    assert.equal(report.schemaVersion, '1.1');
    assert.equal(report.pupil?.name, 'Jan Jansen');
    assert.equal(report.absence?.clockMinutes, 850);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    const { clockMinutes: _, ...absence } = report.absence ?? {};
    const { name: __, ...pupil } = report.pupil ?? {};
    const old = { ...report, schemaVersion: '1.0', absence, pupil };
    assert.ok(validate(old), JSON.stringify(validate.errors));
    for (const wrong of [-1, 12.5, '850']) {
      assert.equal(validate({ ...report, absence: { ...report.absence, clockMinutes: wrong } }), false);
    }
    assert.equal(validate({ ...report, schemaVersion: '2.0' }), false);
    assert.throws(
      () => buildLeerplichtReport(context(), released({ 'absence.clockMinutes': 12.5 })),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.issues.map((i) => i.field).join() === 'absence.clockMinutes',
    );
  });

  it('leaves a group out when nothing in it was released and never writes null', () => {
    const report = buildLeerplichtReport(
      context(),
      released({ 'absence.hours': 16, 'pupil.name': null, 'registration.remarks': 'x' }),
    );
    expect(report.absence).toEqual({ hours: 16 });
    assert.equal('pupil' in report, false);
    assert.ok(!JSON.stringify(report).includes('null'));
    assert.ok(validate(report), JSON.stringify(validate.errors));
  });

  it('names the earlier reference for UPDATE and WITHDRAW', () => {
    const update = buildLeerplichtReport(
      context({ operation: 'UPDATE', externalRef: 'LP-0344-000001' }),
      released({ 'absence.endDate': '2026-03-01' }),
    );
    assert.equal(update.previousReference, 'LP-0344-000001');
    assert.ok(validate(update), JSON.stringify(validate.errors));
    const register = buildLeerplichtReport(
      context({ externalRef: 'ignored' }),
      released({ 'absence.hours': 1 }),
    );
    assert.equal('previousReference' in register, false);
  });

  it('refuses values of the wrong shape with LEERPLICHT_PAYLOAD_INVALID naming paths, not values', () => {
    assert.throws(
      () =>
        buildLeerplichtReport(
          context(),
          released({
            'absence.hours': '17',
            'absence.perDay': [{ date: '2026-02-02', lessonHours: [0, 13] }],
            'pupil.bsn': 'abc',
          }),
        ),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.code === 'LEERPLICHT_PAYLOAD_INVALID' &&
        error.issues.map((i) => i.field).join() === 'pupil.bsn,absence.hours,absence.perDay' &&
        !error.message.includes('abc'),
    );
  });

  it('refuses a recipient other than LEERPLICHT or DOORSTROOMPUNT', () => {
    assert.throws(
      () =>
        buildLeerplichtReport(
          context({ recipient: { kind: 'DUO', id: 'x' } }),
          released({ 'absence.hours': 1 }),
        ),
      (error: unknown) => error instanceof ValidationError && error.code === 'LEERPLICHT_RECIPIENT_INVALID',
    );
  });

  it('property: every released subset builds a schema-valid report holding exactly that subset', () => {
    const paths = Object.keys(FULL_PAYLOAD);
    fc.assert(
      fc.property(
        fc.subarray(paths),
        fc.constantFrom('REGISTER', 'UPDATE', 'WITHDRAW' as const),
        fc.constantFrom('LEERPLICHT', 'DOORSTROOMPUNT' as const),
        (subset, operation, kind) => {
          const payload = {
            'absence.kind': '16U_MINDERJARIG',
            ...Object.fromEntries(subset.map((p) => [p, FULL_PAYLOAD[p]])),
          };
          const r = released(payload);
          const report = buildLeerplichtReport(
            context({ operation, recipient: { kind, id: 'X' }, externalRef: 'E1' }),
            r,
          ) as unknown as Record<string, Record<string, unknown>>;
          const present = REPORT_FIELD_PATHS.filter((p) => {
            const [group, member] = p.split('.') as [string, string];
            return group === 'school'
              ? p in FULL_PAYLOAD && report['school']?.[member] !== undefined
              : report[group]?.[member] !== undefined;
          });
          expect([...present].sort()).toEqual([...r.paths].sort());
          assert.ok(validate(report), JSON.stringify(validate.errors));
        },
      ),
      { numRuns: 100 },
    );
  });
});
