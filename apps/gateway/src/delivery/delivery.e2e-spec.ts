import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type {
  Delivery,
  OutboundContext,
  ReportConnector,
  Report,
  ReportStatusChange,
  SendResult,
  StatusChange,
} from '#domain';
import { TypeOrmAuditLog } from '#persistence';
import type { ReleasedPayload } from '#privacy';
import { policyVariant, waitFor } from '#testing';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';
import { TEST_BSN, approve, approvedReport, draftReport } from './delivery.test-support.js';

interface Call {
  readonly context: OutboundContext;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * A scripted destination behind the connector port: answers per pupil from a script, records what it got.
 * It stands in for the wire (the chain simulator's suites test the real connectors); what is tested here is
 * the dispatcher, the stores and the API around it.
 */
class ScriptedDestination implements ReportConnector<ReleasedPayload> {
  readonly calls: Call[] = [];
  readonly changes: StatusChange[] = [];
  /** reportId → answers in order; the last one repeats. Default: accepted. */
  readonly script = new Map<string, SendResult[]>();
  private numbers = 0;

  constructor(readonly destination: 'DUO' | 'LEERPLICHT') {}

  send(context: OutboundContext, payload: ReleasedPayload): Promise<SendResult> {
    this.calls.push({ context, fields: payload.fields });
    const answers = this.script.get(context.reportId);
    const answer = answers && answers.length > 1 ? answers.shift() : answers?.[0];
    if (answer) return Promise.resolve(answer);
    this.numbers += 1;
    return Promise.resolve(
      this.destination === 'DUO'
        ? {
            ok: true,
            externalRef: context.operation === 'REGISTER' ? `DUO-${this.numbers}` : context.externalRef,
            status: context.operation === 'WITHDRAW' ? 'WITHDRAWN' : 'REGISTERED',
          }
        : { ok: true, externalRef: null, status: 'SENT' },
    );
  }

  fetchStatusChanges(since: Date): Promise<{ changes: StatusChange[]; until: Date }> {
    const changes = this.changes.filter((c) => new Date(c.at).getTime() > since.getTime());
    const until = changes.reduce((max, c) => Math.max(max, new Date(c.at).getTime()), since.getTime());
    return Promise.resolve({ changes, until: new Date(until) });
  }

  callsFor(reportId: string): Call[] {
    return this.calls.filter((c) => c.context.reportId === reportId);
  }
}

const transient: SendResult = {
  ok: false,
  retryable: true,
  code: 'DUO_HTTP_503',
  reason: 'Service Unavailable',
};
const validation: SendResult = {
  ok: false,
  retryable: false,
  code: 'DUO_VALIDATION',
  reason: 'Foutcode VAL-012: einddatum ligt voor begindatum',
};

/**
 * The delivery pipeline end to end through HTTP and the worker path: approval + outbox → broker → dispatcher →
 * connector, retries on the schedule, REJECTED into the work queue, DEAD into the dead-letter queue, replay,
 * privacy per recipient, status back from DUO and from the municipality's officer, withdrawal and end date,
 * and the audit chain. PGlite + in-process broker by default; PostgreSQL/RabbitMQ when set.
 */
describe('gateway: delivery of approved reports', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let staff: string;
  let officer0344: string;
  let officer0363: string;
  const duo = new ScriptedDestination('DUO');
  const leerplicht = new ScriptedDestination('LEERPLICHT');
  const board = `BOARD-${randomUUID().slice(0, 6)}`;
  const school = '99XX';
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    gateway = await startTestGateway(
      {
        outbound: {
          connectors: [duo, leerplicht],
          router: (input) =>
            input.woongemeente
              ? {
                  ok: true,
                  recipient: { kind: 'LEERPLICHT', id: input.woongemeente },
                  channel: input.woongemeente === '0000' ? 'none' : 'inbox',
                  explanation: [`Woongemeente ${input.woongemeente}.`],
                }
              : { ok: false, code: 'ROUTE_UNKNOWN_MUNICIPALITY', reason: 'Woongemeente onbekend.' },
          random: () => 0.5,
        },
      },
      {
        DELIVERY_RETRY_BASE_MS: '30',
        DELIVERY_RETRY_MAX_MS: '200',
        DELIVERY_MAX_ATTEMPTS: '3',
        DELIVERY_SWEEP_MS: '25',
        DELIVERY_LEASE_MS: '2000',
        DUO_STATUS_POLL_MS: '0',
      },
    );
    http = request(gateway.app.getHttpServer());
    const issue = gateway.issuer.issue.bind(gateway.issuer);
    staff = await issue({ role: 'school_staff', sub: 'staff-1', board, schools: [school] });
    officer0344 = await issue({ role: 'leerplicht_officer', sub: 'lpa-utrecht', municipalities: ['0344'] });
    officer0363 = await issue({ role: 'leerplicht_officer', sub: 'lpa-amsterdam', municipalities: ['0363'] });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const chainOf = async (
    reportId: string,
  ): Promise<{ report: Report; deliveries: Delivery[]; history: ReportStatusChange[] }> =>
    (await http.get(`/v1/schools/${school}/reports/${reportId}/chain`).set(auth(staff)).expect(200)).body as {
      report: Report;
      deliveries: Delivery[];
      history: ReportStatusChange[];
    };
  const waitForStatus = (reportId: string, status: string) =>
    waitFor(
      async () => {
        const chain = await chainOf(reportId);
        return chain.report.status === status ? chain : undefined;
      },
      { what: `report ${reportId} ${status}`, timeoutMs: 20_000 },
    );
  /** Until the report has `count` deliveries, all DELIVERED. */
  const waitForDelivered = (reportId: string, count: number) =>
    waitFor(
      async () => {
        const { deliveries } = await chainOf(reportId);
        return deliveries.length === count && deliveries.every((d) => d.status === 'DELIVERED')
          ? true
          : undefined;
      },
      { what: `${count} deliveries of ${reportId}`, timeoutMs: 20_000 },
    );
  const input = (localId: string, woongemeente?: string) => ({
    http,
    staffToken: staff,
    school,
    localId,
    ...(woongemeente ? { woongemeente } : {}),
  });
  const report = (localId: string, woongemeente?: string) => approvedReport(input(localId, woongemeente));

  it('sends an approved report to DUO (with the BSN) and to the municipality (without), and audits both', async () => {
    const approved = await report('p-ok', '0344');
    const chain = await waitForStatus(approved.id, 'REGISTERED');
    assert.match(chain.report.chain?.externalRef ?? '', /^DUO-\d+$/);
    const byDestination = Object.fromEntries(chain.deliveries.map((d) => [d.destination, d]));
    assert.equal(byDestination['DUO'].status, 'DELIVERED');
    assert.equal(byDestination['DUO'].recipient.kind, 'DUO');
    await waitForDelivered(approved.id, 2);
    const [toDuo] = duo.callsFor(approved.id);
    const [toMunicipality] = leerplicht.callsFor(approved.id);
    assert.equal(toDuo.fields['pupil.bsn'], TEST_BSN, 'DUO gets the persoonsgebonden nummer');
    assert.equal(toDuo.context.operation, 'REGISTER');
    assert.equal(toDuo.context.idempotencyKey, byDestination['DUO'].idempotencyKey);
    assert.equal(toMunicipality.context.recipient.id, '0344');
    assert.equal('pupil.bsn' in toMunicipality.fields, false, 'leerplicht never gets the BSN');
    assert.equal('pupil.name' in toMunicipality.fields, false, 'no roster name: the report goes without');
    expect(chain.history.map((h) => h.status).slice(0, 3)).toEqual(['APPROVED', 'QUEUED', 'REGISTERED']);
  });

  it('names the pupil to the municipality, read from the roster at send time, never to DUO nor in the draft (ADR 0027)', async () => {
    const draft = await draftReport({
      ...input('p-named', '0344'),
      name: { roepnaam: 'Sanne', tussenvoegsel: 'de', achternaam: 'Proefsma' },
    });
    assert.equal('pupil.name' in draft.fields, false, 'a draft never holds the name');
    assert.equal(typeof draft.fields['absence.clockMinutes'], 'number');
    const approved = await approve(input('p-named'), draft.id);
    await waitForDelivered(approved.id, 2);
    const [toDuo] = duo.callsFor(approved.id);
    const [toMunicipality] = leerplicht.callsFor(approved.id);
    assert.equal(toMunicipality.fields['pupil.name'], 'Sanne de Proefsma');
    assert.equal(toMunicipality.fields['absence.clockMinutes'], draft.fields['absence.clockMinutes']);
    assert.ok((toMunicipality.fields['absence.clockMinutes'] as number) > 0);
    assert.equal('pupil.bsn' in toMunicipality.fields, false);
    assert.equal('pupil.name' in toDuo.fields, false, 'DUO identifies by BSN, never by name');
    assert.equal(toDuo.fields['pupil.bsn'], TEST_BSN);
  });

  it('retries a transient failure on the schedule with the same idempotency key, then delivers once', async () => {
    const draft = await draftReport(input('p-flaky'));
    duo.script.set(draft.id, [
      transient,
      transient,
      { ok: true, externalRef: 'DUO-FLAKY', status: 'REGISTERED' },
    ]);
    await approve(input('p-flaky'), draft.id);
    const chain = await waitForStatus(draft.id, 'REGISTERED');
    assert.equal(chain.report.chain?.externalRef, 'DUO-FLAKY');
    const calls = duo.callsFor(draft.id);
    assert.equal(calls.length, 3, 'two transient failures, then the delivery');
    assert.equal(new Set(calls.map((c) => c.context.idempotencyKey)).size, 1, 'one key for every attempt');
    expect(calls.map((c) => c.context.attempt)).toEqual([1, 2, 3]);
    const delivery = chain.deliveries.find((d) => d.destination === 'DUO')!;
    assert.equal(delivery.attempts, 3);
    assert.equal(delivery.status, 'DELIVERED');
  });

  it('a validation error is REJECTED with the destination reason, never retried, and a replay sends it', async () => {
    const draft = await draftReport(input('p-invalid'));
    duo.script.set(draft.id, [validation]);
    await approve(input('p-invalid'), draft.id);
    const chain = await waitForStatus(draft.id, 'REJECTED');
    assert.match(chain.history.at(-1)?.detail ?? '', /DUO_VALIDATION: Foutcode VAL-012/);
    const queue = (await http.get('/v1/deliveries/work-queue').set(auth(staff)).expect(200)).body
      .items as Delivery[];
    const item = queue.find((d) => d.reportId === draft.id);
    assert.ok(item, 'in the work queue');
    assert.equal(item.lastError?.code, 'DUO_VALIDATION');
    assert.match(item.lastError?.reason ?? '', /VAL-012/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(duo.callsFor(draft.id).length, 1, 'never retried blindly');
    duo.script.delete(draft.id);
    const replayed = await http.post(`/v1/deliveries/${item.id}/replay`).set(auth(staff)).expect(200);
    assert.equal(replayed.body.status, 'PENDING');
    await waitForStatus(draft.id, 'REGISTERED');
    assert.equal(duo.callsFor(draft.id).length, 2);
    await http
      .post(`/v1/deliveries/${item.id}/replay`)
      .set(auth(staff))
      .expect(409)
      .expect((res) => assert.equal(res.body.code, 'DELIVERY_NOT_REPLAYABLE'));
  });

  it('exhausted retries go to the dead-letter queue with references only', async () => {
    const draft = await draftReport(input('p-dead'));
    duo.script.set(draft.id, [transient]);
    await approve(input('p-dead'), draft.id);
    const dead = await waitFor(
      async () =>
        (
          (await http.get('/v1/deliveries/dead-letters').set(auth(staff)).expect(200)).body
            .items as Delivery[]
        ).find((d) => d.reportId === draft.id),
      { what: 'the dead letter', timeoutMs: 20_000 },
    );
    assert.equal(dead.attempts, 3);
    assert.equal(dead.lastError?.code, 'DUO_HTTP_503');
    assert.equal(
      JSON.stringify(dead).includes(TEST_BSN),
      false,
      'no personal number in the dead-letter queue',
    );
    const chain = await chainOf(draft.id);
    assert.equal(chain.report.status, 'QUEUED');
    assert.equal(chain.history.at(-1)?.status, 'DEAD_LETTERED');
    assert.equal(duo.callsFor(draft.id).length, 3);
  });

  it('a birth date after the absence began is refused for a person to fix, not decided on with a made-up age', async () => {
    const draft = await draftReport(input('p-born-late'));
    await http
      .put('/v1/pupils/p-born-late')
      .set(auth(staff))
      .send({ school, birthDate: '2025-10-01', sector: 'vo', enrolledFrom: '2023-08-21' })
      .expect(200);
    await approve(input('p-born-late'), draft.id);
    const chain = await waitForStatus(draft.id, 'REJECTED');
    assert.equal(
      chain.deliveries.find((d) => d.destination === 'DUO')?.lastError?.code,
      'PUPIL_DATA_INVALID',
    );
    assert.equal(duo.callsFor(draft.id).length, 0);
  });

  it('a replay checks retention first: a pupil who left long ago is not sent again', async () => {
    const draft = await draftReport(input('p-replay-gone'));
    duo.script.set(draft.id, [transient]);
    await approve(input('p-replay-gone'), draft.id);
    const dead = await waitFor(
      async () =>
        (
          (await http.get('/v1/deliveries/dead-letters').set(auth(staff)).expect(200)).body
            .items as Delivery[]
        ).find((d) => d.reportId === draft.id),
      { what: 'the dead letter', timeoutMs: 20_000 },
    );
    const calls = duo.callsFor(draft.id).length;
    // Meanwhile the pupil left the school more than the retention period (P5Y after leaving) ago.
    await http
      .put('/v1/pupils/p-replay-gone')
      .set(auth(staff))
      .send({
        school,
        birthDate: '2010-03-10',
        sector: 'vo',
        enrolledFrom: '2013-08-21',
        leftOn: '2015-07-17',
      })
      .expect(200);
    duo.script.delete(draft.id);
    await http.post(`/v1/deliveries/${dead.id}/replay`).set(auth(staff)).expect(200);
    const chain = await waitForStatus(draft.id, 'REJECTED');
    const again = chain.deliveries.find((d) => d.destination === 'DUO')!;
    assert.equal(again.lastError?.code, 'RETENTION_EXPIRED');
    assert.equal(duo.callsFor(draft.id).length, calls, 'nothing sent after the replay');
  });

  it('brings DUO status changes back: In behandeling, then Afgesloten with reason and explanation', async () => {
    const approved = await report('p-status');
    const chain = await waitForStatus(approved.id, 'REGISTERED');
    const ref = chain.report.chain!.externalRef!;
    duo.changes.push(
      { externalRef: ref, status: 'IN_BEHANDELING', at: '2026-11-20T09:00:00.000Z' },
      {
        externalRef: ref,
        status: 'AFGESLOTEN',
        at: '2026-11-21T09:00:00.000Z',
        closingReason: 'TERUG_NAAR_SCHOOL',
        closingExplanation: 'LEERLING_GEZIEN_DOOR_GEMEENTE',
      },
      { externalRef: 'DUO-UNKNOWN', status: 'IN_BEHANDELING', at: '2026-11-21T10:00:00.000Z' },
    );
    const loop = gateway.infra.delivery!.loop;
    const first = await loop.syncStatusNow();
    expect(first).toEqual({ changes: 3, applied: 2, unknown: 1 });
    expect(await loop.syncStatusNow()).toEqual({ changes: 0, applied: 0, unknown: 0 }); // 'the cursor moved on'
    const closed = await chainOf(approved.id);
    assert.equal(closed.report.status, 'AFGESLOTEN');
    assert.equal(closed.report.chain?.closingReason, 'TERUG_NAAR_SCHOOL');
    assert.equal(closed.report.chain?.closingExplanation, 'LEERLING_GEZIEN_DOOR_GEMEENTE');
    expect(closed.history.filter((h) => h.source === 'DUO').map((h) => h.status)).toEqual([
      'REGISTERED',
      'IN_BEHANDELING',
      'AFGESLOTEN',
    ]);
  });

  it("the municipality's officer reads its inbox and closes the report; another municipality cannot", async () => {
    const approved = await report('p-officer', '0344');
    await waitForDelivered(approved.id, 2);
    await http
      .get('/v1/leerplicht/0344/reports')
      .set(auth(officer0363))
      .expect(404)
      .expect((res) => assert.equal(res.body.code, 'INBOX_NOT_FOUND'));
    await http.get('/v1/leerplicht/0344/reports').set(auth(staff)).expect(403);
    await http.get('/v1/leerplicht/0344/reports?since=gisteren').set(auth(officer0344)).expect(400);
    await http
      .post(`/v1/leerplicht/0344/reports/${approved.id}/status`)
      .set(auth(officer0363))
      .send({ status: 'IN_BEHANDELING' })
      .expect(404);
    await http
      .post(`/v1/leerplicht/0344/reports/${approved.id}/status`)
      .set(auth(officer0344))
      .send({ status: 'AFGESLOTEN' })
      .expect(400)
      .expect((res) => assert.equal(res.body.code, 'STATUS_INVALID'));
    const set = await http
      .post(`/v1/leerplicht/0344/reports/${approved.id}/status`)
      .set(auth(officer0344))
      .send({
        status: 'AFGESLOTEN',
        closingReason: 'GEEN_VERZUIM_LEGITIEM_AFWEZIG',
        closingExplanation: 'GEEN_ACTIE_MEER',
        contact: 'J. de Vries, leerplichtambtenaar',
      })
      .expect(200);
    assert.equal(set.body.result, 'applied');
    const chain = await chainOf(approved.id);
    assert.equal(chain.report.status, 'AFGESLOTEN');
    assert.equal(chain.report.chain?.closingReason, 'GEEN_VERZUIM_LEGITIEM_AFWEZIG');
    assert.equal(chain.report.chain?.contact, 'J. de Vries, leerplichtambtenaar');
    assert.equal(chain.history.at(-1)?.source, 'LEERPLICHT');
  });

  it('withdraws a report that is out and adds an end date, to every destination that took it', async () => {
    const approved = await report('p-follow', '0344');
    const registered = await waitForStatus(approved.id, 'REGISTERED');
    await waitForDelivered(approved.id, 2);
    const ref = registered.report.chain!.externalRef!;
    await http
      .post(`/v1/schools/${school}/reports/${approved.id}/end-date`)
      .set(auth(staff))
      .send({ endDate: '2025-09-01' })
      .expect(400);
    const update = await http
      .post(`/v1/schools/${school}/reports/${approved.id}/end-date`)
      .set(auth(staff))
      .send({ endDate: '2025-09-26' })
      .expect(202);
    await waitFor(async () => {
      await Promise.resolve();
      const calls = duo.calls.filter(
        (c) => c.context.operation === 'UPDATE' && c.context.externalRef === ref,
      );
      return calls.length === 1 ? calls : undefined;
    });
    const [updateCall] = duo.calls.filter(
      (c) => c.context.operation === 'UPDATE' && c.context.externalRef === ref,
    );
    assert.equal(updateCall.fields['absence.endDate'], '2025-09-26');
    assert.equal(updateCall.context.reportId, approved.id, 'the update names the report it changes');
    assert.notEqual(updateCall.context.idempotencyKey, registered.deliveries[0].idempotencyKey);
    await waitForDelivered(update.body.id, 2);
    await http.post(`/v1/schools/${school}/reports/${approved.id}/withdraw`).set(auth(staff)).expect(202);
    const withdrawn = await waitForStatus(approved.id, 'WITHDRAWN');
    assert.ok(withdrawn.history.some((h) => h.status === 'UPDATED'));
    // WITHDRAWN comes with the first destination that confirms; the other may still be on its way.
    const withdrawCalls = await waitFor(async () => {
      await Promise.resolve();
      const calls = [...duo.calls, ...leerplicht.calls].filter(
        (c) => c.context.operation === 'WITHDRAW' && c.context.reportId === approved.id,
      );
      return calls.length === 2 ? calls : undefined;
    });
    expect(withdrawCalls.map((c) => c.context.recipient.kind).sort()).toEqual(['DUO', 'LEERPLICHT']);
    await http
      .post(`/v1/schools/${school}/reports/${approved.id}/withdraw`)
      .set(auth(staff))
      .expect(409)
      .expect((res) => assert.equal(res.body.code, 'REPORT_NOT_OUT'));
  });

  it('skips the direct route when the municipality has no channel (DUO still gets the report)', async () => {
    const approved = await report('p-nochannel', '0000');
    const chain = await waitForStatus(approved.id, 'REGISTERED');
    const direct = chain.deliveries.find((d) => d.destination === 'LEERPLICHT');
    assert.equal(direct?.status, 'SKIPPED');
    assert.equal(direct?.lastError?.code, 'NO_DIRECT_CHANNEL');
    assert.equal(leerplicht.callsFor(approved.id).length, 0);
  });

  it('every send and status change is in the audit chain, and the chain verifies', async () => {
    const { rows } = {
      rows: await gateway.infra.dataSource.query(`SELECT kind, entry FROM audit_log ORDER BY seq`),
    };
    const kinds = (rows as { kind: string }[]).map((r) => r.kind);
    assert.ok(kinds.includes('DISCLOSURE'));
    assert.ok(kinds.includes('REPORT_STATUS'));
    const statuses = (rows as { kind: string; entry: { status?: string; by?: string } }[])
      .filter((r) => r.kind === 'REPORT_STATUS')
      .map((r) => r.entry);
    assert.ok(
      statuses.some((e) => e.status === 'APPROVED' && e.by === 'staff-1'),
      'the approval itself is audited, naming who approved',
    );
    for (const status of [
      'QUEUED',
      'REGISTERED',
      'RETRY_WAIT',
      'REJECTED',
      'DEAD',
      'REPLAYED',
      'AFGESLOTEN',
    ]) {
      assert.ok(
        statuses.some((e) => e.status === status),
        `a ${status} status change is in the audit log`,
      );
    }
    const text = JSON.stringify(rows);
    assert.equal(text.includes(TEST_BSN), false, 'no BSN in the audit log');
    const verification = await new TypeOrmAuditLog(gateway.infra.dataSource).verify();
    assert.equal(verification.valid, true);
    const counts = await gateway.infra.delivery!.services.store.counts(board);
    assert.ok(counts.DELIVERED > 0);
    const summary = (await http.get('/v1/chain/summary').set(auth(staff)).expect(200)).body as {
      board: string;
      pupils: number;
      reports: Record<string, number>;
      deliveries: Record<string, number>;
      disclosures: number;
    };
    assert.equal(summary.board, board);
    assert.ok(summary.pupils >= 8);
    assert.equal(summary.deliveries['DELIVERED'], counts.DELIVERED);
    assert.equal(summary.reports['WITHDRAWN'], 1);
    assert.equal(summary.reports['AFGESLOTEN'], 2);
    assert.ok(summary.reports['registeredAtDuo'] >= 6);
    assert.equal(summary.disclosures, kinds.filter((k) => k === 'DISCLOSURE').length);
    await http.get('/v1/chain/summary').set(auth(officer0344)).expect(403);
  });
  it('holds the deliveries of a board whose policy in force fails the proof: nothing is sent under it (ADR 0012)', async () => {
    // Another board, so this board's failing policy touches no other test.
    const failingBoard = `${board}-P`;
    const failingStaff = await gateway.issuer.issue({
      role: 'school_staff',
      sub: 'staff-p',
      board: failingBoard,
      schools: [school],
    });
    const failing = { ...input('p-policy', '0344'), staffToken: failingStaff };
    const draft = await draftReport(failing);
    // Planted as a version stored before proofs existed would be: approved, in force, giving the BSN to leerplicht.
    await gateway.infra.dataSource.query(
      `INSERT INTO privacy_policy_version (board, policy_id, version, text, status, effective_from,
         created_by, created_at, approved_by, approved_at)
       VALUES ($1, 'bestuur', 'oud', $2, 'APPROVED', '2020-01-01', 'fg-a', $3, 'fg-b', $3)`,
      [
        failingBoard,
        policyVariant({
          id: 'bestuur',
          version: 'oud',
          effectiveFrom: '2020-01-01',
          dropRules: ['bsn-alleen-naar-duo'],
          releaseAlso: { 'leerplicht-meerderjarig': ['bsn'] },
        }),
        new Date(Date.now() - 86_400_000),
      ],
    );
    await approve(failing, draft.id);
    const held = await waitFor(
      async () => {
        const chain = (
          await http
            .get(`/v1/schools/${school}/reports/${draft.id}/chain`)
            .set(auth(failingStaff))
            .expect(200)
        ).body as { deliveries: Delivery[] };
        return chain.deliveries.length > 0 &&
          chain.deliveries.every(
            // A held delivery is looked at again now and then (SENDING for a moment): read it while it waits.
            (d) => d.status === 'RETRY_WAIT' && d.lastError?.code === 'POLICY_IN_FORCE_FAILS_PROOF',
          )
          ? chain.deliveries
          : undefined;
      },
      { what: 'deliveries held under the failing policy', timeoutMs: 20_000 },
    );
    for (const delivery of held) {
      assert.equal(delivery.status, 'RETRY_WAIT', 'held, not lost and not rejected');
      assert.equal(delivery.attempts, 0, 'a hold uses up no attempts');
      assert.match(delivery.lastError?.reason ?? '', /privacybeleid/);
    }
    assert.equal(duo.callsFor(draft.id).length, 0, 'nothing went to DUO');
    assert.equal(leerplicht.callsFor(draft.id).length, 0, 'nothing went to the municipality');
    const disclosures = await gateway.infra.dataSource.query(
      `SELECT count(*) AS n FROM audit_log WHERE board = $1 AND kind = 'DISCLOSURE'`,
      [failingBoard],
    );
    assert.equal(Number(disclosures[0].n), 0, 'no disclosure was logged');
  });
});
