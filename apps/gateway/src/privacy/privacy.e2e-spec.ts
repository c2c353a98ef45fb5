import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { RecordDisclosureUseCase } from '#application';
import { FakePolicyEngine, aCanonicalRecord, fakePolicyText } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const BSN = '111222333';

/**
 * The privacy side through HTTP: pupil registry, legal hold, policy lifecycle and simulation (fake engine),
 * and the access report as JSON and Dutch HTML. PGlite by default; PostgreSQL when DATABASE_URL is set.
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
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  before(async () => {
    gateway = await startTestGateway({ policyEngine: new FakePolicyEngine() });
    http = request(gateway.app.getHttpServer());
    board = `BOARD-${randomUUID().slice(0, 6)}`;
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    staff = await issue({ role: 'school_staff', sub: 'staff-1', board, schools: ['99XX'] });
    otherSchoolStaff = await issue({ role: 'school_staff', sub: 'staff-2', board, schools: ['98YY'] });
    officer = await issue({ role: 'privacy_officer', sub: 'fg-1', board });
    secondOfficer = await issue({ role: 'privacy_officer', sub: 'fg-2', board });
    otherBoardOfficer = await issue({ role: 'privacy_officer', sub: 'fg-x', board: `${board}-OTHER` });
    leerplicht = await issue({ role: 'leerplicht_officer', sub: 'lp', municipalities: ['0344'] });
  });

  after(async () => {
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
      assert.deepEqual(
        bad.body.issues.map((i: { code: string }) => i.code),
        ['BSN_ELFPROEF'],
      );
      assert.ok(!JSON.stringify(bad.body).includes('123456789'));
      const short = await http
        .put('/v1/pupils/p-2')
        .set(auth(staff))
        .send({ ...pupil, bsn: '12345' })
        .expect(400);
      assert.deepEqual(
        short.body.issues.map((i: { code: string }) => i.code),
        ['BSN_FORMAT'],
      );
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
      assert.deepEqual(
        kinds.map((k: { kind: string }) => k.kind),
        ['LEGAL_HOLD_SET'],
      );
      assert.ok(
        !JSON.stringify(kinds).includes('Lopende procedure'),
        'the free-text reason stays out of the log',
      );
      assert.ok(!JSON.stringify(kinds).includes('p-1'), 'the log names the pupil by pseudonym');
    });
  });

  describe('policy lifecycle and simulation', () => {
    const v1 = fakePolicyText({
      id: 'bestuur',
      version: '1',
      effectiveFrom: '2020-01-01',
      release: { DUO: ['pupil.bsn', 'absence.hours'], LEERPLICHT: ['absence.hours'] },
      legalBasis: { DUO: 'Leerplichtwet 1969 art. 21a' },
    });
    const v2 = fakePolicyText({
      id: 'bestuur',
      version: '2',
      effectiveFrom: '2099-01-01',
      release: { DUO: ['pupil.bsn'], LEERPLICHT: ['absence.hours', 'report.actionTaken'] },
    });

    it('drafts a version, refuses approval by its author, approves by a second officer', async () => {
      const draft = await http.post('/v1/privacy/policies').set(auth(officer)).send({ text: v1 }).expect(201);
      assert.deepEqual(
        [draft.body.status, draft.body.policyId, draft.body.version],
        ['DRAFT', 'bestuur', '1'],
      );
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
      assert.deepEqual([approved.body.status, approved.body.approvedBy], ['APPROVED', 'fg-2']);
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
      const past = await http
        .get('/v1/privacy/policies/bestuur/effective?at=2019-06-01')
        .set(auth(officer))
        .expect(404);
      assert.equal(past.body.code, 'NO_EFFECTIVE_POLICY');
      const list = await http.get('/v1/privacy/policies/bestuur/versions').set(auth(officer)).expect(200);
      assert.deepEqual(
        list.body.items.map((v: { version: string }) => v.version),
        ['1', '2'],
      );
    });

    it('simulates version 2 against recorded requests, per recipient and field', async () => {
      const record = gateway.app.get(RecordDisclosureUseCase);
      const engine = new FakePolicyEngine();
      const payload = {
        'pupil.bsn': BSN,
        'absence.hours': 17,
        'report.actionTaken': 'Gesprek met ouders',
        'pupil.name': 'Jan Jansen',
      };
      for (const kind of ['DUO', 'DUO', 'LEERPLICHT'] as const) {
        const req = { recipient: { kind }, purpose: 'STATUTORY_REPORT', pupil: { ageAtDate: 14 }, payload };
        await record.execute({
          board,
          pupilLocalId: 'p-1',
          request: req,
          decision: engine.decide(v1, req),
          sent: true,
          reference: 'report-1',
        });
      }
      const result = await http
        .post('/v1/privacy/policies/bestuur/versions/2/simulate?days=30')
        .set(auth(officer))
        .expect(200);
      assert.equal(result.body.requests, 3);
      assert.equal(result.body.changed, 3);
      assert.deepEqual(result.body.baseline, { id: 'bestuur', version: '1' });
      assert.deepEqual(result.body.byRecipient, {
        DUO: { newlyReleased: {}, newlyWithheld: { 'absence.hours': 2 } },
        LEERPLICHT: { newlyReleased: { 'report.actionTaken': 1 }, newlyWithheld: {} },
      });
      const stored = await gateway.infra.dataSource.query(
        'SELECT * FROM disclosure_request WHERE board = $1',
        [board],
      );
      const audit = await gateway.infra.dataSource.query('SELECT entry FROM audit_log WHERE board = $1', [
        board,
      ]);
      for (const text of [JSON.stringify(stored), JSON.stringify(audit)]) {
        for (const personal of [BSN, 'Jan Jansen', 'Gesprek met ouders', '"p-1"']) {
          assert.ok(!text.includes(personal), `no personal value (${personal.slice(0, 3)}…) is stored`);
        }
      }
      assert.deepEqual(stored[0].request.fields, [
        'absence.hours',
        'pupil.bsn',
        'pupil.name',
        'report.actionTaken',
      ]);
    });
  });

  describe('access report', () => {
    before(async () => {
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
      assert.deepEqual(
        report.records.map((r: { recordId: string }) => r.recordId),
        ['r-1'],
      );
      assert.deepEqual(
        report.quarantined.map((q: { sourceId: string }) => q.sourceId),
        ['q-1'],
      );
      assert.equal(report.quarantined[0].raw, undefined, 'the raw item is not part of the report');
      assert.equal(report.legalHold.reason, 'Lopende procedure');
      assert.equal(report.disclosures.length, 3);
      const duo = report.disclosures[0];
      assert.deepEqual(duo.released, ['pupil.bsn', 'absence.hours']);
      assert.equal(duo.legalBasis, 'Leerplichtwet 1969 art. 21a');
      assert.match(duo.retainedUntil, /^\d{4}-\d{2}-\d{2}$/);
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
});
