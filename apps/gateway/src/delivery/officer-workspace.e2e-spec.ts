import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CompactEncrypt, type JWK, compactDecrypt, exportJWK, generateKeyPair, importJWK } from 'jose';
import request from 'supertest';
import {
  LEERPLICHT_JWE_ALG,
  LEERPLICHT_JWE_ENC,
  LeerplichtConnector,
  decryptAndVerify,
} from '#connector-leerplicht';
import type {
  LeerplichtInboxWriter,
  OutboundContext,
  ReportConnector,
  SendResult,
  StatusChange,
} from '#domain';
import { TypeOrmLeerplichtInbox } from '#persistence';
import type { ReleasedPayload } from '#privacy';
import { policyVariant, waitFor } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';
import { TEST_BSN, approvedReport } from './delivery.test-support.js';

/** DUO behind the connector port: registers every report, and plays a status feed the test fills. */
class ScriptedDuo implements ReportConnector<ReleasedPayload> {
  readonly destination = 'DUO' as const;
  readonly changes: StatusChange[] = [];
  private numbers = 0;

  send(context: OutboundContext): Promise<SendResult> {
    this.numbers += 1;
    return Promise.resolve({
      ok: true,
      externalRef: context.operation === 'REGISTER' ? `DUO-OW-${this.numbers}` : context.externalRef,
      status: 'REGISTERED',
    });
  }

  fetchStatusChanges(since: Date): Promise<{ changes: StatusChange[]; until: Date }> {
    const changes = this.changes.filter((c) => new Date(c.at).getTime() > since.getTime());
    const until = changes.reduce((max, c) => Math.max(max, new Date(c.at).getTime()), since.getTime());
    return Promise.resolve({ changes, until: new Date(until) });
  }
}

/**
 * The officer's workspace on the server (ADR 0023): the real leerplicht connector signs and encrypts each report
 * to the municipality's public key and stores it in the inbox with a few routing fields in clear; the
 * municipality's private key exists only in this test (standing in for the officer's browser). The server lists
 * and filters on the clear fields, refuses status moves the lifecycle does not allow (409, Dutch), stores the
 * officer's decision as a JWE it cannot read, merges DUO's feed with the officer's channel, and shows another
 * municipality nothing.
 */
