import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type Actor,
  DELIVERY_DUE,
  DELIVERY_MOVES,
  type Delivery,
  type DeliveryStatus,
  type Envelope,
  type OutboundContext,
  type PolicyVersionStore,
  type Pupil,
  REPORT_APPROVED,
  REPORT_STATUS_RANK,
  type ReportConnector,
  type Report,
  type SendResult,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { InMemoryUnitOfWork, TEST_DUO_OIN, aReport } from '#testing';
import { PolicyResolver, PrivacyPolicyEngine } from '../privacy-engine/index.js';
import { DispatchDeliveryUseCase } from './dispatch-delivery.usecase.js';
import { SchoolDeliveriesUseCase } from './school-deliveries.usecase.js';
import { DISPATCH_ERRORS } from './dispatch-error-codes.js';

// The dispatcher against the in-memory unit of work: the delivery and report lifecycles without a database.

const defaultText = readFileSync(
  new URL('../../../../../config/privacy/default.policy.yaml', import.meta.url),
  'utf8',
);
const engine = new PrivacyPolicyEngine();
const resolver = new PolicyResolver(
  { effectiveAt: () => Promise.resolve(null) } as unknown as PolicyVersionStore,
  engine,
  defaultText,
);
const BOARD = 'BOARD-UOW';
const SCHOOL = '99XX01';
const START = new Date('2025-09-25T10:00:00Z');
const SCHEDULE = { baseMs: 1_000, factor: 2, maxMs: 60_000, maxAttempts: 3 };

const OK: SendResult = { ok: true, externalRef: 'DUO-0001', status: 'REGISTERED' };
const TRANSIENT: SendResult = { ok: false, retryable: true, code: 'DUO_TIMEOUT', reason: 'time-out' };
const PERMANENT: SendResult = {
  ok: false,
  retryable: false,
  code: 'DUO_VALIDATION',
  reason: 'veld ontbreekt',
};

function reportOf(id: string, overrides: Partial<Report> = {}): Report {
  return aReport({
    id,
    status: 'APPROVED',
    board: BOARD,
    school: SCHOOL,
    decidedBy: 'staff-1',
    decidedAt: START.toISOString(),
    createdAt: START.toISOString(),
    updatedAt: START.toISOString(),
    ...overrides,
  });
}

const pupil: Pupil = {
  board: BOARD,
  localId: 'p-1',
  school: SCHOOL,
  administration: SCHOOL,
  birthDate: '2011-05-17',
  sector: 'vo',
  startkwalificatie: null,
  woongemeente: null,
  enrolledFrom: '2023-08-21',
  leftOn: null,
  hasBsn: true,
  legalHold: null,
  updatedAt: START.toISOString(),
};

/** DUO as a script of answers (the last one repeats); the contexts it was sent. */
function scriptedDuo(answers: readonly SendResult[]) {
  const sent: OutboundContext[] = [];
  const connector: ReportConnector<ReleasedPayload> = {
    destination: 'DUO',
    send(context) {
      sent.push(context);
      return Promise.resolve(answers[Math.min(sent.length - 1, answers.length - 1)]);
    },
    fetchStatusChanges: (since) => Promise.resolve({ changes: [], until: since }),
  };
  return { connector, sent };
}

function setUp(answers: readonly SendResult[], schedule = SCHEDULE) {
  const uow = new InMemoryUnitOfWork();
  const clock = { at: START.getTime(), now: () => new Date(clock.at) };
  const duo = scriptedDuo(answers);
  const disclosed: { sent: boolean }[] = [];
  const pseudonymise = (_board: string, localId: string) => Promise.resolve(`ps-${localId}`);
  const dispatch = new DispatchDeliveryUseCase(
    uow,
    uow,
    { find: () => Promise.resolve(pupil) },
    { bsnOf: () => Promise.resolve('111222333') },
    resolver,
    engine,
    {
      execute: (command) => {
        disclosed.push({ sent: command.sent });
        return Promise.resolve({ requestId: 'req', auditSeqs: [] });
      },
    },
    pseudonymise,
    [duo.connector],
    null,
    clock,
    { duoOin: TEST_DUO_OIN, leaseMs: 30_000, schedule, random: () => 0 },
  );
  let ids = 0;
  const school = new SchoolDeliveriesUseCase(
    uow,
    uow,
    pseudonymise,
    clock,
    () => `00000000-0000-4000-9000-${String(++ids).padStart(12, '0')}`,
  );
  return { uow, clock, duo, dispatch, school, disclosed };
}

