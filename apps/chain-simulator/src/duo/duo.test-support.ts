import type { ReleasedPayload } from '#privacy';
import { outboundContextOf, releasedFor } from '#testing';

/** Test helpers for the DUO specs: payloads and contexts (no key material; the PKI is made per run). */

export { TEST_DUO_OIN as DUO_OIN, TEST_SCHOOL_OIN as SCHOOL_OIN } from '#testing';
/** Valid under the elfproef (9·1+8·2+7·3+6·4+5·5+4·6+3·7+2·8 − 2 = 154 = 14·11). */
export const VALID_BSN = '123456782';

/** A genuine ReleasedPayload for these fields (the release-all test policy of #testing). */
export const payloadOf = (fields: Record<string, unknown>): ReleasedPayload => releasedFor(fields);

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

export const contextOf = outboundContextOf;
