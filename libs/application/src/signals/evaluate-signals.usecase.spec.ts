import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import {
  type Pupil,
  type SchoolCalendarStore,
  type SchoolSettingsStore,
  type SignalEvaluator,
  type SignalStore,
  FixedClock,
} from '#domain';
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
    apply: () => Promise.resolve('applied' as const),
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
    registry: ConstructorParameters<typeof EvaluateSignalsUseCase>[2],
  ): EvaluateSignalsUseCase =>
    new EvaluateSignalsUseCase(evaluator, store, registry, calendars, settings, clock, () => 'id');

  it('never reads the records or signals of pupils the registry does not know', async () => {
    const { store, reads } = recordingStore();
    const registry = {
      find: (_: unknown, localId: string) => Promise.resolve(localId === 'known' ? pupil('known') : null),
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
    const registry = { find: () => Promise.resolve(null) };
    const useCase = evaluation(store, registry);
    const outcome = await useCase.evaluate(BOARD, ['a', 'b'], '2026-12-04');
    assert.equal(outcome.skippedUnregistered, 2);
    assert.equal(outcome.outcome, 'applied');
    expect(reads).toEqual([]);
  });
});
