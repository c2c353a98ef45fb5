import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { Lesson, SourceRecord } from '#domain';
import { createMagisterAdapter, magisterAdapter } from './index.js';
import { aSourceRecord } from '#testing';

// From dist/libs/adapters/magister/src/ to the checkout's sibling ../shared.
const SHARED = new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url);
const shared = (name: string): string => readFileSync(fileURLToPath(new URL(name, SHARED)), 'utf8');

const PERSON = '4216';
const adapter = createMagisterAdapter({ personId: PERSON });

/** An absence record as the adapter must give it; the values of a test override the defaults. */
function absence(
  fields: Partial<SourceRecord> & Pick<SourceRecord, 'sourceId' | 'kind' | 'date'>,
): SourceRecord {
  return aSourceRecord({
    pupil: { localId: PERSON },
    ...fields,
  });
}

function lesson(fields: Omit<Lesson, 'sourceSystem' | 'sourceId'>): Lesson {
  return { ...fields, sourceSystem: 'magister', sourceId: fields.lessonId };
}

describe('magister adapter: shared example magister-absenties.json', () => {
  const out = adapter.parse(shared('magister-absenties.json'));

  it('reads all five items, quarantines none and yields no timetable', () => {
    assert.equal(out.records.length, 5);
    expect(out.quarantined).toEqual([]);
    expect(out.lessons).toEqual([]);
  });

  it('5001: absent, Start 2026-01-12T23:00Z is 13 January; times from the embedded Afspraak', () => {
    expect(out.records[0]).toEqual(
      absence({
        sourceId: '5001',
        kind: 'ABSENT',
        authorisedFlag: false,
        reasonCode: 'SP',
        date: '2026-01-13',
        start: '2026-01-13T08:20:00Z',
        end: '2026-01-13T09:10:00Z',
        lessonHourFrom: 2,
        lessonHourTo: 2,
        lessonRef: '7002',
        lesson: lesson({
          lessonId: '7002',
          pupil: PERSON,
          date: '2026-01-13',
          start: '2026-01-13T08:20:00Z',
          end: '2026-01-13T09:10:00Z',
          lessonHour: 2,
          durationMinutes: 50,
          cancelled: false,
          subject: 'ne',
          group: 'h2b',
        }),
      }),
    );
  });

  it('5002: absent but geoorloofd (tandarts), 14 January, lesson hour 1', () => {
    expect(out.records[1]).toEqual(
      absence({
        sourceId: '5002',
        kind: 'ABSENT',
        authorisedFlag: true,
        reasonCode: 'TA',
        date: '2026-01-14',
        start: '2026-01-14T07:30:00Z',
        end: '2026-01-14T08:20:00Z',
        lessonHourFrom: 1,
        lessonHourTo: 1,
        lessonRef: '7010',
        lesson: lesson({
          lessonId: '7010',
          pupil: PERSON,
          date: '2026-01-14',
          start: '2026-01-14T07:30:00Z',
          end: '2026-01-14T08:20:00Z',
          lessonHour: 1,
          durationMinutes: 50,
          cancelled: false,
          subject: 'wi',
          group: 'h2b',
        }),
      }),
    );
  });

  it('5003: late, no Afspraak: AfspraakId as the lesson reference only, no times', () => {
    expect(out.records[2]).toEqual(
      absence({
        sourceId: '5003',
        kind: 'LATE',
        authorisedFlag: false,
        reasonCode: 'TL',
        date: '2026-01-15',
        lessonHourFrom: 3,
        lessonHourTo: 3,
        lessonRef: '7021',
      }),
    );
  });

  it('5004: sick, no Afspraak, AfspraakId 0 and no Lesuur: the whole of 16 January', () => {
    expect(out.records[3]).toEqual(
      absence({
        sourceId: '5004',
        kind: 'SICK',
        authorisedFlag: true,
        reasonCode: 'ZK',
        date: '2026-01-16',
        wholeDay: true,
      }),
    );
  });

  it('5005: homework forgotten is kept as NOT_ATTENDANCE (normalisation drops it), lesson hour 5', () => {
    expect(out.records[4]).toEqual(
      absence({
        sourceId: '5005',
        kind: 'NOT_ATTENDANCE',
        authorisedFlag: false,
        reasonCode: 'HV',
        date: '2026-01-16',
        lessonHourFrom: 5,
        lessonHourTo: 5,
        lessonRef: '7040',
      }),
    );
  });

  it('keeps no description, teacher, room or other text of the source in the records', () => {
    const text = JSON.stringify(out.records);
    for (const absent of ['Spijbelen', 'Tandarts', 'Te laat', 'Ziek gemeld', 'JDK', 'PVS', 'A12', 'B03']) {
      assert.ok(!text.includes(absent), `records must not contain ${absent}`);
    }
  });
});

