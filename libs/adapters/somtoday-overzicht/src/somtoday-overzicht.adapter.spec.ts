import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { AdapterOutput, SourceRecord } from '#domain';
import { createSomtodayOverzichtAdapter, somtodayOverzichtAdapter } from './index.js';
import { aSourceRecord } from '#testing';

// Compiled to dist/libs/adapters/somtoday-overzicht/src/: six levels up holds main/ and shared/.
const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url));
const OWN = fileURLToPath(
  new URL('../../../../../libs/adapters/somtoday-overzicht/fixtures/', import.meta.url),
);

const read = (path: string): string => readFileSync(path, 'utf8');
const parse = (payload: string): AdapterOutput => somtodayOverzichtAdapter.parse(payload);
const ATTENDANCE_BUCKETS = [
  'ongeoorloofdAfwezig',
  'geoorloofdAfwezig',
  'teLaat',
  'verwijderd',
  'afwezigWaarnemingen',
] as const;

const EXAMPLE = read(`${SHARED}somtoday-registratieoverzicht.json`);
/** The shared example, wrapped with the pupil it would have been fetched for. */
const wrapped = (leerling: unknown): string =>
  `{"leerling":${JSON.stringify(leerling)},"registratieOverzicht":${EXAMPLE}}`;
const PUPIL = { links: [{ id: 2233445566, rel: 'self' }], leerlingnummer: 204518 };

/** The three registrations of the shared example, for pupil 2233445566. */
const EXPECTED_EXAMPLE: SourceRecord[] = [
  aSourceRecord({
    sourceSystem: 'somtoday-overzicht',
    sourceRecordType: 'absentiemelding',
    sourceId: '2',
    pupil: { localId: '2233445566', leerlingnummer: '204518' },
    authorisedFlag: false,
    reasonCode: 'Spijbelen',
    date: '2025-09-19',
    start: '2025-09-19T09:00:00+02:00',
    end: '2025-09-19T09:50:00+02:00',
  }),
  aSourceRecord({
    sourceSystem: 'somtoday-overzicht',
    sourceRecordType: 'absentiemelding',
    sourceId: '3',
    pupil: { localId: '2233445566', leerlingnummer: '204518' },
    authorisedFlag: true,
    reasonCode: 'Tandarts',
    date: '2025-09-12',
    start: '2025-09-12T11:00:00+02:00',
    end: '2025-09-12T11:50:00+02:00',
  }),
  aSourceRecord({
    // The trap: a "sent out" reason booked geoorloofd, in the late bucket. Kind, reason and flag side by side.
    sourceSystem: 'somtoday-overzicht',
    sourceRecordType: 'absentiemelding',
    pupil: { localId: '2233445566', leerlingnummer: '204518' },
    kind: 'LATE',
    authorisedFlag: true,
    reasonCode: 'Is er uit gestuurd',
    date: '2025-09-04',
    start: '2025-09-04T10:00:00+02:00',
    end: '2025-09-04T10:00:00+02:00',
    arrivedAt: '2025-09-04T10:00:00+02:00',
  }),
];

describe('somtoday-overzicht adapter: the shared example payload', () => {
  it('reads somtoday-registratieoverzicht.json wrapped with its pupil; homework and material are ignored', () => {
    expect(parse(wrapped(PUPIL))).toEqual({ records: EXPECTED_EXAMPLE, lessons: [], quarantined: [] });
  });

  it('reads the bare response with an adapter bound to the pupil it was fetched for', () => {
    const adapter = createSomtodayOverzichtAdapter({ localId: '2233445566', leerlingnummer: '204518' });
    assert.equal(adapter.system, 'somtoday-overzicht');
    expect(adapter.parse(EXAMPLE)).toEqual({ records: EXPECTED_EXAMPLE, lessons: [], quarantined: [] });
  });

  it('quarantines every registration of the bare response, which names no pupil, and drops nothing', () => {
    const out = parse(EXAMPLE);
    assert.equal(out.records.length, 0);
    expect(out.quarantined.map((q) => [q.sourceId, q.reason])).toEqual([
      ['2', 'MISSING_FIELD'],
      ['3', 'MISSING_FIELD'],
      ['1', 'MISSING_FIELD'],
    ]);
    assert.match(out.quarantined[0].detail, /^ongeoorloofdAfwezig\[0\]: leerling: missing/);
  });

  it('prefers the pupil the payload names over the bound one', () => {
    const adapter = createSomtodayOverzichtAdapter({ localId: '1' });
    expect(adapter.parse(wrapped(PUPIL)).records.map((r) => r.pupil.localId)).toEqual([
      '2233445566',
      '2233445566',
      '2233445566',
    ]);
  });
});

