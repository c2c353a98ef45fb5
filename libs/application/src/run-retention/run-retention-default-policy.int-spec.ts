import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type BoardScope, FixedClock, pupilPseudonym } from '#domain';
import {
  type DataSource,
  TypeOrmPolicyVersionStore,
  TypeOrmPupilRegistry,
  TypeOrmRecordBatchRepository,
  TypeOrmRetentionStore,
  openDatabase,
} from '#persistence';
import { createTestDatabase, defaultPolicyText, someCanonicalRecords, type TestDatabase } from '#testing';
import { PolicyResolver, PrivacyPolicyEngine } from '../privacy-engine/index.js';
import { PutPupilCommand, PutPupilUseCase } from '../put-pupil/index.js';
import { RunRetentionUseCase } from './run-retention.usecase.js';
import { recordsChangedEvents } from '../shared/record-batch.helpers.js';

const KEY = Buffer.alloc(32, 9);
const pseudonymise = (board: string, localId: string): string => pupilPseudonym(KEY, board, localId);

/** A board that never approved a policy of its own is kept to the shipped default policy's periods. */
describe('retention job on a board without a policy of its own', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
  const board = 'B-NOPOL';
  const scope: BoardScope = { board, schools: null };
  const staff = { role: 'school_staff' as const, subject: 'staff', board, schools: ['99XX'] };

  const count = async (sql: string, ...params: unknown[]): Promise<number> =>
    Number((await dataSource.query(sql, params))[0].n);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    await new PutPupilUseCase(new TypeOrmPupilRegistry(dataSource, KEY), pseudonymise, clock).execute(
      PutPupilCommand.create(staff, 'left', {
        school: '99XX',
        birthDate: '2004-01-01',
        sector: 'vo',
        enrolledFrom: '2016-08-01',
        leftOn: '2020-07-01',
      }),
    );
    // The same records twice, the second time changed: version 2 current, version 1 in the history.
    const batches = new TypeOrmRecordBatchRepository(dataSource);
    const first = someCanonicalRecords(2, 'left').map((r) => ({ ...r, pupil: { localId: 'left' } }));
    const changed = first.map((r) => ({ ...r, missedMinutes: (r.missedMinutes ?? 0) + 5 }));
    for (const records of [first, changed]) {
      const id = randomUUID();
      await batches.saveSubmitted(
        scope,
        { id, board, submittedBy: 's', receivedAt: new Date('2020-01-01T00:00:00Z'), records },
        recordsChangedEvents(id, board),
      );
    }
    // A quarantined item of no known pupil, received five months ago: past the default policy's P3M.
    const batch: { id: string }[] = await dataSource.query(`SELECT id FROM record_batch LIMIT 1`);
    await dataSource.query(
      `INSERT INTO quarantined_input (board, school, batch_id, source_system, source_id, reason, detail, received_at)
       VALUES ($1, '99XX', $2, 'magister', 'q', 'UNMAPPED_REASON', 'd', '2025-10-01')`,
      [board, batch[0].id],
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('uses the shipped default policy, and deletes superseded record versions with the current ones', async () => {
    assert.equal(
      await count('SELECT count(*) AS n FROM canonical_record_version WHERE board = $1', board),
      2,
      'the setup left two superseded versions',
    );
    const engine = new PrivacyPolicyEngine();
    const resolver = new PolicyResolver(
      new TypeOrmPolicyVersionStore(dataSource),
      engine,
      defaultPolicyText(),
    );
    const job = new RunRetentionUseCase(
      new TypeOrmRetentionStore(dataSource),
      resolver,
      engine,
      clock,
      randomUUID,
    );
    const result = await job.execute();
    const mine = result.boards.find((b) => b.board === board)!;
    expect(mine.policy).toEqual({ id: resolver.defaultPolicy.id, version: resolver.defaultPolicy.version });
    assert.equal(mine.deleted['absence'], 2);
    assert.equal(mine.deleted['quarantine'], 1, 'P3M of the default policy, not the built-in P5Y');
    assert.equal(await count('SELECT count(*) AS n FROM canonical_record WHERE board = $1', board), 0);
    assert.equal(
      await count('SELECT count(*) AS n FROM canonical_record_version WHERE board = $1', board),
      0,
    );
  });
});