describe('magister adapter: shared example magister-afspraken.json', () => {
  const out = adapter.parse(shared('magister-afspraken.json'));

  it('gives two lessons in UTC with Amsterdam dates, the second cancelled (Status 5)', () => {
    expect(out.records).toEqual([]);
    expect(out.quarantined).toEqual([]);
    expect(out.lessons).toEqual([
      lesson({
        lessonId: '1181',
        pupil: PERSON,
        date: '2026-09-01',
        start: '2026-09-01T08:30:00Z',
        end: '2026-09-01T09:30:00Z',
        lessonHour: 3,
        durationMinutes: 60,
        cancelled: false,
        subject: 'en',
        group: 'k3a',
      }),
      lesson({
        lessonId: '1116',
        pupil: PERSON,
        date: '2026-09-01',
        start: '2026-09-01T09:30:00Z',
        end: '2026-09-01T10:30:00Z',
        lessonHour: 4,
        durationMinutes: 60,
        cancelled: true,
        subject: 'ak',
        group: 'k3a',
      }),
    ]);
  });

  it('never keeps teacher codes or names', () => {
    const text = JSON.stringify(out.lessons);
    for (const teacher of ['DCMT', 'DCIP', 'Tiemens', 'Peters']) assert.ok(!text.includes(teacher));
  });

  it('without a person id the lessons carry no pupil (it is optional for lessons)', () => {
    const lessons = magisterAdapter.parse(shared('magister-afspraken.json')).lessons;
    assert.equal(lessons.length, 2);
    assert.ok(lessons.every((l) => !('pupil' in l)));
  });
});

describe('magister adapter: the pupil', () => {
  const payload = shared('magister-absenties.json');

  it('the default adapter quarantines every absence of a payload without PersoonId (MISSING_FIELD)', () => {
    const out = magisterAdapter.parse(payload);
    expect(out.records).toEqual([]);
    expect(out.quarantined.map((q) => [q.sourceId, q.reason])).toEqual(
      ['5001', '5002', '5003', '5004', '5005'].map((id) => [id, 'MISSING_FIELD']),
    );
    assert.ok(out.quarantined.every((q) => q.detail.includes('PersoonId')));
  });

  it('the default adapter reads a top-level PersoonId (number) or persoonId (string)', () => {
    const envelope = JSON.parse(payload) as Record<string, unknown>;
    for (const [key, id] of [
      ['PersoonId', 4216],
      ['persoonId', '4216'],
    ] as const) {
      const out = magisterAdapter.parse(JSON.stringify({ ...envelope, [key]: id }));
      assert.equal(out.records.length, 5);
      assert.ok(out.records.every((r) => r.pupil.localId === '4216'));
    }
  });

  it('a payload whose PersoonId differs from the configured person is refused as a whole', () => {
    const envelope = JSON.parse(payload) as Record<string, unknown>;
    const out = adapter.parse(JSON.stringify({ ...envelope, PersoonId: 9999 }));
    expect(out.records).toEqual([]);
    assert.equal(out.quarantined.length, 1);
    assert.equal(out.quarantined[0].reason, 'MALFORMED_PAYLOAD');
    assert.equal(out.quarantined[0].sourceId, null);
    assert.ok(!out.quarantined[0].detail.includes('9999'));
  });

  it('a blank configured person id counts as none', () => {
    const out = createMagisterAdapter({ personId: '  ' }).parse(payload);
    assert.equal(out.quarantined.length, 5);
  });
});

