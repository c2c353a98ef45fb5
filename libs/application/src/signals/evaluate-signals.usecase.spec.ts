import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import {
  type Pupil,
  type SchoolCalendarStore,
  type SchoolSettingsStore,
  type Signal,
  type SignalEvaluator,
  type SignalStore,
  FixedClock,
} from '#domain';
import { InMemoryUnitOfWork } from '#testing';
import { EvaluateSignalsUseCase } from './evaluate-signals.usecase.js';

const BOARD = 'BOARD-1';

function pupil(localId: string): Pupil {
  return {
    board: BOARD,
    localId,
    school: '99XX',
    administration: '99XX',
    birthDate: '2012-03-01',
    sector: 'vo',
    startkwalificatie: null,
    woongemeente: null,
    enrolledFrom: '2024-08-01',
    leftOn: null,
    hasBsn: false,
    legalHold: null,
    updatedAt: '2026-12-01T00:00:00Z',
  };
}

/** A store that records which pupils' records and signals are read, and holds nothing. */
function recordingStore(): { store: SignalStore; reads: string[][] } {
  const reads: string[][] = [];
  const store = {
    wasProcessed: () => Promise.resolve(false),
    pupilsOfRecords: () => Promise.resolve([]),
    pupilsOfSchool: () => Promise.resolve([]),
    currentRecords: (_: string, ids: readonly string[]) => {
      reads.push([...ids]);
      return Promise.resolve(new Map());
    },
    signalsOf: (_: string, ids: readonly string[]) => {
      reads.push([...ids]);
      return Promise.resolve([]);
    },
    reportsOfSignals: () => Promise.resolve([]),
    list: () => Promise.resolve([]),
  } satisfies SignalStore;
  return { store, reads };
}

describe('EvaluateSignalsUseCase reads only what it evaluates', () => {
  const evaluator = {
    evaluatePupil: () => [],
  } as unknown as SignalEvaluator;
  const calendars = { get: () => Promise.resolve(null) } as unknown as SchoolCalendarStore;
  const settings = {
    get: () => Promise.resolve({ autoApproveMandatory: false }),
  } as unknown as SchoolSettingsStore;
  const clock = new FixedClock(new Date('2026-12-05T10:00:00Z'));
  const evaluation = (
    store: SignalStore,
    registry: ConstructorParameters<typeof EvaluateSignalsUseCase>[3],
  ): EvaluateSignalsUseCase =>
    new EvaluateSignalsUseCase(
      evaluator,
      store,
      new InMemoryUnitOfWork(),
      registry,
      calendars,
      settings,
      clock,
      () => 'id',
    );

  it('never reads the records or signals of pupils the registry does not know', async () => {
    const { store, reads } = recordingStore();
    const registry = {
      findEach: (_: unknown, ats: readonly { localId: string }[]) =>
        Promise.resolve(ats.map((at) => (at.localId === 'known' ? pupil('known') : null))),
    };
    const useCase = evaluation(store, registry);
    const outcome = await useCase.evaluate(
      BOARD,
      [
        { school: '99XX', localId: 'stranger-1' },
        { school: '99XX', localId: 'known' },
        { school: '99XX', localId: 'stranger-2' },
      ],
      '2026-12-04',
    );
    assert.equal(outcome.skippedUnregistered, 2);
    expect(reads).toEqual([['known'], ['known']]);
  });

  it('reads nothing at all when no pupil is registered, and still records the outcome', async () => {
    const { store, reads } = recordingStore();
    const registry = {
      findEach: (_: unknown, ats: readonly unknown[]) => Promise.resolve(ats.map(() => null)),
    };
    const useCase = evaluation(store, registry);
    const outcome = await useCase.evaluate(BOARD, ['a', 'b'], '2026-12-04');
    assert.equal(outcome.skippedUnregistered, 2);
    assert.equal(outcome.outcome, 'applied');
    expect(reads).toEqual([]);
  });
});

