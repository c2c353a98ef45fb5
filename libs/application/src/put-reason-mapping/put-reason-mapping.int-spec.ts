import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type BoardScope, FixedClock, type SourceRecord, pupilPseudonym } from '#domain';
import {
  type DataSource,
  TypeOrmPolicyVersionStore,
  TypeOrmPupilRegistry,
  TypeOrmQuarantineRepository,
  TypeOrmReasonMappingRepository,
  TypeOrmRecordBatchRepository,
  openDatabase,
} from '#persistence';
import {
  type TestDatabase,
  aCanonicalRecord,
  createTestDatabase,
  defaultPolicyText,
  aSourceRecord,
} from '#testing';
import { LegalHoldUseCase } from '../legal-hold/index.js';
import { PolicyResolver, PrivacyPolicyEngine } from '../privacy-engine/index.js';
import { PutPupilCommand, PutPupilUseCase } from '../put-pupil/index.js';
import { PutReasonMappingUseCase, parseReasonMappingUpload } from './put-reason-mapping.usecase.js';
import { recordsChangedEvents } from '../shared/record-batch.helpers.js';

const KEY = Buffer.alloc(32, 9);
const pseudonymise = (board: string, localId: string): string => pupilPseudonym(KEY, board, localId);

const sourceRecord = (sourceId: string, localId: string): SourceRecord =>
  aSourceRecord({
    sourceSystem: 'somtoday',
    sourceRecordType: 'absentiemelding',
    sourceId,
    pupil: { localId },
    authorisedFlag: true,
    reasonCode: 'MB',
    date: '2026-02-02',
    start: '2026-02-02T10:00:00+01:00',
    end: '2026-02-02T11:40:00+01:00',
    lessonHourFrom: 3,
    lessonHourTo: 4,
  });

/**
 * Replays check retention first: after a mapping fix, quarantined items of a pupil past retention, or older
 * than the quarantine period, are skipped and counted. The board has no policy: the shipped default applies
 * (absence P5Y after leaving, quarantine P3M). PGlite by default, PostgreSQL when DATABASE_URL is set.
 */
describe('reason mapping replay checks retention first', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
  const board = `B-REPLAY-${randomUUID().slice(0, 6)}`;
  const scope: BoardScope = { board, schools: null };
  const staff = { role: 'school_staff' as const, subject: 'staff', board, schools: ['99XX'] };
  let useCase: PutReasonMappingUseCase;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    const pupils = new TypeOrmPupilRegistry(dataSource, KEY);
    const batches = new TypeOrmRecordBatchRepository(dataSource);
    const put = new PutPupilUseCase(pupils, pseudonymise, clock);
    // gone: left 2020 (past P5Y); held: the same, but on legal hold; current: enrolled.
    for (const [localId, leftOn] of [
      ['gone', '2020-07-01'],
      ['held', '2020-07-01'],
      ['current', null],
    ] as const) {
      await put.execute(
        PutPupilCommand.create(staff, localId, {
          school: '99XX',
          birthDate: '2002-01-01',
          sector: 'vo',
          enrolledFrom: '2014-08-01',
          leftOn,
        }),
      );
    }
    await new LegalHoldUseCase(pupils, pseudonymise, clock).set(
      { role: 'privacy_officer', subject: 'fg', board },
      'held',
      'Procedure',
    );
    const batchId = randomUUID();
    await batches.saveSubmitted(
      scope,
      {
        id: batchId,
        board,
        submittedBy: 's',
        receivedAt: new Date('2025-01-01T00:00:00Z'),
        records: [aCanonicalRecord({ recordId: `r-${batchId}` })],
      },
      recordsChangedEvents(batchId, board),
    );
    // sourceId, pupil, received
    for (const [sourceId, localId, receivedAt] of [
      ['q-gone', 'gone', '2026-02-20T08:00:00Z'],
      ['q-held', 'held', '2026-02-20T08:00:00Z'],
      ['q-current', 'current', '2026-02-20T08:00:00Z'],
      ['q-unknown', 'nobody', '2026-02-20T08:00:00Z'],
      ['q-old', 'current', '2025-10-01T08:00:00Z'], // older than the quarantine period P3M
    ] as const) {
      await dataSource.query(
        `INSERT INTO quarantined_input (board, school, batch_id, source_system, source_id, reason, detail, raw, received_at)
         VALUES ($1, '99XX', $2, 'somtoday', $3, 'UNMAPPED_REASON', 'reason MB not in the mapping', $4, $5)`,
        [board, batchId, sourceId, JSON.stringify(sourceRecord(sourceId, localId)), receivedAt],
      );
    }
    const engine = new PrivacyPolicyEngine();
    useCase = new PutReasonMappingUseCase(
      new TypeOrmReasonMappingRepository(dataSource),
      new TypeOrmQuarantineRepository(dataSource),
      batches,
      clock,
      randomUUID,
      {
        pupils,
        policies: new PolicyResolver(new TypeOrmPolicyVersionStore(dataSource), engine, defaultPolicyText()),
        engine,
      },
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('skips and counts the expired pupil and the too old item; replays the held, current and unknown pupils', async () => {
    const result = await useCase.execute({
      actor: staff,
      system: 'somtoday',
      school: '99XX',
      mapping: parseReasonMappingUpload({
        system: 'somtoday',
        version: 'v1',
        reasons: { MB: 'MEDICAL_VISIT' },
      }),
    });
    assert.equal(result.replay.skippedPastRetention, 2);
    assert.equal(result.replay.resolved, 3);
    assert.equal(result.replay.stillQuarantined, 2);
    const replayed: { pupil_local_id: string }[] = await dataSource.query(
      'SELECT DISTINCT pupil_local_id FROM canonical_record WHERE batch_id = $1 ORDER BY pupil_local_id',
      [result.replay.batchId],
    );
    expect(replayed.map((r) => r.pupil_local_id)).toEqual(['current', 'held', 'nobody']);
    const open: { source_id: string }[] = await dataSource.query(
      `SELECT source_id FROM quarantined_input WHERE board = $1 AND resolved_at IS NULL ORDER BY source_id`,
      [board],
    );
    expect(open.map((r) => r.source_id)).toEqual(['q-gone', 'q-old']); // 'skipped items wait for the retention job'
  });

  it('a later mapping version skips them again (nothing past retention is ever replayed)', async () => {
    const result = await useCase.execute({
      actor: staff,
      system: 'somtoday',
      school: '99XX',
      mapping: parseReasonMappingUpload({ system: 'somtoday', version: 'v2', reasons: { MB: 'SICK' } }),
    });
    expect(result.replay).toEqual({
      resolved: 0,
      stillQuarantined: 2,
      batchId: null,
      skippedPastRetention: 2,
    });
  });
});
