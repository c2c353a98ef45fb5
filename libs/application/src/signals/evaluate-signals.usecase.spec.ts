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
import { EvaluateSignalsUseCase, readAheadOn, slicesOf } from './evaluate-signals.usecase.js';

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
    currentRecords: () => Promise.resolve(new Map()),
    recordsForRules: (_: string, ids: readonly string[]) => {
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

describe('EvaluateSignalsUseCase reads the next slices while it evaluates one (issue 18)', () => {
  const at = (localId: string, school = '99XX'): { school: string; localId: string } => ({ school, localId });
  const numbered = (n: number): { school: string; localId: string }[] =>
    Array.from({ length: n }, (_, i) => at(`p${String(i).padStart(5, '0')}`));

  it('cuts slices of 500 that never split the entries of one pupil number', () => {
    const pupils = numbered(1_200);
    // The same number at a second school, right where a slice would end.
    pupils.splice(500, 0, at(pupils[499].localId, '11AA'));
    const slices = slicesOf(pupils);
    expect(slices.map((s) => s.length)).toEqual([501, 500, 200]);
    expect(slices[0].at(-1)).toEqual(at('p00499', '11AA'));
    expect(slices.flat()).toEqual(pupils);
    expect(slicesOf([])).toEqual([[]]);
  });

  /** A store whose reads of records wait to be let go, counting how many run at once. */
  function gatedStore(failOn?: string): {
    store: SignalStore;
    inFlight: () => number;
    most: () => number;
    read: string[][];
  } {
    const read: string[][] = [];
    let running = 0;
    let most = 0;
    const store = {
      ...recordingStore().store,
      recordsForRules: async (_: string, ids: readonly string[]) => {
        running++;
        most = Math.max(most, running);
        read.push([...ids]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (failOn !== undefined && ids.includes(failOn)) throw new Error(`read of ${failOn} failed`);
        return new Map();
      },
    } satisfies SignalStore;
    return { store, inFlight: () => running, most: () => most, read };
  }
  const registry = {
    findEach: (_: unknown, ats: readonly { localId: string }[]) =>
      Promise.resolve(ats.map((a) => pupil(a.localId))),
  };
  const calendars = { get: () => Promise.resolve({ calendar: {} }) } as unknown as SchoolCalendarStore;
  const settings = {
    get: () => Promise.resolve({ autoApproveMandatory: false }),
  } as unknown as SchoolSettingsStore;
  const quiet = { evaluatePupil: () => [] } as unknown as SignalEvaluator;
  const useCaseOver = (
    store: SignalStore,
    uow = new InMemoryUnitOfWork(),
    readAhead: number = readAheadOn('server'),
  ): EvaluateSignalsUseCase =>
    new EvaluateSignalsUseCase(
      quiet,
      store,
      uow,
      registry,
      calendars,
      settings,
      new FixedClock(new Date('2026-12-05T10:00:00Z')),
      () => 'id',
      { readAhead },
    );

  it('reads one slice at a time unless told to read ahead (the embedded PGlite)', async () => {
    const gated = gatedStore();
    const outcome = await useCaseOver(
      gated.store,
      new InMemoryUnitOfWork(),
      readAheadOn('embedded'),
    ).evaluate(BOARD, numbered(1_200), '2026-12-04');
    assert.equal(outcome.evaluated, 1_200);
    expect(gated.read.map((ids) => ids.length)).toEqual([500, 500, 200]);
    assert.equal(gated.most(), 1);
  });

  it('reads every slice once, at most two ahead, and records the message once, on the last slice', async () => {
    const gated = gatedStore();
    const uow = new InMemoryUnitOfWork();
    const outcome = await useCaseOver(gated.store, uow).evaluate(BOARD, numbered(2_300), '2026-12-04', {
      consumer: 'worker.signals',
      key: 'k-1',
    });
    assert.equal(outcome.evaluated, 2_300);
    expect(gated.read.map((ids) => ids.length)).toEqual([500, 500, 500, 500, 300]);
    expect(gated.read.flat()).toEqual(numbered(2_300).map((p) => p.localId));
    assert.equal(gated.most(), 2);
    // Nothing to write in the first four slices: one unit of work, the last slice's, with the message's key.
    assert.equal(uow.committed, 1);
  });

  it('fails with the read that failed, and leaves no read running behind it', async () => {
    const gated = gatedStore('p01200');
    await assert.rejects(
      useCaseOver(gated.store).evaluate(BOARD, numbered(2_300), '2026-12-04'),
      /read of p01200 failed/,
    );
    assert.equal(gated.inFlight(), 0);
  });
});
