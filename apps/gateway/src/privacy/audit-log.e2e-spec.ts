import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RecordDisclosureUseCase } from '#application';
import type { Decision, DisclosureRequest } from '#domain';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

interface Item {
  seq: number;
  chainSeq: number | null;
  at: string;
  kind: string;
  pupil: { localId: string; school: string } | null;
  aboutPupil: boolean;
  recipient: { kind: string; id: string | null } | null;
  purpose: string | null;
  reportKind: string | null;
  decision: string | null;
  released: string[];
  withheld: { field: string; rule: string }[];
  policy: { id: string; version: string } | null;
  reference: string | null;
  explanation: string;
}

/**
 * Issue 15 items 4 and 6 through HTTP: the privacy officer's audit log (GET /v1/privacy/audit) with its
 * filters, paging and bad input, board tenancy (another board's officer sees nothing of this board, and the
 * same pupil number there is another child), and the access report checked against the data: it lists exactly
 * the pupil's disclosures, none of another pupil's. A clock the spec moves, so periods are exact.
 */
describe('gateway: the audit log browser and the access report (issue 15 items 4 and 6)', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let now = new Date('2026-11-02T09:00:00Z');
  const board = `BOARD-${randomUUID().slice(0, 6)}`;
  const otherBoard = `${board}-B`;
  const tokens: Record<string, string> = {};
  const auth = (name: string) => ({ Authorization: `Bearer ${tokens[name]}` });

  const pupil = {
    school: '99XX',
    birthDate: '2011-05-04',
    sector: 'vo',
    woongemeente: '0344',
    enrolledFrom: '2023-08-21',
  };
  const payload = { 'pupil.bsn': '111222333', 'absence.hours': 17, 'pupil.name': 'Jan Jansen' };
  const duo = (localId: string) => ({
    recipient: { kind: 'DUO' },
    purpose: 'STATUTORY_REPORT',
    reportKind: '16U_MINDERJARIG',
    pupil: { ageAtDate: 14, localId },
    payload,
  });
  const leerplicht = (localId: string) => ({
    ...duo(localId),
    recipient: { kind: 'LEERPLICHT', id: '0344' },
    purpose: 'LEERPLICHT_ENFORCEMENT',
    reportKind: 'LRV',
  });

  /** Decides (a DECISION entry) and, when sent, records the disclosure as a connector does. */
  async function disclose(
    as: string,
    inBoard: string,
    body: ReturnType<typeof duo>,
    at: string,
    reference: string | null,
  ): Promise<void> {
    now = new Date(at);
    const decided = await http.post('/v1/privacy/decisions').set(auth(as)).send(body).expect(200);
    if (reference === null) return;
    await gateway.app.get(RecordDisclosureUseCase).execute({
      board: inBoard,
      pupilLocalId: body.pupil.localId,
      pupilSchool: '99XX',
      request: body as unknown as DisclosureRequest,
      decision: decided.body as Decision,
      sent: true,
      reference,
    });
  }

  const audit = async (as: string, query: Record<string, string | number> = {}) =>
    (await http.get('/v1/privacy/audit').query(query).set(auth(as)).expect(200)).body as {
      items: Item[];
      page: number;
      pageSize: number;
      hasMore: boolean;
    };

  beforeAll(async () => {
    gateway = await startTestGateway({ clock: { now: () => now } });
    http = request(gateway.app.getHttpServer());
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    tokens['staff'] = await issue({ role: 'school_staff', sub: 'staff-1', board, schools: ['99XX', '98YY'] });
    tokens['officer'] = await issue({ role: 'privacy_officer', sub: 'fg-1', board });
    tokens['auditor'] = await issue({ role: 'auditor', sub: 'aud', board });
    tokens['otherStaff'] = await issue({
      role: 'school_staff',
      sub: 'b-1',
      board: otherBoard,
      schools: ['99XX'],
    });
    tokens['otherOfficer'] = await issue({ role: 'privacy_officer', sub: 'fg-b', board: otherBoard });
    tokens['leerplicht'] = await issue({ role: 'leerplicht_officer', sub: 'lp', municipalities: ['0344'] });

    for (const id of ['p-1', 'p-2'])
      await http
        .put(`/v1/pupils/${id}`)
        .set(auth('staff'))
        .send({ ...pupil, name: { roepnaam: id === 'p-1' ? 'Zoë' : 'Bram', achternaam: 'Proefsloot' } })
        .expect(201);
    await http.put('/v1/pupils/p-1').set(auth('otherStaff')).send(pupil).expect(201);

    await disclose('staff', board, duo('p-1'), '2026-11-02T09:00:00Z', 'p1-duo');
    // 00:30 on 4 November in Amsterdam: a UTC slice would call it the 3rd.
    await disclose('staff', board, leerplicht('p-1'), '2026-11-03T23:30:00Z', 'p1-lp');
    await disclose('staff', board, leerplicht('p-2'), '2026-11-03T10:00:00Z', 'p2-lp');
    await disclose(
      'staff',
      board,
      {
        ...duo('p-1'),
        recipient: { kind: 'JGZ' },
        purpose: 'MAZL_CONSULTATION',
        reportKind: 'OVERIG',
      },
      '2026-11-05T10:00:00Z',
      null,
    );
    await disclose('otherStaff', otherBoard, duo('p-1'), '2026-11-03T12:00:00Z', 'b-p1-duo');
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("finds a pupil's entries by number, each with the board's pupil, the policy version and a Dutch explanation", async () => {
    const found = await audit('officer', { pupil: 'p-1' });
    // p-1: per sent disclosure the decision asked for, then DECISION + DISCLOSURE as recorded (DUO, leerplicht);
    // a denial (JGZ).
    assert.equal(found.items.length, 7);
    assert.equal(found.hasMore, false);
    for (const item of found.items) {
      expect(item.pupil).toEqual({ localId: 'p-1', school: '99XX' });
      assert.equal(item.aboutPupil, true);
      expect(item.policy).toEqual({ id: 'ketenpoort-standaard', version: '2025.1' });
      assert.doesNotMatch(item.explanation, /pupil\.|absence\.|_/, 'no field paths or codes');
      assert.match(item.explanation, /beleid ketenpoort-standaard, versie 2025\.1/);
    }
    const seqs = found.items.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a)); // 'newest first'
    const jgz = found.items[0];
    assert.equal(jgz.kind, 'DECISION');
    assert.equal(jgz.decision, 'deny');
    assert.equal(jgz.recipient?.kind, 'JGZ');
    assert.match(jgz.explanation, /^Privacybesluit: er mogen geen gegevens worden verstrekt/);
    const disclosure = found.items.find((i) => i.reference === 'p1-lp')!;
    assert.equal(disclosure.kind, 'DISCLOSURE');
    expect(disclosure.recipient).toEqual({ kind: 'LEERPLICHT', id: '0344' });
    assert.ok(disclosure.released.length > 0);
    assert.match(disclosure.explanation, /^Verstrekt: \d+ gegevens zijn aan de ontvanger gegeven/);
    assert.ok(!JSON.stringify(found).includes('111222333') && !JSON.stringify(found).includes('Jansen'));
    assert.ok(!JSON.stringify(found).includes('Proefsloot'), 'the log names numbers, never names');
  });

  it('narrows by recipient, purpose, report kind, decision, kind and period (Amsterdam days)', async () => {
    const refs = (r: { items: Item[] }) => r.items.map((i) => `${i.kind}:${i.reference ?? '-'}`);
    // Newest first in the chain's order (p-2's disclosure was recorded last, though its clock time is earlier).
    expect(refs(await audit('officer', { recipient: 'LEERPLICHT', kind: 'DISCLOSURE' }))).toEqual([
      'DISCLOSURE:p2-lp',
      'DISCLOSURE:p1-lp',
    ]);
    expect(
      refs(await audit('officer', { purpose: 'LEERPLICHT_ENFORCEMENT', reportKind: 'LRV', pupil: 'p-2' })),
    ).toEqual(['DISCLOSURE:p2-lp', 'DECISION:-', 'DECISION:-']);
    const denied = await audit('officer', { decision: 'deny' });
    expect(denied.items.map((i) => i.recipient?.kind)).toEqual(['JGZ']);
    const third = await audit('officer', { kind: 'DISCLOSURE', from: '2026-11-03', to: '2026-11-03' });
    expect(refs(third)).toEqual(['DISCLOSURE:p2-lp']); // 'the 23:30 UTC disclosure lies on 4 November'
    const fourth = await audit('officer', { kind: 'DISCLOSURE', from: '2026-11-04' });
    expect(refs(fourth)).toEqual(['DISCLOSURE:p1-lp']);
    expect((await audit('officer', { pupil: 'p-1', school: '98YY' })).items).toEqual([]);
    expect((await audit('officer', { pupil: 'nobody' })).items).toEqual([]);
  });

  it('pages with a bounded page size', async () => {
    const first = await audit('officer', { pageSize: 2 });
    const second = await audit('officer', { pageSize: 2, page: 2 });
    assert.equal(first.items.length, 2);
    assert.equal(first.hasMore, true);
    assert.equal(second.page, 2);
    assert.ok(second.items[0].seq < first.items[1].seq);
    const all = await audit('officer', { pageSize: 100 });
    assert.equal(all.hasMore, false);
  });

  it("shows another board's officer nothing of this board; the same number there is another child", async () => {
    const mine = await audit('otherOfficer', { pupil: 'p-1' });
    expect(mine.items.map((i) => i.reference ?? i.kind)).toEqual(['b-p1-duo', 'DECISION', 'DECISION']);
    const everything = await audit('otherOfficer', { pageSize: 100 });
    assert.ok(everything.items.every((i) => i.reference === null || i.reference.startsWith('b-')));
    assert.equal(everything.items.length, 3);
    const ours = await audit('officer', { pageSize: 100 });
    assert.ok(ours.items.every((i) => !i.reference?.startsWith('b-')));
  });

  it('lets the auditor read; school staff and leerplicht get 403', async () => {
    assert.equal((await audit('auditor', { pupil: 'p-2' })).items.length, 3);
    for (const who of ['staff', 'leerplicht']) {
      const refused = await http.get('/v1/privacy/audit').set(auth(who));
      assert.equal(refused.status, 403, who);
    }
  });

  it('refuses bad filters with a coded 400, naming the field', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ pageSize: '1000' }, 'REQUEST_INVALID', 'pageSize'],
      [{ page: '0' }, 'REQUEST_INVALID', 'page'],
      [{ page: 'x' }, 'REQUEST_INVALID', 'page'],
      [{ decision: 'maybe' }, 'REQUEST_INVALID', 'decision'],
      [{ recipient: 'POLICE' }, 'REQUEST_INVALID', 'recipient'],
      [{ kind: 'EVERYTHING' }, 'REQUEST_INVALID', 'kind'],
      [{ purpose: 'x'.repeat(65) }, 'REQUEST_INVALID', 'purpose'],
      [{ pupil: 'x'.repeat(101) }, 'REQUEST_INVALID', 'pupil'],
      [{ from: '2026-02-30' }, 'AUDIT_QUERY_INVALID', 'from'],
      [{ to: '30-11-2026' }, 'AUDIT_QUERY_INVALID', 'to'],
      [{ from: '2026-11-05', to: '2026-11-01' }, 'AUDIT_QUERY_INVALID', 'to'],
      [{ school: '99XX' }, 'AUDIT_QUERY_INVALID', 'school'],
      [{ pupil: 'p-1', school: 'nope' }, 'AUDIT_QUERY_INVALID', 'school'],
      [{ pupil: 'p-1', school: 'toolong' }, 'REQUEST_INVALID', 'school'],
      [{ pupil: 'bad id!' }, 'AUDIT_QUERY_INVALID', 'pupil'],
      [{ purpose: "'; drop" }, 'AUDIT_QUERY_INVALID', 'purpose'],
      [{ page: '99999', pageSize: '100' }, 'AUDIT_QUERY_INVALID', 'page'],
    ];
    for (const [query, code, field] of cases) {
      const res = await http.get('/v1/privacy/audit').query(query).set(auth('officer'));
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.equal(res.body.code, code, JSON.stringify(query));
      assert.ok(
        res.body.issues.some((i: { field: string }) => i.field === field),
        `${JSON.stringify(query)} names ${field}`,
      );
    }
  });

  it('lets a privacy officer find the board’s pupils by name for the inzage; the auditor may not', async () => {
    const found = await http
      .get('/v1/pupils/search')
      .query({ q: 'proefsloot' })
      .set(auth('officer'))
      .expect(200);
    expect(
      found.body.items.map((h: { localId: string; school: string }) => `${h.school}/${h.localId}`).sort(),
    ).toEqual(['99XX/p-1', '99XX/p-2']);
    const other = await http
      .get('/v1/pupils/search')
      .query({ q: 'proefsloot' })
      .set(auth('otherOfficer'))
      .expect(200);
    expect(other.body.items).toEqual([]); // "another board's officer finds none of them"
    const refused = await http.get('/v1/pupils/search').query({ q: 'proefsloot' }).set(auth('auditor'));
    assert.equal(refused.status, 403);
  });

  it("lists exactly the pupil's disclosures in the access report, none of another pupil's", async () => {
    const disclosed = async (localId: string, as = 'officer') =>
      (
        (
          await http
            .get(`/v1/pupils/${localId}/access-report`)
            .query({ school: '99XX' })
            .set(auth(as))
            .expect(200)
        ).body as { disclosures: { reference: string | null; recipient: { kind: string } }[] }
      ).disclosures.map((d) => `${d.recipient.kind}:${d.reference}`);
    expect(await disclosed('p-1')).toEqual(['DUO:p1-duo', 'LEERPLICHT:p1-lp']);
    expect(await disclosed('p-2')).toEqual(['LEERPLICHT:p2-lp']);
    expect(await disclosed('p-1', 'otherOfficer')).toEqual(['DUO:b-p1-duo']);
    // The report and the audit log agree: every DISCLOSURE entry of the pupil is in the report.
    const logged = await audit('officer', { pupil: 'p-1', kind: 'DISCLOSURE' });
    expect(logged.items.map((i) => `${i.recipient?.kind}:${i.reference}`).reverse()).toEqual(
      await disclosed('p-1'),
    );
  });

  // Last: it breaks the board's chain on purpose.
  it("names the first broken entry by the number the log shows for it, and only in that board's chain", async () => {
    const before = await http.get('/v1/privacy/audit/verify').set(auth('officer')).expect(200);
    assert.equal(before.body.valid, true);
    const target = (await audit('officer', { pupil: 'p-2', kind: 'DISCLOSURE' })).items[0];
    await gateway.infra.dataSource.query(
      `UPDATE audit_log SET entry = jsonb_set(entry, '{released}', '[]'::jsonb) WHERE seq = $1`,
      [target.seq],
    );
    const after = await http.get('/v1/privacy/audit/verify').set(auth('officer')).expect(200);
    assert.equal(after.body.valid, false);
    expect(after.body.brokenAt).toEqual({ seq: target.chainSeq, reason: 'HASH_MISMATCH' });
    const other = await http.get('/v1/privacy/audit/verify').set(auth('otherOfficer')).expect(200);
    assert.equal(other.body.valid, true, "another board's chain is untouched");
  });
});