describe('somtoday-overzicht adapter: fixtures/ok', () => {
  const files = readdirSync(`${OWN}ok`).sort();

  it('has a corpus', () => assert.ok(files.length >= 5));

  for (const file of files) {
    it(`${file}: one record per attendance registration, no quarantine`, () => {
      const payload = read(`${OWN}ok/${file}`);
      const overview = (JSON.parse(payload) as { registratieOverzicht: Record<string, unknown[]> })
        .registratieOverzicht;
      const out = parse(payload);
      expect(out.quarantined).toEqual([]);
      assert.equal(
        out.records.length,
        ATTENDANCE_BUCKETS.map((b) => overview[b].length).reduce((a, b) => a + b),
      );
    });
  }

  const records = (file: string): readonly SourceRecord[] => parse(read(`${OWN}ok/${file}`)).records;

  it('maps each bucket to its kind, source and flag', () => {
    expect(
      records('all-attendance-buckets.json').map((r) => [
        r.sourceId,
        r.sourceRecordType,
        r.via,
        r.kind,
        r.authorisedFlag,
        r.reasonCode,
      ]),
    ).toEqual([
      ['4400200001', 'absentiemelding', 'REPORT', 'ABSENT', false, 'Spijbelen'],
      ['4400200002', 'absentiemelding', 'REPORT', 'ABSENT', true, 'Tandarts'],
      ['4400200003', 'absentiemelding', 'REPORT', 'LATE', true, 'Is er uit gestuurd'],
      ['4400200004', 'absentiemelding', 'REPORT', 'SENT_OUT', false, 'Verwijderd uit de les'],
      ['6600200001', 'waarneming', 'TEACHER_CHECK', 'ABSENT', null, 'Afwezig'],
    ]);
  });

  it('takes the flag from the bucket only when the entry has none, and never for late', () => {
    expect(records('flag-missing-in-entry.json').map((r) => r.authorisedFlag)).toEqual([false, null]);
  });

  it('keeps times as given: offsets across the DST change, naive local time naive', () => {
    const [dst] = records('whole-days-across-spring-dst-change.json');
    expect([dst.start, dst.end, dst.date]).toEqual([
      '2026-03-27T00:00:00+01:00',
      '2026-03-30T23:59:59+02:00',
      '2026-03-27',
    ]);
    const [naive] = records('naive-local-times.json');
    expect([naive.start, naive.end, naive.date]).toEqual([
      '2025-10-26T08:30:00',
      '2025-10-26T10:10:00',
      '2025-10-26',
    ]);
  });

  it('ends an open-ended entry at the end of its first local day', () => {
    const [r] = records('open-ended-entry.json');
    expect([r.start, r.end, r.endInclusive]).toEqual([
      '2026-02-09T08:30:00+01:00',
      '2026-02-10T00:00:00',
      false,
    ]);
  });

  it('reads a late arrival', () => {
    const [r] = records('late-arrival.json');
    expect([r.kind, r.arrivedAt]).toEqual(['LATE', '2026-01-19T08:47:00+01:00']);
  });

  it('never copies names or lesson details into a record', () => {
    const text = JSON.stringify(files.map((f) => records(f)));
    for (const word of ['Daan', 'Visser', '5f1e2d3c', 'b214', 'wiskunde', 'aardrijkskunde', 'KRS']) {
      assert.equal(text.includes(word), false, word);
    }
  });
});

describe('somtoday-overzicht adapter: fixtures/not-ok', () => {
  const files = readdirSync(`${OWN}not-ok`).sort();

  it('has a corpus', () => assert.ok(files.length >= 12));

  for (const file of files) {
    // The file name says the expected reason; item-level files add one good entry with registratieId 999.
    const reason = file.split('.')[0].toUpperCase().replaceAll('-', '_');
    it(`${file}: one ${reason} quarantine, the rest proceeds`, () => {
      const payload = read(`${OWN}not-ok/${file}`);
      const out = parse(payload);
      assert.equal(out.quarantined.length, 1);
      const [q] = out.quarantined;
      assert.equal(q.reason, reason);
      assert.equal(q.sourceSystem, 'somtoday-overzicht');
      assert.doesNotMatch(q.detail, /\d{5,}|Daan|Visser|Spijbelen/, 'detail names fields, never values');
      if (reason === 'MALFORMED_PAYLOAD') {
        expect([out.records.length, q.sourceId, q.raw]).toEqual([0, null, payload]);
      } else {
        const good = payload.includes('"registratieId": 999') ? ['999'] : [];
        expect(out.records.map((r) => r.sourceId)).toEqual(good);
        assert.notEqual(q.raw, undefined);
      }
    });
  }
});

describe('somtoday-overzicht adapter: robustness', () => {
  const entry = (JSON.parse(EXAMPLE) as { teLaat: Record<string, unknown>[] }).teLaat[0];
  const WRONG = [42, -1, 'x', '', true, {}, [], null, '2026-13-01T00:00:00'];

  it('gives a record or a quarantine, never a throw, for any wrong value at any field', () => {
    let cases = 0;
    for (const key of Object.keys(entry)) {
      for (const value of [...WRONG, undefined]) {
        const mutated: Record<string, unknown> = { ...entry, [key]: value };
        if (value === undefined) delete mutated[key];
        const out = parse(JSON.stringify({ leerling: PUPIL, registratieOverzicht: { teLaat: [mutated] } }));
        assert.equal(out.records.length + out.quarantined.length, 1, key);
        cases += 1;
      }
    }
    for (const value of WRONG) {
      const out = parse(JSON.stringify({ leerling: value, registratieOverzicht: { teLaat: [entry] } }));
      assert.equal(out.records.length + out.quarantined.length, 1);
      cases += 1;
    }
    assert.ok(cases > 90);
  });

  it('parses a 50 MB payload', () => {
    const template = JSON.stringify(entry);
    const entries: string[] = [];
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i += 1) {
      const item = template.replace('"registratieId":1', `"registratieId":${1_000_000 + i}`);
      entries.push(item);
      size += item.length + 1;
    }
    const out = parse(
      `{"leerling":${JSON.stringify(PUPIL)},"registratieOverzicht":{"teLaat":[${entries.join(',')}]}}`,
    );
    assert.equal(out.records.length, entries.length);
    assert.equal(out.quarantined.length, 0);
    assert.equal(new Set(out.records.map((r) => r.sourceId)).size, entries.length);
  });
});
