import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RecordDisclosureUseCase } from '#application';
import { type Decision, type DisclosureRequest, dutchDate, shiftByPeriod } from '#domain';
import { aCanonicalRecord, policyVariant } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const BSN = '111222333';

/**
 * The privacy side through HTTP with the real engine and real YAML policies (the shipped default and
 * variations of its text): pupil registry, legal hold, disclosure decisions, policy lifecycle and simulation
 * over decided requests, and the access report as JSON and Dutch HTML. PGlite by default; PostgreSQL when
 * DATABASE_URL is set.
 */
describe('gateway: privacy store', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let board: string;
  let staff: string;
  let otherSchoolStaff: string;
  let officer: string;
  let secondOfficer: string;
  let otherBoardOfficer: string;
  let leerplicht: string;
  let integration: string;
  let auditor: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
    board = `BOARD-${randomUUID().slice(0, 6)}`;
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    staff = await issue({ role: 'school_staff', sub: 'staff-1', board, schools: ['99XX'] });
    otherSchoolStaff = await issue({ role: 'school_staff', sub: 'staff-2', board, schools: ['98YY'] });
    officer = await issue({ role: 'privacy_officer', sub: 'fg-1', board });
    secondOfficer = await issue({ role: 'privacy_officer', sub: 'fg-2', board });
    otherBoardOfficer = await issue({ role: 'privacy_officer', sub: 'fg-x', board: `${board}-OTHER` });
    leerplicht = await issue({ role: 'leerplicht_officer', sub: 'lp', municipalities: ['0344'] });
    integration = await issue({
      role: 'integration_client',
      sub: 'sis',
      board,
      school: '99XX',
      system: 'magister',
    });
    auditor = await issue({ role: 'auditor', sub: 'aud', board });
  });

  const auditCount = async (): Promise<number> =>
    Number(
      (
        await gateway.infra.dataSource.query('SELECT count(*) AS n FROM audit_log WHERE board = $1', [board])
      )[0].n,
    );
  /** A report-sized payload with values that must never be stored. */
  const payload = {
    'pupil.bsn': BSN,
    'absence.hours': 17,
    'report.suspectedReason': 'Gesprek met ouders',
    'pupil.name': 'Jan Jansen',
  };
  const duoRequest = {
    recipient: { kind: 'DUO' },
    purpose: 'STATUTORY_REPORT',
    reportKind: '16U_MINDERJARIG',
    pupil: { ageAtDate: 14, localId: 'p-1' },
    payload,
  };
  const leerplichtRequest = { ...duoRequest, recipient: { kind: 'LEERPLICHT', id: '0344' } };
  const decided: (Decision & { requestId: string })[] = [];

  afterAll(async () => {
    await gateway?.stop();
  });

  const pupil = {
    school: '99XX',
    birthDate: '2011-05-04',
    sector: 'vo',
    woongemeente: '0344',
    enrolledFrom: '2023-08-21',
    bsn: BSN,
  };

  describe('pupil registry', () => {
    it('creates a pupil (201), replaces it (200), and never returns the BSN', async () => {
      const created = await http.put('/v1/pupils/p-1').set(auth(staff)).send(pupil).expect(201);
      assert.equal(created.body.hasBsn, true);
      assert.ok(!JSON.stringify(created.body).includes(BSN));
      const replaced = await http
        .put('/v1/pupils/p-1')
        .set(auth(staff))
        .send({ ...pupil, bsn: undefined })
        .expect(200);
      assert.equal(replaced.body.hasBsn, true, 'leaving out the BSN keeps the stored one');
      const rows = await gateway.infra.dataSource.query(
        'SELECT bsn_encrypted FROM pupil WHERE local_id = $1',
        ['p-1'],
      );
      assert.ok(rows[0].bsn_encrypted.startsWith('v1.'));
      assert.ok(!rows[0].bsn_encrypted.includes(BSN));
    });

    it('refuses a BSN failing the elfproef or of the wrong length, with coded issues and without echoing it', async () => {
      const bad = await http
        .put('/v1/pupils/p-2')
        .set(auth(staff))
        .send({ ...pupil, bsn: '123456789' })
        .expect(400);
      assert.equal(bad.body.code, 'PUPIL_INVALID');
      expect(bad.body.issues.map((i: { code: string }) => i.code)).toEqual(['BSN_ELFPROEF']);
      assert.ok(!JSON.stringify(bad.body).includes('123456789'));
      const short = await http
        .put('/v1/pupils/p-2')
        .set(auth(staff))
        .send({ ...pupil, bsn: '12345' })
        .expect(400);
      expect(short.body.issues.map((i: { code: string }) => i.code)).toEqual(['BSN_FORMAT']);
    });

    it('refuses a school outside the token and roles without write access', async () => {
      await http.put('/v1/pupils/p-3').set(auth(otherSchoolStaff)).send(pupil).expect(403);
      await http.put('/v1/pupils/p-3').set(auth(officer)).send(pupil).expect(403);
    });

    it('legal hold: only a privacy officer sets and lifts it, both audited', async () => {
      await http.put('/v1/pupils/p-1/legal-hold').set(auth(staff)).send({ reason: 'procedure' }).expect(403);
      const held = await http
        .put('/v1/pupils/p-1/legal-hold')
        .set(auth(officer))
        .send({ reason: 'Lopende procedure' })
        .expect(200);
      assert.equal(held.body.legalHold.setBy, 'fg-1');
      await http.put('/v1/pupils/p-404/legal-hold').set(auth(officer)).send({ reason: 'x-y-z' }).expect(404);
      await http
        .put('/v1/pupils/p-1/legal-hold')
        .set(auth(otherBoardOfficer))
        .send({ reason: 'x-y-z' })
        .expect(404);
      const kinds = await gateway.infra.dataSource.query(
        `SELECT kind, entry FROM audit_log WHERE board = $1 AND kind LIKE 'LEGAL_HOLD%' ORDER BY seq`,
        [board],
      );
      expect(kinds.map((k: { kind: string }) => k.kind)).toEqual(['LEGAL_HOLD_SET']);
      assert.ok(
        !JSON.stringify(kinds).includes('Lopende procedure'),
        'the free-text reason stays out of the log',
      );
      assert.ok(!JSON.stringify(kinds).includes('p-1'), 'the log names the pupil by pseudonym');
    });
  });

  describe('disclosure decisions', () => {
    it('permits under the shipped default policy when the board has none, logs one DECISION and stores no values', async () => {
      const before = await auditCount();
      const res = await http.post('/v1/privacy/decisions').set(auth(staff)).send(duoRequest).expect(200);
      const decision = res.body;
      assert.equal(decision.effect, 'permit');
      expect(decision.released).toEqual(['pupil.bsn', 'absence.hours', 'report.suspectedReason']);
      expect(decision.withheld).toEqual([
        { field: 'pupil.name', rule: 'default-deny', reason: decision.withheld[0].reason },
      ]);
      expect(decision.determinedBy).toEqual(['duo-verzuimmelding']);
      expect(decision.policy).toEqual({ id: 'ketenpoort-standaard', version: '2025.1', source: 'default' });
      assert.match(decision.explanation, /^Aan DUO/);
      assert.ok(decision.obligations.some((o: { kind: string }) => o.kind === 'retention'));
      assert.ok(!JSON.stringify(decision).includes(BSN), 'the decision names fields, never values');

      assert.equal(await auditCount(), before + 1, 'one audit entry per decision');
      const [last] = await gateway.infra.dataSource.query(
        'SELECT kind FROM audit_log WHERE board = $1 ORDER BY seq DESC LIMIT 1',
        [board],
      );
      assert.equal(last.kind, 'DECISION');
      const stored = await gateway.infra.dataSource.query('SELECT * FROM disclosure_request WHERE id = $1', [
        decision.requestId,
      ]);
      assert.equal(stored.length, 1);
      expect(stored[0].request.fields).toEqual([
        'absence.hours',
        'pupil.bsn',
        'pupil.name',
        'report.suspectedReason',
      ]);
      expect(stored[0].request.pupil).toEqual({ ageAtDate: 14 });
      const text = JSON.stringify(stored);
      for (const personal of [BSN, 'Jan Jansen', 'Gesprek met ouders', '"p-1"', 'localId']) {
        assert.ok(!text.includes(personal), `no personal value (${personal.slice(0, 3)}…) is stored`);
      }
    });

    it('denies (integration client, privacy officer may ask too) and logs the deny as well', async () => {
      const before = await auditCount();
      const jgz = { ...duoRequest, recipient: { kind: 'JGZ' }, purpose: 'MAZL_CONSULTATION' };
      delete (jgz as { reportKind?: string }).reportKind;
      const denied = await http.post('/v1/privacy/decisions').set(auth(integration)).send(jgz).expect(200);
      assert.equal(denied.body.effect, 'deny');
      expect(denied.body.released).toEqual([]);
      expect(denied.body.determinedBy).toEqual(['jgz-alleen-met-toestemming']);
      assert.match(denied.body.explanation, /jeugdarts/);
      const withConsent = { ...jgz, pupil: { ageAtDate: 14, consent: { jgz: true } } };
      const permitted = await http
        .post('/v1/privacy/decisions')
        .set(auth(officer))
        .send(withConsent)
        .expect(200);
      expect(permitted.body.released).toEqual(['pupil.name']);
      assert.equal(await auditCount(), before + 2);
      await http.post('/v1/privacy/decisions').set(auth(auditor)).send(duoRequest).expect(403);
      await http.post('/v1/privacy/decisions').set(auth(leerplicht)).send(duoRequest).expect(403);
      assert.equal(await auditCount(), before + 2, 'refused callers leave no trace');
    });

    it('refuses bad input with coded issues (problem+json), storing and logging nothing', async () => {
      const before = await auditCount();
      const bad = await http
        .post('/v1/privacy/decisions')
        .set(auth(staff))
        .send({ recipient: { kind: 'POLITIE' }, purpose: '', pupil: { ageAtDate: -1 }, payload: [] })
        .expect(400);
      assert.match(bad.headers['content-type'], /application\/problem\+json/);
      assert.equal(bad.body.code, 'DISCLOSURE_REQUEST_INVALID');
      expect(bad.body.issues.map((i: { code: string }) => i.code)).toEqual([
        'INVALID_RECIPIENT',
        'INVALID_PURPOSE',
        'INVALID_AGE',
        'INVALID_PAYLOAD',
      ]);
      const badId = await http
        .post('/v1/privacy/decisions')
        .set(auth(staff))
        .send({ ...duoRequest, pupil: { ageAtDate: 14, localId: 7 } })
        .expect(400);
      expect(badId.body.issues.map((i: { field: string }) => i.field)).toEqual(['pupil.localId']);
      await http.post('/v1/privacy/decisions').set(auth(staff)).send([1, 2]).expect(400);
      assert.ok(!JSON.stringify(bad.body).includes('POLITIE'), 'values are not echoed');
      // p-1 belongs to school 99XX: staff of another school of the board cannot decide about them.
      const foreign = await http
        .post('/v1/privacy/decisions')
        .set(auth(otherSchoolStaff))
        .send(duoRequest)
        .expect(404);
      assert.equal(foreign.body.code, 'PUPIL_NOT_FOUND');
      assert.equal(await auditCount(), before);
      const chain = await http.get('/v1/privacy/audit/verify').set(auth(auditor)).expect(200);
      assert.equal(chain.body.valid, true);
    });
  });

  describe('policy lifecycle and simulation', () => {
    // Version 1: the shipped policy as the board's own. Version 2 (a later draft): DUO no longer gets the
    // suspected reason, leerplicht (minors) does.
    const v1 = policyVariant({ id: 'bestuur', version: '1', effectiveFrom: '2020-01-01' });
    const v2 = policyVariant({
      id: 'bestuur',
      version: '2',
      effectiveFrom: '2099-01-01',
      releaseNoLonger: { 'duo-verzuimmelding': ['suspected_reason'] },
      releaseAlso: { 'leerplicht-minderjarig': ['report.suspectedReason'] },
    });

    it('drafts a version, refuses approval by its author, approves by a second officer', async () => {
      const draft = await http.post('/v1/privacy/policies').set(auth(officer)).send({ text: v1 }).expect(201);
      expect([draft.body.status, draft.body.policyId, draft.body.version]).toEqual(['DRAFT', 'bestuur', '1']);
      await http.post('/v1/privacy/policies').set(auth(officer)).send({ text: v1 }).expect(409);
      const own = await http
        .post('/v1/privacy/policies/bestuur/versions/1/approve')
        .set(auth(officer))
        .expect(403);
      assert.equal(own.body.code, 'POLICY_FOUR_EYES');
      const approved = await http
        .post('/v1/privacy/policies/bestuur/versions/1/approve')
        .set(auth(secondOfficer))
        .expect(200);
      expect([approved.body.status, approved.body.approvedBy]).toEqual(['APPROVED', 'fg-2']);
      const again = await http
        .post('/v1/privacy/policies/bestuur/versions/1/approve')
        .set(auth(officer))
        .expect(409);
      assert.equal(again.body.code, 'POLICY_NOT_DRAFT');
      await http.post('/v1/privacy/policies').set(auth(staff)).send({ text: v1 }).expect(403);
      const invalid = await http
        .post('/v1/privacy/policies')
        .set(auth(officer))
        .send({ text: '{"id":1}' })
        .expect(400);
      assert.equal(invalid.body.code, 'POLICY_INVALID');
    });

    it('reconstructs the effective version at past and future moments', async () => {
      await http.post('/v1/privacy/policies').set(auth(officer)).send({ text: v2 }).expect(201);
      await http.post('/v1/privacy/policies/bestuur/versions/2/approve').set(auth(secondOfficer)).expect(200);
      const now = await http.get('/v1/privacy/policies/bestuur/effective').set(auth(officer)).expect(200);
      assert.equal(now.body.version, '1');
      const future = await http
        .get('/v1/privacy/policies/bestuur/effective?at=2099-06-01')
        .set(auth(officer))
        .expect(200);
      assert.equal(future.body.version, '2');
      // Before version 1 the shipped default applied: said so, not a 404.
      const past = await http
        .get('/v1/privacy/policies/bestuur/effective?at=2019-06-01')
        .set(auth(officer))
        .expect(200);
      expect([past.body.source, past.body.policyId]).toEqual(['default', 'ketenpoort-standaard']);
      const list = await http.get('/v1/privacy/policies/bestuur/versions').set(auth(officer)).expect(200);
      expect(list.body.items.map((v: { version: string }) => v.version)).toEqual(['1', '2']);
    });

    it('decides under the board version in force, then simulates version 2 over the decided requests', async () => {
      for (const body of [duoRequest, duoRequest, leerplichtRequest]) {
        const res = await http.post('/v1/privacy/decisions').set(auth(staff)).send(body).expect(200);
        expect(res.body.policy).toEqual({ id: 'bestuur', version: '1', source: 'board' });
        decided.push(res.body);
      }
      expect(decided[2].released).toEqual(['absence.hours', 'pupil.name']);
      const stored = await gateway.infra.dataSource.query(
        'SELECT count(*) AS n FROM disclosure_request WHERE board = $1',
        [board],
      );
      const result = await http
        .post('/v1/privacy/policies/bestuur/versions/2/simulate?days=30')
        .set(auth(officer))
        .expect(200);
      // Six requests: the three above and the three decided in 'disclosure decisions' (one DUO, two JGZ).
      assert.equal(result.body.requests, Number(stored[0].n));
      assert.equal(result.body.requests, 6);
      assert.equal(result.body.changed, 4);
      assert.equal(result.body.effectChanged, 0);
      expect(result.body.baseline).toEqual({ id: 'bestuur', version: '1', source: 'board' });
      assert.equal(result.body.proof.holds, true);
      expect(result.body.byRecipient).toEqual({
        DUO: { newlyReleased: {}, newlyWithheld: { 'report.suspectedReason': 3 } },
        LEERPLICHT: { newlyReleased: { 'report.suspectedReason': 1 }, newlyWithheld: {} },
      });
    });
  });

  describe('access report', () => {
    let disclosedAt: Date;
    beforeAll(async () => {
      // What a connector does once it sent the report: record the disclosure with the decision it got.
      disclosedAt = new Date();
      await gateway.app.get(RecordDisclosureUseCase).execute({
        board,
        pupilLocalId: 'p-1',
        request: duoRequest as unknown as DisclosureRequest,
        decision: decided[0],
        sent: true,
        reference: 'report-1',
      });
      await http
        .post('/v1/records')
        .set(auth(staff))
        .send({
          records: [
            aCanonicalRecord({
              recordId: 'r-1',
              pupil: { localId: 'p-1' },
              sourceId: '<script>alert(1)</script>',
            }),
            aCanonicalRecord({ recordId: 'r-2', pupil: { localId: 'p-9' } }),
          ],
        })
        .expect(202);
      const [batch] = await gateway.infra.dataSource.query(
        `SELECT batch_id FROM canonical_record WHERE board = $1 LIMIT 1`,
        [board],
      );
      await gateway.infra.dataSource.query(
        `INSERT INTO quarantined_input (board, school, batch_id, source_system, source_id, reason, detail, raw, received_at, pupil_local_id)
         VALUES ($1, '99XX', $2, 'somtoday', 'q-1', 'UNMAPPED_REASON', 'code not in mapping', '{"x":1}', now(), 'p-1')`,
        [board, batch.batch_id],
      );
    });

    it('returns everything held and every disclosure as JSON, without the BSN', async () => {
      const res = await http.get('/v1/pupils/p-1/access-report').set(auth(officer)).expect(200);
      assert.match(res.headers['content-type'], /json/);
      const report = res.body;
      assert.equal(report.pupil.bsn, 'aanwezig, versleuteld opgeslagen');
      expect(report.records.map((r: { recordId: string }) => r.recordId)).toEqual(['r-1']);
      expect(report.quarantined.map((q: { sourceId: string }) => q.sourceId)).toEqual(['q-1']);
      assert.equal(report.quarantined[0].raw, undefined, 'the raw item is not part of the report');
      assert.equal(report.legalHold.reason, 'Lopende procedure');
      assert.equal(report.disclosures.length, 1, 'decisions alone are no disclosures');
      const duo = report.disclosures[0];
      expect(duo.recipient).toEqual({ kind: 'DUO', id: null });
      assert.equal(duo.purpose, 'STATUTORY_REPORT');
      assert.equal(duo.reportKind, '16U_MINDERJARIG');
      expect(duo.released).toEqual(['pupil.bsn', 'absence.hours', 'report.suspectedReason']);
      expect(duo.determinedBy).toEqual(['duo-verzuimmelding']);
      expect(duo.policy).toEqual({ id: 'bestuur', version: '1' });
      assert.equal(
        duo.legalBasis,
        'Leerplichtwet 1969 art. 21a, WEB art. 8.1.8a en het Besluit Verzuimmelding',
      );
      assert.equal(duo.retainedUntil, shiftByPeriod(disclosedAt, 'P5Y').toISOString().slice(0, 10));
      assert.equal(duo.reference, 'report-1');
      assert.ok(Math.abs(Date.parse(duo.at) - disclosedAt.getTime()) < 60_000);
      assert.ok(!JSON.stringify(report).includes(BSN));
    });

    it('renders readable Dutch HTML with every value escaped', async () => {
      const res = await http
        .get('/v1/pupils/p-1/access-report')
        .set(auth(staff))
        .set('Accept', 'text/html')
        .expect(200);
      assert.match(res.headers['content-type'], /text\/html/);
      assert.match(res.text, /Overzicht van gegevens \(inzageverzoek, artikel 15 AVG\)/);
      assert.match(res.text, /aanwezig, versleuteld opgeslagen/);
      assert.match(res.text, /Verstrekkingen aan anderen \(1\)/);
      for (const text of [
        'duo-verzuimmelding',
        'pupil.bsn, absence.hours, report.suspectedReason',
        'Leerplichtwet 1969 art. 21a, WEB art. 8.1.8a en het Besluit Verzuimmelding',
        dutchDate(shiftByPeriod(disclosedAt, 'P5Y').toISOString().slice(0, 10)),
        'beleid bestuur versie 1',
      ]) {
        assert.ok(res.text.includes(text), `the page shows ${text}`);
      }
      assert.ok(!res.text.includes('<script>'), 'a source id cannot inject markup');
      assert.ok(res.text.includes('&#60;script&#62;'));
      assert.ok(!res.text.includes(BSN));
      const viaQuery = await http
        .get('/v1/pupils/p-1/access-report?format=html')
        .set(auth(officer))
        .expect(200);
      assert.match(viaQuery.headers['content-type'], /text\/html/);
    });

    it('another board or school sees no such pupil; other roles are refused', async () => {
      const other = await http.get('/v1/pupils/p-1/access-report').set(auth(otherBoardOfficer)).expect(404);
      const missing = await http.get('/v1/pupils/p-404/access-report').set(auth(officer)).expect(404);
      assert.equal(other.body.code, missing.body.code);
      await http.get('/v1/pupils/p-1/access-report').set(auth(otherSchoolStaff)).expect(404);
      await http.get('/v1/pupils/p-1/access-report').set(auth(leerplicht)).expect(403);
    });

    it('the audit chain of all this verifies', async () => {
      const res = await http.get('/v1/privacy/audit/verify').set(auth(officer)).expect(200);
      assert.equal(res.body.valid, true);
      assert.ok(res.body.entries >= 8);
    });
  });

  describe('chain summary', () => {
    it("counts only what the caller's scope covers: a school's staff see their school", async () => {
      const get = async (token: string) =>
        (await http.get('/v1/chain/summary').set(auth(token)).expect(200)).body as {
          board: string;
          schools: string[] | null;
          pupils: number;
        };
      const whole = await get(officer);
      const own = await get(staff);
      const other = await get(otherSchoolStaff);
      expect([whole.board, whole.schools]).toEqual([board, null]);
      expect(own.schools).toEqual(['99XX']);
      expect(other.schools).toEqual(['98YY']);
      const [registered] = await gateway.infra.dataSource.query(
        `SELECT count(*) FILTER (WHERE school_brin = '99XX') AS here, count(*) AS n FROM pupil WHERE board = $1`,
        [board],
      );
      assert.ok(Number(registered.here) >= 1);
      assert.equal(whole.pupils, Number(registered.n));
      assert.equal(own.pupils, Number(registered.here));
      assert.equal(other.pupils, 0, 'the pupils of another school of the board are not counted');
      assert.equal((await get(auditor)).pupils, whole.pupils);
    });
  });
});
