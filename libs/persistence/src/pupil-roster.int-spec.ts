import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { RosterEntry } from '#domain';
import { createTestDatabase, type TestDatabase } from '#testing';
import { openDatabase } from './data-source.js';
import { TypeOrmPupilRegistry } from './repositories/pupil-registry.repository.js';
import { TypeOrmPupilRosterStore } from './repositories/pupil-roster.repository.js';

const KEY = randomBytes(32);
const AT = new Date('2026-01-05T09:00:00Z');

/**
 * The roster store as the werkvoorraad's pupil finder (ADR 0019): name, group and mentor filters, scope by
 * school, and the encryption binding a value to its pupil. PGlite by default, PostgreSQL when DATABASE_URL is set.
 */
describe('roster store: finding pupils by name, group and mentor', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let roster: TypeOrmPupilRosterStore;
  const board = 'B-ROSTER';

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    const pupils = new TypeOrmPupilRegistry(dataSource, KEY);
    roster = new TypeOrmPupilRosterStore(dataSource, KEY);
    const entries: [string, string, RosterEntry][] = [
      [
        '99XX',
        '1',
        { name: { roepnaam: 'Daan', achternaam: 'Proefsma' }, group: '2A', mentor: 'M. Mentorink' },
      ],
      [
        '99XX',
        '2',
        { name: { roepnaam: 'Emma', achternaam: 'Testmans' }, group: '2A', mentor: 'R. Begeleider' },
      ],
      [
        '99XX',
        '3',
        { name: { roepnaam: 'Sem', achternaam: 'Proefsma' }, group: '3B', mentor: 'M. Mentorink' },
      ],
      ['99XY', '1', { name: { roepnaam: 'Noor', achternaam: 'Proefsma' }, group: '2A', mentor: null }],
    ];
    for (const [school, localId, entry] of entries) {
      await pupils.upsert(
        { board, schools: null },
        localId,
        { school, birthDate: '2012-01-01', sector: 'vo', enrolledFrom: '2024-08-19' },
        `pp_${school}_${localId}`,
        AT,
      );
      assert.equal(await roster.put(board, school, localId, entry, 'api', AT), true);
    }
    assert.equal(await roster.put(board, '99XX', 'unknown', entries[0][2], 'api', AT), false);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const ids = (found: readonly { school: string; localId: string }[]) =>
    found.map((p) => `${p.school}/${p.localId}`);

  it('finds by name, by group and by mentor (case and spacing ignored), each within the schools given', async () => {
    expect(ids(await roster.find(board, ['99XX'], { q: 'proefs' }))).toEqual(['99XX/1', '99XX/3']);
    expect(ids(await roster.find(board, null, { q: 'proefs' }))).toEqual(['99XX/1', '99XX/3', '99XY/1']);
    expect(ids(await roster.find(board, ['99XX'], { group: ' 2a ' }))).toEqual(['99XX/1', '99XX/2']);
    expect(ids(await roster.find(board, ['99XX'], { mentor: 'm.  mentorink' }))).toEqual([
      '99XX/1',
      '99XX/3',
    ]);
    expect(ids(await roster.find(board, ['99XX'], { group: '2A', mentor: 'M. Mentorink' }))).toEqual([
      '99XX/1',
    ]);
    expect(ids(await roster.find(board, ['99XX'], { q: '2' }))).toEqual(['99XX/2']); // 'a pupil number'
    expect(ids(await roster.find(board, [], { q: 'proefs' }))).toEqual([]);
    expect(ids(await roster.find(board, ['99XX'], { q: '  ' }))).toEqual([]);
  });

  it("names a page's pupils: only those asked for, each at its own school, none without roster data", async () => {
    const named = await roster.rosterOf(board, [
      { school: '99XY', localId: '1' },
      { school: '99XX', localId: '3' },
      { school: '99XX', localId: 'unknown' },
      { school: '98ZZ', localId: '1' },
    ]);
    expect(named.map((p) => [p.school, p.localId, p.displayName, p.group]).sort()).toEqual([
      ['99XX', '3', 'Sem Proefsma', '3B'],
      ['99XY', '1', 'Noor Proefsma', '2A'],
    ]);
    expect(await roster.rosterOf(board, [])).toEqual([]);
    expect(await roster.rosterOf('OTHER-BOARD', [{ school: '99XX', localId: '3' }])).toEqual([]);
  });

  it('lists a school and decrypts only with the right key and the right pupil', async () => {
    const list = await roster.listSchool(board, '99XX', 10);
    expect(list.map((e) => e.displayName)).toEqual(['Daan Proefsma', 'Emma Testmans', 'Sem Proefsma']);
    // A ciphertext copied onto another pupil's row does not decrypt there (bound to the pupil's pseudonym).
    await dataSource.query(
      `UPDATE pupil SET roster_name_encrypted = (SELECT roster_name_encrypted FROM pupil WHERE board = $1
         AND school_brin = '99XX' AND local_id = '1') WHERE board = $1 AND school_brin = '99XX' AND local_id = '2'`,
      [board],
    );
    await assert.rejects(roster.get(board, '99XX', '2'));
    await assert.rejects(new TypeOrmPupilRosterStore(dataSource, randomBytes(32)).get(board, '99XX', '1'));
  });
});
