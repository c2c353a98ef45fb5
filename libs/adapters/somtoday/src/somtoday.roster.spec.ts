import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { somtodayRosterReader } from './index.js';

const fixture = fileURLToPath(
  new URL('../../../../../libs/adapters/somtoday/fixtures/leerlingen-roster.json', import.meta.url),
);

describe('SOMtoday leerlingen as a roster (ADR 0019)', () => {
  it('reads name, stamgroep and mentor per leerling by links[0].id, nothing else of the pupil', () => {
    const read = somtodayRosterReader.read(readFileSync(fixture, 'utf8'), { school: '99XY' });
    assert.equal(somtodayRosterReader.system, 'somtoday');
    expect(read.pupils).toEqual([
      {
        localId: '7730101',
        entry: {
          name: { roepnaam: 'Tess', tussenvoegsel: 'van', achternaam: 'Proefsma' },
          group: '2havo-b',
          mentor: 'J. Coachman',
        },
      },
      {
        localId: '7730102',
        entry: { name: { roepnaam: 'Finn', achternaam: 'Testmans' }, group: null, mentor: null },
      },
    ]);
    const text = JSON.stringify(read);
    for (const value of ['leerling.example', 'school.example', 'Vrouw', '2012-04-01', '200101'])
      assert.ok(!text.includes(value), `${value} leaked`);
  });

  it('answers a leerling without id or with a wrong achternaam as a problem, never quoting it', () => {
    const read = somtodayRosterReader.read(readFileSync(fixture, 'utf8'), { school: '99XY' });
    expect(read.problems).toEqual([
      { sourceId: null, reason: 'MISSING_FIELD', detail: 'items[2].links[0].id is missing' },
      { sourceId: '7730104', reason: 'WRONG_TYPE', detail: 'items[3].achternaam is not text' },
    ]);
    assert.ok(!JSON.stringify(read.problems).includes('Zonder'));
  });

  it('answers what is not a SOMtoday list as one malformed payload, never a throw', () => {
    for (const payload of ['', '<xml/>', '{"leerlingen":[]}', '[]', 'null'])
      assert.equal(
        somtodayRosterReader.read(payload, { school: '99XY' }).problems[0]?.reason,
        'MALFORMED_PAYLOAD',
      );
  });
});
