import { randomUUID } from 'node:crypto';
import type { CanonicalRecord, Envelope, SourceRecord } from '#domain';

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
