import { randomUUID } from 'node:crypto';
import type { CanonicalRecord, Envelope, Report, SourceRecord } from '#domain';

/** A valid canonical record; override what a test is about. */
export function aCanonicalRecord(overrides: Partial<CanonicalRecord> = {}): CanonicalRecord {
  return {
    recordId: 'rec-0001',
    sourceSystem: 'magister',
    sourceRecordType: 'absentie',
    sourceId: '123456',
    pupil: { localId: 'p-1', leerlingnummer: '1001' },
    school: { brin: '99XX', vestiging: '00' },
    date: '2026-01-13',
    start: '2026-01-13T09:20:00+01:00',
    end: '2026-01-13T10:10:00+01:00',
    wholeDay: false,
    lessonHourFrom: 2,
    lessonHourTo: 2,
    category: 'UNAUTHORISED',
    legalClass: 'unauthorised',
    registeredVia: 'REPORT',
    missedMinutes: 50,
    missedLessons: 1,
    reasonCode: 'ONG',
    explainedBy: null,
    mapping: { source: 'school', version: '2026-01' },
    ...overrides,
  };
}

export function someCanonicalRecords(count: number, prefix = 'rec'): CanonicalRecord[] {
  return Array.from({ length: count }, (_, i) =>
    aCanonicalRecord({ recordId: `${prefix}-${String(i).padStart(5, '0')}`, sourceId: String(100000 + i) }),
  );
}

/**
 * A valid source record (what an adapter gives): a Magister whole-day-less absence report of 13 January 2026
 * with every optional field empty; override what a test is about.
 */
export function aSourceRecord(overrides: Partial<SourceRecord> = {}): SourceRecord {
  return {
    sourceSystem: 'magister',
    sourceRecordType: 'absentie',
    sourceId: '1',
    pupil: { localId: 'p1' },
    school: null,
    via: 'REPORT',
    kind: 'ABSENT',
    authorisedFlag: null,
    reasonCode: null,
    date: '2026-01-13',
    start: null,
    end: null,
    endInclusive: false,
    lessonHourFrom: null,
    lessonHourTo: null,
    wholeDay: false,
    arrivedAt: null,
    lessonRef: null,
    lesson: null,
    explainedByRef: null,
    aggregate: null,
    ...overrides,
  };
}

/** The bell schedule of the shared example school calendar (shared/fixtures/calendars): eight lessons, two breaks. */
export const EXAMPLE_BELL_SCHEDULE: readonly { lessonHour: number; start: string; end: string }[] = [
  { lessonHour: 1, start: '08:30', end: '09:20' },
  { lessonHour: 2, start: '09:20', end: '10:10' },
  { lessonHour: 3, start: '10:30', end: '11:20' },
  { lessonHour: 4, start: '11:20', end: '12:10' },
  { lessonHour: 5, start: '12:40', end: '13:30' },
  { lessonHour: 6, start: '13:30', end: '14:20' },
  { lessonHour: 7, start: '14:30', end: '15:20' },
  { lessonHour: 8, start: '15:20', end: '16:10' },
];

/** A broker message of `type`: a fresh messageId, its idempotency key derived from it, occurred now. */
export function anEnvelope<T>(type: string, payload: T, version = 1): Envelope<T> {
  const messageId = randomUUID();
  return {
    type,
    version,
    messageId,
    idempotencyKey: `idem-${messageId}`,
    occurredAt: new Date().toISOString(),
    payload,
  };
}

/**
 * A report of the 16-hours rule in DRAFT: four school days of four lessons (the fields the connectors format),
 * undecided; override what the spec is about (`status`, `board`, `school`, the decision, the times).
 */
export function aReport(overrides: Partial<Report> = {}): Report {
  const id = overrides.id ?? '00000000-0000-4000-8000-000000000001';
  const school = overrides.school ?? '99XX01';
  const at = '2025-09-19T08:00:00.000Z';
  return {
    id,
    kind: '16U_MINDERJARIG',
    status: 'DRAFT',
    fields: {
      'absence.kind': '16U_MINDERJARIG',
      'absence.beginDate': '2025-09-15',
      'absence.endDate': '2025-09-18',
      'absence.hours': 16,
      'absence.days': 4,
      'absence.perDay': ['2025-09-15', '2025-09-16', '2025-09-17', '2025-09-18'].map((date) => ({
        date,
        lessonHours: [1, 2, 3, 4],
      })),
      'absence.allLessonsMissed': false,
      'school.brin': school,
      'pupil.birthDate': '2011-05-17',
    },
    action: 'REPORT',
    supersedes: null,
    board: 'BOARD-1',
    school,
    pupil: { localId: 'p-1' },
    signalId: `sig-${id}`,
    rule: 'LPW_16H_4W',
    mandatory: true,
    deadline: null,
    overdue: false,
    decidedBy: null,
    decidedAt: null,
    dismissReason: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
