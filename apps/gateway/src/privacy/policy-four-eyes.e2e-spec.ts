import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { policyVariant } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

/**
 * Issue 15 items 2–3 / ADR 0022: the editor's check without storing (POST /v1/privacy/policies/validate) and
 * the four-eyes lifecycle (submit, approve or reject with a reason by a second privacy officer). One gateway
 * for the file; PGlite by default, PostgreSQL when DATABASE_URL is set.
 */
describe('gateway: policy editor check and four eyes', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function boardActors() {
    const board = `BOARD-${randomUUID().slice(0, 8)}`;
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    return {
      board,
      author: await issue({ role: 'privacy_officer', sub: `fg-1-${board}`, board }),
      second: await issue({ role: 'privacy_officer', sub: `fg-2-${board}`, board }),
      staff: await issue({ role: 'school_staff', sub: `staff-${board}`, board, schools: ['99XX'] }),
    };
  }

  const draftText = (version: string) =>
    policyVariant({
      id: 'bestuur',
      version,
      effectiveFrom: '2020-01-01',
      releaseNoLonger: { 'leerplicht-minderjarig': ['parent_contact'] },
    });

  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  describe('POST /v1/privacy/policies/validate', () => {
    let actors: Awaited<ReturnType<typeof boardActors>>;
    beforeAll(async () => {
      actors = await boardActors();
    });

    it('answers a YAML syntax error at its line and column, storing nothing', async () => {
      const text = draftText('kapot').replace('title: Standaard', 'title: [Standaard');
      const res = await http
        .post('/v1/privacy/policies/validate')
        .set(auth(actors.author))
        .set('Content-Type', 'text/yaml')
        .send(text)
        .expect(200);
      assert.equal(res.body.valid, false);
      assert.ok(res.body.issues.length > 0);
      const issue = res.body.issues[0];
      assert.equal(typeof issue.line, 'number');
      assert.equal(typeof issue.column, 'number');
      assert.ok(issue.line > 1, 'the error is placed at its line, not the top of the document');
      assert.equal(res.body.proof, null);
      assert.equal(res.body.simulation, null);
      const listing = await http.get('/v1/privacy/policies').set(auth(actors.author)).expect(200);
      expect(listing.body.items).toEqual([]);
    });

    it('places a schema error at the offending key', async () => {
      const lines = draftText('schema').split('\n');
      const at = lines.findIndex((l) => l.startsWith('effectiveFrom:'));
      lines[at] = "effectiveFrom: 'gisteren'";
      const res = await http
        .post('/v1/privacy/policies/validate')
        .set(auth(actors.author))
        .send({ text: lines.join('\n') })
        .expect(200);
      assert.equal(res.body.valid, false);
      assert.ok(
        res.body.issues.some((i: { line: number }) => i.line === at + 1),
        JSON.stringify(res.body.issues),
      );
    });

    it('proves a draft that breaks a statutory invariant: failing, with a counterexample; nothing stored', async () => {
      const text = policyVariant({
        id: 'bestuur',
        version: 'bsn-lek',
        effectiveFrom: '2020-01-01',
        dropRules: ['bsn-alleen-naar-duo'],
        releaseAlso: { 'leerplicht-meerderjarig': ['bsn'] },
      });
      const res = await http
        .post('/v1/privacy/policies/validate')
        .set(auth(actors.author))
        .send({ text })
        .expect(200);
      assert.equal(res.body.valid, true);
      assert.equal(res.body.proof.holds, false);
      const failing = res.body.proof.failing.find(
        (f: { invariant: string }) => f.invariant === 'bsn-alleen-naar-duo',
      );
      assert.ok(failing, 'the BSN invariant fails');
      assert.equal(failing.counterexample.field, 'pupil.bsn');
      assert.match(failing.message, /BSN|burgerservicenummer/i);
      assert.ok(res.body.simulation.domain.newlyReleased.LEERPLICHT['pupil.bsn'] > 0);
      const listing = await http.get('/v1/privacy/policies').set(auth(actors.author)).expect(200);
      expect(listing.body.items).toEqual([]);
    });

    it('answers a valid draft with its proof, the simulation and the text in force for a diff', async () => {
      const res = await http
        .post('/v1/privacy/policies/validate')
        .set(auth(actors.author))
        .send({ text: draftText('1') })
        .expect(200);
      assert.equal(res.body.valid, true);
      expect(res.body.issues).toEqual([]);
      assert.equal(res.body.policy.id, 'bestuur');
      assert.equal(res.body.versionExists, false);
      assert.equal(res.body.proof.holds, true);
      assert.equal(res.body.simulation.baseline.source, 'default');
      assert.match(res.body.simulation.baselineText, /^id: ketenpoort-standaard/m);
      assert.ok(res.body.simulation.domain.newlyWithheld.LEERPLICHT['parent.phone'] > 0);
    });

    it('answers an alias bomb as a problem (YAML_ALIAS_LIMIT), never expanding it', async () => {
      const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 8; i++)
        levels.push(
          `l${i}: &l${i} [${Array(10)
            .fill(`*l${i - 1}`)
            .join(', ')}]`,
        );
      const res = await http
        .post('/v1/privacy/policies/validate')
        .set(auth(actors.author))
        .send({ text: levels.join('\n') })
        .expect(200);
      assert.equal(res.body.valid, false);
      assert.ok(
        res.body.issues.some((i: { code: string }) => i.code === 'YAML_ALIAS_LIMIT'),
        JSON.stringify(res.body.issues),
      );
    });

    it('refuses a missing text (400), an oversized one (413) and other roles (403)', async () => {
      const missing = await http
        .post('/v1/privacy/policies/validate')
        .set(auth(actors.author))
        .send({})
        .expect(400);
      assert.equal(missing.body.code, 'POLICY_TEXT_MISSING');
      await http
        .post('/v1/privacy/policies/validate')
        .set(auth(actors.author))
        .set('Content-Type', 'text/yaml')
        .send(`# ${'x'.repeat(300 * 1024)}\n`)
        .expect(413);
      await http
        .post('/v1/privacy/policies/validate')
        .set(auth(actors.staff))
        .send({ text: draftText('1') })
        .expect(403);
    });
  });

  describe('GET /v1/privacy/policies/overview', () => {
    it('explains the policy in force in plain terms: fields, basis, retention in words, the floor', async () => {
      const actors = await boardActors();
      const res = await http.get('/v1/privacy/policies/overview').set(auth(actors.author)).expect(200);
      assert.equal(res.body.source, 'default');
      assert.equal(res.body.id, 'ketenpoort-standaard');
      const duo = res.body.flows.find(
        (f: { recipient: string; purpose: string }) =>
          f.recipient === 'DUO' && f.purpose === 'STATUTORY_REPORT',
      );
      assert.ok(duo.fields.includes('pupil.bsn'));
      assert.match(duo.legalBasis, /Leerplichtwet/);
      assert.equal(duo.retentionText, '5 jaar');
      const leerplicht = res.body.flows.filter((f: { recipient: string }) => f.recipient === 'LEERPLICHT');
      assert.ok(leerplicht.length > 0);
      for (const flow of leerplicht) {
        assert.ok(!flow.fields.includes('pupil.bsn'), 'the BSN never goes to leerplicht');
        assert.ok(!flow.fields.includes('registration.remarks'));
      }
      assert.ok(
        leerplicht.some((f: { conditions: string[] }) =>
          f.conditions.includes('leerling jonger dan 18 jaar'),
        ),
      );
      const absence = res.body.retention.find((r: { category: string }) => r.category === 'absence');
      expect(absence.periods).toEqual(['5 jaar na uitschrijving', 'anders 5 jaar']);
      const inspectie = res.body.flows.find((f: { recipient: string }) => f.recipient === 'INSPECTIE');
      expect(inspectie.categories).toEqual(['SCHOOL_SUSPENSION', 'SCHOOL_EXPULSION']);
      assert.equal(res.body.floor.length, 8);
      const jgz = res.body.floor.find((i: { id: string }) => i.id === 'jgz-alleen-met-toestemming');
      assert.equal(jgz.groundConfirmed, false);
      await http.get('/v1/privacy/policies/overview').set(auth(actors.staff)).expect(403);
    });

    it('follows the board version once approved', async () => {
      const actors = await boardActors();
      await http
        .post('/v1/privacy/policies')
        .set(auth(actors.author))
        .send({ text: draftText('7') })
        .expect(201);
      await http.post('/v1/privacy/policies/bestuur/versions/7/approve').set(auth(actors.second)).expect(200);
      const res = await http.get('/v1/privacy/policies/overview').set(auth(actors.author)).expect(200);
      assert.equal(res.body.source, 'board');
      assert.equal(res.body.version, '7');
      assert.equal(res.body.approvedBy, `fg-2-${actors.board}`);
      const minor = res.body.flows.find((f: { rule: string }) => f.rule === 'leerplicht-minderjarig');
      assert.ok(!minor.fields.includes('parent.phone'));
    });
  });

  describe('submit, approve, reject', () => {
    let actors: Awaited<ReturnType<typeof boardActors>>;
    beforeAll(async () => {
      actors = await boardActors();
    });

    const base = '/v1/privacy/policies/bestuur/versions';

    it('the author submits; another officer approves; the history names both and when it took effect', async () => {
      await http
        .post('/v1/privacy/policies')
        .set(auth(actors.author))
        .send({ text: draftText('1') })
        .expect(201);
      const bySecond = await http.post(`${base}/1/submit`).set(auth(actors.second)).expect(403);
      assert.equal(bySecond.body.code, 'POLICY_NOT_AUTHOR');
      const submitted = await http.post(`${base}/1/submit`).set(auth(actors.author)).expect(200);
      assert.equal(submitted.body.status, 'SUBMITTED');
      assert.equal(submitted.body.submittedBy, `fg-1-${actors.board}`);
      const again = await http.post(`${base}/1/submit`).set(auth(actors.author)).expect(409);
      assert.equal(again.body.code, 'POLICY_NOT_DRAFT');

      const own = await http.post(`${base}/1/approve`).set(auth(actors.author)).expect(403);
      assert.equal(own.body.code, 'POLICY_FOUR_EYES');
      const approved = await http.post(`${base}/1/approve`).set(auth(actors.second)).expect(200);
      assert.equal(approved.body.status, 'APPROVED');
      assert.equal(approved.body.approvedBy, `fg-2-${actors.board}`);

      const listing = await http.get('/v1/privacy/policies').set(auth(actors.second)).expect(200);
      expect(listing.body.inForce).toEqual({ id: 'bestuur', version: '1', source: 'board' });
      const v = listing.body.items[0].versions[0];
      assert.equal(v.createdBy, `fg-1-${actors.board}`);
      assert.equal(v.submittedBy, `fg-1-${actors.board}`);
      assert.equal(v.approvedBy, `fg-2-${actors.board}`);
      // effectiveFrom lies in the past: it took effect on the (Amsterdam) day it was approved.
      assert.match(v.tookEffectOn, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(v.tookEffectOn > '2020-01-01');
    });

    it("the simulation of a stored draft carries the text in force, for the reviewer's diff", async () => {
      await http
        .post('/v1/privacy/policies')
        .set(auth(actors.author))
        .send({ text: draftText('1b') })
        .expect(201);
      const res = await http.post(`${base}/1b/simulate`).set(auth(actors.second)).expect(200);
      assert.equal(res.body.baseline.version, '1');
      assert.match(res.body.baselineText, /^version: '?1'?$/m);
    });

    it('a rejection needs a reason (400) and another officer (403); it is kept and cannot be approved (409)', async () => {
      await http
        .post('/v1/privacy/policies')
        .set(auth(actors.author))
        .send({ text: draftText('2') })
        .expect(201);
      await http.post(`${base}/2/submit`).set(auth(actors.author)).expect(200);

      const noReason = await http.post(`${base}/2/reject`).set(auth(actors.second)).send({}).expect(400);
      assert.equal(noReason.body.code, 'REJECTION_REASON_MISSING');
      const blank = await http
        .post(`${base}/2/reject`)
        .set(auth(actors.second))
        .send({ reason: '   ' })
        .expect(400);
      assert.equal(blank.body.code, 'REJECTION_REASON_MISSING');
      const own = await http
        .post(`${base}/2/reject`)
        .set(auth(actors.author))
        .send({ reason: 'toch niet' })
        .expect(403);
      assert.equal(own.body.code, 'POLICY_FOUR_EYES');

      const reason = 'Ouders van minderjarigen moeten bereikbaar blijven voor leerplicht.';
      const rejected = await http
        .post(`${base}/2/reject`)
        .set(auth(actors.second))
        .send({ reason })
        .expect(200);
      assert.equal(rejected.body.status, 'REJECTED');
      assert.equal(rejected.body.rejectedBy, `fg-2-${actors.board}`);
      assert.equal(rejected.body.rejectionReason, reason);

      const approve = await http.post(`${base}/2/approve`).set(auth(actors.second)).expect(409);
      assert.equal(approve.body.code, 'POLICY_REJECTED');
      const submit = await http.post(`${base}/2/submit`).set(auth(actors.author)).expect(409);
      assert.equal(submit.body.code, 'POLICY_REJECTED');
      const rejectAgain = await http
        .post(`${base}/2/reject`)
        .set(auth(actors.second))
        .send({ reason })
        .expect(409);
      assert.equal(rejectAgain.body.code, 'POLICY_REJECTED');

      const listing = await http.get('/v1/privacy/policies').set(auth(actors.author)).expect(200);
      expect(listing.body.inForce).toEqual({ id: 'bestuur', version: '1', source: 'board' });
      const v2 = listing.body.items[0].versions.find((v: { version: string }) => v.version === '2');
      assert.equal(v2.status, 'REJECTED');
      assert.equal(v2.rejectionReason, reason);
      assert.equal(v2.tookEffectOn, null);
    });

    it('a draft that fails its proof is not submitted (422); an approved version is not rejected (409)', async () => {
      const failing = policyVariant({
        id: 'bestuur',
        version: '3',
        effectiveFrom: '2020-01-01',
        dropRules: ['bsn-alleen-naar-duo'],
        releaseAlso: { 'leerplicht-meerderjarig': ['bsn'] },
      });
      await http.post('/v1/privacy/policies').set(auth(actors.author)).send({ text: failing }).expect(201);
      const res = await http.post(`${base}/3/submit`).set(auth(actors.author)).expect(422);
      assert.equal(res.body.code, 'POLICY_PROOF_FAILED');
      const approved = await http
        .post(`${base}/1/reject`)
        .set(auth(actors.second))
        .send({ reason: 'te laat' })
        .expect(409);
      assert.equal(approved.body.code, 'POLICY_NOT_DRAFT');
    });

    it('the audit chain records the submission and the rejection (without the reason) and still verifies', async () => {
      const verify = await http.get('/v1/privacy/audit/verify').set(auth(actors.author)).expect(200);
      assert.equal(verify.body.valid, true);
      const rows: { kind: string; entry: unknown }[] = await gateway.infra.dataSource.query(
        `SELECT kind, entry FROM audit_log WHERE board = $1 AND kind IN ('POLICY_SUBMITTED', 'POLICY_REJECTED')`,
        [actors.board],
      );
      expect(rows.map((r) => r.kind).sort()).toEqual([
        'POLICY_REJECTED',
        'POLICY_SUBMITTED',
        'POLICY_SUBMITTED',
      ]);
      assert.ok(!JSON.stringify(rows).includes('bereikbaar'), 'the reason stays out of the chain');
    });

    it('an unknown version is 404 for submit and reject', async () => {
      const s = await http.post(`${base}/9/submit`).set(auth(actors.author)).expect(404);
      assert.equal(s.body.code, 'POLICY_VERSION_NOT_FOUND');
      const r = await http
        .post(`${base}/9/reject`)
        .set(auth(actors.second))
        .send({ reason: 'x' })
        .expect(404);
      assert.equal(r.body.code, 'POLICY_VERSION_NOT_FOUND');
    });
  });
});
