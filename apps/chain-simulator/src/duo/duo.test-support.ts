import type { OutboundContext, ReleasedFields } from '#domain';
import type { ReleasedPayload } from '#privacy';

/** Test helpers for the DUO specs: payloads and contexts (no key material; the PKI is made per run). */

export const DUO_OIN = '00000001800866472000';
export const SCHOOL_OIN = '00000001999999990000';
/** Valid under the elfproef (9·1+8·2+7·3+6·4+5·5+4·6+3·7+2·8 − 2 = 154 = 14·11). */
export const VALID_BSN = '123456782';

/** A structural stand-in for the privacy engine's payload (only has/get/paths are read by the connector). */
export function payloadOf(fields: Record<string, unknown>): ReleasedPayload {
  const view: ReleasedFields = {
    paths: Object.keys(fields),
    has: (path) => Object.hasOwn(fields, path),
    get: (path) => (Object.hasOwn(fields, path) ? fields[path] : undefined),
  };
  return view as unknown as ReleasedPayload;
}

export function fullFields(): Record<string, unknown> {
  return {
    'pupil.bsn': VALID_BSN,
    'pupil.phone': '0612345678',
    'parent.phone': '0201234567',
    'school.brin': '99XX',
    'school.vestiging': '01',
    'school.locationName': 'Hoofdgebouw',
    'absence.kind': '16U_MINDERJARIG',
    'absence.beginDate': '2026-01-05',
    'absence.endDate': '2026-01-30',
    'absence.hours': 17.5,
    'absence.days': 2,
    'absence.perDay': [
      { date: '2026-01-05', lessonHours: [1, 2, 3] },
      { date: '2026-01-12', lessonHours: [5, 6] },
    ],
    'absence.allLessonsMissed': false,
    'report.suspectedReason': 'Vermoedelijk spijbelen',
    'report.actionTaken': 'Gesprek met ouders',
    'report.municipalActionWanted': { wanted: true, explanation: 'Graag huisbezoek' },
    'reporter.name': 'A. Verzuimcoördinator',
    'reporter.role': 'verzuimcoördinator',
    'reporter.phone': '0201112223',
    'reporter.email': 'verzuim@school.example',
  };
}

export function contextOf(overrides: Partial<OutboundContext> = {}): OutboundContext {
  return {
    idempotencyKey: 'report-1:DUO:REGISTER',
    operation: 'REGISTER',
    reportId: 'report-1',
    reportKind: '16U_MINDERJARIG',
    board: 'board-1',
    school: '99XX',
    externalRef: null,
    recipient: { kind: 'DUO', id: DUO_OIN },
    attempt: 1,
    sentAt: new Date('2026-02-02T09:00:00Z'),
    ...overrides,
  };
}
