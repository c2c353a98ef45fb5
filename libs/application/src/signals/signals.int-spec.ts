import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import {
  type Actor,
  type BoardScope,
  type CanonicalRecord,
  type Envelope,
  FixedClock,
  type Lesson,
  type Report,
  pupilPseudonym,
} from '#domain';
import {
  type DataSource,
  TypeOrmAnalysisStore,
  TypeOrmPolicyVersionStore,
  TypeOrmPupilRegistry,
  TypeOrmRecordBatchRepository,
  TypeOrmReportStore,
  TypeOrmUnitOfWork,
  TypeOrmRetentionStore,
  TypeOrmSchoolCalendarStore,
  TypeOrmSchoolSettingsStore,
  TypeOrmSignalStore,
  openDatabase,
  reportDraftRetentionHook,
  signalRetentionHook,
} from '#persistence';
import {
  type TestDatabase,
  aCanonicalRecord,
  createTestDatabase,
  SEPTEMBER_WEEK,
  defaultPolicyText,
  exampleSchoolCalendar,
  truancyRecords,
} from '#testing';
import { loadRulepack, parseRulepack } from '#signals';
import { PolicyResolver, PrivacyPolicyEngine } from '../privacy-engine/index.js';
import { DecideReportUseCase, ListReportsUseCase } from '../reports/index.js';
import { RunRetentionUseCase } from '../run-retention/index.js';
import { AnalyseAbsenceUseCase } from '../signal-analysis/index.js';
import { EvaluateSignalsUseCase } from './evaluate-signals.usecase.js';
import { RulepackSignalEvaluator } from './rulepack-evaluator.js';

const KEY = Buffer.alloc(32, 9);
const NATIONAL_RULEPACK = fileURLToPath(
  new URL('../../../../../config/rulepacks/national.yaml', import.meta.url),
);

/**
 * 20 unauthorised lessons of 50 minutes (4 a day) on Monday 2025-09-15 … Friday 19, school weeks of the example
 * calendar: for a vo pupil the 16th lesson hour, on Thursday the 18th, reaches LPW_16H_4W (threshold 16 within
 * 4 school weeks, national rulepack). Record ids `${localId}-${dayIndex}-${hour}`.
 */
const truancy = (localId: string, school = '99XX'): CanonicalRecord[] =>
  truancyRecords({ localId, school, prefix: localId, days: SEPTEMBER_WEEK });

/**
 * The signal side's store with an injected clock, on PGlite by default and PostgreSQL when DATABASE_URL is set:
 * skipped pupils, idempotent messages, overdue flags, retention of signals and drafts (legal hold respected)
 * and the periodic analysis with exact numbers.
 */
