import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { PupilOverview } from '#application';
import type { StoredSignal } from '#domain';
import { SEPTEMBER_WEEK, truancyRecords, waitFor } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/', import.meta.url));

/**
 * The pupil page API (issue 13 item 3, ADR 0019): name, group, mentor and enrolment; a calendar of school weeks
 * with each lesson's category; the window that crossed the threshold; the evidence with its source ids; the
 * reports. Staff of the pupil's school only. Real rules engine and national rulepack, PGlite by default.
 */
describe('gateway: the pupil page (GET /v1/schools/:brin/pupils/:localId/overview)', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let staff: string;
  let otherSchoolStaff: string;
  let officer: string;
  let overview: PupilOverview;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const path = '/v1/schools/99XX/pupils/ov-1/overview';

  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
    const board = `BOARD-${randomUUID().slice(0, 6)}`;
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    staff = await issue({ role: 'school_staff', sub: 'staff-1', board, schools: ['99XX'] });
    otherSchoolStaff = await issue({ role: 'school_staff', sub: 'staff-2', board, schools: ['98YY'] });
    officer = await issue({ role: 'privacy_officer', sub: 'fg-1', board });
    const calendar = JSON.parse(
      await readFile(join(SHARED, 'calendars/example-school-2025-2026.json'), 'utf8'),
    );
    await http.put('/v1/schools/99XX/calendar').set(auth(staff)).send(calendar).expect(200);
    await http
      .put('/v1/pupils/ov-1')
      .set(auth(staff))
      .send({
        school: '99XX',
        birthDate: '2010-03-10',
        sector: 'vo',
        enrolledFrom: '2023-08-21',
        education: { leerjaar: 3 },
        name: { roepnaam: 'Lotte', achternaam: 'Proefpupil', tussenvoegsel: 'de' },
        group: '3A',
        mentor: 'R. Mentorink',
      })
      .expect(201);
    const records = truancyRecords({
      localId: 'ov-1',
      school: '99XX',
      vestiging: '01',
      prefix: 'ov',
      days: SEPTEMBER_WEEK,
    });
    await http.post('/v1/records').set(auth(staff)).send({ records }).expect(202);
    await waitFor(
      async () =>
        (
          (await http.get('/v1/schools/99XX/signals?rule=LPW_16H_4W').set(auth(staff)).expect(200)).body
            .items as StoredSignal[]
        ).find((s) => s.signal.pupil.localId === 'ov-1'),
      { what: 'the LPW_16H_4W signal of ov-1' },
    );
    overview = (
      await http.get(path).query({ from: '2025-09-01', to: '2025-10-05' }).set(auth(staff)).expect(200)
    ).body as PupilOverview;
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('names the pupil, the group, the mentor and the enrolment', () => {
    expect(overview.pupil).toEqual({
      school: '99XX',
      localId: 'ov-1',
      displayName: 'Lotte de Proefpupil',
      name: { roepnaam: 'Lotte', tussenvoegsel: 'de', achternaam: 'Proefpupil' },
      group: '3A',
      mentor: 'R. Mentorink',
      sector: 'vo',
      education: { leerjaar: 3 },
      enrolledFrom: '2023-08-21',
      leftOn: null,
    });
    expect(overview.period).toEqual({ from: '2025-09-01', to: '2025-10-05' });
  });

  it('lays out the weeks with each lesson hour and its category, and marks the window that crossed', () => {
    assert.equal(overview.weeks.length, 5);
    expect(overview.weeks.map((w) => w.weekStart)).toEqual([
      '2025-09-01',
      '2025-09-08',
      '2025-09-15',
      '2025-09-22',
      '2025-09-29',
    ]);
    const week = overview.weeks[2];
    expect(week.days.map((d) => d.weekday)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    const monday = week.days[0];
    assert.equal(monday.schoolDay, true);
    expect(monday.cells.map((c) => [c.lessonHourFrom, c.category])).toEqual([
      [1, 'UNAUTHORISED'],
      [2, 'UNAUTHORISED'],
      [3, 'UNAUTHORISED'],
      [4, 'UNAUTHORISED'],
    ]);
    expect(overview.weeks[0].days[0].cells).toEqual([]);
    const window = overview.windows.find((w) => w.rule === 'LPW_16H_4W' && w.status === 'OPEN');
    assert.ok(window, JSON.stringify(overview.windows));
    assert.ok(week.windows.includes(window.signalId), 'the week of the truancy lies in the window');
    assert.ok(overview.lessonHours.length >= 4);
  });

  it('lists the evidence records with their source ids and the reports of the signals', () => {
    const window = overview.windows.find((w) => w.rule === 'LPW_16H_4W')!;
    const evidence = overview.records.filter((r) => r.evidenceOf.includes(window.signalId));
    assert.ok(evidence.length >= 16, `${evidence.length} evidence records`);
    assert.ok(evidence.every((r) => r.sourceId.startsWith('ov-') && r.sourceSystem.length > 0));
    assert.equal(overview.records.length, 20);
    const report = overview.reports.find((r) => r.signalId === window.signalId);
    assert.ok(report, JSON.stringify(overview.reports));
    assert.equal(report.rule, 'LPW_16H_4W');
    assert.ok(['DRAFT', 'APPROVED'].includes(report.status));
  });

  it('without a period: the last 12 weeks up to this week', async () => {
    const body = (await http.get(path).set(auth(staff)).expect(200)).body as PupilOverview;
    assert.equal(body.weeks.length, 12);
    assert.equal(body.weeks[0].weekStart, body.period.from);
  });

  it("another school's staff does not find the pupil; other roles are refused", async () => {
    const other = await http.get(path).set(auth(otherSchoolStaff)).expect(404);
    assert.equal(other.body.code, 'PUPIL_NOT_FOUND');
    const guessed = await http
      .get('/v1/schools/98YY/pupils/ov-1/overview')
      .set(auth(otherSchoolStaff))
      .expect(404);
    assert.equal(guessed.body.code, 'PUPIL_NOT_FOUND');
    const missing = await http.get('/v1/schools/99XX/pupils/nobody/overview').set(auth(staff)).expect(404);
    assert.equal(missing.body.code, 'PUPIL_NOT_FOUND');
    const fg = await http.get(path).set(auth(officer)).expect(403);
    assert.equal(fg.body.code, 'ROLE_NOT_ALLOWED');
  });

  it('refuses a bad date, a reversed or too long period and a bad BRIN with coded 400s', async () => {
    for (const query of [
      { from: '2025-02-30' },
      { from: '2025-10-01', to: '2025-09-01' },
      { from: '2025-01-01', to: '2025-12-31' },
    ]) {
      const refused = await http.get(path).query(query).set(auth(staff)).expect(400);
      assert.equal(refused.body.code, 'OVERVIEW_INVALID', JSON.stringify(query));
    }
    const brin = await http.get('/v1/schools/x/pupils/ov-1/overview').set(auth(staff)).expect(400);
    assert.equal(brin.body.code, 'OVERVIEW_INVALID');
  });
});