describe('EvaluateSignalsUseCase writes one unit of work (ADR 0032)', () => {
  const signal: Signal = {
    signalId: 'sig-16u-known',
    rule: 'LPW_16H_4W',
    reportKind: '16U_MINDERJARIG',
    mandatory: true,
    pupil: { localId: 'known' },
    beginDate: '2026-11-09',
    endDate: '2026-12-04',
    measured: { unauthorisedMinutes: 960, unauthorisedLessons: 20, unit: 'CLOCK_HOUR', hours: 16 },
    threshold: 16,
    deadline: '2026-12-11',
    evidence: [],
    rulepack: { id: 'nl-national', version: '1' },
    legalBasis: 'Leerplichtwet 1969 art. 21',
  };
  const raising = { evaluatePupil: () => [signal] } as unknown as SignalEvaluator;
  const calendars = { get: () => Promise.resolve({ calendar: {} }) } as unknown as SchoolCalendarStore;
  const autoApproving = {
    get: () => Promise.resolve({ autoApproveMandatory: true }),
  } as unknown as SchoolSettingsStore;
  const registry = {
    findEach: (_: unknown, ats: readonly unknown[]) => Promise.resolve(ats.map(() => pupil('known'))),
  };
  const message = { consumer: 'worker.signals', key: 'canonical-records.changed:batch-1:1' };
  let ids = 0;
  const evaluation = (uow: InMemoryUnitOfWork): EvaluateSignalsUseCase =>
    new EvaluateSignalsUseCase(
      raising,
      recordingStore().store,
      uow,
      registry,
      calendars,
      autoApproving,
      new FixedClock(new Date('2026-12-05T10:00:00Z')),
      () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    );
  const evaluateKnown = (useCase: EvaluateSignalsUseCase) =>
    useCase.evaluate(BOARD, [{ school: '99XX', localId: 'known' }], '2026-12-04', message);

  it('stores the auto-approved report and announces it in the same unit: event, history, audit', async () => {
    const uow = new InMemoryUnitOfWork();
    const outcome = await evaluateKnown(evaluation(uow));
    assert.equal(outcome.outcome, 'applied');
    assert.equal(outcome.drafts, 1);
    assert.equal(uow.committed, 1);
    expect(uow.reports.map((r) => [r.status, r.decidedBy, r.signalId])).toEqual([
      ['APPROVED', 'auto-approve', signal.signalId],
    ]);
    const [report] = uow.reports;
    expect(uow.outbox.map((e) => [e.type, (e.payload as { reportId: string }).reportId])).toEqual([
      ['reports.approved', report.id],
    ]);
    expect(uow.historyRows.map((h) => [h.reportId, h.status, h.source])).toEqual([
      [report.id, 'APPROVED', 'KETENPOORT'],
    ]);
    assert.equal(uow.audit.length, 1);
    expect(uow.audit.map((a) => [a.kind, a.entry])).toEqual([
      [
        'REPORT_STATUS',
        { reportId: report.id, status: 'APPROVED', source: 'KETENPOORT', by: 'auto-approve' },
      ],
    ]);
  });

  it('changes nothing for a redelivered message: the second is a duplicate', async () => {
    const uow = new InMemoryUnitOfWork();
    const useCase = evaluation(uow);
    await evaluateKnown(useCase);
    const again = await evaluateKnown(useCase);
    assert.equal(again.outcome, 'duplicate');
    assert.equal(uow.reports.length, 1);
    assert.equal(uow.outbox.length, 1);
    assert.equal(uow.audit.length, 1);
  });

  it('leaves nothing when the commit fails, and the redelivered message is evaluated again', async () => {
    const uow = new InMemoryUnitOfWork();
    const useCase = evaluation(uow);
    uow.failNextCommit = true;
    await assert.rejects(evaluateKnown(useCase), /commit failed/);
    assert.equal(uow.rolledBack, 1);
    expect([uow.reports.length, uow.outbox.length, uow.audit.length, uow.historyRows.length]).toEqual([
      0, 0, 0, 0,
    ]);
    const again = await evaluateKnown(useCase);
    assert.equal(again.outcome, 'applied');
    assert.equal(uow.reports.length, 1);
    assert.equal(uow.outbox.length, 1);
  });
});
