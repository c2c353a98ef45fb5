import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { addDaysIso } from '#domain';
import { schoolToday } from '#application';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

interface Row {
  readonly id?: string;
  readonly school?: string;
  readonly localId: string;
  readonly rule?: string;
  readonly kind?: string;
  readonly status: string;
  readonly action?: string;
  readonly supersedes?: string | null;
  readonly begin: string;
  readonly end: string;
  readonly deadline: string | null;
}

/**
 * Cases per absence episode and the werkvoorraad over HTTP (ADR 0018): reports are written as the evaluation
 * and the chain leave them (rows of report), so each case shape is exact; approve and end date then run
 * through the real single-report paths. PGlite by default.
 */
describe('gateway: cases and the werkvoorraad', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let board: string;
  let staff: string;
  let otherSchoolStaff: string;
  let otherBoardStaff: string;
  let auditor: string;
  const today = schoolToday(new Date());
  const ids: Record<string, string> = {};
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function insert(name: string, row: Row): Promise<string> {
    const id = row.id ?? randomUUID();
    ids[name] = id;
    const at = new Date();
    await gateway.infra.dataSource.query(
      `INSERT INTO report (id, board, school, pupil_local_id, signal_id, rule, kind, status, action, supersedes,
         mandatory, deadline, fields, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true, $11, $12, $13, $13)`,
      [
        id,
        board,
        row.school ?? '99XX',
        row.localId,
        `sig-${name}-${id.slice(0, 8)}`,
        row.rule ?? 'LPW_16H_4W',
        row.kind ?? '16U_MINDERJARIG',
        row.status,
        row.action ?? 'REPORT',
        row.supersedes ?? null,
        row.deadline,
        JSON.stringify({
          'absence.kind': row.kind ?? '16U_MINDERJARIG',
          'absence.beginDate': row.begin,
          'absence.endDate': row.end,
          'absence.hours': 16,
          'school.brin': row.school ?? '99XX',
        }),
        at,
      ],
    );
    return id;
  }

  const d = (days: number) => addDaysIso(today, days);

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
    auditor = await issue({ role: 'auditor', sub: 'aud-1', board });

    // Pupil 41003: a continuing absence (first report sent, two vervolgmeldingen pending, an LRV pending).
    await insert('first', { localId: '41003', status: 'SENT', begin: d(-40), end: d(-30), deadline: d(-25) });
    await insert('vervolg1', {
      localId: '41003',
      status: 'DRAFT',
      begin: d(-26),
      end: d(-16),
      deadline: d(-2),
    });
    await insert('vervolg2', {
      localId: '41003',
      status: 'DRAFT',
      begin: d(-19),
      end: d(-9),
      deadline: d(3),
    });
    await insert('lrv', {
      localId: '41003',
      rule: 'LPW_LRV',
      kind: 'LRV',
      status: 'DRAFT',
      begin: d(-12),
      end: d(-5),
      deadline: d(4),
    });
    // Pupil 41004 at the other school: an old, ended episode and a new one pending today.
    await insert('old', {
      school: '98YY',
      localId: '41004',
      status: 'AFGESLOTEN',
      begin: d(-90),
      end: d(-80),
      deadline: d(-75),
    });
    await insert('new', {
      school: '98YY',
      localId: '41004',
      status: 'DRAFT',
      begin: d(-10),
      end: d(-3),
      deadline: today,
    });
    // Pupil 41005: a case without deadline; pupil 41006: a gap of more than 4 weeks splits two pending reports.
    await insert('nodeadline', {
      localId: '41005',
      status: 'DRAFT',
      begin: d(-10),
      end: d(-5),
      deadline: null,
    });
    await insert('gapA', { localId: '41006', status: 'DRAFT', begin: d(-80), end: d(-70), deadline: d(10) });
    await insert('gapB', { localId: '41006', status: 'DRAFT', begin: d(-20), end: d(-12), deadline: d(12) });
    await gateway.infra.dataSource.query(
      `INSERT INTO report_case (board, case_id, school, pupil_local_id, end_date, ended_by, ended_at)
       VALUES ($1, $2, '98YY', '41004', $3, 'staff-1', now())`,
      [board, ids['old'], d(-78)],
    );
    // Daily checks: two pupils unchecked in lesson hour 2 on one day, one in hour 1, one call-back elsewhere.
    const signal = async (
      localId: string,
      rule: string,
      date: string,
      hours: number[],
      school = '99XX',
    ): Promise<void> => {
      await gateway.infra.dataSource.query(
        `INSERT INTO signal (board, signal_id, school, pupil_local_id, rule, status, payload, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, now(), now())`,
        [
          board,
          `dc-${randomUUID()}`,
          school,
          localId,
          rule,
          JSON.stringify({ rule, beginDate: date, endDate: date, detail: { lessonHours: hours } }),
        ],
      );
    };
    await signal('50001', 'UNCHECKED_LESSON', d(-1), [1, 2]);
    await signal('50002', 'UNCHECKED_LESSON', d(-1), [2]);
    await signal('50003', 'CALL_BACK', d(-2), [3], '98YY');
    await signal('50004', 'UNCHECKED_LESSON', d(-1), [2], '97ZZ');
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  describe('GET /v1/worklist', () => {
    it('lists one row per case with its pending reports, by deadline, with the due state', async () => {
      const res = await http.get('/v1/worklist').set(auth(staff)).expect(200);
      assert.equal(res.body.total, 5);
      const rows = res.body.items as {
        id: string;
        pupil: { localId: string };
        pending: { id: string }[];
        deadline: string | null;
        dueState: unknown;
        state: string;
      }[];
      expect(rows.map((r) => r.id)).toEqual([
        ids['first'],
        ids['new'],
        ids['gapA'],
        ids['gapB'],
        ids['nodeadline'],
      ]);
      const continuing = rows[0];
      expect(continuing.pending.map((r) => r.id)).toEqual([ids['vervolg1'], ids['vervolg2'], ids['lrv']]);
      assert.equal(continuing.deadline, d(-2));
      // Grouped from light rows, the page's reports come whole: every field as stored.
      const whole = (continuing.pending as unknown as { fields: Record<string, unknown> }[])[0]?.fields;
      assert.equal(whole?.['absence.hours'], 16);
      assert.equal(whole?.['school.brin'], '99XX');
      expect(continuing.dueState).toEqual({ state: 'overdue', days: 2 });
      expect(rows[1].dueState).toEqual({ state: 'today' });
      expect(rows[2].dueState).toEqual({ state: 'daysLeft', days: 10 });
      assert.equal(rows[4].dueState, null);
      assert.equal(continuing.state, 'OPEN');
    });

    it('filters by school, rule, kind, status and pupil number, and pages on the server', async () => {
      const get = async (query: string) =>
        (await http.get(`/v1/worklist?${query}`).set(auth(staff)).expect(200)).body as {
          items: { id: string; pending: { id: string }[] }[];
          total: number;
          page: number;
          pageSize: number;
        };
      expect((await get('school=98YY')).items.map((r) => r.id)).toEqual([ids['new']]);
      const lrv = await get('rule=LPW_LRV');
      expect(lrv.items.map((r) => r.pending.map((p) => p.id))).toEqual([[ids['lrv']]]);
      assert.equal((await get('kind=LRV')).total, 1);
      expect((await get('status=SENT')).items.map((r) => r.id)).toEqual([ids['first']]);
      expect((await get('q=4100')).total).toEqual(5);
      expect((await get('q=41006')).items.map((r) => r.id)).toEqual([ids['gapA'], ids['gapB']]);
      const page2 = await get('pageSize=2&page=2');
      assert.equal(page2.total, 5);
      assert.equal(page2.page, 2);
      expect(page2.items.map((r) => r.id)).toEqual([ids['gapA'], ids['gapB']]);
      assert.equal((await get('page=9')).items.length, 0);
      // No roster data for these pupils: a group or mentor matches no pupil, and says so by an empty list.
      assert.equal((await get('group=2B')).total, 0);
      assert.equal((await get('mentor=Jansen')).total, 0);
    });

    it("finds cases by the pupil's name, class and mentor from the roster, for the school's staff only", async () => {
      await http
        .put('/v1/pupils/41003')
        .set(auth(staff))
        .send({
          school: '99XX',
          birthDate: '2011-03-04',
          sector: 'vo',
          enrolledFrom: '2023-08-01',
          name: { roepnaam: 'Fenna', achternaam: 'Proefkamp' },
          group: '3B',
          mentor: 'T. Mentorveld',
        })
        .expect((r) => assert.ok(r.status === 200 || r.status === 201, String(r.status)));
      const find = async (token: string, query: string) =>
        (
          (await http.get(`/v1/worklist?${query}`).set(auth(token)).expect(200)).body as {
            items: { id: string }[];
          }
        ).items.map((r) => r.id);
      const byNumber = await find(staff, 'q=41003');
      assert.equal(byNumber.length, 1);
      expect(await find(staff, 'q=proefkamp')).toEqual(byNumber);
      expect(await find(staff, 'q=Fenna')).toEqual(byNumber);
      expect(await find(staff, 'group=3b')).toEqual(byNumber);
      expect(await find(staff, 'mentor=T. Mentorveld')).toEqual(byNumber);
      expect(await find(staff, 'q=Jansen')).toEqual([]);
      // Roster data is the school's: an auditor of the same board cannot find a pupil by name or class.
      expect(await find(auditor, 'q=proefkamp')).toEqual([]);
      expect(await find(auditor, 'group=3B')).toEqual([]);
    });

    it('refuses bad filters with a coded 400 and keeps the scope', async () => {
      for (const query of [
        'pageSize=101',
        'pageSize=0',
        'page=-1',
        'page=abc',
        'kind=16U',
        'status=NOPE',
        'rule=X',
        'school=x',
      ]) {
        const res = await http.get(`/v1/worklist?${query}`).set(auth(staff)).expect(400);
        assert.equal(res.body.code, 'REQUEST_INVALID', query);
      }
      const outside = await http.get('/v1/worklist?school=97ZZ').set(auth(staff)).expect(404);
      assert.equal(outside.body.code, 'SCHOOL_NOT_FOUND');
      assert.equal((await http.get('/v1/worklist').set(auth(otherBoardStaff)).expect(200)).body.total, 0);
      assert.equal((await http.get('/v1/worklist').set(auth(otherSchoolStaff)).expect(200)).body.total, 0);
      assert.equal((await http.get('/v1/worklist').set(auth(auditor)).expect(200)).body.total, 5);
      await http.get('/v1/worklist').expect(401);
    });
  });

  describe('GET /v1/worklist/daily-checks', () => {
    it('folds the daily checks per lesson, counting pupils, newest day first, paged', async () => {
      const res = await http.get('/v1/worklist/daily-checks').set(auth(staff)).expect(200);
      assert.equal(res.body.total, 3);
      expect(
        (
          res.body.items as {
            date: string;
            lessonHour: number;
            rule: string;
            pupils: number;
            school: string;
          }[]
        ).map((i) => [i.school, i.date, i.lessonHour, i.rule, i.pupils]),
      ).toEqual([
        ['99XX', d(-1), 1, 'UNCHECKED_LESSON', 1],
        ['99XX', d(-1), 2, 'UNCHECKED_LESSON', 2],
        ['98YY', d(-2), 3, 'CALL_BACK', 1],
      ]);
      const page = await http.get('/v1/worklist/daily-checks?pageSize=2&page=2').set(auth(staff)).expect(200);
      assert.equal(page.body.total, 3);
      assert.equal(page.body.items.length, 1);
      const beyond = await http
        .get('/v1/worklist/daily-checks?pageSize=2&page=5')
        .set(auth(staff))
        .expect(200);
      assert.equal(beyond.body.total, 3);
      assert.equal(beyond.body.items.length, 0);
      const school = await http.get('/v1/worklist/daily-checks?school=98YY').set(auth(staff)).expect(200);
      assert.equal(school.body.total, 1);
      await http.get('/v1/worklist/daily-checks?pageSize=1000').set(auth(staff)).expect(400);
      await http.get('/v1/worklist/daily-checks?school=97ZZ').set(auth(staff)).expect(404);
      assert.equal(
        (await http.get('/v1/worklist/daily-checks').set(auth(otherSchoolStaff)).expect(200)).body.total,
        1,
      );
    });
  });

  describe('GET /v1/cases/:id', () => {
    it('answers the case with one timeline, by its id or any report of it', async () => {
      const res = await http.get(`/v1/cases/${ids['first']}`).set(auth(staff)).expect(200);
      assert.equal(res.body.id, ids['first']);
      expect((res.body.reports as { id: string }[]).map((r) => r.id)).toEqual([
        ids['first'],
        ids['vervolg1'],
        ids['vervolg2'],
        ids['lrv'],
      ]);
      expect(res.body.kinds).toEqual(['16U_MINDERJARIG', 'LRV']);
      const byMember = await http.get(`/v1/cases/${ids['lrv']}`).set(auth(staff)).expect(200);
      assert.equal(byMember.body.id, ids['first']);
      const ended = await http.get(`/v1/cases/${ids['old']}`).set(auth(staff)).expect(200);
      assert.equal(ended.body.state, 'ENDED');
      assert.equal(ended.body.endDate, d(-78));
    });

    it('is a 404 for another board, another school, a stranger id or junk', async () => {
      for (const [token, id] of [
        [otherBoardStaff, ids['first']],
        [otherSchoolStaff, ids['first']],
        [staff, randomUUID()],
        [staff, 'not-a-case'],
      ] as const) {
        const res = await http.get(`/v1/cases/${id}`).set(auth(token)).expect(404);
        assert.equal(res.body.code, 'CASE_NOT_FOUND');
      }
    });
  });

  describe('GET /v1/cases?school=&pupil=', () => {
    it("lists a pupil's cases at a school, newest episode first, within the scope", async () => {
      const res = await http.get('/v1/cases?school=99XX&pupil=41006').set(auth(staff)).expect(200);
      expect((res.body.items as { id: string }[]).map((c) => c.id)).toEqual([ids['gapB'], ids['gapA']]);
      const ended = await http.get('/v1/cases?school=98YY&pupil=41004').set(auth(staff)).expect(200);
      expect((ended.body.items as { id: string; state: string }[]).map((c) => [c.id, c.state])).toEqual([
        [ids['new'], 'OPEN'],
        [ids['old'], 'ENDED'],
      ]);
      const none = await http.get('/v1/cases?school=99XX&pupil=none').set(auth(staff)).expect(200);
      assert.equal(none.body.items.length, 0);
      await http.get('/v1/cases?school=99XX').set(auth(staff)).expect(400);
      await http.get('/v1/cases?school=99XX&pupil=41006').set(auth(otherSchoolStaff)).expect(404);
      const other = await http
        .get('/v1/cases?school=99XX&pupil=41006')
        .set(auth(otherBoardStaff))
        .expect(200);
      assert.equal(other.body.items.length, 0);
    });
  });

  describe('POST /v1/cases/:id/approve', () => {
    it('approves every pending report of the case through the single approve, answering per report', async () => {
      await http.post(`/v1/cases/${ids['gapB']}/approve`).set(auth(otherBoardStaff)).expect(404);
      await http.post(`/v1/cases/${ids['gapB']}/approve`).set(auth(auditor)).expect(403);
      const res = await http.post(`/v1/cases/${ids['first']}/approve`).set(auth(staff)).expect(200);
      expect(
        (res.body.results as { reportId: string; outcome: string }[]).map((r) => [r.reportId, r.outcome]),
      ).toEqual([
        [ids['vervolg1'], 'APPROVED'],
        [ids['vervolg2'], 'APPROVED'],
        [ids['lrv'], 'APPROVED'],
      ]);
      const statuses = (res.body.case.reports as { status: string }[]).map((r) => r.status);
      assert.ok(!statuses.includes('DRAFT'));
      // Each approval left its audit entry, as a single approve does.
      const audit: { n: number }[] = await gateway.infra.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE board = $1 AND kind = 'REPORT_STATUS'
           AND entry->>'status' = 'APPROVED' AND entry->>'by' = 'staff-1'`,
        [board],
      );
      assert.equal(audit[0]?.n, 3);
      const again = await http.post(`/v1/cases/${ids['first']}/approve`).set(auth(staff)).expect(409);
      assert.equal(again.body.code, 'CASE_NOTHING_PENDING');
      const list = await http.get('/v1/worklist').set(auth(staff)).expect(200);
      assert.equal(list.body.total, 4);
    });
  });

  describe('POST /v1/cases/:id/end-date', () => {
    it('refuses a bad, future or too early end date with a coded 400, and another board with 404', async () => {
      for (const body of [{}, { endDate: '5 december' }, { endDate: '2026-02-30' }, { endDate: 12 }]) {
        const res = await http
          .post(`/v1/cases/${ids['new']}/end-date`)
          .set(auth(staff))
          .send(body)
          .expect(400);
        assert.ok(['REQUEST_INVALID', 'END_DATE_INVALID'].includes(res.body.code), JSON.stringify(body));
      }
      const future = await http
        .post(`/v1/cases/${ids['new']}/end-date`)
        .set(auth(staff))
        .send({ endDate: d(1) })
        .expect(400);
      assert.equal(future.body.issues[0].code, 'IN_FUTURE');
      const early = await http
        .post(`/v1/cases/${ids['new']}/end-date`)
        .set(auth(staff))
        .send({ endDate: d(-11) })
        .expect(400);
      assert.equal(early.body.issues[0].code, 'BEFORE_BEGIN');
      await http
        .post(`/v1/cases/${ids['new']}/end-date`)
        .set(auth(otherBoardStaff))
        .send({ endDate: d(-1) })
        .expect(404);
    });

    it('sets the end date on the case and sends it on every report of it that is out', async () => {
      const res = await http
        .post(`/v1/cases/${ids['first']}/end-date`)
        .set(auth(staff))
        .send({ endDate: d(-1) })
        .expect(200);
      const results = res.body.results as {
        reportId: string;
        outcome: string;
        followUpId?: string;
        code?: string;
      }[];
      const sent = results.find((r) => r.reportId === ids['first']);
      assert.equal(sent?.outcome, 'END_DATE_SENT');
      assert.ok(sent?.followUpId);
      // The others were approved a moment ago and are not out yet: skipped with the reason, nothing lost.
      for (const r of results.filter((x) => x.reportId !== ids['first'])) {
        assert.ok(['SKIPPED', 'END_DATE_SENT'].includes(r.outcome));
      }
      assert.equal(res.body.case.endDate, d(-1));
      assert.equal(res.body.case.state, 'ENDED');
      const correction = (
        res.body.case.reports as { id: string; action: string; fields: Record<string, unknown> }[]
      ).find((r) => r.id === sent?.followUpId);
      assert.equal(correction?.action, 'CORRECTION');
      assert.equal(correction?.fields['absence.endDate'], d(-1));
    });

    it('reports that leave after the end date was set get it when it is sent again; none twice', async () => {
      // A report of the episode that went out after the end date was set on the case.
      await insert('late', { localId: '41003', status: 'SENT', begin: d(-8), end: d(-2), deadline: d(-1) });
      const before = await http.get(`/v1/cases/${ids['first']}`).set(auth(staff)).expect(200);
      assert.ok((before.body.awaitingEndDate as string[]).includes(ids['late']));
      assert.ok(!(before.body.awaitingEndDate as string[]).includes(ids['first']));
      const res = await http
        .post(`/v1/cases/${ids['first']}/end-date`)
        .set(auth(staff))
        .send({ endDate: d(-1) })
        .expect(200);
      const outcomes = Object.fromEntries(
        (res.body.results as { reportId: string; outcome: string; code?: string }[]).map((r) => [
          r.reportId,
          r.code ?? r.outcome,
        ]),
      );
      assert.equal(outcomes[ids['first']], 'ALREADY_CORRECTED');
      assert.equal(outcomes[ids['late']], 'END_DATE_SENT');
      assert.ok(!(res.body.case.awaitingEndDate as string[]).includes(ids['late']));
    });

    it('drafts of the case get the end date and leave with it when approved', async () => {
      await insert('endsent', {
        localId: '41050',
        status: 'SENT',
        begin: d(-30),
        end: d(-20),
        deadline: d(-15),
      });
      await insert('enddraft', {
        localId: '41050',
        status: 'DRAFT',
        begin: d(-12),
        end: d(-5),
        deadline: d(1),
      });
      const res = await http
        .post(`/v1/cases/${ids['endsent']}/end-date`)
        .set(auth(staff))
        .send({ endDate: d(-2) })
        .expect(200);
      const outcomes = Object.fromEntries(
        (res.body.results as { reportId: string; outcome: string }[]).map((r) => [r.reportId, r.outcome]),
      );
      assert.equal(outcomes[ids['endsent']], 'END_DATE_SENT');
      assert.equal(outcomes[ids['enddraft']], 'END_DATE_SET');
      const draft = (
        res.body.case.reports as { id: string; status: string; fields: Record<string, unknown> }[]
      ).find((r) => r.id === ids['enddraft']);
      assert.equal(draft?.status, 'DRAFT');
      assert.equal(draft?.fields['absence.endDate'], d(-2));
      assert.equal(draft?.fields['absence.beginDate'], d(-12));
      // Approved, it leaves with the end date: nothing waits for a second click.
      await http.post(`/v1/reports/${ids['enddraft']}/approve`).set(auth(staff)).send({}).expect(200);
      const after = await http.get(`/v1/cases/${ids['endsent']}`).set(auth(staff)).expect(200);
      const approved = (
        after.body.reports as { id: string; status: string; fields: Record<string, unknown> }[]
      ).find((r) => r.id === ids['enddraft']);
      assert.notEqual(approved?.status, 'DRAFT');
      assert.equal(approved?.fields['absence.endDate'], d(-2));
    });

    it('after the end date, the next absence report of the pupil opens a new case', async () => {
      await insert('after', { localId: '41003', status: 'DRAFT', begin: today, end: today, deadline: d(5) });
      const res = await http.get('/v1/worklist?q=41003').set(auth(staff)).expect(200);
      expect((res.body.items as { id: string }[]).map((r) => r.id)).toEqual([ids['after']]);
      const old = await http.get(`/v1/cases/${ids['first']}`).set(auth(staff)).expect(200);
      assert.ok(!(old.body.reports as { id: string }[]).some((r) => r.id === ids['after']));
    });
  });
});