describe('magister adapter: envelope', () => {
  it('declares its system and what it produces', () => {
    assert.equal(magisterAdapter.system, 'magister');
    expect([...magisterAdapter.produces]).toEqual(['records', 'lessons']);
  });

  it('an empty Items list gives nothing and quarantines nothing', () => {
    expect(adapter.parse('{"Items":[],"TotalCount":0,"Links":[]}')).toEqual({
      records: [],
      lessons: [],
      quarantined: [],
    });
  });

  it('reads a payload that starts with a byte-order mark', () => {
    assert.equal(adapter.parse(`\uFEFF${shared('magister-absenties.json')}`).records.length, 5);
  });

  it('keeps the unreadable payload itself as the raw input of its quarantine entry', () => {
    const out = adapter.parse('{"Items": [');
    assert.equal(out.quarantined.length, 1);
    assert.equal(out.quarantined[0].raw, '{"Items": [');
    assert.equal(out.quarantined[0].detail, 'payload is not valid JSON');
  });

  it('the same payload always gives the same output', () => {
    const payload = shared('magister-absenties.json');
    expect(adapter.parse(payload)).toEqual(adapter.parse(payload));
  });

  it('a bad item keeps its raw form and id; the items after it still become records', () => {
    const envelope = JSON.parse(shared('magister-absenties.json')) as { Items: Record<string, unknown>[] };
    const items = [{ ...envelope.Items[0], Verantwoordingtype: 5 }, ...envelope.Items.slice(1)];
    const out = adapter.parse(JSON.stringify({ ...envelope, Items: items }));
    assert.equal(out.records.length, 4);
    assert.equal(out.quarantined.length, 1);
    assert.equal(out.quarantined[0].reason, 'UNKNOWN_KIND');
    assert.equal(out.quarantined[0].sourceId, '5001');
    expect(out.quarantined[0].raw).toEqual(items[0]);
  });
});

