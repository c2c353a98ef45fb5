import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';
import { RetentionScheduleHost } from './privacy.module.js';

/**
 * Issue 15 items 5 and 7 through HTTP: the retention forecast per Amsterdam month, deletion receipts after a
 * retention run, the legal-hold history with reasons, and the verwerkingsregister (JSON and CSV); tenancy and
 * bad input refused with coded problems. The clock is fixed on 15 December 2026.
 */
describe('gateway: retention overview and verwerkingsregister', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let board: string;
  let staff: string;
  let officer: string;
  let auditor: string;
  let otherBoardOfficer: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const NOW = new Date('2026-12-15T12:00:00Z');

  beforeAll(async () => {
    gateway = await startTestGateway({ clock: { now: () => NOW } });
    http = request(gateway.app.getHttpServer());
    board = `BOARD-${randomUUID().slice(0, 6)}`;
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    staff = await issue({ role: 'school_staff', sub: 'staff-1', board, schools: ['99XX'] });
    officer = await issue({ role: 'privacy_officer', sub: 'fg-1', board });
    auditor = await issue({ role: 'auditor', sub: 'aud', board });
    otherBoardOfficer = await issue({ role: 'privacy_officer', sub: 'fg-x', board: `${board}-X` });
    const pupil = (leftOn: string) => ({
      school: '99XX',
      birthDate: '2005-05-04',
      sector: 'vo',
      woongemeente: '0344',
      enrolledFrom: '2017-08-21',
      leftOn,
    });
    await http.put('/v1/pupils/p-old').set(auth(staff)).send(pupil('2021-06-30')).expect(201);
    await http.put('/v1/pupils/p-soon').set(auth(staff)).send(pupil('2022-01-20')).expect(201);
    await http.put('/v1/pupils/p-held').set(auth(staff)).send(pupil('2020-01-01')).expect(201);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('places and lifts holds with reasons, and keeps their history newest first', async () => {
    await http
      .put('/v1/pupils/p-soon/legal-hold')
      .set(auth(officer))
      .send({ reason: 'Verzoek van de rechtbank' })
      .expect(200);
    const short = await http
      .delete('/v1/pupils/p-soon/legal-hold')
      .set(auth(officer))
      .send({ reason: 'x' })
      .expect(400);
    assert.equal(short.body.code, 'LEGAL_HOLD_REASON');
    await http
      .delete('/v1/pupils/p-soon/legal-hold')
      .set(auth(officer))
      .send({ reason: 'Procedure afgerond' })
      .expect(200);
    await http
      .put('/v1/pupils/p-held/legal-hold')
      .set(auth(officer))
      .send({ reason: 'Klacht in behandeling' })
      .expect(200);
    await http
      .put('/v1/pupils/p-held/legal-hold')
      .set(auth(auditor))
      .send({ reason: 'Klacht in behandeling' })
      .expect(403);

    const holds = await http.get('/v1/privacy/retention/holds').set(auth(auditor)).expect(200);
    assert.equal(holds.body.total, 3);
    expect(
      holds.body.items.map((h: { action: string; localId: string; reason: string; heldNow: boolean }) => [
        h.action,
        h.localId,
        h.reason,
        h.heldNow,
      ]),
    ).toEqual([
      ['SET', 'p-held', 'Klacht in behandeling', true],
      ['LIFTED', 'p-soon', 'Procedure afgerond', false],
      ['SET', 'p-soon', 'Verzoek van de rechtbank', false],
    ]);
    assert.equal(holds.body.items[0].by, 'fg-1');
    const paged = await http
      .get('/v1/privacy/retention/holds?page=2&pageSize=2')
      .set(auth(officer))
      .expect(200);
    expect(paged.body.items.map((h: { localId: string }) => h.localId)).toEqual(['p-soon']);
  });

  it('forecasts per category per Amsterdam month, leaves held pupils out and counts what expired as overdue', async () => {
    const f = await http.get('/v1/privacy/retention/forecast').set(auth(officer)).expect(200);
    assert.equal(f.body.months.length, 12);
    expect(f.body.months.slice(0, 2)).toEqual(['2026-12', '2027-01']);
    const enrolment = f.body.categories.find((c: { category: string }) => c.category === 'enrolment');
    expect(enrolment.perMonth.slice(0, 2)).toEqual([1, 1]); // 'p-old overdue now, p-soon on 20 January 2027'
    assert.equal(enrolment.overdue, 1);
    assert.equal(enrolment.total, 2, 'p-held is on legal hold');
    assert.equal(f.body.heldPupils, 1);
    expect(f.body.periods.enrolment).toEqual(['P5Y']);
    assert.equal(f.body.policy.id, 'ketenpoort-standaard');
    const three = await http.get('/v1/privacy/retention/forecast?months=3').set(auth(auditor)).expect(200);
    assert.equal(three.body.months.length, 3);
  });

  it('lists the deletion receipts of a retention run: when, category, how many, period and policy', async () => {
    await gateway.app.get(RetentionScheduleHost).schedule.runNow();
    const receipts = await http.get('/v1/privacy/retention/receipts').set(auth(officer)).expect(200);
    const enrolment = receipts.body.items.find((r: { category: string }) => r.category === 'enrolment');
    assert.equal(enrolment.count, 1);
    assert.equal(enrolment.period, 'P5Y');
    assert.equal(enrolment.at, NOW.toISOString());
    expect(enrolment.policy).toEqual({ id: 'ketenpoort-standaard', version: '2025.1' });
    const after = await http.get('/v1/privacy/retention/forecast').set(auth(officer)).expect(200);
    const left = after.body.categories.find((c: { category: string }) => c.category === 'enrolment');
    assert.equal(left.total, 1, 'only p-soon is still waiting; p-held stays held');
  });

  it('derives the verwerkingsregister from the configuration, as JSON and CSV, for both kinds', async () => {
    const controller = await http.get('/v1/privacy/register').set(auth(officer)).expect(200);
    assert.equal(controller.body.kind, 'controller');
    assert.equal(controller.body.board, board);
    const recipients = new Set(controller.body.recipients.map((r: { recipient: string }) => r.recipient));
    for (const kind of ['DUO', 'LEERPLICHT', 'DOORSTROOMPUNT', 'JGZ', 'INSPECTIE', 'SCHOOL'])
      assert.ok(recipients.has(kind));
    assert.ok(
      controller.body.sources.some((s: { system: string }) => s.system === 'pupil-registry'),
      'the pupils registered through the API are a source',
    );
    const leerplicht = controller.body.recipients.find(
      (r: { recipient: string }) => r.recipient === 'LEERPLICHT',
    );
    assert.ok(leerplicht.bodies.length > 0, 'the routing table names the regional bodies');
    const csv = await http.get('/v1/privacy/register?format=csv').set(auth(auditor)).expect(200);
    assert.match(csv.headers['content-type'], /^text\/csv/);
    assert.match(csv.headers['content-disposition'], /verwerkingsregister-2026-12-15\.csv/);
    assert.ok(csv.text.split('\r\n')[0].includes('Verwerkingsverantwoordelijke'));
    const processor = await http.get('/v1/privacy/register?kind=processor').set(auth(officer)).expect(200);
    expect(processor.body.controllers.map((c: { board: string }) => c.board)).toEqual([board]); // 'a board sees only itself among the controllers'
  });

  it("takes the board's name, contact and FG from the privacy officer into both registers and the CSV", async () => {
    const empty = await http.get('/v1/privacy/register/controller').set(auth(auditor)).expect(200);
    assert.equal(empty.body.name, null);
    const details = {
      name: 'Stichting Voorbeeldscholen',
      contact: 'Postbus 1, 3500 AA Utrecht',
      privacyOfficer: 'J. de Vries, fg@voorbeeld.example',
    };
    const saved = await http
      .put('/v1/privacy/register/controller')
      .set(auth(officer))
      .send(details)
      .expect(200);
    assert.equal(saved.body.updatedBy, 'fg-1');
    await http.put('/v1/privacy/register/controller').set(auth(auditor)).send(details).expect(403);
    for (const bad of [{ name: 'x'.repeat(201) }, { name: 42 }, { other: 'x' }, ['x']]) {
      const refused = await http
        .put('/v1/privacy/register/controller')
        .set(auth(officer))
        .send(bad)
        .expect(400);
      assert.equal(refused.body.code, 'REGISTER_CONTROLLER_INVALID');
    }
    const controller = await http.get('/v1/privacy/register').set(auth(officer)).expect(200);
    expect(controller.body.controller).toEqual({
      name: details.name,
      contact: details.contact,
      privacyOfficer: details.privacyOfficer,
    });
    const processor = await http.get('/v1/privacy/register?kind=processor').set(auth(officer)).expect(200);
    assert.equal(processor.body.controllers[0].name, details.name);
    const csv = await http.get('/v1/privacy/register?format=csv').set(auth(officer)).expect(200);
    assert.ok(csv.text.split('\r\n')[1].startsWith('Stichting Voorbeeldscholen,"J. de Vries'));
    const other = await http.get('/v1/privacy/register/controller').set(auth(otherBoardOfficer)).expect(200);
    assert.equal(other.body.name, null, 'another board never sees these details');
  });

  it('keeps each board to its own data and refuses other roles', async () => {
    const holds = await http.get('/v1/privacy/retention/holds').set(auth(otherBoardOfficer)).expect(200);
    assert.equal(holds.body.total, 0);
    const receipts = await http
      .get('/v1/privacy/retention/receipts')
      .set(auth(otherBoardOfficer))
      .expect(200);
    assert.equal(receipts.body.total, 0);
    const forecast = await http
      .get('/v1/privacy/retention/forecast')
      .set(auth(otherBoardOfficer))
      .expect(200);
    expect(forecast.body.categories).toEqual([]);
    for (const path of [
      '/v1/privacy/retention/forecast',
      '/v1/privacy/retention/receipts',
      '/v1/privacy/retention/holds',
      '/v1/privacy/register',
    ]) {
      const refused = await http.get(path).set(auth(staff)).expect(403);
      assert.equal(refused.body.code, 'ROLE_NOT_ALLOWED');
    }
  });

  it('refuses bad input with coded problems, never a 500', async () => {
    for (const path of [
      '/v1/privacy/retention/forecast?months=0',
      '/v1/privacy/retention/forecast?months=37',
      '/v1/privacy/retention/forecast?months=abc',
      '/v1/privacy/retention/receipts?pageSize=1000',
      '/v1/privacy/retention/holds?page=-1',
      '/v1/privacy/register?kind=everything',
      '/v1/privacy/register?format=pdf',
      '/v1/privacy/register?kind=controller&kind=processor',
    ]) {
      const refused = await http.get(path).set(auth(officer)).expect(400);
      assert.equal(refused.body.code, 'REQUEST_INVALID', path);
    }
  });
});
