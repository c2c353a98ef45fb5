import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { safeXmlParser } from '#adapter-kit';
import { QUARANTINE_REASONS } from '#domain';
import {
  buildGetLeerlingenRequest,
  parseParnassysRoster,
  parnassysRosterReader,
  type ParnassysRoster,
} from './index.js';

// Compiled to dist/libs/adapters/parnassys/src/: six levels up is the folder holding the checkout and ../shared.
const shared = fileURLToPath(new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url));
const corpus = fileURLToPath(new URL('../../../../../libs/adapters/parnassys/fixtures/', import.meta.url));
const read = (path: string): string => readFileSync(path, 'utf8');

function parse(xml: string): ParnassysRoster {
  let roster: ParnassysRoster | undefined;
  assert.doesNotThrow(() => {
    roster = parseParnassysRoster(xml);
  });
  for (const item of roster!.quarantined) assert.equal(item.sourceSystem, 'parnassys');
  return roster!;
}

describe('ParnasSys getLeerlingen roster', () => {
  it('reads every pupil field of the shared response fixture exactly, and nothing else', () => {
    const roster = parseParnassysRoster(read(`${shared}parnassys-getleerlingen-response.xml`), {
      school: '99OI',
    });
    expect(roster).toEqual({
      pupils: [
        {
          localId: '777001',
          leerlingnummer: '1402',
          birthDate: '2016-04-02',
          birthDateUncertain: false,
          school: '99OI',
          name: { roepnaam: 'Daan', voornamen: 'Daniel Johannes', tussenvoegsel: 'de', achternaam: 'Vries' },
          enrolledFrom: '2019-09-01',
          enrolledUntil: null,
          group: { name: 'Groep 6A', from: '2025-08-25', until: '2026-07-10', teacher: null },
          municipalityName: 'Alkmaar',
        },
      ],
      quarantined: [],
    });
  });

  it('yields no attendance records: the result has only pupils and quarantined', () => {
    const roster = parse(read(`${shared}parnassys-getleerlingen-response.xml`));
    expect(Object.keys(roster).sort()).toEqual(['pupils', 'quarantined']);
    assert.equal(roster.pupils[0].school, undefined);
  });

  it('keeps no address, phone, birthplace or gender (the name only for the pupil page, ADR 0019)', () => {
    const text = JSON.stringify(parse(read(`${shared}parnassys-getleerlingen-response.xml`)));
    for (const value of ['Dorpsstraat', '1811JJ', '0721234567', 'MAN', 'geslacht', 'geboorteplaats'])
      assert.ok(!text.includes(value), `${value} leaked`);
  });

  it("reads the name as the school calls the pupil and the group's head leerkracht, nothing more of staff", () => {
    const roster = parse(read(`${corpus}ok/getleerlingen-names-and-teacher.xml`));
    expect(roster.pupils.map((p) => ({ localId: p.localId, name: p.name, group: p.group }))).toEqual([
      {
        localId: '880001',
        name: {
          roepnaam: 'Fenna',
          voornamen: 'Fenna Maria',
          tussenvoegsel: "van 't",
          achternaam: 'Voorbeeldhof',
        },
        group: { name: 'Groep 4B', from: '2025-08-25', until: null, teacher: 'Ans van Proefhuis' },
      },
      {
        localId: '880002',
        name: { voornamen: 'Sem Pieter', achternaam: 'Çelik-Testmans' },
        group: { name: 'Groep 4B', from: '2025-08-25', until: null, teacher: 'Ans van Proefhuis' },
      },
    ]);
    const text = JSON.stringify(roster);
    for (const value of ['school.example', 'VROUW', 'Bert'])
      assert.ok(!text.includes(value), `${value} leaked`);
  });

  it('as a roster reader: name, group and mentor per pupil, problems without the item', () => {
    const read1 = parnassysRosterReader.read(read(`${corpus}ok/getleerlingen-names-and-teacher.xml`), {
      school: '99OI',
    });
    assert.equal(parnassysRosterReader.system, 'parnassys');
    expect(read1.pupils[0]).toEqual({
      localId: '880001',
      entry: {
        name: {
          roepnaam: 'Fenna',
          voornamen: 'Fenna Maria',
          tussenvoegsel: "van 't",
          achternaam: 'Voorbeeldhof',
        },
        group: 'Groep 4B',
        mentor: 'Ans van Proefhuis',
      },
    });
    const bad = parnassysRosterReader.read(read(`${corpus}not-ok/missing-field.no-id.xml`), {
      school: '99OI',
    });
    expect(bad.problems).toEqual([
      { sourceId: null, reason: 'MISSING_FIELD', detail: 'leerlingen/leerling[0]/id is missing' },
    ]);
    assert.ok(!JSON.stringify(bad.problems).includes('Sem'));
  });

  it('reads every file in fixtures/ok without quarantine', () => {
    for (const name of readdirSync(`${corpus}ok`)) {
      const roster = parse(read(`${corpus}ok/${name}`));
      assert.equal(roster.quarantined.length, 0, name);
      assert.ok(roster.pupils.length > 0, name);
    }
  });

  it('quarantines every file in fixtures/not-ok with the code it is named after, never a throw', () => {
    const files = readdirSync(`${corpus}not-ok`);
    assert.ok(files.length >= 9);
    for (const name of files) {
      const code = name.split('.')[0].toUpperCase().replaceAll('-', '_');
      assert.ok((QUARANTINE_REASONS as readonly string[]).includes(code), name);
      const roster = parse(read(`${corpus}not-ok/${name}`));
      assert.equal(roster.quarantined.length, 1, name);
      assert.equal(roster.quarantined[0].reason, code, name);
    }
  });

  it('rejects entity expansion and external entities before parsing', () => {
    for (const name of ['doctype-billion-laughs', 'doctype-external-entity']) {
      const roster = parse(read(`${corpus}not-ok/malformed-payload.${name}.xml`));
      expect(roster.pupils).toEqual([]);
      assert.equal(roster.quarantined[0].detail, 'payload has a DOCTYPE or ENTITY declaration');
      assert.ok(!JSON.stringify(roster).includes('root:'), 'an external entity was resolved');
    }
  });

  it('quarantines a SOAP Fault, a request, malformed and empty XML as one item each', () => {
    const details = ['soap-fault', 'not-getleerlingen-response', 'truncated-xml', 'empty'].map(
      (name) => parse(read(`${corpus}not-ok/malformed-payload.${name}.xml`)).quarantined[0].detail,
    );
    assert.equal(details[0], 'payload is a SOAP Fault');
    assert.equal(details[1], 'Body is not a getLeerlingenResponse');
    assert.match(details[2], /^payload is not well-formed XML/);
    assert.equal(details[3], 'payload is empty');
    expect(parse('{"leerlingen":[]}').quarantined[0].reason).toEqual('MALFORMED_PAYLOAD');
  });

  it('quarantines a leerling without id or birth date and keeps the others', () => {
    const noId = parse(read(`${corpus}not-ok/missing-field.no-id.xml`));
    expect(noId.quarantined.map(({ sourceId, reason, detail }) => ({ sourceId, reason, detail }))).toEqual([
      { sourceId: null, reason: 'MISSING_FIELD', detail: 'leerlingen/leerling[0]/id is missing' },
    ]);
    assert.ok(!JSON.stringify(noId.quarantined).includes('Sem'), 'a name was kept in quarantine');
    const noBirth = parse(read(`${corpus}not-ok/missing-field.no-geboortedatum.xml`));
    expect(noBirth.quarantined.map(({ sourceId, reason, detail }) => ({ sourceId, reason, detail }))).toEqual(
      [
        {
          sourceId: '777003',
          reason: 'MISSING_FIELD',
          detail: 'leerlingen/leerling[0]/geboortedatum is missing',
        },
      ],
    );
    for (const roster of [noId, noBirth])
      expect(roster.pupils).toEqual([
        {
          localId: '777002',
          leerlingnummer: '1403',
          birthDate: '2017-01-15',
          birthDateUncertain: true,
          name: null,
          enrolledFrom: null,
          enrolledUntil: null,
          group: null,
          municipalityName: null,
        },
      ]);
  });

  it('an uitschrijving ends the enrolment; an open one keeps the pupil enrolled', () => {
    const envelope = (inschrijvingen: string) =>
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getLeerlingenResponse><return>` +
      `<leerlingen><leerling><id>1</id><geboortedatum>2016-04-02</geboortedatum><inschrijvingen>${inschrijvingen}` +
      `</inschrijvingen></leerling></leerlingen></return></getLeerlingenResponse></soap:Body></soap:Envelope>`;
    const left = parse(
      envelope(
        '<inschrijving><datumInschrijving>2019-09-01</datumInschrijving><datumUitschrijving>2024-07-12</datumUitschrijving></inschrijving>',
      ),
    );
    assert.equal(left.pupils[0].enrolledFrom, '2019-09-01');
    assert.equal(left.pupils[0].enrolledUntil, '2024-07-12');
    const open = parse(
      envelope('<inschrijving><datumInschrijving>2019-09-01</datumInschrijving></inschrijving>'),
    );
    assert.equal(open.pupils[0].enrolledUntil, null);
  });
});

describe('ParnasSys getLeerlingen request', () => {
  it('builds the same element tree as the shared request fixture', () => {
    const tree = safeXmlParser({ ignoreAttributes: false, decode: true });
    const built = buildGetLeerlingenRequest({
      leveranciernaam: 'Voorbeeld Leverancier',
      leveranciersleutel: 'REDACTED',
      brinnummer: '99OI',
      schooljaar: '2025-2026',
    });
    expect(tree.parse(built)).toEqual(tree.parse(read(`${shared}parnassys-getleerlingen-request.xml`)));
  });

  it('escapes values', () => {
    const built = buildGetLeerlingenRequest({
      leveranciernaam: 'A & B <x>',
      leveranciersleutel: 'k',
      brinnummer: '99OI',
      schooljaar: '2025-2026',
    });
    assert.ok(!built.includes('<x>'));
  });
});
