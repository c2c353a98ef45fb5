import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type Actor, REPORT_APPROVED, type Report, isDomainError } from '#domain';
import { InMemoryUnitOfWork, aReport } from '#testing';
import { DecideReportUseCase } from './decide-report.usecase.js';
import { REPORTS_ERRORS } from './reports-error-codes.js';

// The approval path against the in-memory unit of work: the use case decides what an approval announces.

const BOARD = 'BOARD-APR';
const SCHOOL = '99XX01';
const NOW = new Date('2026-11-10T09:00:00Z');
const ID = '00000000-0000-4000-8000-0000000000a1';

function draft(id = ID, overrides: Partial<Report> = {}): Report {
  return aReport({
    id,
    board: BOARD,
    school: SCHOOL,
    fields: { 'absence.beginDate': '2026-10-01' },
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...overrides,
  });
}

const staff: Actor = { role: 'school_staff', subject: 'staff-1', board: BOARD, schools: [SCHOOL] };

function setUp(...reports: Report[]) {
  const uow = new InMemoryUnitOfWork();
  for (const r of reports) uow.seed(r);
  return { uow, decide: new DecideReportUseCase(uow, uow, { now: () => NOW }) };
}

const coded = (code: string) => (error: unknown) => isDomainError(error) && error.code === code;

describe('approving a report (no database)', () => {
  it('approve: APPROVED, announced once (event, history, audit naming who approved), in one unit of work', async () => {
    const { uow, decide } = setUp(draft());
    const approved = await decide.approve(staff, ID);
    assert.equal(approved.status, 'APPROVED');
    assert.equal(approved.decidedBy, 'staff-1');
    assert.equal(uow.committed, 1);
    expect(uow.outbox.map((e) => [e.type, e.idempotencyKey, e.payload])).toEqual([
      [REPORT_APPROVED.type, `${REPORT_APPROVED.type}:${ID}`, { board: BOARD, reportId: ID }],
    ]);
    expect(uow.historyRows.map((h) => [h.reportId, h.status, h.source])).toEqual([
      [ID, 'APPROVED', 'KETENPOORT'],
    ]);
    expect(uow.audit.map((a) => a.entry)).toEqual([
      { reportId: ID, status: 'APPROVED', source: 'KETENPOORT', by: 'staff-1' },
    ]);
  });

  it('a second approve is refused with REPORT_NOT_DRAFT (409) and announces nothing again', async () => {
    const { uow, decide } = setUp(draft());
    await decide.approve(staff, ID);
    await assert.rejects(decide.approve(staff, ID), (e: unknown) => {
      assert.ok(coded(REPORTS_ERRORS.REPORT_NOT_DRAFT)(e));
      assert.equal(isDomainError(e) && e.kind, 'conflict');
      return true;
    });
    assert.equal(uow.outbox.length, 1);
    assert.equal(uow.audit.length, 1);
    assert.equal(uow.historyRows.length, 1);
  });

  it('two approvals racing: the row decides, one wins, one event', async () => {
    const { uow, decide } = setUp(draft());
    const results = await Promise.allSettled([decide.approve(staff, ID), decide.approve(staff, ID)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal(uow.outbox.length, 1);
  });

  it('dismiss: DISMISSED with its reason, audited, nothing announced', async () => {
    const { uow, decide } = setUp(draft());
    const dismissed = await decide.dismiss(staff, ID, { reason: 'dubbel' });
    assert.equal(dismissed.status, 'DISMISSED');
    assert.equal(dismissed.dismissReason, 'dubbel');
    assert.equal(uow.outbox.length, 0);
    assert.equal(uow.historyRows.length, 0);
    expect(uow.audit.map((a) => a.entry)).toEqual([
      { reportId: ID, status: 'DISMISSED', source: 'KETENPOORT', by: 'staff-1' },
    ]);
  });

  it('a role other than school staff is refused with ROLE_NOT_ALLOWED (403); nothing is written', async () => {
    const { uow, decide } = setUp(draft());
    const others: Actor[] = [
      { role: 'privacy_officer', subject: 'p', board: BOARD },
      { role: 'leerplicht_officer', subject: 'l', municipalities: ['0363'] },
    ];
    for (const actor of others) {
      await assert.rejects(decide.approve(actor, ID), (e: unknown) => {
        assert.ok(coded('ROLE_NOT_ALLOWED')(e));
        assert.equal(isDomainError(e) && e.kind, 'forbidden');
        return true;
      });
    }
    assert.equal(uow.committed, 0);
    assert.equal((await uow.report(BOARD, ID))?.status, 'DRAFT');
  });

  it('a report of another school, or none, is REPORT_NOT_FOUND (404)', async () => {
    const { decide } = setUp(draft(), draft('00000000-0000-4000-8000-0000000000b2', { school: '11YY01' }));
    await assert.rejects(
      decide.approve(staff, '00000000-0000-4000-8000-0000000000b2'),
      coded(REPORTS_ERRORS.REPORT_NOT_FOUND),
    );
    await assert.rejects(decide.approve(staff, 'nope'), coded(REPORTS_ERRORS.REPORT_NOT_FOUND));
  });

  it('property: whatever approvals and dismissals arrive, each report is announced at most once and only if approved', async () => {
    const ids = ['a1', 'a2', 'a3'].map((s) => `00000000-0000-4000-8000-0000000000${s}`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...ids), fc.boolean()), { maxLength: 12 }),
        async (moves) => {
          const { uow, decide } = setUp(...ids.map((id) => draft(id)));
          for (const [id, approve] of moves) {
            await (approve ? decide.approve(staff, id) : decide.dismiss(staff, id, { reason: 'r' })).catch(
              (e: unknown) => assert.ok(coded(REPORTS_ERRORS.REPORT_NOT_DRAFT)(e)),
            );
          }
          for (const id of ids) {
            const events = uow.outbox.filter((e) => (e.payload as { reportId: string }).reportId === id);
            const status = (await uow.report(BOARD, id))!.status;
            assert.equal(events.length, status === 'APPROVED' ? 1 : 0);
            // The first decision wins; every later one is refused.
            const first = moves.find(([m]) => m === id);
            assert.equal(status, first === undefined ? 'DRAFT' : first[1] ? 'APPROVED' : 'DISMISSED');
          }
          assert.equal(uow.audit.length, new Set(moves.map(([id]) => id)).size);
        },
      ),
      { numRuns: 100 },
    );
  });
});
