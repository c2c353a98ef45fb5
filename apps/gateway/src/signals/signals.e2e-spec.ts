import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { CanonicalRecord, Report, StoredSignal } from '#domain';
import { SEPTEMBER_WEEK, truancyRecords, waitFor } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/', import.meta.url));
const BSN = '111222333';

/**
 * 20 unauthorised lessons of 50 minutes (4 a day) in the school week of Monday 2025-09-15 of the example calendar:
 * for a vo pupil the 16th lesson hour, Thursday the 18th, reaches LPW_16H_4W (national rulepack).
 */
const truancy = (localId: string, school: string, prefix: string): CanonicalRecord[] =>
  truancyRecords({ localId, school, vestiging: '01', prefix, days: SEPTEMBER_WEEK });

/** A Magister absences payload (shape of the shared fixture) with `count` unauthorised 50-minute lessons. */
function magisterPayload(template: Record<string, unknown>, count: number): string {
  const days = ['2025-09-22', '2025-09-23', '2025-09-24', '2025-09-25', '2025-09-26'];
  const items = Array.from({ length: count }, (_, i) => {
    const date = days[Math.floor(i / 4)];
    const hour = (i % 4) + 1;
    const startUtc = `${date}T${String(6 + hour).padStart(2, '0')}:00:00.0000000Z`;
    const endUtc = `${date}T${String(6 + hour).padStart(2, '0')}:50:00.0000000Z`;
    const appointment = template['Afspraak'] as Record<string, unknown>;
    return {
      ...template,
      Id: 90000 + i,
      Start: startUtc,
      Eind: endUtc,
      Lesuur: hour,
      AfspraakId: 80000 + i,
      Afspraak: {
        ...appointment,
        Id: 80000 + i,
        ExterneId: `ext-${80000 + i}`,
        Start: startUtc,
        Einde: endUtc,
        LesuurVan: hour,
        LesuurTotMet: hour,
      },
    };
  });
  return JSON.stringify({ Items: items, TotalCount: items.length, Links: [] });
}

/**
 * Signals and report drafts through HTTP and the worker path, with the real rules engine and the shipped national
 * rulepack (the test gateway's default, as in production): school calendar, records → signal + draft, approve/dismiss, auto-approve, overdue, corrections that
 * withdraw a signal after its report was approved, scope. PGlite by default; PostgreSQL/RabbitMQ when set.
 */
