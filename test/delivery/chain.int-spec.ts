import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Delivery, Report, ReportStatusChange } from '#domain';
import { TypeOrmAuditLog } from '#persistence';
import { waitFor } from '#testing';
import {
  type Chain,
  SIMULATED,
  seedApprovedReports,
  startChain,
  statusCounts,
} from './chain.test-support.js';

type ChainView = { report: Report; deliveries: Delivery[]; history: ReportStatusChange[] };

const REPORTS = 1_000;

/**
 * The whole outbound chain against the chain simulator with the real connectors (DUO over two-way TLS, leerplicht
 * signed + encrypted): exactly-once registration under a 30 % transient failure rate, a validation error that goes
 * to a person, a withdrawal and an end date, and statuses back from DUO and from the municipality. PGlite + the
 * in-process broker by default; PostgreSQL and RabbitMQ when DATABASE_URL / AMQP_URL are set (CI runs both).
 */
describe('delivery to the chain simulator', () => {
  describe(`${REPORTS} approved reports, 30 % of DUO calls failing transiently`, () => {
    let chain: Chain;

    beforeAll(async () => {
      // 15 % answered HTTP 500 before processing, 15 % registered and then the answer lost (the dangerous case).
      chain = await startChain({ duoMisbehaviour: { http500: 0.15, loseResponse: 0.15 } });
    });
    afterAll(async () => {
      await chain?.stop();
    });

    it('registers every report at DUO exactly once (the simulator counts no duplicate)', async () => {
      const reports = await seedApprovedReports(chain, REPORTS);
      const ids = reports.map((r) => r.id);
      await waitFor(
        async () => ((await statusCounts(chain, ids))['REGISTERED'] === REPORTS ? true : undefined),
        { what: `${REPORTS} reports REGISTERED`, timeoutMs: 15 * 60_000, intervalMs: 500 },
      );
      const stats = chain.simulator.duo.stats();
      assert.equal(stats.registered, REPORTS, 'one registration per report');
      assert.equal(stats.duplicateRegistrations, 0, 'no report registered twice');
      assert.ok(
        stats.injected.http500 > 0 && stats.injected.loseResponse > 0,
        JSON.stringify(stats.injected),
      );
      assert.ok(
        stats.repeatedMessages >= stats.injected.loseResponse,
        'lost answers were retried with the same MessageID',
      );
      const registered = chain.simulator.duo.reports();
      assert.equal(new Set(registered.map((r) => r.kenmerk)).size, REPORTS);
      const numbers: { external_ref: string }[] = await chain.gateway.infra.dataSource.query(
        `SELECT external_ref FROM report WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      assert.equal(
        new Set(numbers.map((n) => n.external_ref)).size,
        REPORTS,
        'every report got its own number',
      );
      expect(new Set(numbers.map((n) => n.external_ref))).toEqual(
        new Set(registered.map((r) => r.reportNumber)),
      ); // 'the numbers ketenpoort stored are the ones DUO issued'
      const verification = await new TypeOrmAuditLog(chain.gateway.infra.dataSource).verify();
      assert.equal(verification.valid, true);
    });
  });

  describe('refusals, follow-ups and statuses', () => {
    let chain: Chain;
    let http: ReturnType<typeof request>;
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
    const chainOf = async (id: string): Promise<ChainView> =>
      (
        await http
          .get(`/v1/schools/${chain.school}/reports/${id}/chain`)
          .set(auth(chain.staffToken))
          .expect(200)
      ).body as ChainView;
    const until = (id: string, test: (view: ChainView) => boolean, what: string) =>
      waitFor(
        async () => {
          const view = await chainOf(id);
          return test(view) ? view : undefined;
        },
        { what, timeoutMs: 30_000 },
      );

    beforeAll(async () => {
      chain = await startChain();
      http = request(chain.gateway.app.getHttpServer());
    });
    afterAll(async () => {
      await chain?.stop();
    });

    it("a validation error from DUO is REJECTED with the simulator's reason, and never retried", async () => {
      // No BSN and no onderwijsnummer: DUO's register refuses the message (persoonsgebonden nummer missing).
      const [report] = await seedApprovedReports(chain, 1, { bsn: null, prefix: 'no-bsn' });
      const view = await until(report.id, (v) => v.report.status === 'REJECTED', 'REJECTED');
      const duo = view.deliveries.find((d) => d.destination === 'DUO')!;
      assert.equal(duo.status, 'REJECTED');
      assert.equal(duo.attempts, 1);
      assert.match(duo.lastError?.code ?? '', /^DUO_/);
      assert.ok((duo.lastError?.reason ?? '').length > 0, 'the register gave a reason');
      const received = chain.simulator.duo.stats().received;
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(chain.simulator.duo.stats().received, received, 'no retry');
      const queue = (await http.get('/v1/deliveries/work-queue').set(auth(chain.staffToken)).expect(200)).body
        .items as Delivery[];
      assert.ok(
        queue.some((d) => d.id === duo.id),
        'in the work queue for school staff',
      );
    });

    it('an end date and a withdrawal reach DUO and the municipality', async () => {
      const [report] = await seedApprovedReports(chain, 1, {
        woongemeente: SIMULATED.webhook,
        prefix: 'follow',
      });
      const registered = await until(
        report.id,
        (v) => v.report.status === 'REGISTERED' && v.deliveries.every((d) => d.status === 'DELIVERED'),
        'REGISTERED at DUO and delivered to the municipality',
      );
      const number = registered.report.chain!.externalRef!;
      assert.equal(registered.deliveries.length, 2);
      const atMunicipality = chain.simulator.municipalities.reports().find((r) => r.reportId === report.id);
      assert.ok(atMunicipality, 'the municipality decrypted and verified the report');
      assert.equal(
        JSON.stringify(atMunicipality.report).includes('111222333'),
        false,
        'no BSN to leerplicht',
      );

      await http
        .post(`/v1/schools/${chain.school}/reports/${report.id}/end-date`)
        .set(auth(chain.staffToken))
        .send({ endDate: '2025-09-26' })
        .expect(202);
      await waitFor(
        async () => {
          await Promise.resolve();
          const atDuo = chain.simulator.duo.reports().find((r) => r.reportNumber === number);
          return atDuo?.endDate === '2025-09-26' ? atDuo : undefined;
        },
        { what: 'the end date at DUO', timeoutMs: 30_000 },
      );
      await waitFor(
        async () => {
          await Promise.resolve();
          return chain.simulator.municipalities
            .reports()
            .some((r) => r.reportId === report.id && r.operation === 'UPDATE')
            ? true
            : undefined;
        },
        { what: 'the update at the municipality', timeoutMs: 30_000 },
      );

      await http
        .post(`/v1/schools/${chain.school}/reports/${report.id}/withdraw`)
        .set(auth(chain.staffToken))
        .expect(202);
      const withdrawn = await until(report.id, (v) => v.report.status === 'WITHDRAWN', 'WITHDRAWN');
      assert.ok(withdrawn.history.some((h) => h.status === 'WITHDRAWN' && h.source === 'DUO'));
      const atDuo = chain.simulator.duo.reports().find((r) => r.reportNumber === number)!;
      assert.equal(atDuo.withdrawn, true);
      assert.equal(atDuo.status, 'WITHDRAWN');
      await waitFor(
        async () => {
          await Promise.resolve();
          return chain.simulator.municipalities
            .reports()
            .some((r) => r.reportId === report.id && r.operation === 'WITHDRAW')
            ? true
            : undefined;
        },
        { what: 'the withdrawal at the municipality', timeoutMs: 30_000 },
      );
      assert.equal(chain.simulator.duo.stats().duplicateRegistrations, 0);
    });

    it("DUO's In behandeling and the municipality's Afgesloten with its reason are visible to the school", async () => {
      const [report] = await seedApprovedReports(chain, 1, {
        woongemeente: SIMULATED.webhook,
        prefix: 'status',
      });
      const registered = await until(
        report.id,
        (v) => v.report.status === 'REGISTERED' && v.deliveries.every((d) => d.status === 'DELIVERED'),
        'REGISTERED and delivered',
      );
      chain.simulator.duo.setStatus(registered.report.chain!.externalRef!, { status: 'IN_BEHANDELING' });
      const sync = await chain.gateway.infra.delivery!.loop.syncStatusNow();
      assert.ok(sync.applied >= 1, JSON.stringify(sync));
      assert.equal((await chainOf(report.id)).report.status, 'IN_BEHANDELING');

      const callbacks = await chain.simulator.municipalities.setStatus(SIMULATED.webhook, report.id, {
        status: 'AFGESLOTEN',
        closingReason: 'TERUG_NAAR_SCHOOL',
        closingExplanation: 'LEERLING_GEZIEN_DOOR_GEMEENTE',
        contact: 'leerplichtambtenaar Utrecht',
      });
      assert.equal(callbacks, 1, 'the municipality reached ketenpoort');
      const closed = await chainOf(report.id);
      assert.equal(closed.report.status, 'AFGESLOTEN');
      assert.equal(closed.report.chain?.closingReason, 'TERUG_NAAR_SCHOOL');
      assert.equal(closed.report.chain?.closingExplanation, 'LEERLING_GEZIEN_DOOR_GEMEENTE');
      const last = closed.history.at(-1)!;
      assert.equal(last.source, 'LEERPLICHT');
      assert.equal(last.status, 'AFGESLOTEN');
    });

    it('a municipality on the inbox channel fetches its reports and decrypts them', async () => {
      const [report] = await seedApprovedReports(chain, 1, {
        woongemeente: SIMULATED.inbox,
        prefix: 'inbox',
      });
      await until(
        report.id,
        (v) => v.deliveries.some((d) => d.destination === 'LEERPLICHT' && d.status === 'DELIVERED'),
        'in the inbox',
      );
      const polled = await chain.simulator.municipalities.poll(SIMULATED.inbox);
      assert.ok(polled.accepted >= 1, JSON.stringify(polled));
      assert.ok(
        chain.simulator.municipalities
          .reports()
          .some((r) => r.reportId === report.id && r.via === 'inbox' && r.municipality === SIMULATED.inbox),
      );
    });
  });
});
