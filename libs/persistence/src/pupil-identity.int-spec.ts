import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { type PupilFacts, isDomainError, pupilPseudonym, schoolPupilPseudonym } from '#domain';
import { createTestDatabase, type TestDatabase } from '#testing';
import { openDatabase } from './data-source.js';
import { MIGRATIONS } from './migrations/index.js';
import {
  TypeOrmBoardSettingsStore,
  TypeOrmPupilDirectory,
  storedPseudonymiser,
} from './repositories/board-settings.repository.js';
import { TypeOrmPupilRegistry } from './repositories/pupil-registry.repository.js';
import { TypeOrmPersonalNumberSource } from './repositories/personal-number.repository.js';

const KEY = randomBytes(32);
const DATA_KEY = randomBytes(32);
const facts = (school: string, bsn?: string): PupilFacts => ({
  school,
  birthDate: '2010-04-01',
  sector: 'vo',
  enrolledFrom: '2022-08-22',
  ...(bsn ? { bsn } : {}),
});

/**
 * ADR 0017 in the store: migration 1765430000000 turns (board, local id) pupils into (board, administration,
 * local id) pupils without touching their pseudonyms; the board setting re-keys them. PGlite by default,
 * PostgreSQL when DATABASE_URL is set.
 */
describe('the identity of a pupil in the store (migration, pseudonyms, board setting)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let board: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('migrates pupils of the old shape to per-school identity, keeping every pseudonym', async () => {
    board = `B-${randomUUID().slice(0, 8)}`;
    // Back to the schema before ADR 0017, and data in its shape (as a running gateway wrote it).
    // Later migrations are undone first, down to and including PupilIdentity.
    const pupilColumns = async (): Promise<{ column_name: string }[]> =>
      dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'pupil'`);
    for (
      let i = 0;
      i < MIGRATIONS.length && (await pupilColumns()).some((c) => c.column_name === 'administration');
      i++
    ) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    const columns = await pupilColumns();
    assert.ok(
      !columns.some((c) => c.column_name === 'administration'),
      'the old shape has no administration',
    );
    const old = [
      { localId: '1001', school: '99XX' },
      { localId: '1002', school: '99XY' },
    ];
    for (const { localId, school } of old) {
      await dataSource.query(
        `INSERT INTO pupil (board, local_id, pseudonym, school_brin, birth_date, sector, enrolled_from, created_at,
           updated_at) VALUES ($1, $2, $3, $4, '2010-04-01', 'vo', '2022-08-22', now(), now())`,
        [board, localId, pupilPseudonym(KEY, board, localId), school],
      );
    }
    await dataSource.runMigrations({ transaction: 'each' });

    const rows: { local_id: string; administration: string; pseudonym: string }[] = await dataSource.query(
      `SELECT local_id, administration, pseudonym FROM pupil WHERE board = $1 ORDER BY local_id`,
      [board],
    );
    expect(rows).toEqual(
      old.map(({ localId, school }) => ({
        local_id: localId,
        administration: school,
        pseudonym: pupilPseudonym(KEY, board, localId),
      })),
    );
    // Audit entries and access reports look pupils up by the pseudonym: it is still the one they were logged with.
    const pseudonymise = storedPseudonymiser(dataSource, KEY);
    assert.equal(await pseudonymise(board, '1001', '99XX'), pupilPseudonym(KEY, board, '1001'));
    assert.equal(await pseudonymise(board, '1001'), pupilPseudonym(KEY, board, '1001'));
    const registry = new TypeOrmPupilRegistry(dataSource, DATA_KEY);
    const found = await registry.find({ board, schools: ['99XX'] }, '1001');
    assert.equal(found?.administration, '99XX');
    assert.equal(await registry.pseudonymOf(board, '99XX', '1001'), pupilPseudonym(KEY, board, '1001'));
  });

  it('a second school’s child with the same number is another pupil, with a pseudonym of its own', async () => {
    const registry = new TypeOrmPupilRegistry(dataSource, DATA_KEY);
    const pseudonymise = storedPseudonymiser(dataSource, KEY);
    const pseudonym = await pseudonymise(board, '1001', '99XY');
    assert.equal(pseudonym, schoolPupilPseudonym(KEY, board, '99XY', '1001'));
    assert.notEqual(pseudonym, pupilPseudonym(KEY, board, '1001'));
    const created = await registry.upsert(
      { board, schools: ['99XY'] },
      { administration: '99XY', localId: '1001' },
      facts('99XY', '111222333'),
      pseudonym,
      new Date(),
    );
    assert.equal(created.created, true);
    assert.equal(await pseudonymise(board, '1001', '99XY'), pseudonym);
    assert.equal(await pseudonymise(board, '1001', '99XX'), pupilPseudonym(KEY, board, '1001'));
    // Each school's staff sees its own child; the whole board must name the school.
    assert.equal((await registry.find({ board, schools: ['99XX'] }, '1001'))?.school, '99XX');
    assert.equal((await registry.find({ board, schools: ['99XY'] }, '1001'))?.school, '99XY');
    await assert.rejects(
      () => registry.find({ board, schools: null }, '1001'),
      (error) => isDomainError(error) && error.code === 'PUPIL_AMBIGUOUS' && error.kind === 'conflict',
    );
    assert.equal((await registry.find({ board, schools: null }, '1001', '99XY'))?.school, '99XY');
    // Many numbers in one read (the signals' evaluation), as `find` names each; several → null, not an error.
    const each = await registry.findEach({ board, schools: null }, [
      { localId: '1001', school: '99XY' },
      { localId: '1001', school: null },
      { localId: '1001', school: '99XX' },
      { localId: 'nobody', school: '99XX' },
      { localId: '1001', school: '99ZZ' },
    ]);
    expect(each.map((p) => p && `${p.administration}/${p.school}`)).toEqual([
      '99XY/99XY',
      null,
      '99XX/99XX',
      null,
      null,
    ]);
    const own = await registry.findEach({ board, schools: ['99XY'] }, [{ localId: '1001', school: null }]);
    expect(own.map((p) => p?.school)).toEqual(['99XY']);
    // The BSN goes with the right child only.
    const numbers = new TypeOrmPersonalNumberSource(dataSource, DATA_KEY);
    assert.equal(await numbers.bsnOf(board, '1001', '99XY'), '111222333');
    assert.equal(await numbers.bsnOf(board, '1001', '99XX'), null);
    assert.equal(await numbers.bsnOf(board, '1001'), null, 'no number rather than perhaps the wrong one');
  });

  it('a board declares one shared administration only while its numbers are unique; pseudonyms stay', async () => {
    const settings = new TypeOrmBoardSettingsStore(dataSource);
    const directory = new TypeOrmPupilDirectory(dataSource);
    assert.equal((await settings.get(board)).sharedAdministration, false);
    await assert.rejects(
      () => settings.save(board, true, 'admin', new Date()),
      (error) => isDomainError(error) && error.code === 'PUPIL_NUMBERS_COLLIDE' && error.kind === 'conflict',
    );
    assert.equal(await directory.sharedAdministration(board), false, 'nothing changed');

    const other = `B-${randomUUID().slice(0, 8)}`;
    const registry = new TypeOrmPupilRegistry(dataSource, DATA_KEY);
    const legacy = pupilPseudonym(KEY, other, '7');
    await registry.upsert({ board: other, schools: ['99XX'] }, '7', facts('99XX'), legacy, new Date());
    const saved = await settings.save(other, true, 'admin', new Date());
    assert.equal(saved.sharedAdministration, true);
    expect(await directory.registeredAt(other, ['7', '8'])).toEqual([
      { localId: '7', school: '99XX', administration: '*' },
    ]);
    const shared = await registry.findEach({ board: other, schools: null }, [
      { localId: '7', school: '99XY' },
      { localId: '7', school: null },
      { localId: '8', school: '99XX' },
    ]);
    expect(shared.map((p) => p && `${p.administration}/${p.school}`)).toEqual(['*/99XX', '*/99XX', null]);
    assert.equal(await storedPseudonymiser(dataSource, KEY)(other, '7', '99XY'), legacy);
    // Back to one administration per school: the pupil is its school's again, same pseudonym.
    await settings.save(other, false, 'admin', new Date());
    expect(await directory.registeredAt(other, ['7'])).toEqual([
      { localId: '7', school: '99XX', administration: '99XX' },
    ]);
    assert.equal(await registry.pseudonymOf(other, '99XX', '7'), legacy);
  });
});
