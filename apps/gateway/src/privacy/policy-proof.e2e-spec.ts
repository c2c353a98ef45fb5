import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { SimulationResult } from '#application';
import { STATUTORY_INVARIANTS } from '#privacy';
import { type PolicyEdit, policyVariant } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

interface Failing {
  code: string;
  invariant: string;
  source: string;
  message: string;
  counterexample: { field: string; request: { recipient: { kind: string } }; releasedBy: string };
}

/**
 * Issue 11 / ADR 0012: the privacy floor and its proof on every path into force, through HTTP. One gateway
 * for the whole file (a proof takes seconds; proofs are cached by text). PGlite by default; PostgreSQL when
 * DATABASE_URL is set.
 */
describe('gateway: privacy proof on every path into force', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const newBoard = () => `BOARD-${randomUUID().slice(0, 8)}`;

  /** Two privacy officers and a school staff member of a fresh board. */
  async function boardActors(board: string) {
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    return {
      board,
      officer: await issue({ role: 'privacy_officer', sub: `fg-1-${board}`, board }),
      second: await issue({ role: 'privacy_officer', sub: `fg-2-${board}`, board }),
      staff: await issue({ role: 'school_staff', sub: `staff-${board}`, board, schools: ['99XX'] }),
    };
  }

  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  /** The issue's scenario: the BSN forbid removed and the BSN given to leerplicht for pupils from 18. */
  const bsnToLeerplicht = (edit: PolicyEdit = {}) =>
    policyVariant({
      id: 'bestuur',
      version: 'bsn-lek',
      effectiveFrom: '2020-01-01',
      dropRules: ['bsn-alleen-naar-duo'],
      releaseAlso: { 'leerplicht-meerderjarig': ['bsn'] },
      ...edit,
    });

  const leerplicht19 = {
    recipient: { kind: 'LEERPLICHT', id: '0344' },
    purpose: 'LEERPLICHT_ENFORCEMENT',
    pupil: { ageAtDate: 19 },
    payload: { 'pupil.bsn': '111222333', 'absence.hours': 20, 'pupil.name': 'Jan Jansen' },
  };

  describe("the issue's scenario: a draft that gives the BSN to leerplicht", () => {
    let actors: Awaited<ReturnType<typeof boardActors>>;
    beforeAll(async () => {
      actors = await boardActors(newBoard());
    });

    it('is stored with its failing proof: the invariant, a counterexample, Dutch and codes', async () => {
      const res = await http
        .post('/v1/privacy/policies')
        .set(auth(actors.officer))
        .send({ text: bsnToLeerplicht() })
        .expect(201);
      assert.equal(res.body.status, 'DRAFT');
      assert.equal(res.body.proof.holds, false);
      const failing: Failing[] = res.body.proof.failing;
      expect(failing.map((f) => [f.invariant, f.source, f.code])).toEqual([
        ['bsn-alleen-naar-duo', 'floor', 'INVARIANT_VIOLATED'],
      ]);
      assert.equal(failing[0].counterexample.field, 'pupil.bsn');
      assert.equal(failing[0].counterexample.request.recipient.kind, 'LEERPLICHT');
      assert.equal(failing[0].counterexample.releasedBy, 'leerplicht-meerderjarig');
      assert.match(failing[0].message, /^Wettelijke invariant bsn-alleen-naar-duo houdt geen stand/);
      const floor = res.body.proof.invariants.filter((i: { source: string }) => i.source === 'floor');
      assert.equal(floor.length, 8);
      const jgz = floor.find((i: { id: string }) => i.id === 'jgz-alleen-met-toestemming');
      assert.equal(jgz.groundConfirmed, false, 'the JGZ consent ground is UNCONFIRMED and says so');
      assert.equal(jgz.holds, true, 'and still holds');
      assert.match(jgz.ground, /ONBEVESTIGD/);
      const stored = await http
        .get('/v1/privacy/policies/bestuur/versions/bsn-lek')
        .set(auth(actors.second))
        .expect(200);
      expect(stored.body.proof).toEqual(res.body.proof); // 'the proof is stored with the draft'
    });

    it('approval is refused (422) naming the invariant and a counterexample, whoever approves', async () => {
      for (const token of [actors.second, actors.officer]) {
        const res = await http
          .post('/v1/privacy/policies/bestuur/versions/bsn-lek/approve')
          .set(auth(token))
          .expect(422);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        assert.equal(res.body.code, 'POLICY_PROOF_FAILED');
        expect(res.body.issues.map((i: { field: string; code: string }) => [i.field, i.code])).toEqual([
          ['invariants.bsn-alleen-naar-duo', 'INVARIANT_VIOLATED'],
        ]);
        assert.equal(res.body.failing[0].invariant, 'bsn-alleen-naar-duo');
        assert.equal(res.body.failing[0].counterexample.field, 'pupil.bsn');
        assert.ok(!JSON.stringify(res.body).includes('    at '), 'no stack trace');
      }
      const version = await http
        .get('/v1/privacy/policies/bestuur/versions/bsn-lek')
        .set(auth(actors.officer))
        .expect(200);
      assert.equal(version.body.status, 'DRAFT');
    });

    it('decisions are unchanged: no BSN to leerplicht for a 19-year-old', async () => {
      const res = await http
        .post('/v1/privacy/decisions')
        .set(auth(actors.staff))
        .send(leerplicht19)
        .expect(200);
      assert.equal(res.body.policy.source, 'default');
      assert.ok(!res.body.released.includes('pupil.bsn'));
      assert.equal(
        res.body.withheld.find((w: { field: string }) => w.field === 'pupil.bsn').rule,
        'bsn-alleen-naar-duo',
      );
    });

    it('the simulation of that draft sees the BSN going to leerplicht (not "changed: 0")', async () => {
      const res = await http
        .post('/v1/privacy/policies/bestuur/versions/bsn-lek/simulate?days=30')
        .set(auth(actors.officer))
        .expect(200);
      assert.equal(res.body.proof.holds, false);
      assert.equal(res.body.baseline.source, 'default');
      assert.ok(res.body.domain.combinationsChanged > 0);
      assert.ok(res.body.domain.newlyReleased.LEERPLICHT['pupil.bsn'] > 0);
      expect(Object.keys(res.body.domain.newlyReleased)).toEqual(['LEERPLICHT']);
      expect(res.body.domain.newlyWithheld).toEqual({});
      assert.ok(
        res.body.domain.examples.some(
          (e: { recipient: string; newlyReleased: string[] }) =>
            e.recipient === 'LEERPLICHT' && e.newlyReleased.includes('pupil.bsn'),
        ),
      );
      // The replay: the one request decided above changes.
      assert.equal(res.body.requests, 1);
      assert.equal(res.body.changed, 1);
      expect(res.body.byRecipient.LEERPLICHT.newlyReleased).toEqual({ 'pupil.bsn': 1 });
      assert.equal(res.body.examples.length, 1);
      expect(res.body.examples[0].newlyReleased).toEqual(['pupil.bsn']);
      assert.ok(!JSON.stringify(res.body).includes('Jan Jansen'));
    });

    it('removing the invariants from the text as well removes nothing from the floor', async () => {
      const res = await http
        .post('/v1/privacy/policies')
        .set(auth(actors.officer))
        .send({
          text: bsnToLeerplicht({
            version: 'bsn-lek-zonder-invarianten',
            dropInvariants: STATUTORY_INVARIANTS.map((i) => i.id),
          }),
        })
        .expect(201);
      assert.equal(res.body.proof.holds, false);
      expect(res.body.proof.failing.map((f: Failing) => f.invariant)).toEqual(['bsn-alleen-naar-duo']);
    });
  });

  describe('one broken draft per statutory invariant', () => {
    const broken: Record<string, PolicyEdit> = {
      'geen-ziekte-naar-leerplicht': {
        ruleWhen: { 'geen-ziekte-naar-leerplicht': { categoriesAny: ['SCHOOL_SUSPENSION'] } },
        releaseAlso: { 'leerplicht-minderjarig': ['report.suspectedReason'] },
      },
      'geen-schorsing-naar-leerplicht': {
        ruleWhen: { 'geen-ziekte-naar-leerplicht': { categoriesAny: ['SICK', 'MEDICAL_VISIT'] } },
        releaseAlso: { 'leerplicht-minderjarig': ['report.suspectedReason'] },
      },
      'vrije-tekst-verlaat-school-nooit': {
        dropRules: ['vrije-tekst-blijft-op-school'],
        releaseAlso: { 'duo-verzuimmelding': ['registration.remarks'] },
      },
      'gezondheid-niet-naar-handhaving': {
        dropRules: ['geen-gezondheid-naar-handhaving'],
        releaseAlso: { 'duo-verzuimmelding': ['health.detail'] },
      },
      'bsn-alleen-naar-duo': {
        dropRules: ['bsn-alleen-naar-duo'],
        releaseAlso: { 'doorstroompunt-18-tot-23': ['pupil.bsn'] },
      },
      'jgz-alleen-met-toestemming': {
        dropRules: ['jgz-alleen-met-toestemming'],
        ruleWhen: { 'jgz-mazl-met-toestemming': { consent: null } },
      },
      'inspectie-geen-verzuimhistorie': {
        dropRules: ['inspectie-geen-verzuimhistorie'],
        releaseAlso: { 'inspectie-schorsing-verwijdering': ['absence.hours'] },
      },
      'besluit-leerplicht-niet-naar-school': {
        dropRules: ['besluit-leerplicht-blijft-bij-gemeente'],
        releaseAlso: { 'school-terugkoppeling': ['officer.decision'] },
      },
    };

    it('covers all eight', () => {
      expect(Object.keys(broken).sort()).toEqual(STATUTORY_INVARIANTS.map((i) => i.id).sort());
    });

    for (const [invariant, edit] of Object.entries(broken)) {
      it(`${invariant}: stored with the failing proof, approval refused naming it, nothing decided under it`, async () => {
        const actors = await boardActors(newBoard());
        const text = policyVariant({
          id: 'bestuur',
          version: invariant,
          effectiveFrom: '2020-01-01',
          ...edit,
        });
        const draft = await http
          .post('/v1/privacy/policies')
          .set(auth(actors.officer))
          .send({ text })
          .expect(201);
        assert.equal(draft.body.proof.holds, false);
        expect(draft.body.proof.failing.map((f: Failing) => f.invariant)).toEqual([invariant]);
        const refused = await http
          .post(`/v1/privacy/policies/bestuur/versions/${invariant}/approve`)
          .set(auth(actors.second))
          .expect(422);
        assert.equal(refused.body.code, 'POLICY_PROOF_FAILED');
        expect(refused.body.failing.map((f: Failing) => f.invariant)).toEqual([invariant]);
        assert.ok(refused.body.failing[0].counterexample.field);
        const listing = await http.get('/v1/privacy/policies').set(auth(actors.officer)).expect(200);
        expect(listing.body.inForce.source).toEqual('default');
        expect(listing.body.items[0].versions[0].proofHolds).toEqual(false);
        assert.equal(listing.body.items[0].versions[0].status, 'DRAFT');
      });
    }
  });

  describe('a failing version stored before proofs existed', () => {
    it('can never decide anything; a version that holds, approved after it, decides again', async () => {
      const actors = await boardActors(newBoard());
      // Planted as an old, pre-proof version would be: approved, in force, no proof stored.
      await gateway.infra.dataSource.query(
        `INSERT INTO privacy_policy_version (board, policy_id, version, text, status, effective_from,
           created_by, created_at, approved_by, approved_at)
         VALUES ($1, 'bestuur', 'oud', $2, 'APPROVED', '2020-01-01', 'fg-a', $3, 'fg-b', $3)`,
        [actors.board, bsnToLeerplicht({ version: 'oud' }), new Date(Date.now() - 86_400_000)],
      );
      const listing = await http.get('/v1/privacy/policies').set(auth(actors.officer)).expect(200);
      expect(listing.body.inForce).toEqual({ id: 'bestuur', version: 'oud', source: 'board' });
      assert.equal(listing.body.items[0].versions[0].proofHolds, null);

      for (const body of [
        leerplicht19,
        { ...leerplicht19, recipient: { kind: 'DUO' }, purpose: 'STATUTORY_REPORT' },
      ]) {
        const res = await http.post('/v1/privacy/decisions').set(auth(actors.staff)).send(body).expect(409);
        assert.equal(res.body.code, 'POLICY_IN_FORCE_FAILS_PROOF');
        expect(res.body.failing.map((f: Failing) => f.invariant)).toEqual(['bsn-alleen-naar-duo']);
        assert.ok(!JSON.stringify(res.body).includes('111222333'));
      }
      const stored = await gateway.infra.dataSource.query(
        'SELECT count(*) AS n FROM disclosure_request WHERE board = $1',
        [actors.board],
      );
      assert.equal(Number(stored[0].n), 0, 'nothing was decided, so nothing recorded');

      const good = policyVariant({ id: 'bestuur', version: 'nieuw', effectiveFrom: '2020-01-01' });
      await http.post('/v1/privacy/policies').set(auth(actors.officer)).send({ text: good }).expect(201);
      await http
        .post('/v1/privacy/policies/bestuur/versions/nieuw/approve')
        .set(auth(actors.second))
        .expect(200);
      const res = await http
        .post('/v1/privacy/decisions')
        .set(auth(actors.staff))
        .send(leerplicht19)
        .expect(200);
      expect(res.body.policy).toEqual({ id: 'bestuur', version: 'nieuw', source: 'board' });
      assert.ok(!res.body.released.includes('pupil.bsn'));
    });
  });

  describe('simulation over the whole domain', () => {
    let actors: Awaited<ReturnType<typeof boardActors>>;
    beforeAll(async () => {
      actors = await boardActors(newBoard());
    });
    const simulate = async (version: string, edit: PolicyEdit) => {
      const text = policyVariant({ id: 'sim', version, effectiveFrom: '2020-01-01', ...edit });
      await http.post('/v1/privacy/policies').set(auth(actors.officer)).send({ text }).expect(201);
      const res = await http
        .post(`/v1/privacy/policies/sim/versions/${version}/simulate?days=7`)
        .set(auth(actors.officer))
        .expect(200);
      assert.equal(res.body.proof.holds, true);
      expect(res.body.baseline).toEqual({
        id: 'ketenpoort-standaard',
        version: '2025.1',
        source: 'default',
      });
      return res.body as SimulationResult;
    };

    it('a draft that newly releases a field: where, to whom, how often', async () => {
      const result = await simulate('meer', {
        releaseAlso: { 'leerplicht-minderjarig': ['pupil.woongemeente'] },
      });
      assert.ok(result.domain.combinationsChanged > 0);
      expect(Object.keys(result.domain.newlyReleased)).toEqual(['LEERPLICHT']);
      expect(Object.keys(result.domain.newlyReleased.LEERPLICHT)).toEqual(['pupil.woongemeente']);
      expect(result.domain.newlyWithheld).toEqual({});
      for (const e of result.domain.examples) {
        expect(e.newlyReleased).toEqual(['pupil.woongemeente']);
        assert.equal(e.recipient, 'LEERPLICHT');
        assert.match(e.ageBand, /< 18/);
      }
      assert.equal(result.changed, 0, 'no request was ever made: the replay sees nothing, the domain does');
    });

    it('a draft that newly withholds a field', async () => {
      const result = await simulate('minder', {
        releaseNoLonger: { 'doorstroompunt-18-tot-23': ['contact'] },
      });
      expect(result.domain.newlyReleased).toEqual({});
      expect(Object.keys(result.domain.newlyWithheld)).toEqual(['DOORSTROOMPUNT']);
      expect(Object.keys(result.domain.newlyWithheld.DOORSTROOMPUNT).sort()).toEqual([
        'pupil.address',
        'pupil.phone',
      ]);
    });

    it('a draft that changes nothing', async () => {
      const result = await simulate('zelfde', {});
      assert.equal(result.domain.combinationsChanged, 0);
      assert.ok(result.domain.combinationsChecked > 1_000_000);
      expect(result.domain.examples).toEqual([]);
      assert.equal(result.changed, 0);
    });
  });

  describe("a board's own invariants", () => {
    const own = {
      id: 'geen-onderwijsnummer-naar-jgz',
      description: 'De jeugdarts krijgt het onderwijsnummer niet',
      never: { recipients: ['JGZ'], fields: ['pupil.onderwijsnummer'] },
    };

    it('bind later versions; a version that drops one is shown and approved like any other', async () => {
      const actors = await boardActors(newBoard());
      const v1 = policyVariant({
        id: 'eigen',
        version: '1',
        effectiveFrom: '2020-01-01',
        addInvariants: [own],
      });
      const d1 = await http
        .post('/v1/privacy/policies')
        .set(auth(actors.officer))
        .send({ text: v1 })
        .expect(201);
      assert.equal(d1.body.proof.holds, true);
      expect(
        d1.body.proof.invariants
          .filter((i: { source: string }) => i.source === 'policy')
          .map((i: { id: string }) => i.id),
      ).toEqual([own.id]);
      await http.post('/v1/privacy/policies/eigen/versions/1/approve').set(auth(actors.second)).expect(200);

      // Keeping the invariant but breaking it: refused.
      const breaks = policyVariant({
        id: 'eigen',
        version: '2',
        effectiveFrom: '2020-01-01',
        addInvariants: [own],
        releaseAlso: { 'jgz-mazl-met-toestemming': ['onderwijsnummer'] },
      });
      const d2 = await http
        .post('/v1/privacy/policies')
        .set(auth(actors.officer))
        .send({ text: breaks })
        .expect(201);
      expect(d2.body.proof.failing.map((f: Failing) => [f.invariant, f.source])).toEqual([
        [own.id, 'policy'],
      ]);
      await http.post('/v1/privacy/policies/eigen/versions/2/approve').set(auth(actors.second)).expect(422);

      // Dropping it: the simulation shows the drop and what it releases; approval goes as any other.
      const drops = policyVariant({
        id: 'eigen',
        version: '3',
        effectiveFrom: '2020-01-01',
        releaseAlso: { 'jgz-mazl-met-toestemming': ['onderwijsnummer'] },
      });
      const d3 = await http
        .post('/v1/privacy/policies')
        .set(auth(actors.officer))
        .send({ text: drops })
        .expect(201);
      assert.equal(d3.body.proof.holds, true);
      const sim = await http
        .post('/v1/privacy/policies/eigen/versions/3/simulate')
        .set(auth(actors.officer))
        .expect(200);
      expect(sim.body.droppedInvariants).toEqual([own.id]);
      expect(Object.keys(sim.body.domain.newlyReleased.JGZ)).toEqual(['pupil.onderwijsnummer']);
      await http.post('/v1/privacy/policies/eigen/versions/3/approve').set(auth(actors.second)).expect(200);
    });
  });

  describe('readable state', () => {
    it('lists policies, answers the default in force (never 404), 404s an unknown id, speaks YAML', async () => {
      const actors = await boardActors(newBoard());
      const empty = await http.get('/v1/privacy/policies').set(auth(actors.officer)).expect(200);
      expect(empty.body.items).toEqual([]);
      expect(empty.body.inForce).toEqual({
        id: 'ketenpoort-standaard',
        version: '2025.1',
        source: 'default',
      });
      const effective = await http
        .get('/v1/privacy/policies/ketenpoort-standaard/effective')
        .set(auth(actors.officer))
        .expect(200);
      assert.equal(effective.body.source, 'default');
      assert.match(effective.body.note, /standaardbeleid/);
      const yaml = await http
        .get('/v1/privacy/policies/ketenpoort-standaard/effective')
        .set(auth(actors.officer))
        .set('Accept', 'text/yaml')
        .expect(200);
      assert.match(String(yaml.headers['content-type']), /^text\/yaml/);
      assert.match(yaml.text, /^# yaml-language-server/);
      for (const path of [
        '/v1/privacy/policies/bestaat-niet/effective',
        '/v1/privacy/policies/bestaat-niet/versions',
      ]) {
        const missing = await http.get(path).set(auth(actors.officer)).expect(404);
        assert.equal(missing.body.code, 'POLICY_NOT_FOUND');
      }

      const text = policyVariant({ id: 'yaml', version: '1', effectiveFrom: '2020-01-01' });
      for (const type of ['text/yaml', 'application/yaml; charset=utf-8']) {
        const version = type === 'text/yaml' ? '1' : '2';
        const body = policyVariant({ version }, text);
        const created = await http
          .post('/v1/privacy/policies')
          .set(auth(actors.officer))
          .set('Content-Type', type)
          .send(body)
          .expect(201);
        expect([created.body.policyId, created.body.version, created.body.proof.holds]).toEqual([
          'yaml',
          version,
          true,
        ]);
        const back = await http
          .get(`/v1/privacy/policies/yaml/versions/${version}`)
          .set(auth(actors.officer))
          .set('Accept', 'text/yaml')
          .expect(200);
        assert.equal(back.text, body);
      }
      const listing = await http.get('/v1/privacy/policies').set(auth(actors.officer)).expect(200);
      expect(
        listing.body.items.map((p: { policyId: string; versions: { version: string }[] }) => [
          p.policyId,
          p.versions.map((v) => v.version),
        ]),
      ).toEqual([['yaml', ['1', '2']]]);
      const tooLarge = await http
        .post('/v1/privacy/policies')
        .set(auth(actors.officer))
        .set('Content-Type', 'text/yaml')
        .send(`${text}\n# ${'x'.repeat(300 * 1024)}\n`)
        .expect(413);
      assert.equal(tooLarge.body.code, 'PAYLOAD_TOO_LARGE');
      const staff = await http.get('/v1/privacy/policies').set(auth(actors.staff)).expect(403);
      assert.equal(staff.body.code, 'ROLE_NOT_ALLOWED');
    });
  });

  describe('audit chains per board', () => {
    it("verify answers for the caller's board only; tampering with one board leaves the other's verdict as it was", async () => {
      const a = await boardActors(newBoard());
      const b = await boardActors(newBoard());
      const auditorB = await gateway.issuer.issue({ role: 'auditor', sub: 'aud-b', board: b.board });
      const text = policyVariant({ id: 'keten', version: '1', effectiveFrom: '2020-01-01' });
      for (const actors of [a, b]) {
        await http.post('/v1/privacy/policies').set(auth(actors.officer)).send({ text }).expect(201);
        await http.post('/v1/privacy/policies/keten/versions/1/approve').set(auth(actors.second)).expect(200);
      }
      const verify = async (token: string) =>
        (await http.get('/v1/privacy/audit/verify').set(auth(token)).expect(200)).body as Record<
          string,
          unknown
        >;
      const beforeA = await verify(a.officer);
      const beforeB = await verify(b.officer);
      expect([beforeA.board, beforeA.valid, beforeA.entries]).toEqual([a.board, true, 2]);
      expect([beforeB.board, beforeB.valid, beforeB.entries]).toEqual([b.board, true, 2]);
      expect(await verify(auditorB)).toEqual(beforeB);
      await http.get('/v1/privacy/audit/verify').set(auth(a.staff)).expect(403);

      await gateway.infra.dataSource.query(
        `UPDATE audit_log SET entry = jsonb_set(entry, '{by}', '"iemand-anders"') WHERE chain = $1 AND chain_seq = 2`,
        [a.board],
      );
      const afterA = await verify(a.officer);
      assert.equal(afterA.valid, false);
      expect(afterA.brokenAt).toEqual({ seq: 2, reason: 'HASH_MISMATCH' });
      const afterB = await verify(b.officer);
      expect(afterB).toEqual(beforeB); // "the other board's verify is unaffected"
      assert.ok(!JSON.stringify(afterB).includes(a.board), 'and reveals nothing of the first');
      // Repair, so the rest of the log stays verifiable for whoever runs `audit verify` on this database.
      await gateway.infra.dataSource.query(
        `UPDATE audit_log SET entry = jsonb_set(entry, '{by}', to_jsonb($2::text)) WHERE chain = $1 AND chain_seq = 2`,
        [a.board, `fg-2-${a.board}`],
      );
      assert.equal((await verify(a.officer)).valid, true);
    });
  });
});