describe('magister adapter: absence details', () => {
  const item = {
    Id: 1,
    Start: '2026-01-12T23:00:00.0000000Z',
    Eind: '2026-01-12T23:00:00.0000000Z',
    Lesuur: null,
    Geoorloofd: true,
    AfspraakId: 0,
    Verantwoordingtype: 1,
    Code: 'X',
    Afspraak: null,
  };
  /** The item with some fields changed; a changed Start moves Eind along unless Eind is given too. */
  const one = (fields: Record<string, unknown>) => {
    const eind = 'Start' in fields && !('Eind' in fields) ? { Eind: fields['Start'] } : {};
    const out = adapter.parse(JSON.stringify({ Items: [{ ...item, ...eind, ...fields }] }));
    return { record: out.records[0], quarantine: out.quarantined[0] };
  };

  it('maps every known Verantwoordingtype and quarantines 5, 0, 9 and -1', () => {
    const kinds = [1, 2, 3, 4, 6, 7, 8].map((t) => one({ Verantwoordingtype: t }).record?.kind);
    expect(kinds).toEqual([
      'ABSENT',
      'LATE',
      'SICK',
      'SENT_OUT',
      'EXEMPTION',
      'NOT_ATTENDANCE',
      'NOT_ATTENDANCE',
    ]);
    for (const t of [5, 0, 9, -1])
      assert.equal(one({ Verantwoordingtype: t }).quarantine?.reason, 'UNKNOWN_KIND');
    assert.equal(one({ Verantwoordingtype: 1.5 }).quarantine?.reason, 'WRONG_TYPE');
    assert.equal(one({ Verantwoordingtype: null }).quarantine?.reason, 'MISSING_FIELD');
  });

  it('Geoorloofd missing is null, never false', () => {
    assert.equal(one({ Geoorloofd: undefined }).record?.authorisedFlag, null);
    assert.equal(one({ Geoorloofd: null }).record?.authorisedFlag, null);
    assert.equal(one({ Geoorloofd: 1 }).quarantine?.reason, 'WRONG_TYPE');
  });

  it('Code is trimmed; empty or blank is null; a number is the wrong type', () => {
    assert.equal(one({ Code: ' ZK  ' }).record?.reasonCode, 'ZK');
    assert.equal(one({ Code: '   ' }).record?.reasonCode, null);
    assert.equal(one({ Code: undefined }).record?.reasonCode, null);
    assert.equal(one({ Code: 12 }).quarantine?.reason, 'WRONG_TYPE');
  });

  it('summer time: 22:00Z is local midnight of the next day', () => {
    assert.equal(one({ Start: '2026-06-30T22:00:00.0000000Z' }).record?.date, '2026-07-01');
  });

  it('reads the date on both sides of the DST changes of 2026 (29 March, 25 October)', () => {
    assert.equal(one({ Start: '2026-03-28T23:00:00.0000000Z' }).record?.date, '2026-03-29');
    assert.equal(one({ Start: '2026-03-29T22:00:00.0000000Z' }).record?.date, '2026-03-30');
    assert.equal(one({ Start: '2026-10-24T22:00:00.0000000Z' }).record?.date, '2026-10-25');
    assert.equal(one({ Start: '2026-10-25T23:00:00.0000000Z' }).record?.date, '2026-10-26');
  });

  it('a zone-less Start is already the local date', () => {
    assert.equal(one({ Start: '2026-01-13T00:00:00' }).record?.date, '2026-01-13');
  });

  it('lesson reference: AfspraakId, else the embedded Afspraak, else Lesuur only, else whole day', () => {
    expect(pick(one({ AfspraakId: 55 }).record)).toEqual({
      lessonRef: '55',
      hours: [null, null],
      wholeDay: false,
    });
    expect(pick(one({ Lesuur: 4 }).record)).toEqual({ lessonRef: null, hours: [4, 4], wholeDay: false });
    expect(pick(one({}).record)).toEqual({ lessonRef: null, hours: [null, null], wholeDay: true });
    const embedded = one({
      Afspraak: {
        Id: 77,
        Start: '2026-01-13T08:20:00.0000000Z',
        Einde: '2026-01-13T10:00:00.0000000Z',
        LesuurVan: 2,
        LesuurTotMet: 3,
        Type: 13,
        Status: 1,
      },
    }).record;
    expect(pick(embedded)).toEqual({ lessonRef: '77', hours: [2, 3], wholeDay: false });
    assert.equal(embedded?.lesson?.durationMinutes, 100);
  });

  it('an Afspraak that is not an object, or with a bad field, quarantines the absence naming the field', () => {
    assert.equal(one({ Afspraak: 'x' }).quarantine?.reason, 'WRONG_TYPE');
    const q = one({ Afspraak: { Id: 77, Start: '2026-01-13T08:20:00Z' } }).quarantine;
    assert.equal(q?.reason, 'MISSING_FIELD');
    assert.equal(q?.detail, 'Afspraak.Einde is missing');
  });

  it('a span of whole days (Eind on a later date) ends at local midnight after its last day', () => {
    const record = one({
      Start: '2026-03-29T22:00:00.0000000Z',
      Eind: '2026-03-31T22:00:00.0000000Z',
    }).record;
    assert.equal(record?.date, '2026-03-30');
    assert.equal(record?.wholeDay, true);
    assert.equal(record?.end, '2026-04-02T00:00:00');
    assert.equal(record?.endInclusive, false);
  });

  it('Eind on the same date or missing leaves end null', () => {
    assert.equal(one({}).record?.end, null);
    assert.equal(one({ Eind: undefined }).record?.end, null);
  });
});

function pick(record: SourceRecord | undefined) {
  return {
    lessonRef: record?.lessonRef,
    hours: [record?.lessonHourFrom, record?.lessonHourTo],
    wholeDay: record?.wholeDay,
  };
}