describe('signals store (use cases over the store)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const clock = new FixedClock(new Date('2025-09-20T10:00:00Z'));
  const board = `B-SIG-${randomUUID().slice(0, 6)}`;
  const scope: BoardScope = { board, schools: null };
  const staff: Actor = { role: 'school_staff', subject: 'staff', board, schools: ['99XX', '98YY'] };
  let evaluate: EvaluateSignalsUseCase;
  let listReports: ListReportsUseCase;
  let pupils: TypeOrmPupilRegistry;
  let batches: TypeOrmRecordBatchRepository;

  const store = async (records: readonly CanonicalRecord[], lessons: readonly Lesson[] = []) => {
    const writer = await batches.beginBatch(scope, {
      id: randomUUID(),
      submittedBy: 's',
      receivedAt: clock.now(),
    });
    await writer.appendRecords(records);
    if (lessons.length > 0) await writer.appendLessons('99XX', lessons);
    await writer.finish({ coverage: null, events: () => [] });
  };
  const register = (localId: string, school = '99XX', birthDate = '2008-03-10') =>
    pupils.upsert(
      scope,
      localId,
      { school, birthDate, sector: 'vo', enrolledFrom: '2023-08-21' },
      pupilPseudonym(KEY, board, localId),
      clock.now(),
    );
  const reports = async (): Promise<Report[]> => (await listReports.execute(staff, '99XX', {})).items;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({ url: database.url, poolSize: 4 });
    pupils = new TypeOrmPupilRegistry(dataSource, KEY);
    batches = new TypeOrmRecordBatchRepository(dataSource);
    const calendars = new TypeOrmSchoolCalendarStore(dataSource);
    await calendars.save(
      board,
      { school: '99XX', calendar: exampleSchoolCalendar('99XX'), updatedBy: 'staff' },
      clock.now(),
    );
    const national = parseRulepack(await readFile(NATIONAL_RULEPACK, 'utf8'), NATIONAL_RULEPACK);
    assert.ok(national.ok, 'the shipped national rulepack is valid');
    evaluate = new EvaluateSignalsUseCase(
      new RulepackSignalEvaluator(loadRulepack(national.value)),
      new TypeOrmSignalStore(dataSource),
      new TypeOrmUnitOfWork(dataSource),
      pupils,
      calendars,
      new TypeOrmSchoolSettingsStore(dataSource),
      clock,
      randomUUID,
    );
    listReports = new ListReportsUseCase(new TypeOrmReportStore(dataSource), clock);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('evaluates registered pupils with a calendar; skips and counts the others, leaving them untouched', async () => {
    await register('p-1');
    await register('p-held');
    await register('p-nocal', '98YY');
    await store([
      ...truancy('p-1'),
      ...truancy('p-held'),
      ...truancy('p-nocal', '98YY'),
      ...truancy('p-anon'),
    ]);
    const outcome = await evaluate.evaluate(board, ['p-1', 'p-held', 'p-nocal', 'p-anon'], '2025-09-20');
    expect({ ...outcome }).toEqual({
      outcome: 'applied',
      asOf: '2025-09-20',
      pupils: 4,
      evaluated: 2,
      skippedUnregistered: 1,
      skippedNoCalendar: 1,
      opened: 2,
      withdrawn: 0,
      unchanged: 0,
      drafts: 2,
    });
    const stored = await new TypeOrmSignalStore(dataSource).list({ board, school: '99XX' }, {});
    const p1 = stored.filter((s) => s.signal.pupil.localId === 'p-1').map((s) => s.signal);
    expect(
      p1.map((s) => [
        s.rule,
        s.reportKind,
        s.mandatory,
        s.beginDate,
        s.endDate,
        s.evidence.length,
        s.deadline,
      ]),
    ).toEqual([['LPW_16H_4W', '16U_MINDERJARIG', true, '2025-09-15', '2025-09-18', 16, '2025-09-25']]);
    expect(p1[0].measured).toEqual({
      unauthorisedMinutes: 800,
      unauthorisedLessons: 16,
      unit: 'LESSON_HOUR',
      hours: 16,
    });
    expect(p1[0].rulepack).toEqual({ id: 'nl-national', version: '2025.1' });
    // As of a day before the threshold was reached: the signal goes away (kept as WITHDRAWN) with its draft.
    const before = await evaluate.evaluate(board, ['p-1'], '2025-09-17');
    assert.equal(before.withdrawn, 1);
    const draftP1 = (await reports()).find((r) => r.pupil.localId === 'p-1');
    assert.equal(draftP1?.status, 'WITHDRAWN');
    // Back again: the same signal id reopens and gets a fresh draft (the withdrawn one is not live).
    const again = await evaluate.evaluate(board, ['p-1'], '2025-09-20');
    assert.equal(again.opened, 1);
    assert.equal(
      (await reports()).filter((r) => r.pupil.localId === 'p-1' && r.status === 'DRAFT').length,
      1,
    );
  });

  it('answers each canonical-records.changed message once', async () => {
    const envelope: Envelope = {
      type: 'canonical-records.changed',
      version: 1,
      messageId: randomUUID(),
      idempotencyKey: `canonical-records.changed:${randomUUID()}:1`,
      occurredAt: clock.now().toISOString(),
      payload: {
        batchId: randomUUID(),
        board,
        part: 1,
        parts: 1,
        created: ['p-1-0-1'],
        updated: [],
        deleted: [],
      },
    };
    const first = await evaluate.onRecordsChanged(envelope);
    assert.equal(first.outcome, 'applied');
    assert.equal(first.evaluated, 1);
    assert.equal(first.unchanged, 1);
    assert.equal((await evaluate.onRecordsChanged(envelope)).outcome, 'duplicate');
    await assert.rejects(
      evaluate.onRecordsChanged({ ...envelope, payload: { board: 42 } }),
      (e: Error & { code?: string }) => e.code === 'MESSAGE_INVALID',
    );
  });

  it('flags a DRAFT overdue once the injected clock passes its deadline', async () => {
    const draft = (await reports()).find((r) => r.pupil.localId === 'p-1' && r.status === 'DRAFT');
    // Threshold reached Thursday 18 September; deadline 5 working days later (national rulepack).
    assert.equal(draft?.deadline, '2025-09-25');
    assert.equal(draft?.overdue, false);
    clock.set(new Date('2025-09-25T21:59:00Z')); // 23:59 in Amsterdam: still the deadline day
    assert.equal((await listReports.execute(staff, '99XX', { overdue: 'true' })).items.length, 0);
    clock.set(new Date('2025-09-25T22:01:00Z')); // 00:01 on the 26th in Amsterdam
    const overdue = (await listReports.execute(staff, '99XX', { overdue: 'true' })).items;
    expect(overdue.map((r) => r.pupil.localId).sort()).toEqual(['p-1', 'p-held']);
    const decide = new DecideReportUseCase(
      new TypeOrmReportStore(dataSource),
      new TypeOrmUnitOfWork(dataSource),
      clock,
    );
    const dismissed = await decide.dismiss(staff, draft?.id ?? '', { reason: 'Dubbele registratie' });
    assert.equal(dismissed.overdue, false);
  });

  it('retention deletes expired signals and decided drafts, never those of a pupil on legal hold', async () => {
    await pupils.setLegalHold(
      board,
      'p-held',
      { reason: 'Bezwaarprocedure', setBy: 'fg', pseudonym: pupilPseudonym(KEY, board, 'p-held') },
      clock.now(),
    );
    const held = (await reports()).find((r) => r.pupil.localId === 'p-held');
    await new DecideReportUseCase(
      new TypeOrmReportStore(dataSource),
      new TypeOrmUnitOfWork(dataSource),
      clock,
    ).dismiss(staff, held?.id ?? '', {
      reason: 'Gesprek gevoerd',
    });
    const engine = new PrivacyPolicyEngine();
    const job = new RunRetentionUseCase(
      new TypeOrmRetentionStore(dataSource),
      new PolicyResolver(new TypeOrmPolicyVersionStore(dataSource), engine, defaultPolicyText()),
      engine,
      clock,
      randomUUID,
      [signalRetentionHook(dataSource), reportDraftRetentionHook(dataSource)],
    );
    const count = async (table: string, localId: string): Promise<number> =>
      Number(
        (
          await dataSource.query(
            `SELECT count(*) AS n FROM ${table} WHERE board = $1 AND pupil_local_id = $2`,
            [board, localId],
          )
        )[0].n,
      );
    // Five months on: nothing expired yet (report_drafts P6M, signals P1Y under the shipped policy).
    clock.set(new Date('2026-02-20T10:00:00Z'));
    let run = (await job.execute()).boards.find((b) => b.board === board);
    expect(run?.deleted).toEqual({});
    // Seven months on: the dismissed and withdrawn drafts of p-1 go; p-held's stay (legal hold).
    clock.set(new Date('2026-04-27T10:00:00Z'));
    run = (await job.execute()).boards.find((b) => b.board === board);
    expect(run?.deleted).toEqual({ report_drafts: 2 });
    assert.equal(await count('report', 'p-1'), 0);
    assert.equal(await count('report', 'p-held'), 1);
    assert.equal(await count('signal', 'p-1'), 1);
    // Past a year: p-1's signal goes; p-held's signal stays.
    clock.set(new Date('2026-09-21T10:00:00Z'));
    run = (await job.execute()).boards.find((b) => b.board === board);
    expect(run?.deleted).toEqual({ signals: 1 });
    assert.equal(await count('signal', 'p-1'), 0);
    assert.equal(await count('signal', 'p-held'), 1);
    const receipts: { n: string }[] = await dataSource.query(
      `SELECT count(*) AS n FROM audit_log WHERE board = $1 AND kind = 'DELETION_RECEIPT'
         AND entry->>'category' IN ('signals', 'report_drafts')`,
      [board],
    );
    assert.equal(Number(receipts[0].n), 2);
  });

  describe('periodic analysis', () => {
    const analysisBoard = `B-AN-${randomUUID().slice(0, 6)}`;
    const analyse = (by: string, period: string) =>
      new AnalyseAbsenceUseCase(new TypeOrmAnalysisStore(dataSource)).execute(
        { role: 'school_staff', subject: 's', board: analysisBoard, schools: ['99XX'] },
        '99XX',
        { from: '2026-01-01', to: '2026-02-28', by, period },
      );
    const zero = { minutes: 0, count: 0 };
    const totals = (t: Partial<Record<string, { minutes: number; count: number }>>) => ({
      present: zero,
      authorised: zero,
      unauthorised: zero,
      pending: zero,
      not_absence: zero,
      ...t,
    });

    beforeAll(async () => {
      const r = (
        id: string,
        localId: string,
        date: string,
        hour: number | null,
        extra: Partial<CanonicalRecord>,
      ) =>
        aCanonicalRecord({
          recordId: id,
          sourceId: id,
          pupil: { localId },
          date,
          lessonHourFrom: hour,
          lessonHourTo: hour,
          ...extra,
        });
      const lesson = (
        id: string,
        date: string,
        hour: number,
        group: string,
        subject: string,
        pupil?: string,
      ): Lesson => ({
        lessonId: id,
        ...(pupil ? { pupil } : {}),
        date,
        start: `${date}T08:30:00+01:00`,
        end: `${date}T09:20:00+01:00`,
        lessonHour: hour,
        durationMinutes: 50,
        cancelled: false,
        subject,
        group,
        sourceSystem: 'zermelo',
        sourceId: id,
      });
      const writer = await batches.beginBatch(
        { board: analysisBoard, schools: null },
        { id: randomUUID(), submittedBy: 's', receivedAt: clock.now() },
      );
      await writer.appendRecords([
        r('a1', 'a', '2026-01-12', 1, { missedMinutes: 50 }),
        r('a2', 'a', '2026-01-12', 2, { missedMinutes: 50, category: 'SICK', legalClass: 'authorised' }),
        r('a3', 'a', '2026-01-13', 1, { missedMinutes: 45 }),
        r('a4', 'a', '2026-02-02', 3, {
          missedMinutes: null,
          start: null,
          end: null,
          category: 'UNEXPLAINED',
          legalClass: 'pending',
        }),
        r('b1', 'b', '2026-01-14', 1, { missedMinutes: 50 }),
        // Outside the period, and another school: never counted.
        r('b2', 'b', '2025-12-31', 1, { missedMinutes: 50 }),
        r('b3', 'b', '2026-01-14', 2, { missedMinutes: 50, school: { brin: '98YY' } }),
      ]);
      await writer.appendLessons('99XX', [
        lesson('l-shared', '2026-01-12', 1, '2b', 'ne'),
        lesson('l-a', '2026-01-12', 1, '2b-a', 'wi', 'a'),
      ]);
      await writer.finish({ coverage: null, events: () => [] });
    });

    it('per pupil and ISO week', async () => {
      const result = await analyse('pupil', 'week');
      expect(result.buckets).toEqual([
        {
          period: '2026-W03',
          key: 'a',
          totals: totals({ unauthorised: { minutes: 95, count: 2 }, authorised: { minutes: 50, count: 1 } }),
        },
        { period: '2026-W03', key: 'b', totals: totals({ unauthorised: { minutes: 50, count: 1 } }) },
        { period: '2026-W06', key: 'a', totals: totals({ pending: { minutes: 0, count: 1 } }) },
      ]);
    });

    it('per group and month, from the stored lessons (the pupil’s own before a shared one), else onbekend', async () => {
      const result = await analyse('group', 'month');
      expect(result.buckets).toEqual([
        { period: '2026-01', key: '2b-a', totals: totals({ unauthorised: { minutes: 50, count: 1 } }) },
        {
          period: '2026-01',
          key: 'onbekend',
          totals: totals({ unauthorised: { minutes: 95, count: 2 }, authorised: { minutes: 50, count: 1 } }),
        },
        { period: '2026-02', key: 'onbekend', totals: totals({ pending: { minutes: 0, count: 1 } }) },
      ]);
      const teacher = await analyse('teacher', 'month');
      expect(teacher.buckets.map((b) => b.key)).toEqual(['onbekend', 'wi', 'onbekend']);
    });

    it('per weekday, lesson hour and reason', async () => {
      const weekday = await analyse('weekday', 'month');
      expect(
        weekday.buckets.map((b) => [
          b.period,
          b.key,
          b.totals.unauthorised.minutes,
          b.totals.authorised.count,
        ]),
      ).toEqual([
        ['2026-01', 'mon', 50, 1],
        ['2026-01', 'tue', 45, 0],
        ['2026-01', 'wed', 50, 0],
        ['2026-02', 'mon', 0, 0],
      ]);
      const hours = await analyse('lessonHour', 'month');
      expect(hours.buckets.map((b) => [b.period, b.key, b.totals.unauthorised.count])).toEqual([
        ['2026-01', '1', 3],
        ['2026-01', '2', 0],
        ['2026-02', '3', 0],
      ]);
      const heat = await analyse('weekdayLessonHour', 'month');
      expect(
        heat.buckets.map((b) => [b.period, b.key, b.totals.unauthorised.count + b.totals.authorised.count]),
      ).toEqual([
        ['2026-01', 'mon-1', 1],
        ['2026-01', 'mon-2', 1],
        ['2026-01', 'tue-1', 1],
        ['2026-01', 'wed-1', 1],
        ['2026-02', 'mon-3', 0],
      ]);
      const reasons = await analyse('reason', 'month');
      expect(reasons.buckets.map((b) => [b.period, b.key])).toEqual([
        ['2026-01', 'SICK'],
        ['2026-01', 'UNAUTHORISED'],
        ['2026-02', 'UNEXPLAINED'],
      ]);
    });

    it('refuses a bad query with coded issues and a school outside the token', async () => {
      const use = new AnalyseAbsenceUseCase(new TypeOrmAnalysisStore(dataSource));
      const actor: Actor = { role: 'school_staff', subject: 's', board: analysisBoard, schools: ['99XX'] };
      await assert.rejects(
        use.execute(actor, '99XX', { from: '2026-02-01', to: '2026-01-01', by: 'shoe', period: 'day' }),
        (e: Error & { code?: string; issues?: { code: string }[] }) =>
          e.code === 'ANALYSIS_QUERY_INVALID' &&
          JSON.stringify(e.issues?.map((i) => i.code)) ===
            JSON.stringify(['DATE_ORDER', 'UNKNOWN_DIMENSION', 'UNKNOWN_PERIOD']),
      );
      await assert.rejects(
        use.execute(actor, '98YY', { from: '2026-01-01', to: '2026-01-31' }),
        (e: Error & { code?: string }) => e.code === 'SCHOOL_NOT_FOUND',
      );
    });
  });
});
