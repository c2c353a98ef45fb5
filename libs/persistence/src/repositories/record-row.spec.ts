import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CATEGORIES, type CanonicalRecord, LEGAL_CLASSES, REGISTERED_VIA } from '#domain';
import {
  CATEGORY_CODES,
  LEGAL_CLASS_CODES,
  MAPPING_SOURCE_CODES,
  RECORD_COLUMNS,
  RECORD_COLUMN_TYPES,
  RecordReader,
  type RecordValues,
  REGISTERED_VIA_CODES,
  recordFields,
  stampText,
  storedStamp,
} from './record-row.js';

/**
 * The values PostgreSQL sends for `recordSelect()` of the row staged from `recordFields`: each column's text, the
 * date as days since 1970 and an instant as whole seconds since the epoch (what `date - DATE '1970-01-01'` and
 * `extract(epoch FROM …)::int8` write).
 */
function valuesOf(fields: readonly (string | null)[]): RecordValues {
  return RECORD_COLUMNS.map((column, i) => {
    const text = fields[i];
    if (text === null) return null;
    if (column === 'date') return String(Date.parse(`${text}T00:00:00Z`) / 86_400_000);
    if (RECORD_COLUMN_TYPES[column] === 'timestamptz') return String(Date.parse(text) / 1000);
    return text;
  });
}

const stamp = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => ms - (ms % 1000)),
    offset: fc.integer({ min: -14 * 60, max: 14 * 60 }),
  })
  .map(({ ms, offset }) => stampText(ms, offset));
const otherStamp = fc.constantFrom(
  '2026-01-13T08:20:00Z',
  '2026-01-13T09:20:00.000+01:00',
  '2026-01-13T09:20+01:00',
  '2026-02-30T09:20:00+01:00',
  '2026-01-13T09:20:00-00:00',
  'niet een tijd',
);
const text = fc.string({ maxLength: 12 });

const record: fc.Arbitrary<CanonicalRecord> = fc.record({
  recordId: fc.string({ minLength: 1, maxLength: 40 }),
  sourceSystem: fc.constantFrom('magister', 'somtoday', 'eduarte', 'csv'),
  sourceRecordType: fc.constantFrom('absentie', 'absentiemelding', 'waarneming', 'aggregate'),
  sourceId: fc.string({ maxLength: 20 }),
  pupil: fc.oneof(fc.record({ localId: text }), fc.record({ localId: text, leerlingnummer: text })),
  school: fc.oneof(fc.constant(null), fc.record({ brin: text, vestiging: text }, { requiredKeys: [] })),
  date: fc
    .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  start: fc.option(fc.oneof(stamp, otherStamp)),
  end: fc.option(fc.oneof(stamp, otherStamp)),
  wholeDay: fc.boolean(),
  lessonHourFrom: fc.option(fc.integer({ min: 0, max: 20 })),
  lessonHourTo: fc.option(fc.integer({ min: 0, max: 20 })),
  category: fc.constantFrom(...CATEGORIES),
  legalClass: fc.constantFrom(...LEGAL_CLASSES),
  registeredVia: fc.constantFrom(...REGISTERED_VIA),
  missedMinutes: fc.option(
    fc.oneof(fc.integer({ min: 0, max: 1440 }), fc.double({ min: 0, max: 1440, noNaN: true })),
  ),
  missedLessons: fc.option(fc.integer({ min: 0, max: 20 })),
  reasonCode: fc.option(text),
  explainedBy: fc.option(text),
  mapping: fc.oneof(
    fc.record({ source: fc.constantFrom('school' as const, 'fallback' as const) }),
    fc.record({ source: fc.constantFrom('school' as const, 'fallback' as const), version: text }),
  ),
});

describe('a canonical record as a typed row (ADR 0033)', () => {
  it('reads back exactly the record it was made of, for every shape the contract allows', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(new RecordReader().read(valuesOf(recordFields(r)))).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a date-time as instant and offset when that writes it back the same, else as its text', () => {
    fc.assert(
      fc.property(stamp, (t) => {
        const s = storedStamp(t);
        expect(s.text).toBeNull();
        expect(stampText(Date.parse(s.at as string), s.offset as number)).toEqual(t);
      }),
    );
    for (const other of [
      '2026-01-13T08:20:00Z',
      '2026-01-13T09:20:00.000+01:00',
      '2026-02-30T09:20:00+01:00',
    ]) {
      expect(storedStamp(other)).toEqual({ at: null, offset: null, text: other });
    }
    expect(storedStamp('2026-03-29T03:00:00+02:00')).toEqual({
      at: '2026-03-29T01:00:00.000Z',
      offset: 120,
      text: null,
    });
  });

  it('has a stored code for every category, legal class, way of registering and mapping source', () => {
    expect([...CATEGORY_CODES].sort()).toEqual([...CATEGORIES].sort());
    expect([...LEGAL_CLASS_CODES].sort()).toEqual([...LEGAL_CLASSES].sort());
    expect([...REGISTERED_VIA_CODES].sort()).toEqual([...REGISTERED_VIA].sort());
    expect(MAPPING_SOURCE_CODES).toEqual(['school', 'fallback']);
  });

  it('refuses a stored code it does not know instead of guessing', () => {
    const values = valuesOf(
      recordFields({
        recordId: 'r',
        sourceSystem: 'csv',
        sourceRecordType: 'absentie',
        sourceId: '1',
        pupil: { localId: 'p' },
        school: null,
        date: '2026-01-13',
        start: null,
        end: null,
        wholeDay: true,
        lessonHourFrom: null,
        lessonHourTo: null,
        category: 'SICK',
        legalClass: 'authorised',
        registeredVia: 'REPORT',
        missedMinutes: null,
        missedLessons: null,
        reasonCode: null,
        explainedBy: null,
        mapping: { source: 'school' },
      }),
    );
    const category = RECORD_COLUMNS.indexOf('category');
    const unknown = values.map((v, i) => (i === category ? '99' : v));
    expect(() => new RecordReader().read(unknown)).toThrow('category: unknown stored code 99');
  });
});