describe('gateway: signals and report drafts', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let board: string;
  let staff: string;
  let otherSchoolStaff: string;
  let otherBoardStaff: string;
  let calendar: Record<string, unknown>;
  let magisterItem: Record<string, unknown>;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
    board = `BOARD-${randomUUID().slice(0, 6)}`;
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    staff = await issue({ role: 'school_staff', sub: 'staff-1', board, schools: ['99XX', '98YY'] });
    otherSchoolStaff = await issue({ role: 'school_staff', sub: 'staff-2', board, schools: ['97ZZ'] });
    otherBoardStaff = await issue({
      role: 'school_staff',
      sub: 'staff-x',
      board: `${board}-OTHER`,
      schools: ['99XX'],
    });
    calendar = JSON.parse(await readFile(join(SHARED, 'calendars/example-school-2025-2026.json'), 'utf8'));
    const magister = JSON.parse(
      await readFile(join(SHARED, 'source-systems/magister-absenties.json'), 'utf8'),
    );
    magisterItem = magister.Items[0];
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const putPupil = (localId: string, school: string, birthDate = '2008-03-10') =>
    http
      .put(`/v1/pupils/${localId}`)
      .set(auth(staff))
      .send({ school, birthDate, sector: 'vo', enrolledFrom: '2023-08-21', bsn: BSN });
  const submit = (records: CanonicalRecord[]) =>
    http.post('/v1/records').set(auth(staff)).send({ records }).expect(202);
  const signalsOf = async (school: string, query = '', token = staff): Promise<StoredSignal[]> =>
    (await http.get(`/v1/schools/${school}/signals${query}`).set(auth(token)).expect(200)).body
      .items as StoredSignal[];
  const reportsOf = async (school: string, query = ''): Promise<Report[]> =>
    (await http.get(`/v1/schools/${school}/reports${query}`).set(auth(staff)).expect(200)).body
      .items as Report[];
  const signalOfPupil = (school: string, localId: string, status = 'OPEN') =>
    waitFor(
      async () =>
        (await signalsOf(school, `?status=${status}&rule=LPW_16H_4W`)).find(
          (s) => s.signal.pupil.localId === localId,
        ),
      { what: `${status} signal of ${localId}` },
    );

  describe('school calendar', () => {
    it('stores a valid calendar per school and refuses a bad one with coded issues', async () => {
      const put = await http.put('/v1/schools/99XX/calendar').set(auth(staff)).send(calendar).expect(200);
      assert.equal(put.body.calendar.firstSchoolDay, '2025-09-01');
      await http
        .put('/v1/schools/98YY/calendar')
        .set(auth(staff))
        .send({ ...calendar, school: undefined })
        .expect(200);
      const got = await http.get('/v1/schools/99XX/calendar').set(auth(staff)).expect(200);
      assert.equal(got.body.calendar.holidays.length, 5);
      assert.equal(got.body.updatedBy, 'staff-1');

      const bad = await http
        .put('/v1/schools/99XX/calendar')
        .set(auth(staff))
        .send({ ...calendar, firstSchoolDay: '2025-02-30', schoolDays: ['mon', 'funday'] })
        .expect(400);
      assert.equal(bad.headers['content-type'].split(';')[0], 'application/problem+json');
      assert.equal(bad.body.code, 'CALENDAR_INVALID');
      const fields = bad.body.issues.map((i: { field: string }) => i.field).sort();
      expect(fields).toEqual(['firstSchoolDay', 'schoolDays[1]']);
      const mismatch = await http
        .put('/v1/schools/98YY/calendar')
        .set(auth(staff))
        .send(calendar)
        .expect(400);
      assert.equal(mismatch.body.issues[0].code, 'SCHOOL_MISMATCH');
      await http.get('/v1/schools/99XX/calendar').set(auth(otherBoardStaff)).expect(404);
      await http.get('/v1/schools/99XX/calendar').set(auth(otherSchoolStaff)).expect(404);
    });
  });

  describe('records → signal → draft (worker path)', () => {
    let report: Report;

    it('raises an OPEN signal and a DRAFT report for a registered pupil, skips an unregistered one', async () => {
      await putPupil('p-1', '99XX').expect(201);
      await submit([...truancy('p-1', '99XX', 'a'), ...truancy('p-unknown', '99XX', 'u')]);
      const stored = await signalOfPupil('99XX', 'p-1');
      assert.equal(stored.signal.rule, 'LPW_16H_4W');
      assert.equal(stored.signal.reportKind, '16U_MINDERJARIG');
      assert.equal(stored.school, '99XX');
      assert.equal(stored.signal.mandatory, true);
      assert.equal(stored.signal.endDate, '2025-09-18');
      expect(stored.signal.measured).toEqual({
        unauthorisedMinutes: 800,
        unauthorisedLessons: 16,
        unit: 'LESSON_HOUR',
        hours: 16,
      });
      expect(stored.signal.rulepack).toEqual({ id: 'nl-national', version: '2025.1' });
      assert.equal(stored.signal.evidence.length, 16);
      const reports = await waitFor(async () => {
        const items = await reportsOf('99XX');
        return items.length > 0 ? items : undefined;
      });
      assert.equal(reports.length, 1);
      report = reports[0];
      assert.equal(report.status, 'DRAFT');
      assert.equal(report.action, 'REPORT');
      assert.equal(report.kind, '16U_MINDERJARIG');
      assert.equal(report.signalId, stored.signal.signalId);
      // Five working days after Thursday 18 September.
      assert.equal(report.deadline, '2025-09-25');
      // The deadline lies in the past of the real clock: overdue while still DRAFT.
      assert.equal(report.overdue, true);
      expect(report.fields).toEqual({
        'absence.kind': '16U_MINDERJARIG',
        'absence.beginDate': '2025-09-15',
        'absence.endDate': '2025-09-18',
        'absence.hours': 16,
        // 16 lessons of 50 minutes: the klokuren beside the lesuren (ADR 0027).
        'absence.clockMinutes': 800,
        'absence.days': 4,
        'absence.perDay': ['15', '16', '17', '18'].map((d) => ({
          date: `2025-09-${d}`,
          lessonHours: [1, 2, 3, 4],
        })),
        'absence.allLessonsMissed': false,
        'school.brin': '99XX',
        'school.vestiging': '01',
        'pupil.birthDate': '2008-03-10',
      });
      const raw = JSON.stringify(await gateway.infra.dataSource.query('SELECT * FROM report'));
      assert.ok(!raw.includes(BSN), 'never the BSN in a draft row');
      assert.equal((await signalsOf('99XX')).filter((s) => s.signal.pupil.localId === 'p-unknown').length, 0);
      const overdue = await reportsOf('99XX', '?overdue=true');
      expect(overdue.map((r) => r.id)).toEqual([report.id]);
      assert.equal((await reportsOf('99XX', '?overdue=false')).length, 0);
    });

    it('is idempotent: the same records again change nothing', async () => {
      await submit(truancy('p-1', '99XX', 'a'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await signalsOf('99XX')).length, 1);
      assert.equal((await reportsOf('99XX')).length, 1);
    });

    it('approves a DRAFT once; a second decision is a coded 409', async () => {
      await http.post(`/v1/reports/${report.id}/approve`).set(auth(otherBoardStaff)).expect(404);
      await http.post(`/v1/reports/${report.id}/approve`).set(auth(otherSchoolStaff)).expect(404);
      await http.post(`/v1/reports/not-a-uuid/approve`).set(auth(staff)).expect(404);
      const approved = await http.post(`/v1/reports/${report.id}/approve`).set(auth(staff)).expect(200);
      assert.equal(approved.body.status, 'APPROVED');
      assert.equal(approved.body.decidedBy, 'staff-1');
      assert.equal(approved.body.overdue, false);
      const again = await http.post(`/v1/reports/${report.id}/approve`).set(auth(staff)).expect(409);
      assert.equal(again.body.code, 'REPORT_NOT_DRAFT');
      const dismiss = await http
        .post(`/v1/reports/${report.id}/dismiss`)
        .set(auth(staff))
        .send({ reason: 'te laat' })
        .expect(409);
      assert.equal(dismiss.body.code, 'REPORT_NOT_DRAFT');
    });

    it('a full re-evaluation of the school changes nothing', async () => {
      const res = await http.post('/v1/schools/99XX/signals/evaluate').set(auth(staff)).expect(200);
      assert.equal(res.body.evaluated, 1);
      assert.equal(res.body.unchanged, 1);
      assert.equal(res.body.opened, 0);
      assert.equal(res.body.withdrawn, 0);
      const bad = await http
        .post('/v1/schools/99XX/signals/evaluate?asOf=2025-13-01')
        .set(auth(staff))
        .expect(400);
      assert.equal(bad.body.code, 'AS_OF_INVALID');
      await http.post('/v1/schools/99XX/signals/evaluate').set(auth(otherSchoolStaff)).expect(404);
    });
  });

  describe('corrections upstream', () => {
    it('a correction deleting records withdraws the signal and drafts a withdrawal of the approved report', async () => {
      await putPupil('4216', '99XX').expect(201);
      const ingest = (body: string, query = '') =>
        http
          .post(`/v1/ingest/magister?school=99XX&pupil=4216${query}`)
          .set(auth(staff))
          .set('content-type', 'application/json')
          .send(body)
          .expect(202);
      await ingest(magisterPayload(magisterItem, 20));
      const stored = await signalOfPupil('99XX', '4216');
      const draft = await waitFor(async () =>
        (await reportsOf('99XX')).find((r) => r.signalId === stored.signal.signalId),
      );
      await http.post(`/v1/reports/${draft.id}/approve`).set(auth(staff)).expect(200);

      // The school system now says: of these days, only 10 lessons were missed.
      const corrected = await ingest(magisterPayload(magisterItem, 10), '&from=2025-09-22&to=2025-09-26');
      assert.equal(corrected.body.changes.deleted, 10);
      const withdrawn = await signalOfPupil('99XX', '4216', 'WITHDRAWN');
      assert.equal(withdrawn.signal.signalId, stored.signal.signalId);
      assert.equal(withdrawn.withdrawnReason, 'NO_LONGER_RAISED');
      const followUp = await waitFor(async () =>
        (await reportsOf('99XX')).find((r) => r.supersedes === draft.id),
      );
      assert.equal(followUp.action, 'WITHDRAWAL');
      assert.equal(followUp.status, 'DRAFT');
      assert.equal(followUp.kind, '16U_MINDERJARIG');
      assert.equal(followUp.fields['absence.beginDate'], '2025-09-22');
      // The approved report itself stays as it was: queued for delivery (no connector is configured here).
      const approved = await waitFor(async () =>
        (await reportsOf('99XX', '?status=QUEUED')).find((r) => r.id === draft.id),
      );
      assert.equal(approved.action, 'REPORT');
    });

    it('a re-categorised record changes the signal: superseded, and a correction of the approved report', async () => {
      await putPupil('p-4', '99XX').expect(201);
      // The first lesson turns out to be sick leave later: the 16th lesson hour moves from Thursday to Friday.
      const records = truancy('p-4', '99XX', 'c');
      await submit(records);
      const first = await signalOfPupil('99XX', 'p-4');
      const draft = await waitFor(async () =>
        (await reportsOf('99XX')).find((r) => r.signalId === first.signal.signalId),
      );
      await http.post(`/v1/reports/${draft.id}/approve`).set(auth(staff)).expect(200);

      await submit([{ ...records[0], category: 'SICK', legalClass: 'authorised' }]);
      const superseded = await signalOfPupil('99XX', 'p-4', 'WITHDRAWN');
      assert.equal(superseded.withdrawnReason, 'SUPERSEDED');
      const replacement = await signalOfPupil('99XX', 'p-4');
      assert.equal(superseded.replacedBy, replacement.signal.signalId);
      assert.equal(superseded.signal.endDate, '2025-09-18');
      assert.equal(replacement.signal.endDate, '2025-09-19');
      assert.equal(replacement.signal.beginDate, '2025-09-15');
      const correction = await waitFor(async () =>
        (await reportsOf('99XX')).find((r) => r.supersedes === draft.id),
      );
      assert.equal(correction.action, 'CORRECTION');
      assert.equal(correction.signalId, replacement.signal.signalId);
      assert.equal(correction.fields['absence.endDate'], '2025-09-19');
      // No second first report for the replacement.
      assert.equal(
        (await reportsOf('99XX')).filter((r) => r.signalId === replacement.signal.signalId).length,
        1,
      );
    });
  });

  describe('dismiss and auto-approve', () => {
    it('dismisses a DRAFT only with a reason', async () => {
      await putPupil('p-3', '99XX').expect(201);
      await submit(truancy('p-3', '99XX', 'd'));
      const stored = await signalOfPupil('99XX', 'p-3');
      const draft = await waitFor(async () =>
        (await reportsOf('99XX')).find((r) => r.signalId === stored.signal.signalId),
      );
      const missing = await http
        .post(`/v1/reports/${draft.id}/dismiss`)
        .set(auth(staff))
        .send({})
        .expect(400);
      assert.equal(missing.body.code, 'REASON_REQUIRED');
      const dismissed = await http
        .post(`/v1/reports/${draft.id}/dismiss`)
        .set(auth(staff))
        .send({ reason: 'Ouders hebben ziekte alsnog gemeld' })
        .expect(200);
      assert.equal(dismissed.body.status, 'DISMISSED');
      assert.equal(dismissed.body.dismissReason, 'Ouders hebben ziekte alsnog gemeld');
      assert.equal(dismissed.body.overdue, false);
      await http.post(`/v1/reports/${draft.id}/approve`).set(auth(staff)).expect(409);
    });

    it('approves mandatory drafts at creation when the school says so; 18+ (not mandatory) stays DRAFT', async () => {
      const settings = await http
        .put('/v1/schools/98YY/settings')
        .set(auth(staff))
        .send({ autoApproveMandatory: true })
        .expect(200);
      assert.equal(settings.body.autoApproveMandatory, true);
      const bad = await http.put('/v1/schools/98YY/settings').set(auth(staff)).send({ auto: 1 }).expect(400);
      assert.equal(bad.body.code, 'SETTINGS_INVALID');
      await putPupil('p-2', '98YY').expect(201);
      // 17 when the absence began, 18 on Wednesday the 17th: the age on the threshold day (the 18th) counts.
      await putPupil('p-adult', '98YY', '2007-09-17').expect(201);
      await submit([...truancy('p-2', '98YY', 'e'), ...truancy('p-adult', '98YY', 'f')]);
      const minor = await signalOfPupil('98YY', 'p-2');
      const adult = await signalOfPupil('98YY', 'p-adult');
      const reports = await waitFor(async () => {
        const items = await reportsOf('98YY');
        return items.length === 2 ? items : undefined;
      });
      const auto = reports.find((r) => r.signalId === minor.signal.signalId);
      // Approved at creation, and with the approval its outbox event: the dispatcher queues it at once.
      assert.ok(auto && ['APPROVED', 'QUEUED'].includes(auto.status), auto?.status);
      assert.equal(auto?.decidedBy, 'auto-approve');
      assert.equal(auto?.overdue, false);
      const manual = reports.find((r) => r.signalId === adult.signal.signalId);
      assert.equal(manual?.status, 'DRAFT');
      assert.equal(manual?.kind, '16U_MEERDERJARIG');
      assert.equal(manual?.mandatory, false);
    });
  });

  describe('scope and filters', () => {
    it('lists only the board and school of the token', async () => {
      assert.equal((await signalsOf('99XX', '', otherBoardStaff)).length, 0);
      await http.get('/v1/schools/99XX/signals').set(auth(otherSchoolStaff)).expect(404);
      await http.get('/v1/schools/99XX/reports').set(auth(otherSchoolStaff)).expect(404);
      const bad = await http.get('/v1/schools/99XX/signals?status=MAYBE').set(auth(staff)).expect(400);
      assert.equal(bad.body.code, 'FILTER_INVALID');
      assert.ok((await signalsOf('99XX', '?rule=LPW_16H_4W')).length >= 3);
      assert.equal((await signalsOf('99XX', '?rule=MAZL')).length, 0);
      const badReports = await http.get('/v1/schools/99XX/reports?overdue=yes').set(auth(staff)).expect(400);
      assert.equal(badReports.body.code, 'FILTER_INVALID');
    });
  });
});