describe('gateway: the leerplicht officer’s workspace', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let staff: string;
  let officer: string;
  let otherOfficer: string;
  let municipalityPublic: JWK;
  let municipalityPrivate: JWK;
  let signingPublic: JWK;
  const duo = new ScriptedDuo();
  const board = `BOARD-${randomUUID().slice(0, 6)}`;
  const school = '99XX';
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  // The connector is built before the gateway's database exists; it writes through to it once it does.
  let inbox: TypeOrmLeerplichtInbox | null = null;
  const lateInbox: LeerplichtInboxWriter = { put: (entry) => inbox!.put(entry) };

  beforeAll(async () => {
    const municipality = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    municipalityPublic = { ...(await exportJWK(municipality.publicKey)), kid: '0344-test' };
    municipalityPrivate = { ...(await exportJWK(municipality.privateKey)), kid: '0344-test' };
    const signing = await generateKeyPair('ES256', { extractable: true });
    signingPublic = await exportJWK(signing.publicKey);
    const leerplicht = new LeerplichtConnector({
      signingKey: { privateJwk: await exportJWK(signing.privateKey), kid: 'ketenpoort-test' },
      endpointOf: (id) => (id === '0344' ? { channel: 'inbox', publicJwk: municipalityPublic } : null),
      inbox: lateInbox,
      timeoutMs: 2000,
    });
    gateway = await startTestGateway(
      {
        outbound: {
          connectors: [duo, leerplicht],
          router: (input) =>
            input.woongemeente
              ? {
                  ok: true,
                  recipient: { kind: 'LEERPLICHT', id: input.woongemeente },
                  channel: 'inbox',
                  explanation: [`Woongemeente ${input.woongemeente}.`],
                }
              : { ok: false, code: 'ROUTE_UNKNOWN_MUNICIPALITY', reason: 'Woongemeente onbekend.' },
          random: () => 0.5,
        },
      },
      { DELIVERY_SWEEP_MS: '25', DUO_STATUS_POLL_MS: '0' },
    );
    inbox = new TypeOrmLeerplichtInbox(gateway.infra.dataSource);
    http = request(gateway.app.getHttpServer());
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    staff = await issue({ role: 'school_staff', sub: 'staff-ow', board, schools: [school] });
    officer = await issue({ role: 'leerplicht_officer', sub: 'lpa-0344', municipalities: ['0344'] });
    otherOfficer = await issue({ role: 'leerplicht_officer', sub: 'lpa-0363', municipalities: ['0363'] });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  interface Item {
    reportId: string;
    jwe: string;
    kind: string | null;
    school: string | null;
    periodBegin: string | null;
    ageGroup: string | null;
    status: string | null;
    operation: string | null;
  }
  const listed = async (query = ''): Promise<Item[]> =>
    (
      (await http.get(`/v1/leerplicht/0344/reports${query}`).set(auth(officer)).expect(200)).body as {
        items: Item[];
      }
    ).items;
  // Listed, and its delivery recorded as DELIVERED: the connector fills the inbox before the dispatcher records the
  // outcome, so on PostgreSQL an officer could otherwise act on a report the server does not yet hold as delivered.
  const inInbox = async (reportId: string) => {
    const item = await waitFor(async () => (await listed()).find((i) => i.reportId === reportId), {
      what: `report ${reportId} in the inbox`,
      timeoutMs: 20_000,
    });
    await waitFor(
      async () => {
        const chain = await http
          .get(`/v1/schools/${school}/reports/${reportId}/chain`)
          .set(auth(staff))
          .expect(200);
        return (chain.body.deliveries as { destination: string; status: string }[]).some(
          (d) => d.destination === 'LEERPLICHT' && d.status === 'DELIVERED',
        )
          ? true
          : undefined;
      },
      { what: `report ${reportId} delivered to leerplicht`, timeoutMs: 20_000 },
    );
    return item;
  };
  const report = (localId: string, birthDate?: string) =>
    approvedReport({
      http,
      staffToken: staff,
      school,
      localId,
      woongemeente: '0344',
      ...(birthDate ? { birthDate } : {}),
    });

  it('lists reports with the routing fields in clear and the report itself only as ciphertext', async () => {
    const approved = await report('ow-read');
    const item = await inInbox(approved.id);
    assert.equal(item.school, school);
    assert.equal(item.operation, 'REGISTER');
    assert.equal(item.kind, approved.kind);
    assert.match(item.periodBegin ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(item.ageGroup, 'MINDERJARIG');
    assert.equal(item.jwe.split('.').length, 5, 'a compact JWE');
    // The officer's browser: decrypts with the municipality's key, verifies ketenpoort's signature.
    const verified = await decryptAndVerify(item.jwe, municipalityPrivate, signingPublic);
    assert.equal(verified.report.reportId, approved.id);
    assert.equal(verified.report.school.id, school);
    // Filters on the clear fields.
    assert.ok(
      (await listed(`?kind=${approved.kind}&school=${school}`)).some((i) => i.reportId === approved.id),
    );
    assert.equal((await listed('?ageGroup=MEERDERJARIG')).length, 0);
    assert.ok((await listed('?receivedFrom=2020-01-01')).some((i) => i.reportId === approved.id));
    assert.equal((await listed('?receivedTo=2020-01-01')).length, 0);
    for (const bad of ['?kind=NOPE', '?status=x', '?ageGroup=18', '?receivedFrom=gisteren', '?pupil=Jan']) {
      await http
        .get(`/v1/leerplicht/0344/reports${bad}`)
        .set(auth(officer))
        .expect(400)
        .expect((res) => assert.equal(res.body.code, 'FILTER_INVALID'));
    }
  });

  it('a pupil of 18 or older is filterable as such, without the birth date in clear', async () => {
    const approved = await report('ow-adult', '2006-01-15');
    await inInbox(approved.id);
    const adults = await listed('?ageGroup=MEERDERJARIG');
    expect(adults.map((i) => i.reportId)).toEqual([approved.id]);
  });

  it('moves a report through its statuses; a move back is refused with a Dutch explanation (409)', async () => {
    const approved = await report('ow-moves');
    await inInbox(approved.id);
    const status = (body: object, token = officer) =>
      http.post(`/v1/leerplicht/0344/reports/${approved.id}/status`).set(auth(token)).send(body);
    assert.equal((await status({ status: 'IN_BEHANDELING' }).expect(200)).body.result, 'applied');
    assert.equal((await status({ status: 'IN_BEHANDELING' }).expect(200)).body.result, 'unchanged');
    const retired = await status({ status: 'OVERGEDRAGEN_AAN_DERDEN' }).expect(400);
    assert.equal(retired.body.issues[0].code, 'STATUS_RETIRED');
    assert.match(retired.body.issues[0].message, /sinds 2020/);
    const closed = await status({
      status: 'AFGESLOTEN',
      closingReason: 'TERUG_NAAR_SCHOOL',
      closingExplanation: 'ACTIE_RICHTING_LEERLING',
      contact: 'M. Jansen, leerplichtambtenaar',
    }).expect(200);
    assert.equal(closed.body.result, 'applied');
    const back = await status({ status: 'IN_BEHANDELING' }).expect(409);
    assert.equal(back.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(back.body.code, 'STATUS_MOVE_NOT_ALLOWED');
    assert.equal(back.body.title, 'Deze statuswijziging is niet toegestaan');
    assert.match(back.body.detail, /al afgesloten/);
    assert.equal(back.body.currentStatus, 'AFGESLOTEN');
    await status({ status: 'TER_KENNISGEVING_AANGENOMEN' }).expect(409);
    // The school sees the officer's status, closing reason, explanation and contact person.
    const chain = await http
      .get(`/v1/schools/${school}/reports/${approved.id}/chain`)
      .set(auth(staff))
      .expect(200);
    assert.equal(chain.body.report.status, 'AFGESLOTEN');
    assert.equal(chain.body.report.chain.closingReason, 'TERUG_NAAR_SCHOOL');
    assert.equal(chain.body.report.chain.contact, 'M. Jansen, leerplichtambtenaar');
    // Filter by status.
    assert.ok((await listed('?status=AFGESLOTEN')).some((i) => i.reportId === approved.id));
  });

  /** The audit entries of the decision and disclosure to the school about one report (field names, no values). */
  const schoolDisclosures = async (reportId: string) => {
    const rows: {
      kind: string;
      entry: {
        request: string;
        recipient: { kind: string; id: string | null };
        purpose: string;
        effect: string;
        released: string[];
        withheld: { field: string }[];
        legalBasis?: string | null;
      };
    }[] = await gateway.infra.dataSource.query(
      `SELECT kind, entry FROM audit_log
       WHERE board = $1 AND kind IN ('DECISION', 'DISCLOSURE') AND entry->'recipient'->>'kind' = 'SCHOOL'
         AND entry->>'request' IN (SELECT entry->>'request' FROM audit_log
           WHERE board = $1 AND kind = 'DISCLOSURE' AND entry->>'reference' LIKE $2)
       ORDER BY seq`,
      [board, `%${reportId}%`],
    );
    return rows;
  };

  it('what flows back to the school passes the privacy engine and is logged like every disclosure (ADR 0026)', async () => {
    const approved = await report('ow-feedback');
    await inInbox(approved.id);
    await http
      .post(`/v1/leerplicht/0344/reports/${approved.id}/status`)
      .set(auth(officer))
      .send({
        status: 'AFGESLOTEN',
        closingReason: 'GEEN_VERZUIM_LEGITIEM_AFWEZIG',
        closingExplanation: 'LEERLING_GEZIEN_DOOR_GEMEENTE',
        contact: 'R. de Vries, leerplicht 0344',
      })
      .expect(200);
    const chain = await http
      .get(`/v1/schools/${school}/reports/${approved.id}/chain`)
      .set(auth(staff))
      .expect(200);
    assert.equal(chain.body.report.status, 'AFGESLOTEN');
    expect({
      closingReason: chain.body.report.chain.closingReason,
      closingExplanation: chain.body.report.chain.closingExplanation,
      contact: chain.body.report.chain.contact,
    }).toEqual({
      closingReason: 'GEEN_VERZUIM_LEGITIEM_AFWEZIG',
      closingExplanation: 'LEERLING_GEZIEN_DOOR_GEMEENTE',
      contact: 'R. de Vries, leerplicht 0344',
    });
    const line = (chain.body.history as { source: string; status: string; contact: string | null }[]).find(
      (h) => h.source === 'LEERPLICHT',
    );
    assert.equal(line?.status, 'AFGESLOTEN');
    assert.equal(line?.contact, 'R. de Vries, leerplicht 0344');
    assert.ok(!('schoolFields' in (line ?? {})), 'the school reads the history, not its bookkeeping');
    // The disclosure log: a decision and a disclosure to the school, the four fields released.
    const logged = await schoolDisclosures(approved.id);
    expect(logged.map((l) => l.kind)).toEqual(['DECISION', 'DISCLOSURE']);
    const disclosure = logged[1].entry;
    expect(disclosure.recipient).toEqual({ kind: 'SCHOOL', id: school });
    assert.equal(disclosure.purpose, 'STATUS_FEEDBACK');
    assert.equal(disclosure.effect, 'permit');
    expect([...disclosure.released].sort()).toEqual([
      'feedback.closingExplanation',
      'feedback.closingReason',
      'feedback.contact',
      'feedback.status',
    ]);
    assert.match(disclosure.legalBasis ?? '', /Besluit Verzuimmelding/);
    assert.doesNotMatch(JSON.stringify(logged), /de Vries/, 'the log holds field names, never values');
  });

  it("stores the officer's decision as a JWE it cannot read, and never shows it to the school", async () => {
    const approved = await report('ow-decision');
    await inInbox(approved.id);
    const note = JSON.stringify({
      decision: { type: 'PROCES_VERBAAL', date: '2026-12-04' },
      notes: 'Proces-verbaal opgemaakt na tweede gesprek met ouders.',
    });
    const key = await importJWK(municipalityPublic, LEERPLICHT_JWE_ALG);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(note))
      .setProtectedHeader({ alg: LEERPLICHT_JWE_ALG, enc: LEERPLICHT_JWE_ENC, kid: '0344-test' })
      .encrypt(key);
    const url = `/v1/leerplicht/0344/reports/${approved.id}/case-notes`;
    await http.post(url).set(auth(officer)).send({ jwe: note }).expect(400);
    await http.post(url).set(auth(officer)).send({ jwe, decision: 'PROCES_VERBAAL' }).expect(400);
    await http
      .post(url)
      .set(auth(officer))
      .send({ jwe: `${jwe}${'A'.repeat(40_000)}` })
      .expect(400);
    await http.post(url).set(auth(staff)).send({ jwe }).expect(403);
    await http.post(url).set(auth(otherOfficer)).send({ jwe }).expect(404);
    const stored = await http.post(url).set(auth(officer)).send({ jwe }).expect(201);
    assert.equal(stored.body.jwe, jwe);
    const detail = await http
      .get(`/v1/leerplicht/0344/reports/${approved.id}`)
      .set(auth(officer))
      .expect(200);
    assert.equal(detail.body.caseNotes.length, 1);
    const { plaintext } = await compactDecrypt(
      detail.body.caseNotes[0].jwe as string,
      await importJWK(municipalityPrivate, LEERPLICHT_JWE_ALG),
    );
    assert.equal(new TextDecoder().decode(plaintext), note);
    const chain = await http
      .get(`/v1/schools/${school}/reports/${approved.id}/chain`)
      .set(auth(staff))
      .expect(200);
    assert.doesNotMatch(JSON.stringify(chain.body), /PROCES_VERBAAL|Proces-verbaal|case|eyJ/i);
  });

  it("shows the furthest point DUO's feed or the officer reached, with both histories", async () => {
    const approved = await report('ow-merge');
    await inInbox(approved.id);
    const registered = await waitFor(
      async () => {
        const chain = await http
          .get(`/v1/schools/${school}/reports/${approved.id}/chain`)
          .set(auth(staff))
          .expect(200);
        return chain.body.report.status === 'REGISTERED'
          ? (chain.body.report.chain.externalRef as string)
          : undefined;
      },
      { what: 'registered at DUO', timeoutMs: 20_000 },
    );
    duo.changes.push({ externalRef: registered, status: 'IN_BEHANDELING', at: new Date().toISOString() });
    await gateway.infra.delivery!.loop.syncStatusNow();
    await http
      .post(`/v1/leerplicht/0344/reports/${approved.id}/status`)
      .set(auth(officer))
      .send({ status: 'TER_KENNISGEVING_AANGENOMEN', contact: 'M. Jansen' })
      .expect(200);
    const detail = await http
      .get(`/v1/leerplicht/0344/reports/${approved.id}`)
      .set(auth(officer))
      .expect(200);
    assert.equal(detail.body.status, 'TER_KENNISGEVING_AANGENOMEN');
    assert.equal(detail.body.statusLabel, 'ter kennisgeving aangenomen');
    const lines = (detail.body.history as { source: string; status: string }[]).map(
      (h) => `${h.source}:${h.status}`,
    );
    assert.ok(lines.includes('DUO:REGISTERED'), lines.join());
    assert.ok(lines.includes('DUO:IN_BEHANDELING'), lines.join());
    assert.ok(lines.includes('LEERPLICHT:TER_KENNISGEVING_AANGENOMEN'), lines.join());
    assert.ok(!lines.some((l) => l.startsWith('KETENPOORT')), 'the school’s own steps are not shown');
    // DUO's feed reached the school through the privacy engine too, as did the officer's status.
    const disclosed = (await schoolDisclosures(approved.id))
      .filter((l) => l.kind === 'DISCLOSURE')
      .map((l) => (l.entry as { reference?: string }).reference);
    expect(disclosed).toEqual([
      `DUO:${approved.id}:IN_BEHANDELING`,
      `LEERPLICHT:${approved.id}:TER_KENNISGEVING_AANGENOMEN`,
    ]);
  });

  it('another municipality’s officer sees nothing of this inbox, nor school staff', async () => {
    const [item] = await listed();
    assert.ok(item);
    for (const path of ['/v1/leerplicht/0344/reports', `/v1/leerplicht/0344/reports/${item.reportId}`]) {
      await http
        .get(path)
        .set(auth(otherOfficer))
        .expect(404)
        .expect((res) => assert.equal(res.body.code, 'INBOX_NOT_FOUND'));
      await http.get(path).set(auth(staff)).expect(403);
    }
    await http
      .post(`/v1/leerplicht/0344/reports/${item.reportId}/status`)
      .set(auth(otherOfficer))
      .send({ status: 'IN_BEHANDELING' })
      .expect(404);
    expect(
      (await http.get('/v1/leerplicht/0363/reports').set(auth(otherOfficer)).expect(200)).body.items,
    ).toEqual([]);
    await http.get(`/v1/leerplicht/0344/reports/${randomUUID()}`).set(auth(officer)).expect(404);
    await http.get('/v1/leerplicht/0344/reports/not-a-uuid').set(auth(officer)).expect(404);
  });

  it('at rest the inbox is ciphertext, and the municipality’s private key is nowhere on the server', async () => {
    const ds = gateway.infra.dataSource;
    const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM leerplicht_inbox`);
    assert.ok(rows.length >= 4);
    const atRest = JSON.stringify(rows);
    for (const secret of [TEST_BSN, 'ow-read', 'ow-decision', '2010-03-10', '2006-01-15']) {
      assert.ok(!atRest.includes(secret), `not in clear at rest: ${secret}`);
    }
    for (const row of rows) assert.match(String(row['jwe']), /^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const notes: Record<string, unknown>[] = await ds.query(`SELECT * FROM leerplicht_case_note`);
    assert.doesNotMatch(JSON.stringify(notes), /PROCES_VERBAAL|Proces-verbaal/);
    // The private key (d) appears in no text column of any table.
    const columns: { table_name: string; column_name: string }[] = await ds.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND data_type IN ('text', 'jsonb', 'json', 'character varying', 'bytea')`,
    );
    assert.ok(columns.length > 10);
    const d = municipalityPrivate.d!;
    for (const { table_name, column_name } of columns) {
      const found: unknown[] = await ds.query(
        `SELECT 1 FROM "${table_name}" WHERE position($1 in "${column_name}"::text) > 0 LIMIT 1`,
        [d],
      );
      assert.equal(found.length, 0, `${table_name}.${column_name} holds the private key`);
    }
  });
  it('a board policy that withholds the contact person: the school does not see it, the officer does', async () => {
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    const author = await issue({ role: 'privacy_officer', sub: `fg-1-${board}`, board });
    const second = await issue({ role: 'privacy_officer', sub: `fg-2-${board}`, board });
    // The school's feedback rule names three of the four fields: the contact person is left out.
    const text = policyVariant(
      { releaseNoLonger: { 'school-terugkoppeling': ['status_feedback'] } },
      policyVariant({
        id: 'bestuur',
        version: 'zonder-contactpersoon',
        effectiveFrom: '2020-01-01',
        releaseAlso: {
          'school-terugkoppeling': [
            'feedback.status',
            'feedback.closingReason',
            'feedback.closingExplanation',
          ],
        },
      }),
    );
    const draft = await http.post('/v1/privacy/policies').set(auth(author)).send({ text }).expect(201);
    assert.equal(draft.body.proof.holds, true);
    await http
      .post('/v1/privacy/policies/bestuur/versions/zonder-contactpersoon/approve')
      .set(auth(second))
      .expect(200);
    const approved = await report('ow-no-contact');
    await inInbox(approved.id);
    await http
      .post(`/v1/leerplicht/0344/reports/${approved.id}/status`)
      .set(auth(officer))
      .send({
        status: 'AFGESLOTEN',
        closingReason: 'TERUG_NAAR_SCHOOL',
        closingExplanation: 'GEEN_ACTIE_MEER',
        contact: 'K. Bakker, leerplicht 0344',
      })
      .expect(200);
    const chain = await http
      .get(`/v1/schools/${school}/reports/${approved.id}/chain`)
      .set(auth(staff))
      .expect(200);
    assert.equal(chain.body.report.status, 'AFGESLOTEN');
    assert.equal(chain.body.report.chain.closingReason, 'TERUG_NAAR_SCHOOL');
    assert.equal(chain.body.report.chain.closingExplanation, 'GEEN_ACTIE_MEER');
    assert.equal(chain.body.report.chain.contact, null);
    assert.doesNotMatch(JSON.stringify(chain.body), /Bakker/);
    const [decision] = await schoolDisclosures(approved.id);
    assert.equal(decision.kind, 'DECISION');
    expect(decision.entry.withheld.map((w) => w.field)).toEqual(['feedback.contact']);
    // The officer's own view keeps the contact person.
    const detail = await http
      .get(`/v1/leerplicht/0344/reports/${approved.id}`)
      .set(auth(officer))
      .expect(200);
    const mine = (detail.body.history as { source: string; contact: string | null }[]).find(
      (h) => h.source === 'LEERPLICHT',
    );
    assert.equal(mine?.contact, 'K. Bakker, leerplicht 0344');
  });
});
