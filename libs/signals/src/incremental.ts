import type { CanonicalRecord, SchoolCalendar, Signal, SignalPupil } from '#domain';
import { asOfDay, compareSignals, evaluatePupilWithWake } from './evaluate.js';
import type { Rulepack } from './rulepack.js';

/** A signal that replaces an earlier one with the same key (rule, pupil, begin date, kind). */
export interface ChangedSignal extends Signal {
  readonly previousSignalId: string;
}

export interface IncrementalChanges {
  readonly added: readonly Signal[];
  readonly changed: readonly ChangedSignal[];
  readonly withdrawn: readonly Signal[];
}

interface PupilState {
  readonly pupil: SignalPupil;
  readonly records: Map<string, CanonicalRecord>;
  signals: Signal[];
  wake: number;
}

const keyOf = (s: Signal): string =>
  `${s.rule}|${s.beginDate}|${typeof s.detail?.['kind'] === 'string' ? s.detail['kind'] : ''}|${
    typeof s.detail?.['step'] === 'number' ? s.detail['step'] : ''
  }`;

/**
 * Holds every pupil's records and signals. `apply` takes changed (new or corrected) records and removed
 * record ids, re-evaluates only the pupils they touch (plus pupils whose result depends on the date moving
 * past as-of, e.g. a lesson whose check grace period ended) and returns what was added, changed and
 * withdrawn. The signals it holds are always those a full `evaluate` of the same records would give.
 */
export class IncrementalEvaluator {
  private readonly pupils = new Map<string, PupilState>();
  private readonly recordOwner = new Map<string, string>();
  private asOf = Number.NEGATIVE_INFINITY;
  private asOfText = '';
  /** Records whose pupil is unknown: skipped, counted. */
  unknownPupilRecords = 0;

  constructor(
    pupils: readonly SignalPupil[],
    private readonly calendar: SchoolCalendar,
    private readonly rulepack: Rulepack,
  ) {
    for (const pupil of pupils) {
      if (!this.pupils.has(pupil.localId))
        this.pupils.set(pupil.localId, { pupil, records: new Map(), signals: [], wake: Infinity });
    }
  }

  apply(
    changedRecords: readonly CanonicalRecord[],
    asOf: string,
    removedRecordIds: readonly string[] = [],
  ): IncrementalChanges {
    const day = asOfDay(asOf);
    const touched = new Set<string>();
    for (const id of removedRecordIds) {
      const owner = this.recordOwner.get(id);
      if (owner === undefined) continue;
      this.pupils.get(owner)?.records.delete(id);
      this.recordOwner.delete(id);
      touched.add(owner);
    }
    for (const record of changedRecords) {
      const state = this.pupils.get(record.pupil.localId);
      if (!state) {
        this.unknownPupilRecords++;
        continue;
      }
      const owner = this.recordOwner.get(record.recordId);
      if (owner !== undefined && owner !== record.pupil.localId) {
        this.pupils.get(owner)?.records.delete(record.recordId);
        touched.add(owner);
      }
      state.records.set(record.recordId, record);
      this.recordOwner.set(record.recordId, record.pupil.localId);
      touched.add(record.pupil.localId);
    }
    const all = day < this.asOf;
    for (const [id, state] of this.pupils) if (all || state.wake <= day) touched.add(id);
    this.asOf = day;
    this.asOfText = asOf;
    const added: Signal[] = [];
    const changed: ChangedSignal[] = [];
    const withdrawn: Signal[] = [];
    for (const id of [...touched].sort()) {
      const state = this.pupils.get(id);
      if (!state) continue;
      const { signals, wake } = evaluatePupilWithWake({
        pupil: state.pupil,
        records: [...state.records.values()],
        calendar: this.calendar,
        rulepack: this.rulepack,
        asOf: this.asOfText,
      });
      diff(state.signals, signals, added, changed, withdrawn);
      state.signals = signals;
      state.wake = wake;
    }
    return {
      added: added.sort(compareSignals),
      changed: changed.sort(compareSignals),
      withdrawn: withdrawn.sort(compareSignals),
    };
  }

  /** All current signals, in the order `evaluate` gives. */
  signals(): Signal[] {
    const out: Signal[] = [];
    for (const state of this.pupils.values()) for (const s of state.signals) out.push(s);
    return out.sort(compareSignals);
  }
}

function diff(
  before: readonly Signal[],
  after: readonly Signal[],
  added: Signal[],
  changed: ChangedSignal[],
  withdrawn: Signal[],
): void {
  const beforeIds = new Set(before.map((s) => s.signalId));
  const afterIds = new Set(after.map((s) => s.signalId));
  const gone = new Map<string, Signal>();
  for (const s of before) if (!afterIds.has(s.signalId)) gone.set(keyOf(s), s);
  for (const s of after) {
    if (beforeIds.has(s.signalId)) continue;
    const old = gone.get(keyOf(s));
    if (old) {
      changed.push({ ...s, previousSignalId: old.signalId });
      gone.delete(keyOf(s));
    } else added.push(s);
  }
  for (const s of gone.values()) withdrawn.push(s);
}
