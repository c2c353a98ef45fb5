import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { CanonicalRecord, StoredSignal } from '#domain';
import { SEPTEMBER_WEEK, exampleSchoolCalendar, truancyRecords, waitFor } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

/**
 * Issue 12, items 4 and 10: the identity of a pupil. Two schools of one board (99XX and 99XY) whose pupil numbers
 * collide keep two children apart (signals, access reports); a record never reaches a pupil outside the caller's
 * scope; `PUT /v1/pupils/{id}` answers alike whether or not another school has a pupil with that number; a board
 * that declares one shared administration gets one pupil per number, guarded by scope.
 */
describe('abuse: the identity of a pupil (issue 12, items 4 and 10)', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let board: string;
  let staffX: string;
  let staffY: string;
  let officer: string;
  let admin: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
    board = `BOARD-${randomUUID().slice(0, 6)}`;
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    staffX = await issue({ role: 'school_staff', sub: 'staff-x', board, schools: ['99XX'] });
    staffY = await issue({ role: 'school_staff', sub: 'staff-y', board, schools: ['99XY'] });
    officer = await issue({ role: 'privacy_officer', sub: 'officer', board });
    admin = await issue({ role: 'board_admin', sub: 'admin', board });
    for (const [school, token] of [
      ['99XX', staffX],
      ['99XY', staffY],
    ] as const) {
      await http
        .put(`/v1/schools/${school}/calendar`)
        .set(auth(token))
        .send(exampleSchoolCalendar(school))
        .expect(200);
    }
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const pupilBody = (school: string) => ({
    school,
    birthDate: '2008-03-10',
    sector: 'vo',
    enrolledFrom: '2023-08-21',
  });
  const putPupil = (token: string, localId: string, school: string) =>
    http.put(`/v1/pupils/${localId}`).set(auth(token)).send(pupilBody(school));
  const submit = async (token: string, records: CanonicalRecord[]): Promise<string> => {
    const res = await http.post('/v1/records').set(auth(token)).send({ records }).expect(202);
    const batchId = res.body.batchId as string;
    await waitFor(
      async () => {
        const batch = await http.get(`/v1/records/batches/${batchId}`).set(auth(token)).expect(200);
        return batch.body.status === 'PROCESSED' ? true : undefined;
      },
      { what: `batch ${batchId} processed` },
    );
    return batchId;
  };
  const openSignal = (school: string, token: string, localId: string) =>
    waitFor(
      async () => {
        const res = await http
          .get(`/v1/schools/${school}/signals?status=OPEN&rule=LPW_16H_4W`)
          .set(auth(token))
          .expect(200);
        return (res.body.items as StoredSignal[]).find((s) => s.signal.pupil.localId === localId);
      },
      { what: `open signal of ${localId} at ${school}` },
    );
  const recordIds = (report: { records: { recordId: string }[] }) =>
    report.records.map((r) => r.recordId).sort();

  it('a record of 99XY for pupil number 1001 is never evidence for, nor held about, 99XX’s pupil 1001', async () => {
    // 99XY's pupil 1001 misses 8 lessons early in the week (hours 5–8 of Monday and Tuesday).
    await submit(
      staffY,
      truancyRecords({
        localId: '1001',
        school: '99XY',
        prefix: 'y1001',
        days: SEPTEMBER_WEEK.slice(0, 2),
        hours: [5, 6, 7, 8],
      }),
    );
    // 99XX's pupil 1001 (another child) misses 20 lessons in the same week: a signal of its own.
    await putPupil(staffX, '1001', '99XX').expect(201);
    await submit(
      staffX,
      truancyRecords({ localId: '1001', school: '99XX', prefix: 'x1001', days: SEPTEMBER_WEEK }),
    );
    const signal = await openSignal('99XX', staffX, '1001');
    assert.ok(signal.signal.evidence.length > 0);
    for (const id of signal.signal.evidence) {
      assert.ok(id.startsWith('x1001-'), `evidence ${id} of 99XX's pupil comes from 99XX only`);
    }
    const report = (await http.get('/v1/pupils/1001/access-report').set(auth(staffX)).expect(200)).body;
    assert.equal(report.pupil.school, '99XX');
    assert.ok(
      report.records.length === 20,
      `99XX's pupil holds its own 20 records, got ${report.records.length}`,
    );
    for (const id of recordIds(report)) assert.ok(id.startsWith('x1001-'), `${id} is not 99XY's record`);
  });

  it('two schools with colliding pupil numbers keep two children: registry, signals and access reports', async () => {
    // Registered at 99XY too: a different child with the same number (per-school identity, the default).
    const created = await putPupil(staffY, '1001', '99XY').expect(201);
    assert.equal(created.body.school, '99XY');
    const reportY = (await http.get('/v1/pupils/1001/access-report').set(auth(staffY)).expect(200)).body;
    assert.equal(reportY.pupil.school, '99XY');
    expect(recordIds(reportY)).toEqual(
      truancyRecords({
        localId: '1001',
        school: '99XY',
        prefix: 'y1001',
        days: SEPTEMBER_WEEK.slice(0, 2),
        hours: [5, 6, 7, 8],
      })
        .map((r) => r.recordId)
        .sort(),
    );
    // Two more weeks of truancy at 99XY give 99XY's child a signal of its own, with only 99XY's evidence.
    await submit(
      staffY,
      truancyRecords({ localId: '1001', school: '99XY', prefix: 'y1001b', days: SEPTEMBER_WEEK }),
    );
    const signalY = await openSignal('99XY', staffY, '1001');
    for (const id of signalY.signal.evidence) assert.ok(id.startsWith('y1001'), `${id} comes from 99XY`);
    const signalX = await openSignal('99XX', staffX, '1001');
    assert.notEqual(signalX.signal.signalId, signalY.signal.signalId);
    for (const id of signalX.signal.evidence) assert.ok(id.startsWith('x1001-'), `${id} comes from 99XX`);
    // The privacy officer sees the whole board: with two children of one number, the school names which.
    const ambiguous = await http.get('/v1/pupils/1001/access-report').set(auth(officer)).expect(409);
    assert.equal(ambiguous.headers['content-type'].split(';')[0], 'application/problem+json');
    assert.equal(ambiguous.body.code, 'PUPIL_AMBIGUOUS');
    const ofX = (await http.get('/v1/pupils/1001/access-report?school=99XX').set(auth(officer)).expect(200))
      .body;
    const ofY = (await http.get('/v1/pupils/1001/access-report?school=99XY').set(auth(officer)).expect(200))
      .body;
    assert.equal(ofX.records.length, 20);
    assert.equal(ofY.records.length, 28);
    assert.ok(recordIds(ofX).every((id) => id.startsWith('x1001-')));
    assert.ok(recordIds(ofY).every((id) => id.startsWith('y1001')));
    // Staff of 99XX asking for 99XY's child by school: not found, exactly like a missing pupil.
    const hidden = await http.get('/v1/pupils/1001/access-report?school=99XY').set(auth(staffX)).expect(404);
    const missing = await http.get('/v1/pupils/9999/access-report').set(auth(staffX)).expect(404);
    assert.equal(hidden.body.code, missing.body.code);
  });

  it('a record without a school takes the pupil’s registered school, and is refused outside the caller’s scope', async () => {
    await putPupil(staffX, '3003', '99XX').expect(201);
    await putPupil(staffY, '3004', '99XY').expect(201);
    const noSchool = (localId: string, prefix: string): CanonicalRecord[] =>
      truancyRecords({ localId, school: '99XY', prefix, days: SEPTEMBER_WEEK.slice(0, 1), hours: [1] }).map(
        (r) => ({ ...r, school: null }),
      );
    // 3003 is registered at 99XX only: for staff of 99XY it is no pupil of theirs (refused, coded, nothing stored).
    const refused = await http
      .post('/v1/records')
      .set(auth(staffY))
      .send({ records: noSchool('3003', 'y3003') })
      .expect(400);
    assert.equal(refused.headers['content-type'].split(';')[0], 'application/problem+json');
    assert.equal(refused.body.code, 'RECORD_BATCH_INVALID');
    assert.equal(refused.body.issues[0].code, 'PUPIL_OUT_OF_SCOPE');
    assert.equal(refused.body.issues[0].field, 'records[0].pupil.localId');
    assert.ok(!JSON.stringify(refused.body).includes('99XX'), 'the answer does not name the other school');
    // An unknown number is refused with the same code: no probing through the records API either.
    const unknown = await http
      .post('/v1/records')
      .set(auth(staffY))
      .send({ records: noSchool('3999', 'y3999') })
      .expect(400);
    expect(unknown.body.issues).toEqual(refused.body.issues);
    // 3004 is 99XY's own pupil: the record is stored under 99XY.
    await submit(staffY, noSchool('3004', 'y3004'));
    const report = (await http.get('/v1/pupils/3004/access-report').set(auth(staffY)).expect(200)).body;
    expect(recordIds(report)).toEqual(['y3004-0-1']);
    assert.equal(report.records[0].school.brin, '99XY');
    const x = (await http.get('/v1/pupils/3003/access-report').set(auth(staffX)).expect(200)).body;
    assert.equal(x.records.length, 0);
  });

  it('an ingest stream of 99XY whose rows name school 99XX is quarantined, never stored for 99XX', async () => {
    const csv = [
      'pupil_id;brin;date;lesson_hour;kind;registered_via;record_id',
      '1001;99XX;2025-09-22;1;absent;teacher_check;csv-y-1',
      '1001;;2025-09-22;2;absent;teacher_check;csv-y-2',
    ].join('\n');
    const res = await http
      .post('/v1/ingest/csv')
      .set(auth(staffY))
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(202);
    assert.equal(res.body.recordCount, 1, 'the row without a school is 99XY’s own');
    assert.equal(res.body.quarantinedCount, 1);
    assert.equal(res.body.quarantined[0].reason, 'PUPIL_OUT_OF_SCOPE');
    const x = (await http.get('/v1/pupils/1001/access-report').set(auth(staffX)).expect(200)).body;
    assert.equal(x.records.length, 20, '99XX’s pupil holds nothing from 99XY');
    await waitFor(
      async () => {
        const y = (await http.get('/v1/pupils/1001/access-report').set(auth(staffY)).expect(200)).body;
        return y.records.some((r: CanonicalRecord) => r.school?.brin === '99XY' && r.date === '2025-09-22')
          ? true
          : undefined;
      },
      { what: 'the 99XY row stored for 99XY' },
    );
  });

  it('PUT /v1/pupils/{id} answers alike for another school’s pupil and an unknown id (item 10)', async () => {
    await putPupil(staffX, '2002', '99XX').expect(201);
    const taken = await putPupil(staffY, '2002', '99XY');
    const fresh = await putPupil(staffY, '2003', '99XY');
    assert.equal(taken.status, 201);
    assert.equal(fresh.status, 201);
    assert.equal(taken.headers['content-type'], fresh.headers['content-type']);
    const shape = (body: Record<string, unknown>) => ({ ...body, localId: '*', updatedAt: '*' });
    expect(shape(taken.body)).toEqual(shape(fresh.body));
    // 99XX's pupil is untouched.
    const x = (await http.get('/v1/pupils/2002/access-report').set(auth(staffX)).expect(200)).body;
    assert.equal(x.pupil.school, '99XX');
  });

  describe('a board that declares one shared administration', () => {
    let sharedBoard: string;
    let sharedX: string;
    let sharedY: string;
    let sharedOfficer: string;

    beforeAll(async () => {
      sharedBoard = `BOARD-${randomUUID().slice(0, 6)}`;
      const issue = gateway.issuer.issue.bind(gateway.issuer);
      sharedX = await issue({ role: 'school_staff', sub: 'shared-x', board: sharedBoard, schools: ['99XX'] });
      sharedY = await issue({ role: 'school_staff', sub: 'shared-y', board: sharedBoard, schools: ['99XY'] });
      sharedOfficer = await issue({ role: 'privacy_officer', sub: 'officer', board: sharedBoard });
      const sharedAdmin = await issue({ role: 'board_admin', sub: 'admin', board: sharedBoard });
      const settings = await http
        .put('/v1/board/settings')
        .set(auth(sharedAdmin))
        .send({ sharedAdministration: true })
        .expect(200);
      assert.equal(settings.body.sharedAdministration, true);
    });

    it('the default is one administration per school; only the board admin changes it', async () => {
      const got = await http.get('/v1/board/settings').set(auth(admin)).expect(200);
      assert.equal(got.body.sharedAdministration, false);
      await http.put('/v1/board/settings').set(auth(staffX)).send({ sharedAdministration: true }).expect(403);
      const bad = await http.put('/v1/board/settings').set(auth(admin)).send({ sharedAdministration: 'yes' });
      assert.equal(bad.status, 400);
      assert.equal(bad.headers['content-type'].split(';')[0], 'application/problem+json');
    });

    it('refuses a record of 99XY staff for a pupil registered at 99XX', async () => {
      await putPupil(sharedX, '5005', '99XX').expect(201);
      const records = truancyRecords({
        localId: '5005',
        school: '99XY',
        prefix: 'y5005',
        days: SEPTEMBER_WEEK.slice(0, 1),
        hours: [1],
      });
      const refused = await http.post('/v1/records').set(auth(sharedY)).send({ records }).expect(400);
      assert.equal(refused.headers['content-type'].split(';')[0], 'application/problem+json');
      assert.equal(refused.body.code, 'RECORD_BATCH_INVALID');
      assert.equal(refused.body.issues[0].code, 'PUPIL_OUT_OF_SCOPE');
      const report = (await http.get('/v1/pupils/5005/access-report').set(auth(sharedOfficer)).expect(200))
        .body;
      assert.equal(report.records.length, 0, 'nothing was stored for the pupil of 99XX');
      // One pupil per number: the officer needs no school to name it.
      assert.equal(report.pupil.school, '99XX');
    });

    it('quarantines an ingested row of 99XY for a pupil registered at 99XX; the registration stays 99XX’s', async () => {
      const csv = [
        'pupil_id;date;lesson_hour;kind;registered_via;record_id',
        '5005;2025-09-23;1;absent;teacher_check;csv-5005-1',
      ].join('\n');
      const res = await http
        .post('/v1/ingest/csv')
        .set(auth(sharedY))
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(202);
      assert.equal(res.body.recordCount, 0);
      assert.equal(res.body.quarantined[0].reason, 'PUPIL_OUT_OF_SCOPE');
      const report = (await http.get('/v1/pupils/5005/access-report').set(auth(sharedOfficer)).expect(200))
        .body;
      assert.equal(report.records.length, 0);
      // In one shared administration the number is the administration's: 99XY cannot take the pupil over.
      const moved = await putPupil(sharedY, '5005', '99XY').expect(403);
      assert.equal(moved.body.code, 'SCHOOL_OUT_OF_SCOPE');
      // With colliding numbers at two schools a board cannot declare one administration.
      const collide = await http
        .put('/v1/board/settings')
        .set(auth(admin))
        .send({ sharedAdministration: true })
        .expect(409);
      assert.equal(collide.body.code, 'PUPIL_NUMBERS_COLLIDE');
    });
  });
});
