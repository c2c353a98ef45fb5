import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type BoardScope, FixedClock, type RetentionHook, pupilPseudonym } from '#domain';
import {
  type DataSource,
  TypeOrmAuditLog,
  TypeOrmDisclosureStore,
  TypeOrmPolicyVersionStore,
  TypeOrmPupilRegistry,
  TypeOrmPupilRosterStore,
  TypeOrmRecordBatchRepository,
  TypeOrmRetentionStore,
  openDatabase,
} from '#persistence';
import {
  createTestDatabase,
  defaultPolicyText,
  policyVariant,
  someCanonicalRecords,
  type TestDatabase,
} from '#testing';
import { LegalHoldUseCase } from '../legal-hold/index.js';
import { PolicyResolver, PrivacyPolicyEngine } from '../privacy-engine/index.js';
import { PutPupilCommand, PutPupilUseCase } from '../put-pupil/index.js';
import { RecordDisclosureUseCase } from '../record-disclosure/index.js';
import { RunRetentionUseCase } from './run-retention.usecase.js';
import { recordsChangedEvents } from '../shared/record-batch.helpers.js';

const KEY = Buffer.alloc(32, 7);
const pseudonymise = (board: string, localId: string): string => pupilPseudonym(KEY, board, localId);

/** Retention with an injected clock, on PGlite by default and PostgreSQL when DATABASE_URL is set. */
describe('retention job', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
  const board = 'B-RET';
  const scope: BoardScope = { board, schools: null };
  const staff = { role: 'school_staff' as const, subject: 'staff', board, schools: ['99XX'] };
  const officer = { role: 'privacy_officer' as const, subject: 'fg', board };
  let job: RunRetentionUseCase;
  let hookCalls: { heldLocalIds: readonly string[]; period: string }[];

  const count = async (sql: string, ...params: unknown[]): Promise<number> =>
    Number((await dataSource.query(sql, params))[0].n);
  const recordsOf = (localId: string) =>
    count(
      'SELECT count(*) AS n FROM canonical_record WHERE board = $1 AND pupil_local_id = $2',
      board,
      localId,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    const pupils = new TypeOrmPupilRegistry(dataSource, KEY);
    const batches = new TypeOrmRecordBatchRepository(dataSource);
    const policies = new TypeOrmPolicyVersionStore(dataSource);
    const disclosures = new TypeOrmDisclosureStore(dataSource);
    const engine = new PrivacyPolicyEngine();
    const roster = new TypeOrmPupilRosterStore(dataSource, KEY);
    // Roster data (ADR 0019) on every pupil: it lives and goes with the pupil's enrolment entry.
    const put = new PutPupilUseCase(pupils, pseudonymise, clock, undefined, roster);
    // gone: left 2020 (past P5Y); held: left 2020 but on legal hold; recent: left 2024; enrolled: never left
    const leftOn: Record<string, string | null> = {
      gone: '2020-07-01',
      held: '2020-07-01',
      recent: '2024-07-01',
      enrolled: null,
    };
    for (const [localId, left] of Object.entries(leftOn)) {
      await put.execute(
        PutPupilCommand.create(staff, localId, {
          school: '99XX',
          birthDate: '2004-01-01',
          sector: 'vo',
          enrolledFrom: '2016-08-01',
          leftOn: left,
          bsn: '111222333',
          name: { roepnaam: 'Testkind', achternaam: `Bewaarmans-${localId}` },
          group: '4C',
          mentor: 'T. Mentorius',
        }),
      );
      const id = randomUUID();
      const records = someCanonicalRecords(3, localId).map((r) => ({ ...r, pupil: { localId } }));
      await batches.saveSubmitted(
        scope,
        { id, board, submittedBy: 's', receivedAt: new Date('2020-01-01T00:00:00Z'), records },
        recordsChangedEvents(id, board),
      );
      await dataSource.query(
        `INSERT INTO quarantined_input (board, school, batch_id, source_system, source_id, reason, detail, received_at, pupil_local_id)
         VALUES ($1, '99XX', $2, 'magister', 'q', 'UNMAPPED_REASON', 'd', '2020-01-01', $3)`,
        [board, id, localId],
      );
    }
    await new LegalHoldUseCase(pupils, pseudonymise, clock).set(officer, 'held', 'Procedure');

    // The shipped policy as this board's version 1, keeping quarantined input as long as absence and
    // pseudonymised disclosure requests only 6 months; signals fall to its `retention.default` (P1Y).
    const text = policyVariant({
      id: 'p',
      version: '1',
      effectiveFrom: '2020-01-01',
      retention: { quarantine: { default: 'P5Y' }, disclosure_request: { default: 'P6M' } },
    });
    await policies.createDraft(
      {
        board,
        policyId: 'p',
        version: '1',
        text,
        effectiveFrom: '2020-01-01',
        effectiveUntil: null,
        createdBy: 'a',
      },
      new Date('2020-01-01T00:00:00Z'),
    );
    await policies.approve(board, 'p', '1', 'b', new Date('2020-01-01T00:00:00Z'));
    const record = new RecordDisclosureUseCase(
      disclosures,
      new PolicyResolver(policies, engine, defaultPolicyText()),
      engine,
      pseudonymise,
      clock,
      randomUUID,
    );
    const request = {
      recipient: { kind: 'DUO' as const },
      purpose: 'STATUTORY_REPORT',
      reportKind: '16U_MINDERJARIG' as const,
      pupil: { ageAtDate: 15 },
      payload: { 'absence.hours': 20 },
    };
    for (const [at, localId] of [
      ['2025-06-01T00:00:00Z', 'recent'], // older than P6M at 2026-03-01: goes
      ['2025-06-01T00:00:00Z', 'held'], // older, but held: stays
      ['2026-02-01T00:00:00Z', 'recent'], // within P6M: stays
    ] as const) {
      clock.set(new Date(at));
      await record.execute({
        board,
        pupilLocalId: localId,
        request,
        decision: engine.decide(text, request, clock.now()),
        sent: true,
      });
    }
    clock.set(new Date('2026-03-01T10:00:00Z'));

    hookCalls = [];
    const hook: RetentionHook = {
      category: 'signal',
      expire: (input) => {
        hookCalls.push({ heldLocalIds: input.heldLocalIds, period: input.period });
        return Promise.resolve([{ pupilPseudonym: pseudonymise(board, 'recent'), count: 2 }]);
      },
    };
    job = new RunRetentionUseCase(
      new TypeOrmRetentionStore(dataSource),
      new PolicyResolver(policies, engine, defaultPolicyText()),
      engine,
      clock,
      randomUUID,
      [hook],
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('deletes what expired, keeps held and in-period data, and writes receipts without personal values', async () => {
    const result = await job.execute();
    const mine = result.boards.find((b) => b.board === board)!;
    expect(mine.policy).toEqual({ id: 'p', version: '1' });
    assert.equal(mine.held, 1);
    expect(mine.deleted).toEqual({
      absence: 3,
      quarantine: 1,
      enrolment: 1,
      disclosure_request: 1,
      signal: 2,
      record_batch: 1,
    });

    assert.equal(await recordsOf('gone'), 0, 'past its period: gone');
    assert.equal(await count('SELECT count(*) AS n FROM pupil WHERE local_id = $1', 'gone'), 0);
    const roster = new TypeOrmPupilRosterStore(dataSource, KEY);
    assert.equal(
      await roster.get(board, '99XX', 'gone'),
      null,
      'name, group and mentor went with the enrolment',
    );
    expect(await roster.search(board, ['99XX'], ['bewaarmans', 'gone'], 10)).toEqual([]);
    assert.equal((await roster.get(board, '99XX', 'held'))?.displayName, 'Testkind Bewaarmans-held');
    assert.equal((await roster.get(board, '99XX', 'recent'))?.mentor, 'T. Mentorius');
    assert.equal(await count(`SELECT count(*) AS n FROM quarantined_input WHERE pupil_local_id = 'gone'`), 0);
    assert.equal(await recordsOf('held'), 3, 'legal hold keeps everything');
    assert.equal(await count(`SELECT count(*) AS n FROM quarantined_input WHERE pupil_local_id = 'held'`), 1);
    assert.equal(await recordsOf('recent'), 3, 'within the period: stays');
    assert.equal(await recordsOf('enrolled'), 3);
    assert.equal(await count('SELECT count(*) AS n FROM disclosure_request WHERE board = $1', board), 2);
    expect(hookCalls).toEqual([{ heldLocalIds: ['held'], period: 'P1Y' }]);

    const receipts: { entry: { category: string; pupil: string | null; count: number; period: string } }[] =
      await dataSource.query(
        `SELECT entry FROM audit_log WHERE kind = 'DELETION_RECEIPT' AND board = $1 ORDER BY seq`,
        [board],
      );
    const summary = receipts.map((r) => [r.entry.category, r.entry.pupil, r.entry.count, r.entry.period]);
    expect(summary).toEqual([
      ['absence', pseudonymise(board, 'gone'), 3, 'P5Y'],
      ['quarantine', pseudonymise(board, 'gone'), 1, 'P5Y'],
      ['enrolment', pseudonymise(board, 'gone'), 1, 'P5Y'],
      ['disclosure_request', pseudonymise(board, 'recent'), 1, 'P6M'],
      ['signal', pseudonymise(board, 'recent'), 2, 'P1Y'],
      ['record_batch', null, 1, null],
    ]);
    const text = JSON.stringify(receipts);
    assert.ok(!text.includes('"gone"') && !text.includes('111222333') && !text.includes('Bewaarmans'));
    assert.equal((await new TypeOrmAuditLog(dataSource).verify()).valid, true);
  });

  it('a second run finds nothing more and writes no receipts; lifting the hold lets the next run delete', async () => {
    const again = await job.execute();
    const mine = again.boards.find((b) => b.board === board)!;
    expect(mine.deleted).toEqual({ signal: 2 });
    await dataSource.query(`UPDATE pupil SET legal_hold = false WHERE local_id = 'held'`);
    const third = await job.execute();
    assert.equal(third.boards.find((b) => b.board === board)!.deleted['absence'], 3);
    assert.equal(await recordsOf('held'), 0);
    assert.equal(await count(`SELECT count(*) AS n FROM pupil WHERE local_id = 'held'`), 0);
    assert.equal(await new TypeOrmPupilRosterStore(dataSource, KEY).get(board, '99XX', 'held'), null);
  });

  it('moving the clock past the recent pupil’s period deletes theirs too', async () => {
    clock.set(new Date('2029-07-02T00:00:00Z'));
    await job.execute();
    assert.equal(await recordsOf('recent'), 0);
    assert.equal(await recordsOf('enrolled'), 3, 'an enrolled pupil never expires');
  });
});