const staff: Actor = { role: 'school_staff', subject: 'staff-1', board: BOARD, schools: [SCHOOL] };

const approved = (reportId: string): Envelope =>
  ({ type: REPORT_APPROVED.type, payload: { board: BOARD, reportId } }) as unknown as Envelope;

const statuses = (uow: InMemoryUnitOfWork, reportId: string) =>
  uow.historyOf(BOARD, reportId).map((h) => h.status);

describe('the dispatcher over the unit of work (no database)', () => {
  it('plans an approved report, claims and sends it; DUO registers it: DELIVERED, REGISTERED, audited', async () => {
    const { uow, dispatch, duo, disclosed } = setUp([OK]);
    uow.seed(reportOf('r-1'));
    expect(await dispatch.handle(approved('r-1'))).toEqual(['delivered']);
    const [delivery] = uow.deliveries;
    assert.equal(delivery?.status, 'DELIVERED');
    assert.equal(delivery?.externalRef, 'DUO-0001');
    assert.equal(delivery?.attempts, 1);
    const report = await uow.report(BOARD, 'r-1');
    assert.equal(report?.status, 'REGISTERED');
    assert.equal(report?.chain?.externalRef, 'DUO-0001');
    expect(statuses(uow, 'r-1')).toEqual(['QUEUED', 'REGISTERED']);
    expect(uow.audit.map((a) => [a.kind, a.entry['status'], a.entry['pupil']])).toEqual([
      ['REPORT_STATUS', 'QUEUED', 'ps-p-1'],
      ['REPORT_STATUS', 'REGISTERED', 'ps-p-1'],
    ]);
    assert.equal(duo.sent[0]?.idempotencyKey, 'kp-duo-register-r-1');
    expect(disclosed).toEqual([{ sent: true }]);
  });

  it('a redelivered approval changes nothing: the report is planned once and sent once', async () => {
    const { uow, dispatch, duo } = setUp([OK]);
    uow.seed(reportOf('r-1'));
    await dispatch.handle(approved('r-1'));
    const audit = uow.audit.length;
    expect(await dispatch.handle(approved('r-1'))).toEqual(['not-claimed']);
    assert.equal(uow.deliveries.length, 1);
    assert.equal(uow.audit.length, audit);
    assert.equal(duo.sent.length, 1);
  });

  it('a transient error waits on the schedule (the report stays QUEUED); the next attempt delivers', async () => {
    const { uow, dispatch, clock } = setUp([TRANSIENT, OK]);
    uow.seed(reportOf('r-1'));
    expect(await dispatch.handle(approved('r-1'))).toEqual(['retry']);
    const waiting = uow.deliveries[0];
    assert.equal(waiting.status, 'RETRY_WAIT');
    expect(waiting.lastError).toEqual({ code: 'DUO_TIMEOUT', reason: 'time-out' });
    // random 0: half the nominal delay of the first step.
    assert.equal(waiting.nextAttemptAt, new Date(START.getTime() + 500).toISOString());
    assert.equal((await uow.report(BOARD, 'r-1'))?.status, 'QUEUED');
    expect(statuses(uow, 'r-1')).toEqual(['QUEUED']);
    // A stale message (it saw no attempts) is ignored; the due one delivers.
    clock.at += 1_000;
    const due = { type: DELIVERY_DUE.type, payload: { deliveryId: waiting.id, attempt: 1 } };
    expect(await dispatch.handle(due as unknown as Envelope)).toEqual(['not-claimed']);
    expect(
      await dispatch.handle({ ...due, payload: { deliveryId: waiting.id, attempt: 2 } } as never),
    ).toEqual(['delivered']);
    assert.equal((await uow.report(BOARD, 'r-1'))?.status, 'REGISTERED');
  });

  it('exhausted retries dead-letter the delivery: DEAD_LETTERED in the history, the report waits where it is', async () => {
    const { uow, dispatch, clock } = setUp([TRANSIENT], { ...SCHEDULE, maxAttempts: 2 });
    uow.seed(reportOf('r-1'));
    expect(await dispatch.handle(approved('r-1'))).toEqual(['retry']);
    clock.at += 60_000;
    assert.equal(await dispatch.attempt(uow.deliveries[0].id, 1), 'dead');
    assert.equal(uow.deliveries[0]?.status, 'DEAD');
    assert.equal((await uow.report(BOARD, 'r-1'))?.status, 'QUEUED');
    expect(statuses(uow, 'r-1')).toEqual(['QUEUED', 'DEAD_LETTERED']);
    assert.equal(uow.historyOf(BOARD, 'r-1')[1]?.detail, 'DUO_TIMEOUT: time-out');
    expect(uow.audit.map((a) => a.entry['status'])).toEqual(['QUEUED', 'RETRY_WAIT', 'DEAD']);
  });

  it('a permanent error rejects the report into the work queue; a replay sends it again and it is delivered', async () => {
    const { uow, dispatch, school } = setUp([PERMANENT, OK]);
    uow.seed(reportOf('r-1'));
    expect(await dispatch.handle(approved('r-1'))).toEqual(['rejected']);
    const rejected = uow.deliveries[0];
    assert.equal(rejected.status, 'REJECTED');
    assert.equal((await uow.report(BOARD, 'r-1'))?.status, 'REJECTED');
    expect(statuses(uow, 'r-1')).toEqual(['QUEUED', 'REJECTED']);

    const replayed = await school.replay(staff, rejected.id);
    assert.equal(replayed.status, 'PENDING');
    assert.equal(replayed.attempts, 0);
    assert.equal((await uow.report(BOARD, 'r-1'))?.status, 'QUEUED');
    expect(statuses(uow, 'r-1')).toEqual(['QUEUED', 'REJECTED', 'REPLAYED']);
    const event = uow.outbox.at(-1)!;
    assert.equal(event.type, DELIVERY_DUE.type);
    expect(event.payload).toEqual({ deliveryId: rejected.id, attempt: 1 });
    assert.equal(uow.audit.at(-1)?.entry['by'], 'staff-1');

    // A second replay finds nothing to replay: coded 409.
    await assert.rejects(school.replay(staff, rejected.id), {
      code: DISPATCH_ERRORS.DELIVERY_NOT_REPLAYABLE,
    });
    expect(await dispatch.handle(event as unknown as Envelope)).toEqual(['delivered']);
    assert.equal((await uow.report(BOARD, 'r-1'))?.status, 'REGISTERED');
  });

  it('a report gone before its attempt is rejected with REPORT_GONE and nothing is sent', async () => {
    const { uow, dispatch, duo } = setUp([OK]);
    uow.seed(reportOf('r-1'));
    const planned = await uow.run(async (tx) => {
      await tx.deliveries.insertPlanned(
        { board: BOARD, school: SCHOOL, reportId: 'r-gone' },
        [
          {
            destination: 'DUO',
            operation: 'REGISTER',
            recipient: { kind: 'DUO', id: TEST_DUO_OIN },
            idempotencyKey: 'kp-duo-register-r-gone',
          },
        ],
        START,
      );
      return tx.deliveries.ofReport(BOARD, 'r-gone');
    });
    assert.equal(await dispatch.attempt(planned[0].id, 0), 'rejected');
    assert.equal(uow.deliveries[0]?.lastError?.code, DISPATCH_ERRORS.REPORT_GONE);
    assert.equal(duo.sent.length, 0);
  });

  it('a withdrawal supersedes the report it withdraws: the withdrawal REGISTERED, the original WITHDRAWN', async () => {
    const { uow, dispatch, school, duo } = setUp([OK, { ok: true, externalRef: null, status: 'WITHDRAWN' }]);
    uow.seed(reportOf('r-1'));
    await dispatch.handle(approved('r-1'));
    const { id } = await school.withdraw(staff, SCHOOL, 'r-1');
    // Stored approved and announced once, in one unit of work.
    const announced = uow.outbox.filter((e) => e.type === REPORT_APPROVED.type);
    expect(announced.map((e) => e.payload)).toEqual([{ board: BOARD, reportId: id }]);
    expect(await dispatch.handle(announced[0] as unknown as Envelope)).toEqual(['delivered']);
    assert.equal(duo.sent[1]?.operation, 'WITHDRAW');
    assert.equal(duo.sent[1]?.reportId, 'r-1');
    assert.equal(duo.sent[1]?.externalRef, 'DUO-0001');
    assert.equal((await uow.report(BOARD, id))?.status, 'REGISTERED');
    assert.equal((await uow.report(BOARD, 'r-1'))?.status, 'WITHDRAWN');
    expect(statuses(uow, 'r-1')).toEqual(['QUEUED', 'REGISTERED', 'WITHDRAWN']);
    expect(statuses(uow, id)).toEqual(['APPROVED', 'QUEUED', 'REGISTERED']);
    // DUO's report number stays on the first report only.
    assert.equal((await uow.report(BOARD, id))?.chain?.externalRef ?? null, null);
  });

  it('a correction notes UPDATED on the report it corrects, which keeps its status', async () => {
    const { uow, dispatch, school } = setUp([OK, { ok: true, externalRef: null, status: 'REGISTERED' }]);
    uow.seed(reportOf('r-1'));
    await dispatch.handle(approved('r-1'));
    const { id } = await school.endDate(staff, SCHOOL, 'r-1', { endDate: '2025-09-30' });
    assert.equal((await uow.report(BOARD, id))?.fields['absence.endDate'], '2025-09-30');
    const event = uow.outbox.find((e) => e.type === REPORT_APPROVED.type)!;
    expect(await dispatch.handle(event as unknown as Envelope)).toEqual(['delivered']);
    assert.equal((await uow.report(BOARD, 'r-1'))?.status, 'REGISTERED');
    expect(statuses(uow, 'r-1')).toEqual(['QUEUED', 'REGISTERED', 'UPDATED']);
    assert.equal(uow.historyOf(BOARD, 'r-1')[2]?.detail, `correctie ${id}`);
  });

  it('a correction of a report that went nowhere is rejected: nothing to deliver', async () => {
    const { uow, dispatch } = setUp([OK]);
    uow.seed(reportOf('r-1', { status: 'SENT' }));
    uow.seed(reportOf('r-2', { action: 'CORRECTION', supersedes: 'r-1', signalId: 'sig-r-1' }));
    expect(await dispatch.handle(approved('r-2'))).toEqual([]);
    assert.equal((await uow.report(BOARD, 'r-2'))?.status, 'REJECTED');
    expect(statuses(uow, 'r-2')).toEqual(['REJECTED']);
    assert.equal(uow.audit[0]?.entry['code'], DISPATCH_ERRORS.NOTHING_TO_DELIVER);
  });

  it('a failed commit loses nothing: the outcome is rolled back and the attempt waits for a retry', async () => {
    const { uow, dispatch } = setUp([OK]);
    uow.seed(reportOf('r-1'));
    await dispatch.handle(approved('r-1'));
    // Replan: a fresh report whose delivery commit fails once.
    uow.seed(reportOf('r-3', { signalId: 'sig-r-3' }));
    const before = uow.rolledBack;
    const planned = await uow.run(async (tx) => {
      await tx.deliveries.insertPlanned(
        { board: BOARD, school: SCHOOL, reportId: 'r-3' },
        [
          {
            destination: 'DUO',
            operation: 'REGISTER',
            recipient: { kind: 'DUO', id: TEST_DUO_OIN },
            idempotencyKey: 'kp-duo-register-r-3',
          },
        ],
        START,
      );
      return tx.deliveries.ofReport(BOARD, 'r-3');
    });
    const claim = uow.run.bind(uow);
    let calls = 0;
    uow.run = (work) => {
      calls += 1;
      if (calls === 2) uow.failNextCommit = true; // the unit that records the delivery
      return claim(work);
    };
    assert.equal(await dispatch.attempt(planned[0].id, 0), 'retry');
    assert.equal(uow.rolledBack, before + 1);
    const delivery = uow.deliveries.find((d) => d.reportId === 'r-3')!;
    assert.equal(delivery.status, 'RETRY_WAIT');
    assert.equal(delivery.externalRef, null);
    assert.equal((await uow.report(BOARD, 'r-3'))?.status, 'APPROVED');
  });

  it('property: whatever DUO answers, moves follow the lifecycles and every recorded outcome is audited once', async () => {
    const answer = fc.constantFrom<SendResult>(
      OK,
      TRANSIENT,
      PERMANENT,
      { ok: true, externalRef: null, status: 'SENT' },
      { ok: false, retryable: true, hold: true, code: 'NO_SENDING_PARTY', reason: 'geen afzender' },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(answer, { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('attempt', 'replay', 'redeliver'), { maxLength: 10 }),
        async (answers, steps) => {
          const { uow, dispatch, school, clock } = setUp(answers);
          uow.seed(reportOf('r-1'));
          const seen: { delivery: DeliveryStatus; report: string }[] = [];
          const snapshot = async () => {
            seen.push({
              delivery: uow.deliveries[0]?.status ?? 'PENDING',
              report: (await uow.report(BOARD, 'r-1'))!.status,
            });
          };
          // Recorded outcomes: the plan, each attempt that claimed, each replay that reopened.
          let recorded = 1;
          const count = (outcomes: readonly string[]) => {
            recorded += outcomes.filter((o) => o !== 'not-claimed').length;
          };
          count(await dispatch.handle(approved('r-1')));
          await snapshot();
          for (const step of steps) {
            clock.at += 120_000;
            const delivery: Delivery = uow.deliveries[0];
            if (step === 'attempt') count([await dispatch.attempt(delivery.id, delivery.attempts)]);
            else if (step === 'redeliver') count(await dispatch.handle(approved('r-1')));
            else if (await school.replay(staff, delivery.id).catch(() => null)) recorded += 1;
            await snapshot();
          }
          for (let i = 1; i < seen.length; i++) {
            const [from, to] = [seen[i - 1], seen[i]];
            // A delivery moves only as the lifecycle allows (a step may leave it where it is).
            if (from.delivery !== to.delivery) {
              const viaSending = from.delivery === 'SENDING' ? [] : DELIVERY_MOVES[from.delivery];
              assert.ok(
                DELIVERY_MOVES[from.delivery].includes(to.delivery) ||
                  (viaSending.includes('SENDING') && DELIVERY_MOVES.SENDING.includes(to.delivery)),
                `${from.delivery} → ${to.delivery}`,
              );
            }
            // A report never moves back, but for the replay's REJECTED → QUEUED.
            const back =
              REPORT_STATUS_RANK[to.report as keyof typeof REPORT_STATUS_RANK] <
              REPORT_STATUS_RANK[from.report as keyof typeof REPORT_STATUS_RANK];
            if (back) expect([from.report, to.report]).toEqual(['REJECTED', 'QUEUED']);
          }
          // One audit entry per recorded outcome, and DUO took the report at most once.
          assert.equal(uow.audit.length, recorded);
          const statusOf = (entry: { readonly [key: string]: unknown }) => entry['status'];
          const delivered = uow.audit.filter((a) =>
            ['REGISTERED', 'SENT'].includes(statusOf(a.entry) as string),
          );
          assert.ok(delivered.length <= 1, 'delivered at most once');
          assert.equal(uow.outbox.filter((e) => e.type === REPORT_APPROVED.type).length, 0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
